//! The numbers Sonarr's protocols key records by. The product keys a series by its string key
//! and a queue item by a UUID; Sonarr's clients (dashboards, pyarr) want 32-bit integers and
//! join records by them (a queue record's `seriesId` names a series of `/api/v3/series`). Each
//! number is the first 31 bits of a SHA-256 of what identifies the record, so it is the same
//! in every answer, across restarts and machines, without a table to keep.

use sha2::{Digest, Sha256};

use super::episode::EpisodeId;
use super::queue::ItemId;
use super::series::SeriesKey;

/// The number of a series: from its key.
pub fn series_id(key: &SeriesKey) -> i32 {
    number(key.as_str())
}

/// The number of one episode of a series: from the key, season and episode.
pub fn episode_id(key: &SeriesKey, episode: EpisodeId) -> i32 {
    number(&format!("{key}|{}|{}", episode.season, episode.episode))
}

/// The number of a queue item: from its UUID.
pub fn queue_item_id(id: ItemId) -> i32 {
    number(&id.to_string())
}

/// The first 31 bits of the text's SHA-256, as a positive number: 0 becomes 1, since some
/// clients read 0 as "no id".
fn number(text: &str) -> i32 {
    let digest = Sha256::digest(text.as_bytes());
    let first = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) >> 1;
    i32::try_from(first).map_or(1, |n| n.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> SeriesKey {
        SeriesKey::parse(text).unwrap()
    }

    #[test]
    fn a_number_is_the_first_31_bits_of_the_sha_256_of_what_names_the_record() {
        // SHA-256("one-piece") begins c8 aa 7e 80; SHA-256("sto:greys-anatomy|1|2") 03 87 ac 8b.
        assert_eq!(series_id(&key("one-piece")), 1_683_308_352);
        let episode = episode_id(&key("sto:greys-anatomy"), EpisodeId::new(1, 2));
        assert_eq!(episode, 29_611_589);
    }

    #[test]
    fn the_same_record_always_gets_the_same_positive_number() {
        let one = key("sto:greys-anatomy");
        assert_eq!(series_id(&one), series_id(&key("sto:greys-anatomy")));
        let e = EpisodeId::new(2, 5);
        assert_eq!(episode_id(&one, e), episode_id(&one, EpisodeId::new(2, 5)));
        let item = ItemId::new();
        assert_eq!(queue_item_id(item), queue_item_id(item));
        for n in [series_id(&one), episode_id(&one, e), queue_item_id(item)] {
            assert!(n > 0, "{n}");
        }
    }

    #[test]
    fn different_records_get_different_numbers() {
        let aniworld = key("greys-anatomy");
        let sto = key("sto:greys-anatomy");
        assert_ne!(series_id(&aniworld), series_id(&sto));
        let ids: std::collections::HashSet<i32> = [(1, 12), (11, 2), (1, 1), (0, 1)]
            .into_iter()
            .map(|(s, e)| episode_id(&sto, EpisodeId::new(s, e)))
            .collect();
        assert_eq!(
            ids.len(),
            4,
            "season 1 episode 12 is not season 11 episode 2"
        );
        assert_ne!(
            episode_id(&aniworld, EpisodeId::new(1, 1)),
            episode_id(&sto, EpisodeId::new(1, 1))
        );
    }
}
