//! The languages each episode is offered in, as its episode page lists them, kept for the
//! catalogue's cache lifetime (`provider.cache_minutes`): a Torznab search of a season reads
//! every episode page of it once, and Sonarr asks the same search again soon after.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::domain::catalogue::Language;
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;
use crate::lock::MutexRecover;

/// Most episodes kept; past it the oldest half goes.
const CAPACITY: usize = 8192;

type Entry = (DateTime<Utc>, Vec<Language>);

#[derive(Default)]
pub(super) struct LanguageCache {
    kept: Mutex<HashMap<(SeriesKey, EpisodeId), Entry>>,
}

impl LanguageCache {
    /// The languages of an episode read less than `ttl` before `now`.
    pub(super) fn get(
        &self,
        key: &SeriesKey,
        id: EpisodeId,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> Option<Vec<Language>> {
        let kept = self.kept.lock_or_recover();
        let (at, languages) = kept.get(&(key.clone(), id))?;
        (now - *at < ttl).then(|| languages.clone())
    }

    pub(super) fn put(
        &self,
        key: SeriesKey,
        id: EpisodeId,
        now: DateTime<Utc>,
        languages: Vec<Language>,
    ) {
        let mut kept = self.kept.lock_or_recover();
        if kept.len() >= CAPACITY {
            let mut ages: Vec<DateTime<Utc>> = kept.values().map(|(at, _)| *at).collect();
            ages.sort_unstable();
            let cut = ages[ages.len() / 2];
            kept.retain(|_, (at, _)| *at > cut);
        }
        kept.insert((key, id), (now, languages));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_lives_as_long_as_the_cache_lifetime_and_the_oldest_half_makes_room() {
        let cache = LanguageCache::default();
        let key = SeriesKey::parse("dr-stone").unwrap();
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        let ttl = Duration::minutes(10);
        cache.put(
            key.clone(),
            EpisodeId::new(1, 1),
            t0,
            vec![Language::GermanDub],
        );
        let later = t0 + Duration::minutes(9);
        assert_eq!(
            cache.get(&key, EpisodeId::new(1, 1), later, ttl),
            Some(vec![Language::GermanDub])
        );
        assert_eq!(cache.get(&key, EpisodeId::new(1, 1), t0 + ttl, ttl), None);
        for n in 0..CAPACITY as u32 + 1 {
            let at = t0 + Duration::seconds(i64::from(n));
            cache.put(key.clone(), EpisodeId::new(2, n), at, vec![]);
        }
        let kept = cache.kept.lock_or_recover().len();
        assert!(kept <= CAPACITY / 2 + 2, "{kept}");
        let newest = t0 + Duration::seconds(i64::from(CAPACITY as u32));
        assert!(
            cache
                .get(&key, EpisodeId::new(2, CAPACITY as u32), newest, ttl)
                .is_some()
        );
    }
}
