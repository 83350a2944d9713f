//! The product's glossary: pure types and rules, unit-tested without a runtime.
//!
//! - [`site`]: the catalogue sites (aniworld.to, s.to) and how a key names its site.
//! - [`series`]: a series in the catalogue and in the library (`SeriesKey`, `FolderName`).
//! - [`episode`]: episode identifiers (`S01E05`), file-name recognition, missing-episode sets.
//! - [`catalogue`]: what the catalogue site tells us (search hits, seasons, hoster links) and
//!   the browser identity the product shows it.
//! - [`provider_error`]: the typed errors of talking to the site and the hosters (a refusal
//!   and a challenge among them).
//! - [`hls`]: HLS playlist parsing (master/media playlists, AES-128 keys).
//! - [`auth`]: the master-password policy and the login-lockout arithmetic.
//! - [`api_key`]: the keys programs authenticate with, and their scopes.
//! - [`arr_id`]: the numbers Sonarr's protocols key series, episodes and queue items by.
//! - [`config`]: the configuration document and the settings parsed from it.
//! - [`event`]: the one event type that flows from use cases to the WebSocket.
//! - [`library`]: a series on record with its episodes, the sidecar, the list query rules.
//! - [`library_view`]: the sorted, filterable snapshot the list endpoint reads.
//! - [`queue`]: the download queue: items, states, order, retries, statistics.
//! - [`series_policy`]: one series' monitoring, languages and upgrades; file languages.
//! - [`series_metadata`]: cover, other titles, last year, genres, FSK and IMDb id of a series.
//! - [`cover`]: a series' cover as cached and served: checked to be an image, versioned.
//! - [`provider_health`]: how the catalogue site and each hoster have been doing.

pub mod api_key;
pub mod arr_id;
pub mod auth;
pub mod catalogue;
pub mod config;
pub mod connection;
pub mod cover;
pub mod episode;
pub mod episode_set;
pub mod event;
pub mod forwarded;
pub mod history;
pub mod hls;
pub mod library;
pub mod library_view;
pub mod notify;
pub mod provider_error;
pub mod provider_health;
pub mod queue;
pub mod release;
pub mod series;
pub mod series_metadata;
pub mod series_policy;
pub mod site;
