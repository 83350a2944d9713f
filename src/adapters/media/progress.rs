//! When a transfer flushes its partial file and when it tells its progress: an fsync about
//! once a second or every 8 MiB (HLS: every few segments), never after every chunk, run
//! behind the transfer (the network does not wait for it); a report at most four times a
//! second, plus one right after each fsync is done (it carries the checkpoint) and one at
//! the end.

use std::time::Duration;

use tokio::time::Instant;

use crate::domain::queue::Partial;
use crate::ports::media::{ProgressSink, TransferProgress};

/// The shortest time between two reports without a checkpoint.
const REPORT_EVERY: Duration = Duration::from_millis(250);
/// The longest time written bytes stay unflushed.
const SYNC_EVERY: Duration = Duration::from_secs(1);
/// The most bytes written between two flushes.
const SYNC_BYTES: u64 = 8 * 1024 * 1024;
/// The most HLS segments written between two flushes.
const SYNC_SEGMENTS: u32 = 4;

/// The progress of one transfer: what is unflushed, and when it last reported.
pub struct Progress {
    sink: ProgressSink,
    last_report: Option<Instant>,
    last_sync: Instant,
    unsynced_bytes: u64,
    unsynced_segments: u32,
}

impl Progress {
    /// Progress told to `sink`; the partial file counts as flushed now.
    pub fn new(sink: ProgressSink) -> Self {
        Self {
            sink,
            last_report: None,
            last_sync: Instant::now(),
            unsynced_bytes: 0,
            unsynced_segments: 0,
        }
    }

    /// Counts bytes (and segments) written since the last flush; true when a flush is due.
    pub fn wrote(&mut self, bytes: u64, segments: u32) -> bool {
        self.unsynced_bytes += bytes;
        self.unsynced_segments += segments;
        let pending = self.unsynced_bytes > 0 || self.unsynced_segments > 0;
        pending
            && (self.unsynced_bytes >= SYNC_BYTES
                || self.unsynced_segments >= SYNC_SEGMENTS
                || self.last_sync.elapsed() >= SYNC_EVERY)
    }

    /// A flush of everything written so far has begun: the counts start anew.
    pub fn flushing(&mut self) {
        self.last_sync = Instant::now();
        self.unsynced_bytes = 0;
        self.unsynced_segments = 0;
    }

    /// Tells the sink that the file is flushed up to `checkpoint`.
    pub fn synced(&mut self, mut progress: TransferProgress, checkpoint: Partial) {
        progress.checkpoint = Some(checkpoint);
        self.tell(progress);
    }

    /// Tells the sink, unless it was told less than a quarter second ago.
    pub fn report(&mut self, progress: TransferProgress) {
        if self
            .last_report
            .is_none_or(|last| last.elapsed() >= REPORT_EVERY)
        {
            self.tell(progress);
        }
    }

    fn tell(&mut self, progress: TransferProgress) {
        self.last_report = Some(Instant::now());
        (self.sink)(progress);
    }
}

/// A direct file's progress: `bytes` of `total`.
pub fn direct(bytes: u64, total: Option<u64>) -> TransferProgress {
    let fraction = match total {
        Some(total) if total > 0 => (bytes as f64 / total as f64).min(1.0),
        _ => 0.0,
    };
    TransferProgress {
        bytes,
        total_bytes: total,
        fraction,
        checkpoint: None,
    }
}

/// An HLS transfer's progress: `done` of `total` segments in `bytes` bytes; the size is
/// extrapolated from the segments so far.
pub fn hls(bytes: u64, done: u32, total: u32) -> TransferProgress {
    let total_bytes = (done > 0).then(|| {
        let estimate = u128::from(bytes) * u128::from(total) / u128::from(done);
        u64::try_from(estimate).unwrap_or(u64::MAX)
    });
    TransferProgress {
        bytes,
        total_bytes,
        fraction: if total == 0 {
            0.0
        } else {
            f64::from(done) / f64::from(total)
        },
        checkpoint: None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    fn recorded() -> (Progress, Arc<Mutex<Vec<TransferProgress>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let progress = Progress::new(Arc::new(move |p| sink.lock().unwrap().push(p)));
        (progress, seen)
    }

    #[tokio::test(start_paused = true)]
    async fn reports_come_at_most_four_times_a_second_but_checkpoints_always() {
        let (mut progress, seen) = recorded();
        for bytes in 0..100 {
            progress.report(direct(bytes, Some(100)));
        }
        assert_eq!(seen.lock().unwrap().len(), 1);
        progress.synced(
            direct(100, Some(100)),
            Partial::Direct {
                bytes: 100,
                total: Some(100),
            },
        );
        assert_eq!(seen.lock().unwrap().len(), 2);
        tokio::time::advance(REPORT_EVERY).await;
        progress.report(direct(100, Some(100)));
        assert_eq!(seen.lock().unwrap().len(), 3);
        assert!(seen.lock().unwrap()[1].checkpoint.is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn a_flush_is_due_after_eight_mib_four_segments_or_a_second() {
        let (mut progress, seen) = recorded();
        assert!(!progress.wrote(SYNC_BYTES - 1, 0));
        assert!(progress.wrote(1, 0));
        progress.flushing();
        assert!(!progress.wrote(10, 3));
        assert!(progress.wrote(10, 1));
        progress.flushing();
        assert!(!progress.wrote(10, 0));
        // A flush that ends (its checkpoint told) does not count the bytes written since it
        // began as flushed.
        progress.synced(
            direct(20, None),
            Partial::Direct {
                bytes: 10,
                total: None,
            },
        );
        assert_eq!(seen.lock().unwrap().len(), 1);
        assert!(!progress.wrote(SYNC_BYTES - 20, 0));
        assert!(progress.wrote(10, 0));
        progress.flushing();
        tokio::time::advance(SYNC_EVERY).await;
        assert!(progress.wrote(10, 0));
    }

    #[test]
    fn hls_progress_extrapolates_the_size_from_the_segments_so_far() {
        let p = hls(3_000, 3, 10);
        assert_eq!(p.total_bytes, Some(10_000));
        assert!((p.fraction - 0.3).abs() < 1e-9);
        assert_eq!(hls(0, 0, 10).total_bytes, None);
        assert!((direct(50, Some(200)).fraction - 0.25).abs() < 1e-9);
    }
}
