//! The owner's settings of one series (monitoring, languages, upgrades) and the language of
//! each file the product downloaded. Both are kept in the store and in the series' sidecar,
//! so they survive a rebuild of the library from disk.

use std::sync::Arc;

use super::{LibraryError, LibraryService};
use crate::domain::catalogue::Language;
use crate::domain::episode::EpisodeId;
use crate::domain::library::{LibrarySeries, ListQuery, Sidecar};
use crate::domain::library_view::{ListedSeries, by_name};
use crate::domain::series::SeriesKey;
use crate::domain::series_policy::PolicyPatch;

impl LibraryService {
    /// Changes the settings of the series `key_or_folder` and answers it as changed.
    ///
    /// # Errors
    /// [`LibraryError::NotFound`], [`LibraryError::Store`].
    pub async fn set_policy(
        &self,
        key_or_folder: &str,
        patch: &PolicyPatch,
    ) -> Result<Arc<ListedSeries>, LibraryError> {
        let key = self.find(key_or_folder)?.record.series.key.clone();
        let changed = self
            .change_record(&key, |r| r.policy = r.policy.patched(patch))
            .await?;
        if let Some(record) = changed {
            self.write_sidecar(&record).await;
        }
        self.find(key.as_str())
    }

    /// One page of the series with episodes on disk waiting for a better language, each
    /// with those episodes; filtered and paged as `query` asks, ordered by name.
    pub fn awaiting_upgrade(
        &self,
        query: &ListQuery,
        global: &[Language],
    ) -> Vec<(Arc<ListedSeries>, Vec<EpisodeId>)> {
        let view = self.view();
        let mut waiting: Vec<_> = view
            .all()
            .filter(|s| query.filter.as_ref().is_none_or(|term| s.matches(term)))
            .filter_map(|s| {
                let episodes: Vec<EpisodeId> = s
                    .record
                    .awaiting_upgrade(global)
                    .into_iter()
                    .map(|w| w.episode)
                    .collect();
                (!episodes.is_empty()).then(|| (s.clone(), episodes))
            })
            .collect();
        waiting.sort_by(|(a, _), (b, _)| by_name(a, b));
        let range = query.bounds(waiting.len());
        waiting.drain(range).collect()
    }

    /// The languages to download an episode of `key` in: the series' own order where it has
    /// one, else `global`.
    pub fn languages_for(&self, key: &SeriesKey, global: &[Language]) -> Vec<Language> {
        match self.view().get(key) {
            Some(listed) => listed.record.policy.languages_or(global),
            None => global.to_vec(),
        }
    }

    /// Records that a download put `episode` of `key` on disk in `language`, so it is no
    /// longer missing and its language is on record (in the store and the sidecar). A series
    /// not in the library is left alone.
    ///
    /// # Errors
    /// [`LibraryError::Store`].
    pub async fn mark_downloaded(
        &self,
        key: &SeriesKey,
        episode: EpisodeId,
        language: Language,
    ) -> Result<(), LibraryError> {
        let changed = self
            .change_record(key, |r| {
                r.present.insert(episode);
                r.files.set(episode, language);
            })
            .await?;
        if let Some(record) = changed {
            self.write_sidecar(&record).await;
        }
        Ok(())
    }

    /// Records that an upgrade of `episode` of `key` to `language` was queued: it is not
    /// tried again, whatever comes of it.
    ///
    /// # Errors
    /// [`LibraryError::Store`].
    pub async fn upgrade_tried(
        &self,
        key: &SeriesKey,
        episode: EpisodeId,
        language: Language,
    ) -> Result<(), LibraryError> {
        self.change_record(key, |r| r.upgrades_tried.record(episode, language))
            .await
            .map(|_| ())
    }

    /// Changes the record of `key` (one change at a time), stores and shows it; answers it
    /// when it changed. A series not in the library is left alone.
    pub(super) async fn change_record(
        &self,
        key: &SeriesKey,
        change: impl FnOnce(&mut LibrarySeries),
    ) -> Result<Option<LibrarySeries>, LibraryError> {
        let _writer = self.inner.present_writer.lock().await;
        let Some(listed) = self.view().get(key).cloned() else {
            return Ok(None);
        };
        let mut record = listed.record.clone();
        change(&mut record);
        if record == listed.record {
            return Ok(None);
        }
        self.inner.store.save(vec![record.clone()]).await?;
        self.publish_changes(vec![record.clone()]);
        Ok(Some(record))
    }

    /// Rewrites the series' sidecar; a failure is logged (the store holds the truth, and the
    /// next change writes the sidecar again).
    pub(super) async fn write_sidecar(&self, record: &LibrarySeries) {
        let Ok(root) = self.root() else {
            return;
        };
        let written = self
            .inner
            .disk
            .write_sidecar(root, record.series.folder.clone(), Sidecar::from(record))
            .await;
        if let Err(e) = written {
            tracing::warn!(key = %record.series.key, error = %e, "could not write the sidecar");
        }
    }
}
