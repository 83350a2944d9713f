//! A small in-memory cache of parsed pages with a time to live, so a rescan of many series does
//! not fetch the same series or season page again within minutes.
//!
//! Hand-rolled on purpose: a `std` mutex around a map is all it takes at this size (a few
//! thousand entries at most), and the guard is never held across an `.await`. Expiry uses
//! tokio's clock so tests can move time with `tokio::time::pause()`.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::lock::MutexRecover;
use tokio::time::Instant;

/// Parsed pages by key, each valid for `ttl` after it was stored.
#[derive(Debug)]
pub struct PageCache<K, V> {
    /// Milliseconds; zero turns the cache off. Changeable while running.
    ttl_ms: AtomicU64,
    capacity: usize,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> PageCache<K, V> {
    /// A cache keeping entries for `ttl` (zero turns it off) and at most `capacity` of them.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        let cache = Self {
            ttl_ms: AtomicU64::new(0),
            capacity: capacity.max(1),
            entries: Mutex::new(HashMap::new()),
        };
        cache.set_ttl(ttl);
        cache
    }

    /// Changes how long entries live; zero turns the cache off and empties it.
    pub fn set_ttl(&self, ttl: Duration) {
        self.ttl_ms.store(
            u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        if ttl.is_zero() {
            self.entries.lock_or_recover().clear();
        }
    }

    fn ttl(&self) -> Duration {
        Duration::from_millis(self.ttl_ms.load(Ordering::Relaxed))
    }

    /// The value stored under `key`, unless it has expired.
    pub fn get(&self, key: &K) -> Option<V> {
        let ttl = self.ttl();
        if ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock_or_recover();
        entries
            .get(key)
            .filter(|(stored, _)| stored.elapsed() < ttl)
            .map(|(_, value)| value.clone())
    }

    /// Drops every entry whose key matches, e.g. the pages of a series the site says changed.
    pub fn forget(&self, matches: impl Fn(&K) -> bool) {
        let mut entries = self.entries.lock_or_recover();
        entries.retain(|k, _| !matches(k));
    }

    /// Stores `value` under `key`; when full, expired entries go first, then the oldest.
    pub fn insert(&self, key: K, value: V) {
        let ttl = self.ttl();
        if ttl.is_zero() {
            return;
        }
        // A panic elsewhere while holding the lock leaves a usable map: take it over.
        let mut entries = self.entries.lock_or_recover();
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.retain(|_, (stored, _)| stored.elapsed() < ttl);
            if entries.len() >= self.capacity {
                let oldest = entries
                    .iter()
                    .min_by_key(|(_, (stored, _))| *stored)
                    .map(|(k, _)| k.clone());
                if let Some(oldest) = oldest {
                    entries.remove(&oldest);
                }
            }
        }
        entries.insert(key, (Instant::now(), value));
    }

    /// How many entries are stored, expired ones included.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock_or_recover().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ttl_of_zero_set_while_running_empties_and_disables_the_cache() {
        let cache = PageCache::new(Duration::from_secs(60), 10);
        cache.insert(1, "page");
        assert_eq!(cache.get(&1), Some("page"));
        cache.set_ttl(Duration::ZERO);
        assert_eq!(cache.get(&1), None);
        cache.insert(2, "page");
        cache.set_ttl(Duration::from_secs(60));
        assert_eq!(cache.get(&2), None, "nothing was stored while off");
    }

    #[tokio::test(start_paused = true)]
    async fn an_entry_is_served_until_its_time_to_live_passes() {
        let cache = PageCache::new(Duration::from_secs(60), 10);
        cache.insert("a", 1);
        tokio::time::advance(Duration::from_secs(59)).await;
        assert_eq!(cache.get(&"a"), Some(1));
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(cache.get(&"a"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_zero_time_to_live_turns_the_cache_off() {
        let cache = PageCache::new(Duration::ZERO, 10);
        cache.insert("a", 1);
        assert_eq!((cache.get(&"a"), cache.len()), (None, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_cache_drops_the_oldest_entry() {
        let cache = PageCache::new(Duration::from_secs(60), 2);
        cache.insert("a", 1);
        tokio::time::advance(Duration::from_secs(1)).await;
        cache.insert("b", 2);
        cache.insert("c", 3);
        assert_eq!(cache.len(), 2);
        assert_eq!(
            (cache.get(&"a"), cache.get(&"b"), cache.get(&"c")),
            (None, Some(2), Some(3))
        );
    }
}
