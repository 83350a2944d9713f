//! The use cases: each service orchestrates domain rules through ports and knows nothing of
//! HTTP or redb.
//!
//! - [`auth`]: set up the master password, log in, log out, check a token.
//! - [`config`]: read, update, validate and back up the configuration.
//! - [`health`]: database round trip, writable directories, system metrics.
//! - [`library`]: search the catalogue, add series, scan the library, list what is missing.
//! - [`scheduler`]: the periodic rescan.
//! - [`media`]: turn an episode into a downloadable media source (languages, hosters).

pub mod auth;
pub mod config;
pub mod health;
pub mod library;
pub mod media;
pub mod scheduler;
