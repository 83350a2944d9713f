//! The bandwidth limit shared by every transfer and every HLS segment: one token bucket of
//! bytes, changeable while transfers run.
//!
//! A reader takes the bytes it has just received from the bucket and sleeps off any debt
//! before reading more, so the network reads (and through TCP back-pressure, the sender) are
//! paced. Taking into debt instead of waiting for tokens to be there first keeps the
//! arithmetic to one subtraction and lets readers of any chunk size share the bucket fairly:
//! whoever takes later waits for everyone's debt before it. A changed limit wakes the
//! sleepers, so lifting a low limit does not leave them sleeping off a debt priced at it.

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::sync::futures::Notified;
use tokio::time::Instant;

use crate::lock::MutexRecover;

/// The shortest burst the bucket allows, so a slow limit still reads in useful chunks.
const MIN_BURST: f64 = 16.0 * 1024.0;

/// A token bucket of bytes: `rate` bytes a second, at most `burst` saved up.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    rate: f64,
    burst: f64,
    /// Bytes that may be read now; negative while readers are in debt.
    tokens: f64,
    last: Instant,
}

impl Bucket {
    /// A full bucket for `bytes_per_second` (at least 1); a quarter second of reading may
    /// come in one burst.
    pub fn new(bytes_per_second: u64, now: Instant) -> Self {
        let rate = bytes_per_second.max(1) as f64;
        let burst = (rate / 4.0).max(MIN_BURST);
        Self {
            rate,
            burst,
            tokens: burst,
            last: now,
        }
    }

    /// Takes `bytes` at `now` and tells how long the taker must wait before reading on.
    pub fn take(&mut self, bytes: u64, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = self.last.max(now);
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.tokens -= bytes as f64;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }

    /// Changes the rate, keeping what was saved or owed (capped to the new burst).
    pub fn set_rate(&mut self, bytes_per_second: u64, now: Instant) {
        let _ = self.take(0, now);
        let fresh = Self::new(bytes_per_second, now);
        self.rate = fresh.rate;
        self.burst = fresh.burst;
        self.tokens = self.tokens.min(self.burst);
    }
}

/// The one limit all transfers of a fetcher share; `None` inside means unlimited.
#[derive(Debug, Default)]
pub struct BandwidthLimit {
    // A std mutex: it is held for a few arithmetic operations, never across an `.await`.
    bucket: Mutex<Option<Bucket>>,
    changed: Notify,
}

impl BandwidthLimit {
    /// Sets the limit in KiB per second; `None` or 0 lifts it. Applies to reads from now on.
    pub fn set(&self, kib_per_second: Option<u64>) {
        let mut bucket = self.bucket.lock_or_recover();
        let now = Instant::now();
        match kib_per_second.filter(|&k| k > 0) {
            None => *bucket = None,
            Some(kib) => {
                let rate = kib.saturating_mul(1024);
                match bucket.as_mut() {
                    Some(b) => b.set_rate(rate, now),
                    None => *bucket = Some(Bucket::new(rate, now)),
                }
            }
        }
        self.changed.notify_waiters();
    }

    /// Completes when the limit is next changed (call it before sleeping).
    pub fn changed(&self) -> Notified<'_> {
        self.changed.notified()
    }

    /// How long to wait after reading `bytes` (zero when unlimited).
    pub fn take(&self, bytes: u64) -> Duration {
        let mut bucket = self.bucket.lock_or_recover();
        bucket
            .as_mut()
            .map_or(Duration::ZERO, |b| b.take(bytes, Instant::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIB: u64 = 1024;

    #[test]
    fn a_full_bucket_lets_a_burst_of_a_quarter_second_through_without_waiting() {
        let now = Instant::now();
        let mut bucket = Bucket::new(400 * KIB, now);
        assert_eq!(bucket.take(100 * KIB, now), Duration::ZERO);
        assert!(bucket.take(1, now) > Duration::ZERO);
    }

    #[test]
    fn bytes_past_the_burst_cost_their_time_at_the_rate() {
        let now = Instant::now();
        let mut bucket = Bucket::new(100 * KIB, now);
        let _ = bucket.take(25 * KIB, now);
        let wait = bucket.take(50 * KIB, now);
        assert!((wait.as_secs_f64() - 0.5).abs() < 1e-6, "{wait:?}");
    }

    #[test]
    fn readers_in_debt_queue_behind_each_other() {
        let now = Instant::now();
        let mut bucket = Bucket::new(100 * KIB, now);
        let _ = bucket.take(25 * KIB, now);
        let first = bucket.take(100 * KIB, now);
        let second = bucket.take(100 * KIB, now);
        assert!((first.as_secs_f64() - 1.0).abs() < 1e-6, "{first:?}");
        assert!((second.as_secs_f64() - 2.0).abs() < 1e-6, "{second:?}");
    }

    #[test]
    fn time_passing_pays_off_debt_and_refills_up_to_the_burst_only() {
        let now = Instant::now();
        let mut bucket = Bucket::new(100 * KIB, now);
        let _ = bucket.take(125 * KIB, now);
        let later = now + Duration::from_secs(1);
        assert_eq!(bucket.take(0, later), Duration::ZERO);
        let much_later = later + Duration::from_secs(60);
        assert_eq!(bucket.take(25 * KIB, much_later), Duration::ZERO);
        assert!(bucket.take(KIB, much_later) > Duration::ZERO);
    }

    #[test]
    fn a_slow_limit_still_allows_the_minimum_burst() {
        let now = Instant::now();
        let mut bucket = Bucket::new(KIB, now);
        assert_eq!(bucket.take(16 * KIB, now), Duration::ZERO);
        let wait = bucket.take(KIB, now);
        assert!((wait.as_secs_f64() - 1.0).abs() < 1e-6, "{wait:?}");
    }

    #[test]
    fn a_new_rate_keeps_the_debt_and_prices_it_at_the_new_rate() {
        let now = Instant::now();
        let mut bucket = Bucket::new(100 * KIB, now);
        let _ = bucket.take(125 * KIB, now);
        bucket.set_rate(50 * KIB, now);
        let wait = bucket.take(0, now);
        assert!((wait.as_secs_f64() - 2.0).abs() < 1e-6, "{wait:?}");
    }

    #[test]
    fn no_limit_never_waits_and_a_limit_applies_once_set() {
        let limit = BandwidthLimit::default();
        assert_eq!(limit.take(u64::MAX / 2), Duration::ZERO);
        limit.set(Some(1));
        let _ = limit.take(16 * KIB);
        assert!(limit.take(KIB) > Duration::from_millis(900));
        limit.set(Some(0));
        assert_eq!(limit.take(u64::MAX / 2), Duration::ZERO);
    }
}
