//! The library-wide jobs, one at a time: the disk scan, the catalogue refresh and the
//! directory switch. A job asked for while another runs is not started twice.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;
use futures_util::future::try_join_all;

use super::reconcile::reconcile;
use super::{LibraryError, LibraryService};
use crate::domain::catalogue::ProviderError;
use crate::domain::episode_set::EpisodeSet;
use crate::domain::event::EventKind;
use crate::domain::library::{LibrarySeries, library_directory, merge_seasons, seasons_to_read};
use crate::domain::library_view::LibraryView;
use crate::ports::library::{ScanObserver, ScanProblem};

/// How long a directory switch waits for the catalogue lookups it starts before answering.
const SWITCH_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Catalogue pages asked for at once during a refresh; the site is a guest, not a backend.
const CATALOGUE_CONCURRENCY: usize = 4;
/// A catalogue refresh writes its results back after this many series...
const REFRESH_BATCH: usize = 50;
/// ... or after this long, whichever comes first.
const REFRESH_BATCH_EVERY: std::time::Duration = std::time::Duration::from_millis(500);
/// Skipped paths (and failed series) told as individual events; the rest only counted.
const PROBLEMS_TOLD: usize = 20;

/// Which series a catalogue refresh asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refresh {
    /// Only series whose episodes the catalogue has not told us yet.
    Unknown,
    /// Every series (new episodes air).
    All,
    /// The scheduler's choice (`feed.rs`): every series when a full refresh is due (or the
    /// new-episodes page cannot be read), else the series the new-episodes page names.
    Scheduled {
        now: chrono::DateTime<chrono::Utc>,
        full_every: chrono::Duration,
    },
}

/// What a library scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanSummary {
    pub series: u64,
    pub files: u64,
    pub missing: u64,
    pub errors: u64,
}

impl LibraryService {
    /// Starts a disk scan (plus a catalogue look-up for series never looked up) in the
    /// background; `Ok(false)` when a library job is running already.
    ///
    /// # Errors
    /// [`LibraryError::NoDirectory`].
    pub fn start_rescan(&self) -> Result<bool, LibraryError> {
        self.start_job(Refresh::Unknown)
    }

    /// Starts the scheduler's job now in the background: a disk scan and a refresh of every
    /// series' episode list; `Ok(false)` when a library job is running already.
    ///
    /// # Errors
    /// [`LibraryError::NoDirectory`].
    pub fn start_full_rescan(&self) -> Result<bool, LibraryError> {
        self.start_job(Refresh::All)
    }

    /// Runs the scheduler's job and waits for it; `None` when a library job was running
    /// already (the scheduled run is then skipped, not queued).
    ///
    /// # Errors
    /// As for the scan: no directory, a missing directory, the store.
    pub async fn run_full_rescan(&self) -> Option<Result<ScanSummary, LibraryError>> {
        self.run_job(Refresh::All).await
    }

    /// Runs a job and waits for it; `None` when a library job is running already.
    pub(super) async fn run_job(
        &self,
        refresh: Refresh,
    ) -> Option<Result<ScanSummary, LibraryError>> {
        let _job = self.inner.job.clone().try_lock_owned().ok()?;
        Some(self.scan_and_refresh(refresh).await)
    }

    pub(super) fn start_job(&self, refresh: Refresh) -> Result<bool, LibraryError> {
        self.root()?;
        let Ok(job) = self.inner.job.clone().try_lock_owned() else {
            return Ok(false);
        };
        let this = self.clone();
        self.spawn_job(async move {
            let _job = job;
            if let Err(e) = this.scan_and_refresh(refresh).await {
                tracing::warn!(error = %e, "library scan failed");
                this.inner.events.publish(EventKind::Error {
                    message: format!("Library scan failed: {e}"),
                });
            }
        });
        Ok(true)
    }

    async fn scan_and_refresh(&self, refresh: Refresh) -> Result<ScanSummary, LibraryError> {
        let summary = self.scan_disk().await?;
        self.refresh_catalogue(refresh).await;
        self.tell_missing(self.view().all().cloned()).await;
        self.tell_upgrades().await;
        Ok(summary)
    }

    /// Walks the library and brings every series' episodes on disk up to date; series found
    /// through a sidecar only are added.
    async fn scan_disk(&self) -> Result<ScanSummary, LibraryError> {
        let started = Instant::now();
        let root = self.root()?;
        let view = self.view();
        let known: HashSet<String> = view
            .all()
            .map(|s| s.record.series.folder.to_string())
            .collect();
        let scan = self
            .inner
            .disk
            .scan_library(root, known, self.progress_observer())
            .await?;
        self.tell_problems(&scan.problems);
        let files = scan.folders.iter().map(|f| f.files).sum();
        let (changed, new) = reconcile(&view, scan.folders, &mut Vec::new());
        self.inner.store.save(changed.clone()).await?;
        let added = self.inner.store.add_new(new).await?;
        self.publish_changes(changed.into_iter().chain(added).collect());

        let view = self.view();
        let summary = ScanSummary {
            series: view.len() as u64,
            files,
            missing: view.all().map(|s| s.missing.count() as u64).sum(),
            errors: scan.problems.len() as u64,
        };
        self.inner.events.publish(EventKind::ScanComplete {
            series: summary.series,
            files: summary.files,
            missing: summary.missing,
            errors: summary.errors,
            duration_ms: started.elapsed().as_millis() as u64,
        });
        Ok(summary)
    }

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
        let catalogue = &self.inner.catalogue;
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
                        record.available = Some(episodes);
                        record.description = details.description.or(record.description);
                        record.year = details.year.or(record.year);
                        record.metadata = record.metadata.refreshed_by(details.metadata);
                        Ok(record)
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
                Ok(record) => batch.push(record),
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

    /// Stores refreshed series and shows them. Only series still on record are written
    /// back: a directory switch cannot run meanwhile (one job at a time), so this is all of
    /// them.
    async fn write_refreshed(&self, refreshed: Vec<LibrarySeries>) {
        if refreshed.is_empty() {
            return;
        }
        match self.inner.store.save(refreshed.clone()).await {
            Ok(()) => self.publish_changes(refreshed),
            Err(e) => tracing::error!(error = %e, "catalogue refresh could not be stored"),
        }
    }

    /// Switches the library to another directory: the series list is rebuilt from the
    /// sidecars found there (keeping what is known of series already on record), the new
    /// directory is stored in the configuration, and the catalogue is asked about series not
    /// known before (waited for up to ten seconds, then left to finish in the background).
    /// Answers how many series were found.
    ///
    /// # Errors
    /// [`LibraryError::Input`] for a relative path, [`LibraryError::DirectoryUnusable`] when
    /// it does not exist or is not a directory, [`LibraryError::Store`],
    /// [`LibraryError::Config`].
    pub async fn switch_directory(&self, raw: &str) -> Result<usize, LibraryError> {
        let dir: PathBuf = library_directory(raw)?.path().to_path_buf();
        self.inner.disk.check_directory(dir.clone()).await?;
        let job = self.inner.job.clone().lock_owned().await;
        let scan = self
            .inner
            .disk
            .scan_library(dir.clone(), HashSet::new(), self.progress_observer())
            .await?;
        self.tell_problems(&scan.problems);
        let mut problems = Vec::new();
        let (_, found) = reconcile(&LibraryView::default(), scan.folders, &mut problems);
        self.tell_problems(&problems);
        let before = self.view();
        let records = found
            .into_iter()
            .map(|mut r| {
                if let Some(old) = before.get(&r.series.key) {
                    r.available.clone_from(&old.record.available);
                    r.description.clone_from(&old.record.description);
                    r.year = old.record.year;
                    r.metadata.clone_from(&old.record.metadata);
                }
                r
            })
            .collect();
        let stored = self.inner.store.replace_all(records).await?;
        let count = stored.len();
        self.replace_view(|_| LibraryView::of(stored));
        self.inner
            .directory
            .set_directory(dir)
            .await
            .map_err(LibraryError::Config)?;
        if self.view().all().any(|s| s.record.available.is_none()) {
            let this = self.clone();
            let mut lookups = self.spawn_job(async move {
                let _job = job;
                this.refresh_catalogue(Refresh::Unknown).await;
            });
            // A small library is answered complete (missing episodes included); a large one
            // gets its answer after a bounded wait while the lookups go on in the background.
            let _ = tokio::time::timeout(SWITCH_WAIT, &mut lookups).await;
        }
        Ok(count)
    }

    /// Publishes scan progress, about a hundred events per scan at most.
    fn progress_observer(&self) -> ScanObserver {
        let events = self.inner.events.clone();
        Arc::new(move |p| {
            let step = (p.total / 100).max(1);
            if p.done % step == 0 || p.done == p.total {
                events.publish(EventKind::ScanProgress {
                    done: p.done,
                    total: p.total,
                    current: p.current,
                });
            }
        })
    }

    fn tell_problems(&self, problems: &[ScanProblem]) {
        for p in problems.iter().take(PROBLEMS_TOLD) {
            tracing::warn!(path = %p.path, reason = %p.reason, "skipped during library scan");
            self.inner.events.publish(EventKind::SystemInfo {
                message: format!("Skipped {}: {}", p.path, p.reason),
            });
        }
        if problems.len() > PROBLEMS_TOLD {
            self.inner.events.publish(EventKind::SystemInfo {
                message: format!("{} more paths skipped", problems.len() - PROBLEMS_TOLD),
            });
        }
    }
}
