//! The catalogue refresh of a library job: the series a refresh targets (`feed.rs`) asked
//! about a few at a time, each its page and its seasons (only the latest and the unknown ones
//! for a light refresh), the results written back in batches as they arrive.

use futures_util::StreamExt;
use futures_util::future::try_join_all;

use super::LibraryService;
use super::jobs::{PROBLEMS_TOLD, Refresh};
use crate::domain::catalogue::ProviderError;
use crate::domain::episode::EpisodeId;
use crate::domain::episode_set::EpisodeSet;
use crate::domain::event::EventKind;
use crate::domain::library::{LibrarySeries, merge_seasons, seasons_to_read};

/// Catalogue pages asked for at once during a refresh; the site is a guest, not a backend.
const CATALOGUE_CONCURRENCY: usize = 4;
/// A catalogue refresh writes its results back after this many series...
const REFRESH_BATCH: usize = 50;
/// ... or after this long, whichever comes first.
const REFRESH_BATCH_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

impl LibraryService {
    /// Asks the catalogue for the episode lists of some series; a series the catalogue
    /// fails on keeps what it had and is told as an error event.
    pub(crate) async fn refresh_catalogue(&self, which: Refresh) {
        let which = self.targets(which).await;
        let targets: Vec<(LibrarySeries, bool)> = self
            .view()
            .all()
            .filter(|s| which.includes(&s.record))
            .map(|s| (s.record.clone(), which.light(&s.record)))
            .collect();
        let (catalogue, clock) = (&self.inner.catalogue, &self.inner.clock);
        let mut results = futures_util::stream::iter(targets)
            .map(|(mut record, light)| async move {
                let asked = async {
                    let key = &record.series.key;
                    let details = catalogue.series(key).await?;
                    let known = record.available.as_ref().filter(|_| light);
                    let episodes: EpisodeSet = match known {
                        Some(known) => {
                            let read = seasons_to_read(&details.seasons, details.has_films, known);
                            let pages =
                                try_join_all(read.iter().map(|&s| catalogue.season(key, s)))
                                    .await?;
                            let found = pages.into_iter().flatten().map(|e| e.id);
                            merge_seasons(known, &details.seasons, details.has_films, &read, found)
                        }
                        None => catalogue
                            .all_episodes(&details)
                            .await?
                            .iter()
                            .map(|e| e.id)
                            .collect(),
                    };
                    Ok::<_, ProviderError>((details, episodes))
                };
                match asked.await {
                    Ok((details, episodes)) => {
                        let new = record.newly_listed(&episodes);
                        record.list_episodes(episodes, clock.now());
                        record.description = details.description.or(record.description);
                        record.year = details.year.or(record.year);
                        record.metadata = record.metadata.refreshed_by(details.metadata);
                        Ok((record, new))
                    }
                    Err(e) => Err((record.series.key, e)),
                }
            })
            .buffer_unordered(CATALOGUE_CONCURRENCY);
        // Results are written back in batches as they arrive, so a large import fills the
        // list while it runs and a crash loses at most one batch.
        let (mut batch, mut failed) = (Vec::new(), 0usize);
        let mut last_write = tokio::time::Instant::now();
        loop {
            // A slow series must not hold back the ones already answered: the batch is also
            // written when the time is up while waiting.
            let next = tokio::time::timeout_at(last_write + REFRESH_BATCH_EVERY, results.next());
            let result = match next.await {
                Ok(Some(result)) => result,
                Ok(None) => break,
                Err(_) => {
                    self.write_refreshed(std::mem::take(&mut batch)).await;
                    last_write = tokio::time::Instant::now();
                    continue;
                }
            };
            match result {
                Ok((record, new)) => {
                    self.tell_new_episodes(&record, &new);
                    batch.push(record);
                }
                // A switched-off site (s.to) was not asked: its series keep what they had.
                Err((_, ProviderError::SiteOff(_))) => {}
                Err((key, e)) => {
                    failed += 1;
                    tracing::warn!(key = %key, error = %e, "catalogue refresh failed");
                    if failed <= PROBLEMS_TOLD {
                        self.inner.events.publish(EventKind::Error {
                            message: format!("Catalogue refresh of {key} failed: {e}"),
                        });
                    }
                }
            }
            if batch.len() >= REFRESH_BATCH || last_write.elapsed() >= REFRESH_BATCH_EVERY {
                self.write_refreshed(std::mem::take(&mut batch)).await;
                last_write = tokio::time::Instant::now();
            }
        }
        self.write_refreshed(batch).await;
    }

    /// Announces episodes a refresh found that were not listed before (`new_episodes`).
    fn tell_new_episodes(&self, record: &LibrarySeries, new: &[EpisodeId]) {
        if new.is_empty() {
            return;
        }
        self.inner.events.publish(EventKind::NewEpisodes {
            key: record.series.key.to_string(),
            folder: record.series.folder.to_string(),
            series_name: record.series.name.clone(),
            episodes: new.iter().map(|e| (e.season, e.episode)).collect(),
        });
    }

    /// Stores refreshed series and shows them. Only series still on record are written
    /// back: a directory switch cannot run meanwhile (one job at a time), so this is all of
    /// them. Only what the catalogue told is taken onto each current record: a download, a
    /// settings change or a metadata file written while the catalogue was asked stays.
    async fn write_refreshed(&self, refreshed: Vec<LibrarySeries>) {
        if refreshed.is_empty() {
            return;
        }
        let _writer = self.inner.present_writer.lock().await;
        let view = self.view();
        let refreshed: Vec<LibrarySeries> = refreshed
            .into_iter()
            .filter_map(|read| {
                let current = view.get(&read.series.key)?.record.clone();
                Some(current.with_catalogue_reading(read))
            })
            .collect();
        match self.inner.store.save(refreshed.clone()).await {
            Ok(()) => self.publish_changes(refreshed),
            Err(e) => tracing::error!(error = %e, "catalogue refresh could not be stored"),
        }
    }
}
