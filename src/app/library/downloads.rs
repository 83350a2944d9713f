//! What the download queue asks of the library, and what the library tells it: the series an
//! episode download belongs to, marking a downloaded episode present, and the hook through
//! which every library job that learns of missing episodes tells the queue (automatic
//! downloads). The library does not know the queue, only the hook.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;

use super::{LibraryError, LibraryService};
use crate::domain::episode_set::EpisodeSet;
use crate::domain::library_view::ListedSeries;
use crate::domain::series::{FolderName, SeriesKey};

/// Told of series with missing episodes after every library job (add, rescan, the
/// scheduler's run).
#[async_trait]
pub trait MissingEpisodesHook: Send + Sync {
    /// Some series of the library have missing episodes.
    async fn missing_found(&self, series: Vec<Arc<ListedSeries>>);

    /// Monitored series whose owner wants upgrades: their files in a worse language may
    /// have a better copy on the catalogue now.
    async fn upgrades_wanted(&self, series: Vec<Arc<ListedSeries>>);
}

/// A series as the queue needs it: where its files go and which episodes exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadTarget {
    pub key: SeriesKey,
    pub name: String,
    pub folder: FolderName,
    /// Every episode the catalogue lists.
    pub available: EpisodeSet,
    /// Whether the series is in the library (a downloaded episode is then marked present).
    pub in_library: bool,
}

impl LibraryService {
    /// Sets the hook told of missing episodes (once; later calls are ignored).
    pub fn set_missing_hook(&self, hook: Arc<dyn MissingEpisodesHook>) {
        let _ = self.inner.hook.set(hook);
    }

    /// Tells the hook of the given series that have missing episodes; series their owner
    /// does not monitor are left out (automatic downloads do not apply to them).
    pub(super) async fn tell_missing(&self, series: impl IntoIterator<Item = Arc<ListedSeries>>) {
        let Some(hook) = self.inner.hook.get() else {
            return;
        };
        let with_missing: Vec<_> = series
            .into_iter()
            .filter(|s| !s.missing.is_empty() && s.record.policy.monitored)
            .collect();
        if !with_missing.is_empty() {
            hook.missing_found(with_missing).await;
        }
    }

    /// Tells the hook of the monitored series that want upgrades.
    pub(super) async fn tell_upgrades(&self) {
        let Some(hook) = self.inner.hook.get() else {
            return;
        };
        let wanting: Vec<_> = self
            .view()
            .all()
            .filter(|s| s.record.policy.monitored && s.record.policy.upgrade)
            .cloned()
            .collect();
        if !wanting.is_empty() {
            hook.upgrades_wanted(wanting).await;
        }
    }

    /// The library directory in force.
    ///
    /// # Errors
    /// [`LibraryError::NoDirectory`].
    pub fn directory(&self) -> Result<PathBuf, LibraryError> {
        self.root()
    }

    /// The series a download of `key_or_folder` belongs to: the library's record, or for a
    /// series not in the library the catalogue's (its folder then comes from `folder`, else
    /// from its name). A library series whose episode list was never fetched is asked about.
    ///
    /// # Errors
    /// [`LibraryError::NotFound`] when neither the library nor the catalogue knows it,
    /// [`LibraryError::Provider`] when the catalogue fails, [`LibraryError::InvalidName`]
    /// when no folder name can be made.
    pub async fn download_target(
        &self,
        key_or_folder: &str,
        folder: Option<&str>,
    ) -> Result<DownloadTarget, LibraryError> {
        if let Some(listed) = self.view().find(key_or_folder.trim()) {
            let record = &listed.record;
            let available = match &record.available {
                Some(available) => available.clone(),
                None => self.catalogue_episodes(&record.series.key).await?.1,
            };
            return Ok(DownloadTarget {
                key: record.series.key.clone(),
                name: record.series.name.clone(),
                folder: record.series.folder.clone(),
                available,
                in_library: true,
            });
        }
        let not_found = || LibraryError::NotFound(key_or_folder.chars().take(200).collect());
        let key = SeriesKey::parse(key_or_folder.trim()).map_err(|_| not_found())?;
        let (name, available) = match self.catalogue_episodes(&key).await {
            Err(LibraryError::Provider(crate::domain::catalogue::ProviderError::NotFound)) => {
                return Err(not_found());
            }
            other => other?,
        };
        let folder = match folder.map(str::trim).filter(|f| !f.is_empty()) {
            Some(f) => FolderName::sanitise(f)?,
            None => FolderName::sanitise(&name)?,
        };
        Ok(DownloadTarget {
            key,
            name,
            folder,
            available,
            in_library: false,
        })
    }

    async fn catalogue_episodes(
        &self,
        key: &SeriesKey,
    ) -> Result<(String, EpisodeSet), LibraryError> {
        let catalogue = &self.inner.catalogue;
        let details = catalogue.series(key).await?;
        let episodes = catalogue.all_episodes(&details).await?;
        Ok((details.name, episodes.iter().map(|e| e.id).collect()))
    }
}
