//! The traits the core needs from the world, named for what they do, not for the technology
//! behind them. Their errors are domain errors; adapters convert at the boundary.

pub mod arr;
pub mod auth;
pub mod catalogue;
pub mod clock;
pub mod config;
pub mod connect;
pub mod cover;
pub mod events;
pub mod health;
pub mod history;
pub mod host;
pub mod library;
pub mod media;
pub mod queue;

pub use arr::ReleaseStore;
pub use auth::AuthStore;
pub use catalogue::{Catalogue, Hoster};
pub use clock::Clock;
pub use config::ConfigStore;
pub use connect::{ConnectionStore, Notifier};
pub use cover::{CoverCache, CoverSource};
pub use events::{EventBus, SeqStore};
pub use health::HealthStore;
pub use history::HistoryStore;
pub use host::HostProbe;
pub use library::{LibraryFs, SeriesStore};
pub use media::{DownloadFiles, MediaFetcher, Remuxer};
pub use queue::QueueStore;

/// Why the embedded store failed.
///
/// `Io` is the machine's fault and the user's to fix (a read-only or full disk, a failing
/// device): the API answers it with 503 `STORAGE_ERROR` and its reason. The others are not
/// expected to happen and become a logged 500.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The file system refused a read or write of the database file: the file and the
    /// system's reason, e.g. "…/aniworld.redb: Read-only file system (os error 30)".
    #[error("the database cannot be written: {0}")]
    Io(String),
    /// The database could not be read or written for another reason.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// A stored value could not be decoded.
    #[error("store holds an unreadable value: {0}")]
    Corrupt(String),
}
