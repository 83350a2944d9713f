//! Which series and episode a Torznab query means: a series' name compared by its letters
//! and digits, Sonarr's cleaned titles, and its anime search by absolute number.

use super::feed::{FeedQuery, MAX_SERIES};
use crate::domain::catalogue::SearchHit;

/// The series a query means: those whose name equals it (letters and digits compared,
/// case-insensitive), else the first few the site found.
pub(super) fn chosen(hits: Vec<SearchHit>, q: &str) -> Vec<SearchHit> {
    let wanted = plain(q);
    let (exact, others): (Vec<SearchHit>, Vec<SearchHit>) =
        hits.into_iter().partition(|h| plain(&h.name) == wanted);
    if exact.is_empty() {
        others.into_iter().take(MAX_SERIES).collect()
    } else {
        exact
    }
}

/// A query ending in a number and asking no season or episode, as Sonarr's anime search
/// writes one (`Dr Stone 05`): the title and the absolute episode number.
pub(super) fn absolute<'q>(q: &'q str, query: &FeedQuery) -> Option<(&'q str, u32)> {
    if query.season.is_some() || query.episode.is_some() {
        return None;
    }
    let (title, number) = q.trim().rsplit_once(char::is_whitespace)?;
    let title = title.trim();
    let digits = number.len() <= 4 && number.bytes().all(|b| b.is_ascii_digit());
    let number: u32 = number.parse().ok().filter(|n| digits && *n > 0)?;
    (!title.is_empty()).then_some((title, number))
}

/// A query's longest word of three or more letters, when the query has more than one word.
pub(super) fn longest_word(q: &str) -> Option<&str> {
    let words: Vec<&str> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .collect();
    let total = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    (total > 1)
        .then(|| words.into_iter().max_by_key(|w| w.chars().count()))
        .flatten()
}

/// Letters and digits, lower-case: `Dr. Stone` and `dr stone` are the same name.
pub(super) fn plain(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::series::SeriesKey;

    fn hit(key: &str, name: &str) -> SearchHit {
        SearchHit {
            key: SeriesKey::parse(key).unwrap(),
            name: name.into(),
            link: String::new(),
        }
    }

    #[test]
    fn a_query_means_the_series_of_its_name_else_the_first_few_found() {
        let hits = vec![
            hit("dr-stone-new-world", "Dr. Stone: New World"),
            hit("dr-stone", "Dr. Stone"),
            hit("sto:dr-stone", "Dr Stone"),
        ];
        let keys = |v: Vec<SearchHit>| v.into_iter().map(|h| h.key.to_string()).collect::<Vec<_>>();
        assert_eq!(
            keys(chosen(hits.clone(), "dr stone")),
            ["dr-stone", "sto:dr-stone"]
        );
        assert_eq!(
            keys(chosen(hits, "stone")),
            ["dr-stone-new-world", "dr-stone", "sto:dr-stone"]
        );
    }

    #[test]
    fn an_anime_search_ends_in_the_absolute_number() {
        let any = FeedQuery::default();
        assert_eq!(absolute("Dr Stone 05", &any), Some(("Dr Stone", 5)));
        assert_eq!(absolute("One Piece 1000", &any), Some(("One Piece", 1000)));
        assert_eq!(absolute("Dr Stone", &any), None);
        assert_eq!(absolute("86", &any), None);
        assert_eq!(absolute("Mob Psycho 100 00", &any), None);
        let season = FeedQuery {
            season: Some(1),
            ..FeedQuery::default()
        };
        assert_eq!(absolute("Dr Stone 05", &season), None);
    }

    #[test]
    fn the_longest_word_of_a_query_of_several() {
        assert_eq!(longest_word("Dr Stone"), Some("Stone"));
        assert_eq!(longest_word("Attack on Titan"), Some("Attack"));
        assert_eq!(longest_word("Naruto"), None);
        assert_eq!(longest_word("K On"), None);
    }
}
