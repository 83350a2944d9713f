//! The system clock, and a manual clock that tests move by hand.

use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::lock::MutexRecover;
use crate::ports::Clock;

/// Real time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    async fn sleep_until(&self, deadline: DateTime<Utc>) {
        // Sleep in slices of at most a minute, so a changed system time is noticed.
        loop {
            let left = deadline - Utc::now();
            if left <= chrono::Duration::zero() {
                return;
            }
            let slice = left
                .to_std()
                .unwrap_or_default()
                .min(std::time::Duration::from_secs(60));
            tokio::time::sleep(slice).await;
        }
    }
}

/// A clock that only moves when told to; sleepers wake as soon as it passes their deadline.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
    ticks: watch::Sender<DateTime<Utc>>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(start),
            ticks: watch::channel(start).0,
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: chrono::Duration) {
        let now = {
            let mut guard = self.now.lock_or_recover();
            *guard += by;
            *guard
        };
        self.ticks.send_replace(now);
    }
}

#[async_trait]
impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock_or_recover()
    }

    async fn sleep_until(&self, deadline: DateTime<Utc>) {
        let mut ticks = self.ticks.subscribe();
        // wait_for checks the current value first, so a deadline already passed returns at once.
        let _ = ticks.wait_for(|now| *now >= deadline).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn a_manual_sleeper_wakes_when_the_clock_passes_its_deadline() {
        let start = Utc::now();
        let clock = Arc::new(ManualClock::new(start));
        let c = clock.clone();
        let sleeper =
            tokio::spawn(async move { c.sleep_until(start + chrono::Duration::minutes(5)).await });
        clock.advance(chrono::Duration::minutes(4));
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished());
        clock.advance(chrono::Duration::minutes(1));
        sleeper.await.unwrap();
    }
}
