//! A set of episodes held as runs of consecutive episode numbers per season.
//!
//! Every series in the library keeps two such sets for its whole life (the catalogue's
//! episodes and the ones on disk), and both are nearly always runs: episodes 1 to 51 of a
//! season are one run of 12 bytes where a `BTreeSet` took about a kilobyte. With 10,000
//! series that was the largest share of the library's memory. Reads and writes are binary
//! searches over the runs; the JSON form is the plain list of episodes, as a `BTreeSet`
//! wrote it, so stored records read back unchanged.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::episode::EpisodeId;

/// Episodes `first..=last` of `season`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    season: u32,
    first: u32,
    last: u32,
}

/// An ordered set of episodes (season, then episode).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpisodeSet {
    /// Ascending, not overlapping, and never two runs that touch (they are merged).
    runs: Vec<Run>,
}

impl EpisodeSet {
    /// The empty set.
    pub const fn new() -> Self {
        Self { runs: Vec::new() }
    }

    /// The index of the first run starting after `id`.
    fn after(&self, id: EpisodeId) -> usize {
        self.runs
            .partition_point(|r| (r.season, r.first) <= (id.season, id.episode))
    }

    /// The index of the run holding `id`.
    fn find(&self, id: EpisodeId) -> Option<usize> {
        let i = self.after(id).checked_sub(1)?;
        let r = self.runs[i];
        (r.season == id.season && id.episode <= r.last).then_some(i)
    }

    /// Whether `id` is in the set.
    pub fn contains(&self, id: &EpisodeId) -> bool {
        self.find(*id).is_some()
    }

    /// Adds `id`; false when it was there already.
    pub fn insert(&mut self, id: EpisodeId) -> bool {
        if self.contains(&id) {
            return false;
        }
        let i = self.after(id);
        let ends_before = i
            .checked_sub(1)
            .filter(|&p| {
                let r = self.runs[p];
                r.season == id.season && r.last.checked_add(1) == Some(id.episode)
            })
            .is_some();
        let starts_after = self
            .runs
            .get(i)
            .is_some_and(|r| r.season == id.season && id.episode.checked_add(1) == Some(r.first));
        match (ends_before, starts_after) {
            (true, true) => {
                self.runs[i - 1].last = self.runs[i].last;
                self.runs.remove(i);
            }
            (true, false) => self.runs[i - 1].last = id.episode,
            (false, true) => self.runs[i].first = id.episode,
            (false, false) => self.runs.insert(
                i,
                Run {
                    season: id.season,
                    first: id.episode,
                    last: id.episode,
                },
            ),
        }
        true
    }

    /// Takes `id` out; false when it was not there.
    pub fn remove(&mut self, id: &EpisodeId) -> bool {
        let Some(i) = self.find(*id) else {
            return false;
        };
        let r = self.runs[i];
        match (r.first == id.episode, r.last == id.episode) {
            (true, true) => {
                self.runs.remove(i);
            }
            (true, false) => self.runs[i].first += 1,
            (false, true) => self.runs[i].last -= 1,
            (false, false) => {
                self.runs[i].last = id.episode - 1;
                self.runs.insert(
                    i + 1,
                    Run {
                        first: id.episode + 1,
                        ..r
                    },
                );
            }
        }
        true
    }

    /// The episodes in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = EpisodeId> + '_ {
        self.runs
            .iter()
            .flat_map(|r| (r.first..=r.last).map(|e| EpisodeId::new(r.season, e)))
    }

    /// The episodes of this set that `other` lacks, in order.
    pub fn difference<'a>(&'a self, other: &'a Self) -> impl Iterator<Item = EpisodeId> + 'a {
        self.iter().filter(|id| !other.contains(id))
    }

    /// How many episodes the set holds.
    pub fn len(&self) -> usize {
        self.runs
            .iter()
            .map(|r| (r.last - r.first) as usize + 1)
            .sum()
    }

    /// True when the set holds no episode.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

impl FromIterator<EpisodeId> for EpisodeSet {
    fn from_iter<I: IntoIterator<Item = EpisodeId>>(iter: I) -> Self {
        let mut ids: Vec<EpisodeId> = iter.into_iter().collect();
        ids.sort_unstable();
        let mut runs: Vec<Run> = Vec::new();
        for id in ids {
            match runs.last_mut() {
                Some(r) if r.season == id.season && r.last == id.episode => {}
                Some(r) if r.season == id.season && r.last.checked_add(1) == Some(id.episode) => {
                    r.last = id.episode;
                }
                _ => runs.push(Run {
                    season: id.season,
                    first: id.episode,
                    last: id.episode,
                }),
            }
        }
        runs.shrink_to_fit();
        Self { runs }
    }
}

impl<const N: usize> From<[EpisodeId; N]> for EpisodeSet {
    fn from(ids: [EpisodeId; N]) -> Self {
        ids.into_iter().collect()
    }
}

impl Extend<EpisodeId> for EpisodeSet {
    fn extend<I: IntoIterator<Item = EpisodeId>>(&mut self, iter: I) {
        for id in iter {
            self.insert(id);
        }
    }
}

impl Serialize for EpisodeSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for EpisodeSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<EpisodeId>::deserialize(d)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    fn id(season: u32, episode: u32) -> EpisodeId {
        EpisodeId::new(season, episode)
    }

    #[test]
    fn a_whole_season_is_one_run_and_reads_back_as_the_same_json_as_a_btreeset() {
        let set: EpisodeSet = (1..=51).map(|e| id(1, e)).collect();
        assert_eq!(set.runs.len(), 1);
        assert_eq!(set.len(), 51);
        let old: BTreeSet<EpisodeId> = (1..=51).map(|e| id(1, e)).collect();
        let json = serde_json::to_string(&old).unwrap();
        assert_eq!(serde_json::to_string(&set).unwrap(), json);
        assert_eq!(serde_json::from_str::<EpisodeSet>(&json).unwrap(), set);
    }

    #[test]
    fn the_ends_of_the_number_range_do_not_overflow() {
        let mut set = EpisodeSet::from([id(1, u32::MAX), id(1, 0)]);
        assert!(set.insert(id(1, u32::MAX - 1)));
        assert!(set.insert(id(2, 0)));
        assert_eq!(set.runs.len(), 3, "{set:?}");
        assert!(set.remove(&id(1, u32::MAX)));
        assert!(set.contains(&id(1, u32::MAX - 1)) && !set.contains(&id(1, u32::MAX)));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(EpisodeId),
        Remove(EpisodeId),
    }

    fn small_id() -> impl Strategy<Value = EpisodeId> {
        (0u32..3, 0u32..24).prop_map(|(s, e)| id(s, e))
    }

    proptest! {
        /// Whatever is inserted and removed, the set answers as a `BTreeSet` does, and its
        /// runs stay ascending, apart and merged.
        #[test]
        fn behaves_as_a_btreeset(
            start in prop::collection::vec(small_id(), 0..40),
            ops in prop::collection::vec(
                prop_oneof![small_id().prop_map(Op::Insert), small_id().prop_map(Op::Remove)],
                0..80,
            ),
            other in prop::collection::vec(small_id(), 0..40),
        ) {
            let mut set: EpisodeSet = start.iter().copied().collect();
            let mut model: BTreeSet<EpisodeId> = start.into_iter().collect();
            for op in ops {
                match op {
                    Op::Insert(i) => prop_assert_eq!(set.insert(i), model.insert(i)),
                    Op::Remove(i) => prop_assert_eq!(set.remove(&i), model.remove(&i)),
                }
                prop_assert_eq!(set.iter().collect::<Vec<_>>(), model.iter().copied().collect::<Vec<_>>());
                prop_assert_eq!(set.len(), model.len());
                prop_assert_eq!(set.is_empty(), model.is_empty());
                for w in set.runs.windows(2) {
                    let touching = w[0].season == w[1].season && w[0].last + 1 >= w[1].first;
                    prop_assert!(!touching && (w[0].season, w[0].last) < (w[1].season, w[1].first), "{:?}", set.runs);
                }
            }
            for probe in (0..3).flat_map(|s| (0..24).map(move |e| id(s, e))) {
                prop_assert_eq!(set.contains(&probe), model.contains(&probe));
            }
            let other_set: EpisodeSet = other.iter().copied().collect();
            let other_model: BTreeSet<EpisodeId> = other.into_iter().collect();
            prop_assert_eq!(
                set.difference(&other_set).collect::<Vec<_>>(),
                model.difference(&other_model).copied().collect::<Vec<_>>()
            );
            let json = serde_json::to_string(&model).unwrap();
            prop_assert_eq!(serde_json::to_string(&set).unwrap(), json.clone());
            prop_assert_eq!(serde_json::from_str::<EpisodeSet>(&json).unwrap(), set);
        }
    }
}
