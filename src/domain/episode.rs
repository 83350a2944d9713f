//! Episodes: the `season-episode` identifier, recognising episode files by name, the file
//! name a download gets, and the set of missing episodes of a series.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::episode_set::EpisodeSet;

/// Season 0 holds the films (the catalogue's `filme/film-N`).
pub const FILM_SEASON: u32 = 0;

/// File extensions that count as episode files.
pub const VIDEO_EXTENSIONS: [&str; 7] = ["mp4", "mkv", "ts", "webm", "avi", "m4v", "mov"];

/// One episode of a series: season (0 = films) and episode number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EpisodeId {
    pub season: u32,
    pub episode: u32,
}

impl EpisodeId {
    /// An episode identifier.
    pub const fn new(season: u32, episode: u32) -> Self {
        Self { season, episode }
    }

    /// Parses the API form `"1-5"`.
    pub fn parse_api(text: &str) -> Option<Self> {
        let (s, e) = text.split_once('-')?;
        Some(Self::new(s.parse().ok()?, e.parse().ok()?))
    }

    /// The `S01E05` tag: two digits at least, more where needed.
    pub fn tag(&self) -> String {
        format!("S{:02}E{:02}", self.season, self.episode)
    }
}

/// The API form, `"1-5"`.
impl fmt::Display for EpisodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.season, self.episode)
    }
}

/// Recognises an episode file by its name: a video extension and `S<season>E<episode>`
/// somewhere in the name (case-insensitive, 1 to 4 digits each).
pub fn episode_of_file_name(file_name: &str) -> Option<EpisodeId> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    if !VIDEO_EXTENSIONS.iter().any(|v| v.eq_ignore_ascii_case(ext)) {
        return None;
    }
    let bytes = stem.as_bytes();
    (0..bytes.len()).find_map(|i| parse_tag_at(bytes, i))
}

/// Parses `S<1-4 digits>E<1-4 digits>` starting at `i`, not followed by a further digit.
fn parse_tag_at(bytes: &[u8], i: usize) -> Option<EpisodeId> {
    if !bytes[i].eq_ignore_ascii_case(&b's') {
        return None;
    }
    let (season, after_season) = digits(bytes, i + 1)?;
    if !bytes.get(after_season)?.eq_ignore_ascii_case(&b'e') {
        return None;
    }
    let (episode, end) = digits(bytes, after_season + 1)?;
    Some(EpisodeId::new(season, episode)).filter(|_| end <= bytes.len())
}

/// 1 to 4 ASCII digits at `start` with no fifth one; returns the number and the index after.
fn digits(bytes: &[u8], start: usize) -> Option<(u32, usize)> {
    let len = bytes[start.min(bytes.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if !(1..=4).contains(&len) {
        return None;
    }
    let text = std::str::from_utf8(&bytes[start..start + len]).ok()?;
    Some((text.parse().ok()?, start + len))
}

/// Where a downloaded episode goes, relative to the series folder:
/// `Season 01/<folder> - S01E05.mp4`.
pub fn episode_file_path(folder: &str, id: EpisodeId, ext: &str) -> String {
    format!("Season {:02}/{folder} - {}.{ext}", id.season, id.tag())
}

/// The episodes of a series that the library lacks, grouped by season, both in ascending
/// order. Serialises as `{"1": [1, 2, 3]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingEpisodes(BTreeMap<u32, Vec<u32>>);

impl MissingEpisodes {
    /// The catalogue's episodes minus the episodes found on disk.
    pub fn between(available: &EpisodeSet, present: &EpisodeSet) -> Self {
        let mut by_season: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for id in available.difference(present) {
            by_season.entry(id.season).or_default().push(id.episode);
        }
        Self(by_season)
    }

    /// How many episodes are missing.
    pub fn count(&self) -> usize {
        self.0.values().map(Vec::len).sum()
    }

    /// True when nothing is missing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Missing episodes grouped by season.
    pub fn by_season(&self) -> &BTreeMap<u32, Vec<u32>> {
        &self.0
    }

    /// Every missing episode in order.
    pub fn ids(&self) -> impl Iterator<Item = EpisodeId> + '_ {
        self.0
            .iter()
            .flat_map(|(s, eps)| eps.iter().map(move |e| EpisodeId::new(*s, *e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(s: u32, e: u32) -> Option<EpisodeId> {
        Some(EpisodeId::new(s, e))
    }

    #[test]
    fn common_namings_are_recognised() {
        assert_eq!(
            episode_of_file_name("Attack on Titan - S01E05.mp4"),
            ep(1, 5)
        );
        assert_eq!(episode_of_file_name("show.s1e5.MKV"), ep(1, 5));
        assert_eq!(episode_of_file_name("x S02E1001 y.ts"), ep(2, 1001));
        assert_eq!(episode_of_file_name("Film S00E03.webm"), ep(0, 3));
    }

    #[test]
    fn other_extensions_and_partial_files_are_ignored() {
        assert_eq!(episode_of_file_name("a - S01E05.mp4.part"), None);
        assert_eq!(episode_of_file_name("a - S01E05.nfo"), None);
        assert_eq!(episode_of_file_name("S01E05"), None);
    }

    #[test]
    fn names_without_a_tag_or_with_five_digits_are_ignored() {
        assert_eq!(episode_of_file_name("Season 1 Episode 5.mp4"), None);
        assert_eq!(episode_of_file_name("a S01E12345.mp4"), None);
        assert_eq!(episode_of_file_name("a S12345E1.mp4"), None);
    }

    #[test]
    fn the_first_valid_tag_wins_after_a_false_start() {
        assert_eq!(episode_of_file_name("Specials S1 - S03E04.mkv"), ep(3, 4));
    }

    #[test]
    fn download_paths_use_two_digits_at_least() {
        assert_eq!(
            episode_file_path("Show", EpisodeId::new(1, 5), "mp4"),
            "Season 01/Show - S01E05.mp4"
        );
        assert_eq!(EpisodeId::new(2, 1001).tag(), "S02E1001");
    }

    #[test]
    fn missing_is_the_catalogue_minus_the_disk() {
        let all: EpisodeSet = [(1, 1), (1, 2), (1, 4), (0, 1)]
            .map(|(s, e)| EpisodeId::new(s, e))
            .into();
        let have: EpisodeSet = [EpisodeId::new(1, 2), EpisodeId::new(9, 9)].into();
        let missing = MissingEpisodes::between(&all, &have);
        assert_eq!(missing.count(), 3);
        assert_eq!(
            serde_json::to_string(&missing).unwrap(),
            r#"{"0":[1],"1":[1,4]}"#
        );
        let ids: Vec<String> = missing.ids().map(|i| i.to_string()).collect();
        assert_eq!(ids, ["0-1", "1-1", "1-4"]);
    }

    #[test]
    fn the_api_form_round_trips() {
        assert_eq!(EpisodeId::parse_api("3-12"), ep(3, 12));
        assert_eq!(EpisodeId::parse_api("x-1"), None);
    }

    mod fuzzed {
        use proptest::prelude::*;

        use super::super::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn any_file_name_is_an_episode_or_none(name in any::<String>()) {
                let _ = episode_of_file_name(&name);
                let _ = EpisodeId::parse_api(&name);
            }

            #[test]
            fn a_tag_anywhere_in_a_video_name_is_read(
                before in "[A-Za-z .()_-]{0,30}",
                season in 0u32..10_000,
                episode in 0u32..10_000,
                after in "([ ._-][A-Za-z ()_-]{0,20})?",
                ext in prop::sample::select(VIDEO_EXTENSIONS.to_vec()),
            ) {
                let name = format!("{before}S{season:02}E{episode:02}{after}.{ext}");
                prop_assert_eq!(episode_of_file_name(&name), Some(EpisodeId::new(season, episode)), "{}", name);
            }

            #[test]
            fn the_api_form_reads_back(season in any::<u32>(), episode in any::<u32>()) {
                let id = EpisodeId::new(season, episode);
                prop_assert_eq!(EpisodeId::parse_api(&id.to_string()), Some(id));
            }
        }
    }
}
