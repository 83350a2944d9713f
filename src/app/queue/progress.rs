//! A transfer's progress as item progress: speed over a sliding window, the item's progress
//! kept in memory, `download_progress` events at most about four times a second, and the
//! transfer's resume checkpoints written to the store by a small task of their own.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::{QueueService, download_ref};
use crate::domain::event::EventKind;
use crate::domain::queue::{Partial, Progress, QueueItem, Throughput, mib};
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

/// Watches one transfer: the sink to give the fetcher, and the task that stores checkpoints.
pub(super) struct Watch {
    pub sink: ProgressSink,
    stop: CancellationToken,
    checkpoints: tokio::task::JoinHandle<()>,
}

impl Watch {
    /// Stops storing checkpoints and waits for a write in progress.
    pub async fn end(self) {
        self.stop.cancel();
        let _ = self.checkpoints.await;
    }
}

impl QueueService {
    /// Starts watching a transfer of `item`.
    pub(super) fn watch_transfer(&self, item: &QueueItem) -> Watch {
        let (tx, mut rx) = watch::channel::<Option<Partial>>(None);
        let stop = CancellationToken::new();
        let this = self.clone();
        let id = item.id;
        let stopped = stop.clone();
        let checkpoints = tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = stopped.cancelled() => return,
                    changed = rx.changed() => if changed.is_err() { return },
                }
                let at = *rx.borrow_and_update();
                if let Err(e) = this.update(id, |i| i.partial = at).await {
                    tracing::warn!(error = %e, "could not store a download checkpoint");
                    // Going on would write bytes no checkpoint records.
                    this.halt(&e);
                    return;
                }
            }
        });
        let sink = self.progress_sink(item, tx);
        Watch {
            sink,
            stop,
            checkpoints,
        }
    }

    fn progress_sink(
        &self,
        item: &QueueItem,
        checkpoints: watch::Sender<Option<Partial>>,
    ) -> ProgressSink {
        let this = self.clone();
        let id = item.id;
        let item_ref = download_ref(item);
        let earlier_ms = item.transfer_ms;
        let tracker = Mutex::new(Tracker {
            started: Instant::now(),
            last_event: None,
            throughput: Throughput::new(SPEED_WINDOW_MS),
        });
        Arc::new(move |p: TransferProgress| {
            let mut t = tracker.lock().expect("progress tracker poisoned");
            let elapsed = t.started.elapsed().as_millis() as u64;
            t.throughput.record(elapsed, p.bytes);
            let progress = Progress::new(
                p.bytes,
                p.total_bytes,
                p.fraction,
                t.throughput.bytes_per_second(),
            );
            if let Some(item) = this.state().items.get_mut(&id) {
                item.progress = Some(progress);
                item.transfer_ms = earlier_ms + elapsed;
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
