//! Sonarr's and Prowlarr's use cases (INTEGRATIONS.md sections 2 and 3), onto the existing
//! ones: the Torznab feed ([`feed`]) offers releases found through the catalogue and keeps
//! them, so a magnet handed back to the qBittorrent API names its episode; grabbing a release
//! queues it (origin `arr`, the queue's `grab` use cases); qBittorrent's categories are kept.

mod feed;
mod languages;
mod names;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use feed::{FeedQuery, MAX_LIMIT};

use crate::app::config::ConfigService;
use crate::app::queue::{QueueError, QueueService};
use crate::domain::catalogue::ProviderError;
use crate::domain::queue::ItemId;
use crate::domain::release::{InfoHash, Release};
use crate::ports::{Catalogue, Clock, ReleaseStore, StoreError};

/// Why an `arr` call failed.
#[derive(Debug, thiserror::Error)]
pub enum ArrError {
    /// The catalogue site could not be asked.
    #[error("the catalogue site failed: {0}")]
    Catalogue(#[from] ProviderError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Queue(#[from] QueueError),
    /// A magnet the product did not issue (or not a magnet at all).
    #[error("not a release this server offered: {0}")]
    NotOurs(String),
}

/// The use cases behind Torznab and the qBittorrent API; a cheap-to-clone handle.
#[derive(Clone)]
pub struct ArrService {
    inner: Arc<Inner>,
}

struct Inner {
    catalogue: Arc<dyn Catalogue>,
    store: Arc<dyn ReleaseStore>,
    queue: QueueService,
    clock: Arc<dyn Clock>,
    config: Arc<ConfigService>,
    languages: languages::LanguageCache,
}

impl ArrService {
    pub fn new(
        catalogue: Arc<dyn Catalogue>,
        store: Arc<dyn ReleaseStore>,
        queue: QueueService,
        clock: Arc<dyn Clock>,
        config: Arc<ConfigService>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                catalogue,
                store,
                queue,
                clock,
                config,
                languages: languages::LanguageCache::default(),
            }),
        }
    }

    /// The queue, whose `grab` use cases list, re-file and remove what Sonarr added.
    pub fn queue(&self) -> &QueueService {
        &self.inner.queue
    }

    /// Where Sonarr's downloads go (`downloads.arr_path`).
    pub fn save_path(&self) -> std::path::PathBuf {
        self.inner.config.current().arr_dir()
    }

    /// Queues the releases these magnets name, filed under `category`; answers their items.
    ///
    /// # Errors
    /// [`ArrError::NotOurs`] for a magnet this server did not offer (then nothing is queued),
    /// [`ArrError::Store`], [`ArrError::Queue`].
    pub async fn grab(&self, magnets: &[String], category: &str) -> Result<Vec<ItemId>, ArrError> {
        let mut releases = Vec::new();
        for magnet in magnets {
            let hash =
                InfoHash::of_magnet(magnet).ok_or_else(|| ArrError::NotOurs(shorten(magnet)))?;
            let release = self
                .inner
                .store
                .release(hash)
                .await?
                .ok_or_else(|| ArrError::NotOurs(shorten(magnet)))?;
            releases.push(release);
        }
        if !category.is_empty() {
            self.ensure_category(category).await?;
        }
        let mut items = Vec::new();
        for release in &releases {
            items.push(self.inner.queue.add_grab(release, category).await?);
        }
        Ok(items)
    }

    /// A release offered before, by its info hash.
    ///
    /// # Errors
    /// [`ArrError::Store`].
    pub async fn release(&self, hash: InfoHash) -> Result<Option<Release>, ArrError> {
        Ok(self.inner.store.release(hash).await?)
    }

    /// qBittorrent's categories: name → save path.
    ///
    /// # Errors
    /// [`ArrError::Store`].
    pub async fn categories(&self) -> Result<BTreeMap<String, String>, ArrError> {
        Ok(self.inner.store.categories().await?)
    }

    /// Makes or changes a category.
    ///
    /// # Errors
    /// [`ArrError::Store`].
    pub async fn put_category(&self, name: &str, save_path: &str) -> Result<(), ArrError> {
        Ok(self
            .inner
            .store
            .put_category(name.to_owned(), save_path.to_owned())
            .await?)
    }

    /// Makes a category that does not exist yet (qBittorrent makes one on first use).
    async fn ensure_category(&self, name: &str) -> Result<(), ArrError> {
        if !self.inner.store.categories().await?.contains_key(name) {
            self.put_category(name, "").await?;
        }
        Ok(())
    }
}

/// A magnet for an error message: its first 80 characters.
fn shorten(magnet: &str) -> String {
    magnet.chars().take(80).collect()
}
