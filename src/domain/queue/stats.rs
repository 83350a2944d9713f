//! Numbers about downloads: an item's progress, throughput over a sliding window, and the
//! statistics of the whole queue (API.md section 4, `statistics`).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::{QueueItem, Status};

/// Bytes in a MiB: the API's "MB" (`downloaded_mb`, `speed_mbps`).
const MIB: f64 = 1024.0 * 1024.0;

/// Bytes as MiB, the API's "MB".
pub fn mib(bytes: f64) -> f64 {
    bytes / MIB
}

/// How far one item's transfer is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// 0 to 100.
    pub percent: f64,
    pub downloaded_bytes: u64,
    /// The file's size where known (HLS: extrapolated from the segments so far).
    pub total_bytes: Option<u64>,
    /// Over the last few seconds.
    pub bytes_per_second: f64,
    pub eta_seconds: Option<u64>,
}

impl Progress {
    /// Progress from bytes so far, the (estimated) total, the fraction done and the speed.
    pub fn new(downloaded: u64, total: Option<u64>, fraction: f64, bytes_per_second: f64) -> Self {
        let fraction = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let eta_seconds = match total {
            Some(total) if bytes_per_second > 0.0 => {
                Some((total.saturating_sub(downloaded) as f64 / bytes_per_second).ceil() as u64)
            }
            Some(total) if total <= downloaded => Some(0),
            _ => None,
        };
        Self {
            percent: (fraction * 1000.0).round() / 10.0,
            downloaded_bytes: downloaded,
            total_bytes: total,
            bytes_per_second,
            eta_seconds,
        }
    }

    /// The transfer is done: 100 %, nothing left.
    pub(super) fn finish(&mut self) {
        self.percent = 100.0;
        self.total_bytes = Some(self.downloaded_bytes);
        self.bytes_per_second = 0.0;
        self.eta_seconds = Some(0);
    }

    /// The transfer stopped for now: no speed, no ETA.
    pub(super) fn stalled(&mut self) {
        self.bytes_per_second = 0.0;
        self.eta_seconds = None;
    }
}

/// Bytes per second over a sliding window of samples.
#[derive(Debug, Clone)]
pub struct Throughput {
    window_ms: u64,
    /// (milliseconds since some start, bytes transferred so far), oldest first.
    samples: VecDeque<(u64, u64)>,
}

impl Throughput {
    /// A window of `window_ms` milliseconds.
    pub fn new(window_ms: u64) -> Self {
        Self {
            window_ms: window_ms.max(1),
            samples: VecDeque::new(),
        }
    }

    /// Records that `bytes` were transferred by `at_ms`.
    pub fn record(&mut self, at_ms: u64, bytes: u64) {
        self.samples.push_back((at_ms, bytes));
        // Samples older than the window go, but two are always kept to measure between.
        while self.samples.len() > 2 && at_ms.saturating_sub(self.samples[0].0) > self.window_ms {
            self.samples.pop_front();
        }
    }

    /// Bytes per second over the window; 0 until two samples lie apart in time.
    pub fn bytes_per_second(&self) -> f64 {
        match (self.samples.front(), self.samples.back()) {
            (Some(&(t0, b0)), Some(&(t1, b1))) if t1 > t0 => {
                b1.saturating_sub(b0) as f64 * 1000.0 / (t1 - t0) as f64
            }
            _ => 0.0,
        }
    }
}

/// The queue's numbers, computed from its items.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueStatistics {
    pub total_items: usize,
    pub pending_count: usize,
    pub active_count: usize,
    pub completed_count: usize,
    pub failed_count: usize,
    /// Bytes downloaded: completed files and the parts of unfinished ones.
    pub downloaded_bytes: u64,
    /// Bytes per second: the transfers running now together, else the average of past ones.
    pub bytes_per_second: f64,
    /// Seconds until the remaining work is done at that speed; `None` when it cannot be told.
    pub eta_seconds: Option<u64>,
}

impl QueueStatistics {
    /// The statistics of these items.
    pub fn of<'a>(items: impl IntoIterator<Item = &'a QueueItem>) -> Self {
        let mut s = Self {
            total_items: 0,
            pending_count: 0,
            active_count: 0,
            completed_count: 0,
            failed_count: 0,
            downloaded_bytes: 0,
            bytes_per_second: 0.0,
            eta_seconds: None,
        };
        let (mut live_speed, mut timed_bytes, mut timed_ms) = (0.0, 0u64, 0u64);
        let (mut sized, mut sized_bytes) = (0u64, 0u64);
        let (mut remaining, mut unsized_pending) = (0u64, 0u64);
        for item in items {
            s.total_items += 1;
            let progress = item.progress();
            let done = progress.map_or(0, |p| p.downloaded_bytes);
            s.downloaded_bytes += done;
            if item.transfer_ms() > 0 {
                timed_bytes += done;
                timed_ms += item.transfer_ms();
            }
            match item.status() {
                Status::Pending => s.pending_count += 1,
                Status::Downloading => s.active_count += 1,
                Status::Completed => s.completed_count += 1,
                Status::Failed => s.failed_count += 1,
                Status::Cancelled => {}
            }
            if item.status() == Status::Completed {
                sized += 1;
                sized_bytes += done;
                continue;
            }
            if !item.status().is_queued() {
                continue;
            }
            if item.status() == Status::Downloading {
                live_speed += progress.map_or(0.0, |p| p.bytes_per_second);
            }
            match progress.and_then(|p| p.total_bytes) {
                Some(total) => remaining += total.saturating_sub(done),
                None => unsized_pending += 1,
            }
        }
        s.bytes_per_second = if live_speed > 0.0 {
            live_speed
        } else if timed_ms > 0 {
            timed_bytes as f64 * 1000.0 / timed_ms as f64
        } else {
            0.0
        };
        // Items of unknown size are guessed at the average size of the finished ones.
        let guessable = unsized_pending == 0 || sized > 0;
        if s.bytes_per_second > 0.0 && guessable {
            let guessed = unsized_pending * sized_bytes.checked_div(sized).unwrap_or(0);
            let left = (remaining + guessed) as f64;
            s.eta_seconds = Some((left / s.bytes_per_second).ceil() as u64);
        } else if remaining == 0 && unsized_pending == 0 {
            s.eta_seconds = Some(0);
        }
        s
    }
}
