//! When the library learnt of each episode the catalogue lists: the calendar's dates
//! (INTEGRATIONS.md section 4, `airDateUtc`, "when it was found"). The site's pages give no
//! air date per episode, so the honest date is when the library first saw one: the time of
//! the series' first listing for the episodes it held, and for an episode a later reading
//! found, that reading's time. Kept small (a series holds one time plus one entry per
//! reading that found new episodes), and absent for series stored before dates were kept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::episode::EpisodeId;
use crate::domain::episode_set::EpisodeSet;

/// When the library learnt of the episodes of one series.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundDates {
    /// When the catalogue's episode list was first read: the date of every episode in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    listed_at: Option<DateTime<Utc>>,
    /// Episodes new to the library in a later reading, one entry per reading, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    later: Vec<FoundLater>,
}

/// The episodes one reading of the catalogue found new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FoundLater {
    at: DateTime<Utc>,
    episodes: EpisodeSet,
}

impl FoundDates {
    /// Whether nothing is known (a series stored before dates were kept).
    pub fn is_empty(&self) -> bool {
        self.listed_at.is_none() && self.later.is_empty()
    }

    /// Notes a reading of the catalogue's episode list at `now`; `before` is the list known
    /// until then (`None`: this is the first). An episode keeps the date it was first found.
    pub fn note(&mut self, before: Option<&EpisodeSet>, listed: &EpisodeSet, now: DateTime<Utc>) {
        let Some(before) = before else {
            self.listed_at.get_or_insert(now);
            return;
        };
        let new: EpisodeSet = listed
            .difference(before)
            .filter(|e| !self.later.iter().any(|l| l.episodes.contains(e)))
            .collect();
        if !new.is_empty() {
            self.later.push(FoundLater {
                at: now,
                episodes: new,
            });
        }
    }

    /// When the library learnt of `episode`, one of the listed episodes: when a later reading
    /// found it, else the first listing's time; `None` when no date was kept.
    pub fn of(&self, episode: EpisodeId) -> Option<DateTime<Utc>> {
        self.later
            .iter()
            .find(|l| l.episodes.contains(&episode))
            .map(|l| l.at)
            .or(self.listed_at)
    }

    /// The `listed` episodes the library learnt of from `from` to `to` (both included), each
    /// with its date, in episode order.
    pub fn between(
        &self,
        listed: &EpisodeSet,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(EpisodeId, DateTime<Utc>)> {
        let within = |at: &DateTime<Utc>| from <= *at && *at <= to;
        let dated = |e: EpisodeId| self.of(e).filter(within).map(|at| (e, at));
        if self.listed_at.as_ref().is_some_and(within) {
            return listed.iter().filter_map(dated).collect();
        }
        // Only later readings can fall in the range: look at their episodes alone.
        let candidates: EpisodeSet = self
            .later
            .iter()
            .filter(|l| within(&l.at))
            .flat_map(|l| l.episodes.iter())
            .filter(|e| listed.contains(e))
            .collect();
        candidates.iter().filter_map(dated).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(i64::from(day) * 86_400, 0).unwrap()
    }

    fn set(episodes: &[(u32, u32)]) -> EpisodeSet {
        episodes
            .iter()
            .map(|&(s, e)| EpisodeId::new(s, e))
            .collect()
    }

    #[test]
    fn the_first_listing_dates_every_episode_and_later_readings_only_the_new_ones() {
        let mut found = FoundDates::default();
        let first = set(&[(1, 1), (1, 2)]);
        found.note(None, &first, at(1));
        let second = set(&[(1, 1), (1, 2), (1, 3)]);
        found.note(Some(&first), &second, at(5));
        found.note(Some(&second), &second, at(6));
        assert_eq!(found.of(EpisodeId::new(1, 1)), Some(at(1)));
        assert_eq!(found.of(EpisodeId::new(1, 3)), Some(at(5)));
        assert_eq!(
            found.later.len(),
            1,
            "a reading that found nothing new adds nothing"
        );
    }

    #[test]
    fn an_episode_that_went_and_came_back_keeps_the_date_it_was_first_found() {
        let mut found = FoundDates::default();
        let one = set(&[(1, 1)]);
        let two = set(&[(1, 1), (1, 2)]);
        found.note(None, &one, at(1));
        found.note(Some(&one), &two, at(2));
        found.note(Some(&two), &one, at(3));
        found.note(Some(&one), &two, at(4));
        assert_eq!(found.of(EpisodeId::new(1, 2)), Some(at(2)));
    }

    #[test]
    fn a_series_stored_before_dates_were_kept_dates_only_what_is_found_from_now_on() {
        let mut found = FoundDates::default();
        assert!(found.is_empty());
        let old = set(&[(1, 1)]);
        let new = set(&[(1, 1), (1, 2)]);
        found.note(Some(&old), &new, at(9));
        assert_eq!(found.of(EpisodeId::new(1, 1)), None);
        assert_eq!(found.of(EpisodeId::new(1, 2)), Some(at(9)));
    }

    #[test]
    fn between_lists_the_episodes_found_in_the_range_and_nothing_outside() {
        let mut found = FoundDates::default();
        let first = set(&[(1, 1), (1, 2)]);
        let now = set(&[(1, 1), (1, 2), (1, 3), (2, 1)]);
        found.note(None, &first, at(1));
        found.note(Some(&first), &now, at(5));
        assert_eq!(
            found.between(&now, at(1), at(1)),
            [(EpisodeId::new(1, 1), at(1)), (EpisodeId::new(1, 2), at(1))]
        );
        assert_eq!(
            found.between(&now, at(4), at(6)),
            [(EpisodeId::new(1, 3), at(5)), (EpisodeId::new(2, 1), at(5))]
        );
        assert_eq!(found.between(&now, at(0), at(9)).len(), 4);
        assert!(found.between(&now, at(2), at(4)).is_empty());
        let gone = set(&[(1, 1), (1, 2), (1, 3)]);
        assert_eq!(
            found.between(&gone, at(5), at(5)).len(),
            1,
            "only listed episodes"
        );
    }

    #[test]
    fn dates_are_stored_only_where_known() {
        assert_eq!(serde_json::to_string(&FoundDates::default()).unwrap(), "{}");
        let mut found = FoundDates::default();
        found.note(None, &set(&[(1, 1)]), at(1));
        let json = serde_json::to_string(&found).unwrap();
        assert_eq!(serde_json::from_str::<FoundDates>(&json).unwrap(), found);
    }
}
