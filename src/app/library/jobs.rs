//! The library-wide jobs, one at a time: the disk scan, the catalogue refresh (`refresh.rs`)
//! and the directory switch. A job asked for while another runs is not started twice.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::reconcile::reconcile;
use super::{LibraryError, LibraryService};
use crate::domain::event::EventKind;
use crate::domain::library::library_directory;
use crate::domain::library_view::LibraryView;
use crate::ports::library::{ScanObserver, ScanProblem};

/// How long a directory switch waits for the catalogue lookups it starts before answering.
const SWITCH_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Skipped paths (and failed series) told as individual events; the rest only counted.
pub(super) const PROBLEMS_TOLD: usize = 20;

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
                    r.found.clone_from(&old.record.found);
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
