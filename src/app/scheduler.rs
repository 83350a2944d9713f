//! The periodic rescan (API.md section 6): every `scheduler.interval_minutes` while
//! `scheduler.enabled`, the library is scanned and the episode lists are refreshed from the
//! catalogue: the series the site's new-episodes page names, and every series once per
//! `provider.full_refresh_hours` (`library/feed.rs`). Configuration changes apply at once
//! (the scheduler watches the configuration), and time comes from the [`Clock`] port, so
//! tests move a manual clock instead of waiting.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::library::{LibraryError, LibraryService};
use crate::domain::config::Settings;
use crate::lock::MutexRecover;
use crate::ports::Clock;

/// The running scheduler.
pub struct Scheduler {
    library: LibraryService,
    clock: Arc<dyn Clock>,
    config: watch::Receiver<Arc<Settings>>,
    stop: CancellationToken,
    /// The loop; awaited on shutdown, so no task holds the library's ports afterwards.
    task: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Scheduler {
    /// Starts the scheduler; the first scheduled run is one interval from now.
    pub fn start(
        library: LibraryService,
        clock: Arc<dyn Clock>,
        config: watch::Receiver<Arc<Settings>>,
    ) -> Self {
        let stop = CancellationToken::new();
        // Taken before spawning, so a clock moved right after start counts from here.
        let started = clock.now();
        let run = Loop {
            library: library.clone(),
            clock: clock.clone(),
            config: config.clone(),
            stop: stop.clone(),
        };
        let task = tokio::spawn(run.run(started));
        Self {
            library,
            clock,
            config,
            stop,
            task: std::sync::Mutex::new(Some(task)),
        }
    }

    /// Starts the scheduled job now (disk, then the catalogue as a scheduled run asks it),
    /// in the background; `Ok(false)` when a library job is running already.
    ///
    /// # Errors
    /// [`LibraryError::NoDirectory`].
    pub fn trigger_rescan(&self) -> Result<bool, LibraryError> {
        let full_every = full_refresh_every(&self.config.borrow());
        self.library.start_scheduled(self.clock.now(), full_every)
    }

    /// Stops the periodic rescans and waits until the loop has ended (a scheduled job that
    /// is running finishes first).
    pub async fn stop(&self) {
        self.stop.cancel();
        let task = self.task.lock_or_recover().take();
        if let Some(task) = task
            && let Err(e) = task.await
        {
            tracing::error!(error = %e, "scheduler loop failed");
        }
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// How often every series is refreshed (`provider.full_refresh_hours`).
fn full_refresh_every(config: &Settings) -> Duration {
    Duration::hours(i64::from(config.provider.full_refresh_hours.max(1)))
}

struct Loop {
    library: LibraryService,
    clock: Arc<dyn Clock>,
    config: watch::Receiver<Arc<Settings>>,
    stop: CancellationToken,
}

impl Loop {
    async fn run(mut self, started: DateTime<Utc>) {
        let mut last_run = started;
        let mut was_enabled = true;
        loop {
            let settings = self.config.borrow_and_update().scheduler.clone();
            if settings.enabled && !was_enabled {
                // Switched back on: count the interval from now, not from long ago.
                last_run = self.clock.now();
            }
            was_enabled = settings.enabled;
            let due = last_run + Duration::minutes(i64::from(settings.interval_minutes.max(1)));
            let config = &mut self.config;
            let changed = async {
                if config.changed().await.is_err() {
                    // The configuration can no longer change: keep the settings in force.
                    std::future::pending::<()>().await;
                }
            };
            let timer = async {
                if settings.enabled {
                    self.clock.sleep_until(due).await;
                } else {
                    std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                // Stopping wins over a run that is due at the same moment.
                biased;
                () = self.stop.cancelled() => return,
                () = changed => continue,
                () = timer => {}
            }
            // Intervals count from the start of a run, so the rhythm does not drift by the
            // length of the job.
            last_run = self.clock.now();
            self.run_once().await;
        }
    }

    /// The library's job; automatic downloads follow from it through the library's
    /// missing-episodes hook, as they do for every library job.
    async fn run_once(&self) {
        let full_every = full_refresh_every(&self.config.borrow());
        match self
            .library
            .run_scheduled(self.clock.now(), full_every)
            .await
        {
            None => tracing::info!("scheduled rescan skipped: a library job is running"),
            Some(Err(e)) => tracing::warn!(error = %e, "scheduled rescan failed"),
            Some(Ok(summary)) => tracing::info!(?summary, "scheduled rescan done"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::clock::ManualClock;
    use crate::app::library::tests::fixture;
    use crate::domain::event::EventKind;
    use crate::ports::events::{Next, Subscription};

    fn config(enabled: bool, interval_minutes: u32) -> Arc<Settings> {
        let mut c = Settings::default();
        c.scheduler.enabled = enabled;
        c.scheduler.interval_minutes = interval_minutes;
        Arc::new(c)
    }

    /// Waits (with a deadline) for the next completed scan.
    async fn scan_completes(events: &mut Box<dyn Subscription>) {
        let wait = async {
            loop {
                let Next::Event(event) = events.next().await else {
                    panic!("the bus ended or the test fell behind it");
                };
                if let EventKind::ScanComplete { .. } = event.kind {
                    return;
                }
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(5), wait)
            .await
            .expect("no scan completed");
    }

    /// Lets the scheduler task run, then checks that no scan completed.
    async fn no_scan_completes(events: &mut Box<dyn Subscription>) {
        for _ in 0..50 {
            tokio::task::yield_now().await;
        }
        while let Some(Next::Event(e)) = events.try_next() {
            assert!(
                !matches!(e.kind, EventKind::ScanComplete { .. }),
                "unexpected scan"
            );
        }
    }

    #[tokio::test]
    async fn the_library_is_rescanned_each_interval_and_config_changes_apply_at_once() {
        let mut f = fixture().await;
        let clock = Arc::new(ManualClock::new(Utc::now()));
        let (settings, watched) = watch::channel(config(true, 60));
        let _scheduler = Scheduler::start(f.library.clone(), clock.clone(), watched);

        clock.advance(Duration::minutes(59));
        no_scan_completes(&mut f.events).await;
        clock.advance(Duration::minutes(1));
        scan_completes(&mut f.events).await;

        // A shorter interval counts from the last run.
        settings.send_replace(config(true, 10));
        clock.advance(Duration::minutes(10));
        scan_completes(&mut f.events).await;

        settings.send_replace(config(false, 10));
        clock.advance(Duration::minutes(30));
        no_scan_completes(&mut f.events).await;
    }

    #[tokio::test]
    async fn a_stopped_scheduler_runs_no_more_scans() {
        let mut f = fixture().await;
        let clock = Arc::new(ManualClock::new(Utc::now()));
        let (_settings, watched) = watch::channel(config(true, 5));
        let scheduler = Scheduler::start(f.library.clone(), clock.clone(), watched);
        scheduler.stop().await;
        clock.advance(Duration::minutes(5));
        no_scan_completes(&mut f.events).await;
        assert!(scheduler.trigger_rescan().unwrap());
        scan_completes(&mut f.events).await;
    }
}
