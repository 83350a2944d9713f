//! How hard each hoster, and each catalogue site's play links, are asked (PROVIDER.md,
//! "Manners"): a configurable pause between two resolves on one hoster (or site), and after a
//! browser challenge a rest for it, growing with each challenge in a row while the others
//! carry on: for hosters 1, 2, 4 … minutes, at most 30 ([`Pacing::default`]); for s.to's play
//! links 30, then 60 minutes ([`Pacing::for_sites`]). A resolve that gets through ends the
//! rest's growth.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::lock::MutexRecover;
use tokio::time::Instant;

/// A hoster's first rest after a challenge.
const FIRST_REST: Duration = Duration::from_secs(60);
/// A hoster's longest rest.
const LONGEST_REST: Duration = Duration::from_secs(30 * 60);
/// A site's first rest after a challenge of its play links (PROVIDER.md: 30 to 60 minutes).
const SITE_FIRST_REST: Duration = Duration::from_secs(30 * 60);
/// A site's longest rest.
const SITE_LONGEST_REST: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Default)]
struct HosterState {
    /// The earliest time the next resolve may start.
    next_slot: Option<Instant>,
    /// Resting after a challenge until then.
    rest_until: Option<Instant>,
    /// Challenges in a row.
    strikes: u32,
}

/// The pacing of every hoster (or site); shared by all workers.
#[derive(Debug)]
pub struct Pacing {
    pause_ms: AtomicU64,
    hosters: Mutex<HashMap<String, HosterState>>,
    first_rest: Duration,
    longest_rest: Duration,
}

impl Default for Pacing {
    /// The hosters' pacing: no pause until one is set, rests from a minute up to half an hour.
    fn default() -> Self {
        Self::with_rests(FIRST_REST, LONGEST_REST)
    }
}

impl Pacing {
    /// The sites' pacing of their play links: rests of 30, then 60 minutes.
    pub fn for_sites() -> Self {
        Self::with_rests(SITE_FIRST_REST, SITE_LONGEST_REST)
    }

    fn with_rests(first_rest: Duration, longest_rest: Duration) -> Self {
        Self {
            pause_ms: AtomicU64::new(0),
            hosters: Mutex::new(HashMap::new()),
            first_rest,
            longest_rest,
        }
    }

    /// Sets the pause between two resolves on one hoster (applies from the next resolve).
    pub fn set_pause(&self, pause: Duration) {
        let ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX);
        self.pause_ms.store(ms, Ordering::Relaxed);
    }

    fn state(&self) -> std::sync::MutexGuard<'_, HashMap<String, HosterState>> {
        self.hosters.lock_or_recover()
    }

    /// How long the hoster still rests after a challenge, if it does.
    pub fn resting(&self, hoster: &str) -> Option<Duration> {
        let now = Instant::now();
        let state = self.state();
        let until = state.get(&key(hoster))?.rest_until?;
        (until > now).then(|| until - now)
    }

    /// Waits for the hoster's next free slot and takes it: two resolves on one hoster are at
    /// least the configured pause apart, even from different workers.
    pub async fn wait_turn(&self, hoster: &str) {
        let pause = Duration::from_millis(self.pause_ms.load(Ordering::Relaxed));
        if pause.is_zero() {
            return;
        }
        let slot = {
            let now = Instant::now();
            let mut state = self.state();
            let entry = state.entry(key(hoster)).or_default();
            let slot = entry.next_slot.filter(|s| *s > now).unwrap_or(now);
            entry.next_slot = Some(slot + pause);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    /// Records how a resolve on the hoster went: a challenge sends it to rest (longer with
    /// each one in a row), anything else that reached the hoster ends the series.
    pub fn record(&self, hoster: &str, challenged: bool) {
        let mut state = self.state();
        let entry = state.entry(key(hoster)).or_default();
        if challenged {
            entry.strikes += 1;
            let rest = rest_after(entry.strikes, self.first_rest, self.longest_rest);
            entry.rest_until = Some(Instant::now() + rest);
        } else {
            entry.strikes = 0;
            entry.rest_until = None;
        }
    }
}

fn key(hoster: &str) -> String {
    hoster.trim().to_ascii_lowercase()
}

/// The rest after `strikes` challenges in a row: `first`, doubled with each, at most
/// `longest`.
fn rest_after(strikes: u32, first: Duration, longest: Duration) -> Duration {
    let doubled = first.saturating_mul(1u32 << strikes.saturating_sub(1).min(10));
    doubled.min(longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rests_double_from_a_minute_up_to_half_an_hour() {
        let minutes: Vec<u64> = [1, 2, 3, 6, 20]
            .map(|n| rest_after(n, FIRST_REST, LONGEST_REST).as_secs() / 60)
            .into();
        assert_eq!(minutes, [1, 2, 4, 30, 30]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_challenged_site_rests_half_an_hour_then_an_hour() {
        let sites = Pacing::for_sites();
        sites.record("s.to", true);
        assert_eq!(sites.resting("s.to"), Some(Duration::from_secs(30 * 60)));
        sites.record("s.to", true);
        sites.record("s.to", true);
        assert_eq!(sites.resting("s.to"), Some(Duration::from_secs(60 * 60)));
        assert_eq!(sites.resting("aniworld.to"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_challenged_hoster_rests_and_a_success_ends_it() {
        let pacing = Pacing::default();
        assert_eq!(pacing.resting("VOE"), None);
        pacing.record("VOE", true);
        assert_eq!(
            pacing.resting("voe"),
            Some(FIRST_REST),
            "names match whatever the case"
        );
        assert_eq!(pacing.resting("Vidoza"), None, "the others carry on");
        tokio::time::advance(FIRST_REST).await;
        assert_eq!(pacing.resting("VOE"), None);
        pacing.record("VOE", true);
        assert_eq!(
            pacing.resting("VOE"),
            Some(FIRST_REST * 2),
            "a second challenge in a row"
        );
        pacing.record("VOE", false);
        assert_eq!(pacing.resting("VOE"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn resolves_on_one_hoster_are_the_pause_apart_and_other_hosters_do_not_wait() {
        let pacing = Pacing::default();
        pacing.set_pause(Duration::from_secs(3));
        let start = Instant::now();
        pacing.wait_turn("VOE").await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        pacing.wait_turn("VOE").await;
        pacing.wait_turn("VOE").await;
        assert_eq!(start.elapsed(), Duration::from_secs(6));
        let before = Instant::now();
        pacing.wait_turn("Vidoza").await;
        assert_eq!(before.elapsed(), Duration::ZERO);
    }
}
