//! The use cases: each service orchestrates domain rules through ports and knows nothing of
//! HTTP or redb. [`App`] holds them all; `wiring` builds it, the HTTP adapter calls it.
//!
//! - [`auth`]: set up the master password, log in, log out, check a token.
//! - [`config`]: read, update, validate and back up the configuration.
//! - [`health`]: database round trip, writable directories, system metrics.
//! - [`library`]: search the catalogue, add series, scan the library, list what is missing.
//! - [`scheduler`]: the periodic rescan.
//! - [`media`]: turn an episode into a downloadable media source (languages, hosters).
//! - [`queue`]: the download queue, its workers and automatic downloads.
//! - [`provider_health`]: the scoreboard of the catalogue site and the hosters.
//! - [`sites`]: the catalogue sites (aniworld.to, s.to) behind the one catalogue port.
//! - [`connect`]: connections (notifications, media servers) and their outbox.
//! - [`history`]: the activity history, kept from the event bus.
//! - [`covers`]: series covers kept and served, and the metadata files beside the episodes.
//! - [`arr`]: Sonarr's and Prowlarr's: the Torznab feed, grabbing its releases.

pub mod arr;
pub mod auth;
pub mod config;
pub mod connect;
pub mod covers;
pub mod health;
pub mod history;
pub mod library;
pub mod media;
pub mod provider_health;
pub mod queue;
pub mod scheduler;
pub mod sites;

use std::sync::Arc;

use crate::ports::EventBus;

/// Every use case of the product, ready to be called by an inbound adapter.
pub struct App {
    pub auth: Arc<auth::AuthService>,
    pub config: Arc<config::ConfigService>,
    pub health: Arc<health::HealthService>,
    pub library: library::LibraryService,
    pub scheduler: Arc<scheduler::Scheduler>,
    /// Episode → media source; the download queue is its first caller.
    pub media: Arc<media::MediaResolver>,
    pub queue: queue::QueueService,
    /// Notification services and media servers.
    pub connect: connect::ConnectService,
    /// The activity history.
    pub history: history::HistoryService,
    /// Series covers and the metadata files.
    pub covers: covers::CoverService,
    /// Torznab and the qBittorrent API's use cases.
    pub arr: arr::ArrService,
    pub events: Arc<dyn EventBus>,
}
