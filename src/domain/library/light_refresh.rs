//! A light refresh of a series whose site has no new-episodes page (s.to): between two full
//! refreshes, new episodes appear in the latest season or in a season not seen before, so only
//! those season pages are read again; what is known of the other seasons stands. A season the
//! series page no longer lists loses its episodes.

use super::super::episode::{EpisodeId, FILM_SEASON};
use super::super::episode_set::EpisodeSet;

/// The seasons to read again, ascending: the latest season, every season (and the films) not
/// known yet. `seasons` are the series page's (1, 2, ...), `has_films` whether it links
/// season 0.
pub fn seasons_to_read(seasons: &[u32], has_films: bool, known: &EpisodeSet) -> Vec<u32> {
    let known_seasons: Vec<u32> = known.iter().map(|e| e.season).collect();
    let films = has_films.then_some(FILM_SEASON);
    let latest = seasons.iter().copied().max();
    let mut read: Vec<u32> = films
        .into_iter()
        .chain(seasons.iter().copied())
        .filter(|s| Some(*s) == latest || !known_seasons.contains(s))
        .collect();
    read.sort_unstable();
    read.dedup();
    read
}

/// What is known after reading `read` again and finding `found` there: the known episodes of
/// the seasons still listed and not read again, and the episodes found.
pub fn merge_seasons(
    known: &EpisodeSet,
    listed: &[u32],
    has_films: bool,
    read: &[u32],
    found: impl IntoIterator<Item = EpisodeId>,
) -> EpisodeSet {
    let still_listed = |s: u32| listed.contains(&s) || (s == FILM_SEASON && has_films);
    known
        .iter()
        .filter(|e| still_listed(e.season) && !read.contains(&e.season))
        .chain(found)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[(u32, u32)]) -> EpisodeSet {
        ids.iter().map(|&(s, e)| EpisodeId::new(s, e)).collect()
    }

    #[test]
    fn the_latest_season_and_the_unknown_ones_are_read_again() {
        let known = set(&[(1, 1), (1, 2), (2, 1), (3, 1)]);
        assert_eq!(seasons_to_read(&[1, 2, 3], false, &known), [3]);
        assert_eq!(seasons_to_read(&[1, 2, 3, 4], true, &known), [0, 4]);
        assert_eq!(
            seasons_to_read(&[1, 2], false, &EpisodeSet::default()),
            [1, 2]
        );
        assert_eq!(seasons_to_read(&[], false, &known), Vec::<u32>::new());
    }

    #[test]
    fn a_merge_keeps_the_seasons_not_read_and_drops_those_no_longer_listed() {
        let known = set(&[(0, 1), (1, 1), (1, 2), (2, 1), (3, 1)]);
        let merged = merge_seasons(
            &known,
            &[1, 3],
            false,
            &[3],
            [EpisodeId::new(3, 1), EpisodeId::new(3, 2)],
        );
        assert_eq!(merged, set(&[(1, 1), (1, 2), (3, 1), (3, 2)]));
    }
}
