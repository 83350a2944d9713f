//! What Sonarr's protocols need kept (INTEGRATIONS.md sections 2 and 3): the releases the
//! Torznab feed offered, so that a magnet handed back names its episode, and qBittorrent's
//! categories.

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::StoreError;
use crate::domain::release::{InfoHash, Release};

/// The releases offered and the categories made.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait ReleaseStore: Send + Sync {
    /// Keeps the releases not kept yet, by info hash; answers every one as kept, so a release
    /// offered before keeps the `first_seen` it was first offered with. Writes nothing when
    /// every release is kept already.
    async fn keep_releases(&self, releases: Vec<Release>) -> Result<Vec<Release>, StoreError>;

    /// A release offered before, by its info hash.
    async fn release(&self, hash: InfoHash) -> Result<Option<Release>, StoreError>;

    /// The most recently first seen releases, newest first: what the feed shows while the
    /// site's new-episodes page cannot be read.
    async fn recent_releases(&self, limit: usize) -> Result<Vec<Release>, StoreError>;

    /// qBittorrent's categories: name → save path (empty for the default).
    async fn categories(&self) -> Result<BTreeMap<String, String>, StoreError>;

    /// Makes or changes a category.
    async fn put_category(&self, name: String, save_path: String) -> Result<(), StoreError>;
}
