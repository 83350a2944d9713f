//! The activity history (INTEGRATIONS.md section 6): a subscriber of the event bus keeps an
//! entry for each grab, download, failure, upgrade, removal and change of health, announces it
//! (`history_added`, to the `downloads` room), and deletes entries older than
//! `history.keep_days`; `GET /api/history` pages through them.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use tokio_util::sync::CancellationToken;

use crate::app::config::ConfigService;
use crate::domain::event::EventKind;
use crate::domain::history::{HistoryEntry, HistoryFilter};
use crate::lock::MutexRecover;
use crate::ports::events::Next;
use crate::ports::history::HistoryPage;
use crate::ports::{Clock, EventBus, HistoryStore, StoreError};

/// Most entries one page holds.
pub const MAX_PER_PAGE: u64 = 500;
/// Events the subscriber takes into one write at most.
const BATCH: usize = 512;
/// How often old entries are deleted.
const PRUNE_EVERY_HOURS: i64 = 6;

/// The subscriber task and the token that stops it.
type Subscriber = (CancellationToken, tokio::task::JoinHandle<()>);

/// The history's use cases; a cheap-to-clone handle.
#[derive(Clone)]
pub struct HistoryService {
    store: Arc<dyn HistoryStore>,
    events: Arc<dyn EventBus>,
    clock: Arc<dyn Clock>,
    config: Arc<ConfigService>,
    /// The subscriber task and what stops it.
    running: Arc<Mutex<Option<Subscriber>>>,
}

impl HistoryService {
    pub fn new(
        store: Arc<dyn HistoryStore>,
        events: Arc<dyn EventBus>,
        clock: Arc<dyn Clock>,
        config: Arc<ConfigService>,
    ) -> Self {
        Self {
            store,
            events,
            clock,
            config,
            running: Arc::new(Mutex::new(None)),
        }
    }

    /// Stops keeping entries and waits for the entry being written.
    pub async fn stop(&self) {
        let running = self.running.lock_or_recover().take();
        if let Some((stop, task)) = running {
            stop.cancel();
            let _ = task.await;
        }
    }

    /// Subscribes now (so nothing published after this call is missed) and keeps entries
    /// until [`HistoryService::stop`].
    pub fn start(&self) {
        let mut events = self.events.subscribe();
        let this = self.clone();
        let stop = CancellationToken::new();
        let stopped = stop.clone();
        let task = tokio::spawn(async move {
            let stop = stopped;
            this.prune().await;
            let mut pruned_at = this.clock.now();
            loop {
                let first = tokio::select! {
                    () = stop.cancelled() => return,
                    next = events.next() => next,
                };
                // What else is waiting goes into the same write, so a burst (thousands of
                // episodes queued at once) costs a few commits and the history keeps up.
                let batch = events.with_waiting(first, BATCH);
                let mut entries = Vec::new();
                let mut closed = false;
                for next in batch {
                    match next {
                        Next::Event(event) => entries.extend(HistoryEntry::of(&event)),
                        Next::Missed(n) => {
                            tracing::warn!(
                                missed = n,
                                "the history fell behind the events; some are not recorded"
                            );
                        }
                        Next::Closed => closed = true,
                    }
                }
                this.keep(entries).await;
                if closed {
                    return;
                }
                if this.clock.now() - pruned_at >= Duration::hours(PRUNE_EVERY_HOURS) {
                    this.prune().await;
                    pruned_at = this.clock.now();
                }
            }
        });
        *self.running.lock_or_recover() = Some((stop, task));
    }

    async fn keep(&self, entries: Vec<HistoryEntry>) {
        if entries.is_empty() {
            return;
        }
        match self.store.append(entries.clone()).await {
            Ok(()) => {
                for entry in entries {
                    self.events.publish(EventKind::HistoryAdded { entry });
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not keep history entries"),
        }
    }

    /// Deletes entries older than `history.keep_days`.
    async fn prune(&self) {
        let days = i64::from(self.config.current().history_keep_days);
        let before = self.clock.now() - Duration::days(days);
        match self.store.prune_history(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, days, "deleted old history entries"),
            Err(e) => tracing::warn!(error = %e, "could not delete old history entries"),
        }
    }

    /// One page (from 1) of `per_page` entries (1 to [`MAX_PER_PAGE`]), newest first.
    ///
    /// # Errors
    /// The store's.
    pub async fn page(
        &self,
        filter: HistoryFilter,
        page: u64,
        per_page: u64,
    ) -> Result<HistoryPage, StoreError> {
        let per_page = per_page.clamp(1, MAX_PER_PAGE);
        let offset = page.saturating_sub(1) * per_page;
        self.store.history(filter, offset, per_page).await
    }
}
