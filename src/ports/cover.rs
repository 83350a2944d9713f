//! Where series covers come from and where they are kept (INTEGRATIONS.md section 7).

use async_trait::async_trait;

use crate::domain::catalogue::ProviderError;
use crate::domain::cover::CachedCover;
use crate::domain::series::SeriesKey;

/// Fetches a cover from a catalogue site, as a page of the site shows it (the browser
/// identity, the site's cookies and clearance).
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait CoverSource: Send + Sync {
    /// The bytes at `url`, at most `cap` of them.
    async fn fetch_cover(&self, url: &str, cap: u64) -> Result<Vec<u8>, ProviderError>;
}

/// Why the cover cache failed: the file and the system's reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cover cache: {0}")]
pub struct CoverCacheError(pub String);

/// The covers kept in the data dir, one per series.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait CoverCache: Send + Sync {
    /// Every cover kept, with its series.
    async fn load(&self) -> Result<Vec<(SeriesKey, CachedCover)>, CoverCacheError>;

    /// Keeps `bytes` as the cover of `key` (atomically: a reader sees the old cover or the
    /// new one, never a part).
    async fn put(
        &self,
        key: SeriesKey,
        cover: CachedCover,
        bytes: Vec<u8>,
    ) -> Result<(), CoverCacheError>;

    /// The bytes of the cover of `key`; `None` when there is none.
    async fn read(&self, key: SeriesKey) -> Result<Option<Vec<u8>>, CoverCacheError>;
}
