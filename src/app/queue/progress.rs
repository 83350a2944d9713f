//! A transfer's progress as item progress: speed over a sliding window, the item's progress
//! kept in memory, `download_progress` events at most about four times a second, and the
//! transfer's resume checkpoints written to the store by a small task of their own.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::{QueueService, download_ref};
use crate::domain::event::EventKind;
use crate::domain::queue::{ItemId, Partial, Progress, QueueItem, Throughput, mib};
use crate::lock::MutexRecover;
use crate::ports::media::{ProgressSink, TransferProgress};

/// The least time between two progress events of one item.
const EVENT_EVERY: Duration = Duration::from_millis(250);
/// Speed is measured over this window.
const SPEED_WINDOW_MS: u64 = 5_000;

struct Tracker {
    started: Instant,
    last_event: Option<Instant>,
    throughput: Throughput,
}

/// The newest progress of a transfer not yet put on its item, and the transfer time in all.
type Latest = Arc<Mutex<Option<(Progress, u64)>>>;

/// Watches one transfer: the sink to give the fetcher, and the task that stores checkpoints.
pub(super) struct Watch {
    pub sink: ProgressSink,
    stop: CancellationToken,
    checkpoints: tokio::task::JoinHandle<()>,
    queue: QueueService,
    id: ItemId,
    latest: Latest,
}

impl Watch {
    /// Stops storing checkpoints, waits for a write in progress and puts the last progress
    /// on the item.
    pub async fn end(self) {
        self.stop.cancel();
        if let Err(e) = self.checkpoints.await {
            tracing::error!(error = %e, "the checkpoint task failed");
        }
        let ops = self.queue.ops().await;
        self.queue.put_progress(&ops, self.id, &self.latest);
    }
}

impl QueueService {
    /// Puts the newest progress on a downloading item (the caller may change the queue).
    fn put_progress(&self, _ops: &super::Ops<'_>, id: ItemId, latest: &Latest) {
        let Some((progress, transfer_ms)) = latest.lock_or_recover().take() else {
            return;
        };
        if let Some(item) = self.state().items.get_mut(&id)
            && let Err(e) = item.record_progress(progress, transfer_ms)
        {
            tracing::trace!(item = %id, error = %e, "progress after the transfer ended");
        }
    }

    /// Starts watching a transfer of `item`.
    pub(super) fn watch_transfer(&self, item: &QueueItem) -> Watch {
        let (tx, mut rx) = watch::channel::<Option<Partial>>(None);
        let stop = CancellationToken::new();
        let this = self.clone();
        let id = item.id();
        let stopped = stop.clone();
        let checkpoints = tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = stopped.cancelled() => return,
                    changed = rx.changed() => if changed.is_err() { return },
                }
                let at = *rx.borrow_and_update();
                if !this.record_checkpoint(id, at).await {
                    return;
                }
            }
        });
        let latest = Latest::default();
        let sink = self.progress_sink(item, tx, latest.clone());
        Watch {
            sink,
            stop,
            checkpoints,
            queue: self.clone(),
            id,
            latest,
        }
    }

    fn progress_sink(
        &self,
        item: &QueueItem,
        checkpoints: watch::Sender<Option<Partial>>,
        latest: Latest,
    ) -> ProgressSink {
        let this = self.clone();
        let id = item.id();
        let item_ref = download_ref(item);
        let earlier_ms = item.transfer_ms();
        let tracker = Mutex::new(Tracker {
            started: Instant::now(),
            last_event: None,
            throughput: Throughput::new(SPEED_WINDOW_MS),
        });
        Arc::new(move |p: TransferProgress| {
            let mut t = tracker.lock_or_recover();
            let elapsed = t.started.elapsed().as_millis() as u64;
            t.throughput.record(elapsed, p.bytes);
            let progress = Progress::new(
                p.bytes,
                p.total_bytes,
                p.fraction,
                t.throughput.bytes_per_second(),
            );
            *latest.lock_or_recover() = Some((progress, earlier_ms + elapsed));
            // Only between changes: a change under way would write its older copy of the
            // item over this; the newest progress waits for the next report or the end.
            if let Some(ops) = this.try_ops() {
                this.put_progress(&ops, id, &latest);
            }
            if let Some(at) = p.checkpoint {
                checkpoints.send_replace(Some(at));
            }
            let due = t
                .last_event
                .is_none_or(|last| last.elapsed() >= EVENT_EVERY);
            if due || p.fraction >= 1.0 {
                t.last_event = Some(Instant::now());
                this.publish(EventKind::DownloadProgress {
                    item: item_ref.clone(),
                    percent: progress.percent,
                    downloaded_mb: mib(progress.downloaded_bytes as f64),
                    total_mb: progress.total_bytes.map(|b| mib(b as f64)),
                    speed_mbps: mib(progress.bytes_per_second),
                    eta_seconds: progress.eta_seconds,
                });
            }
        })
    }
}
