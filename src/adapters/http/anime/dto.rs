//! The bodies of API.md section 3 (and the library directory of section 5), with their
//! conversions from the library's domain values.

use std::collections::BTreeMap;

use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{ApiResponse, Enum, Object};

use crate::app::library::{FoundSeries, LibraryStatus};
use crate::domain::episode::{EpisodeId, MissingEpisodes};
use crate::domain::library_view::ListedSeries;
use crate::domain::site::Site;

/// Missing episodes by season: `{"1": [1, 2, 3]}`.
pub type MissingMap = BTreeMap<String, Vec<u32>>;

pub fn missing_map(missing: &MissingEpisodes) -> MissingMap {
    missing
        .by_season()
        .iter()
        .map(|(season, episodes)| (season.to_string(), episodes.clone()))
        .collect()
}

/// The library directory and how many series it holds.
#[derive(Debug, Object)]
#[oai(example)]
pub struct LibraryStatusDto {
    /// The anime directory; null while none is set.
    #[oai(nullable)]
    pub directory: Option<String>,
    pub series_count: u64,
}

impl Example for LibraryStatusDto {
    fn example() -> Self {
        Self {
            directory: Some("/path/to/anime".into()),
            series_count: 42,
        }
    }
}

impl From<LibraryStatus> for LibraryStatusDto {
    fn from(s: LibraryStatus) -> Self {
        Self {
            directory: s.directory.map(|d| d.to_string_lossy().into_owned()),
            series_count: s.series_count as u64,
        }
    }
}

/// A series as lists and searches show it.
#[derive(Debug, Object)]
#[oai(example)]
pub struct SeriesSummary {
    /// The series' key, its identifier in every API call: the site's slug for aniworld.to
    /// (`attack-on-titan`), `sto:<slug>` for s.to (`sto:breaking-bad`).
    pub key: String,
    pub name: String,
    /// The catalogue site the series is on: `aniworld.to` or `s.to`.
    pub site: String,
    /// The folder in the library (display only).
    pub folder: String,
    /// Missing episodes by season (season 0 = films).
    pub missing_episodes: MissingMap,
    pub link: String,
    /// With `awaiting_upgrade=true` only: the episodes on disk waiting for a better
    /// language, by season.
    #[oai(skip_serializing_if_is_none)]
    pub awaiting_upgrade: Option<MissingMap>,
    /// This server's URL of the series' cover (`/api/anime/<key>/cover?v=<version>`); null
    /// while none is kept, and for series not in the library.
    #[oai(nullable)]
    pub cover: Option<String>,
}

impl Example for SeriesSummary {
    fn example() -> Self {
        Self {
            key: "beheneko-the-elf-girls-cat".into(),
            name: "Beheneko".into(),
            site: "aniworld.to".into(),
            folder: "Beheneko (2025)".into(),
            missing_episodes: BTreeMap::from([("1".into(), vec![1, 2, 3, 4])]),
            link: "https://aniworld.to/anime/stream/beheneko-the-elf-girls-cat".into(),
            awaiting_upgrade: None,
            cover: Some("/api/anime/beheneko-the-elf-girls-cat/cover?v=3f2a9c01d4e5".into()),
        }
    }
}

/// [`SeriesSummary`] borrowed from the library view, serialised without copies (see
/// `json_body.rs`); the field names and order are the same.
#[derive(serde::Serialize)]
pub struct SeriesSummaryRef<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub site: &'a str,
    pub folder: &'a str,
    pub missing_episodes: &'a MissingEpisodes,
    pub link: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awaiting_upgrade: Option<MissingMap>,
    pub cover: Option<String>,
}

impl<'a> From<&'a ListedSeries> for SeriesSummaryRef<'a> {
    fn from(s: &'a ListedSeries) -> Self {
        let series = &s.record.series;
        Self {
            key: series.key.as_str(),
            name: &series.name,
            site: &series.site,
            folder: series.folder.as_str(),
            missing_episodes: &s.missing,
            link: &series.link,
            awaiting_upgrade: None,
            cover: None,
        }
    }
}

impl From<FoundSeries> for SeriesSummary {
    fn from(s: FoundSeries) -> Self {
        Self {
            missing_episodes: missing_map(&s.missing),
            key: s.key,
            name: s.name,
            site: s.site,
            folder: s.folder,
            link: s.link,
            awaiting_upgrade: None,
            cover: None,
        }
    }
}

/// Episodes by season: `{"1": [1, 2]}`.
pub fn episode_map(episodes: impl IntoIterator<Item = EpisodeId>) -> MissingMap {
    let mut map = MissingMap::new();
    for e in episodes {
        map.entry(e.season.to_string()).or_default().push(e.episode);
    }
    map
}

/// A catalogue search.
#[derive(Debug, Object)]
#[oai(example)]
pub struct SearchRequest {
    /// Search term, 1 to 200 characters after trimming.
    pub query: String,
    /// Search only this site; every enabled site when left out.
    pub site: Option<SiteName>,
}

/// A catalogue site, as `site` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum SiteName {
    /// aniworld.to: anime.
    #[oai(rename = "aniworld.to")]
    Aniworld,
    /// s.to (serienstream.to): TV series.
    #[oai(rename = "s.to")]
    Sto,
}

impl From<SiteName> for Site {
    fn from(name: SiteName) -> Self {
        match name {
            SiteName::Aniworld => Self::Aniworld,
            SiteName::Sto => Self::Sto,
        }
    }
}

/// A search's answer: the series found, and where a site failed while another answered, the
/// `X-Search-Warnings` header.
#[derive(ApiResponse)]
pub enum SearchAnswer {
    /// The catalogue's series matching the query, from every site asked that answered
    /// (`site` says which). A site that failed while another answered is named in the
    /// `X-Search-Warnings` header, a JSON array of strings (`["s.to: …"]`); the header is
    /// left out when every site answered.
    #[oai(status = 200)]
    Found(
        Json<Vec<SeriesSummary>>,
        /// The sites that failed, as a JSON array of strings, e.g.
        /// `["s.to: the catalogue site did not answer in time"]`.
        #[oai(header = "X-Search-Warnings")]
        Option<String>,
    ),
}

impl SearchAnswer {
    /// The answer for `series` and `warnings` (the header only where there are any).
    pub fn new(series: Vec<SeriesSummary>, warnings: &[String]) -> Self {
        let header = (!warnings.is_empty()).then(|| ascii_json(warnings));
        Self::Found(Json(series), header)
    }
}

/// A JSON array of strings in ASCII only (a header value): other characters as `\uXXXX`.
fn ascii_json(lines: &[String]) -> String {
    let json = serde_json::Value::from(lines.to_vec()).to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// A series to add, by its catalogue link.
#[derive(Debug, Object)]
#[oai(example)]
pub struct AddSeriesRequest {
    /// The series page on either site: aniworld.to's `https://aniworld.to/anime/stream/<slug>`,
    /// or, while s.to is on, s.to's `https://serienstream.to/serie/<slug>` (the older
    /// `/serie/stream/<slug>` too).
    pub link: String,
    /// Display name (and folder name, sanitised); the catalogue's name when left out.
    #[oai(nullable)]
    pub name: Option<String>,
}

impl Example for AddSeriesRequest {
    fn example() -> Self {
        Self {
            link: "https://aniworld.to/anime/stream/attack-on-titan".into(),
            name: Some("Attack on Titan".into()),
        }
    }
}

/// A series added to the library.
#[derive(Debug, Object)]
#[oai(example)]
pub struct SeriesAdded {
    /// Always `success`.
    pub status: String,
    pub message: String,
    /// The series' key, its identifier in every API call: the site's slug for aniworld.to
    /// (`attack-on-titan`), `sto:<slug>` for s.to (`sto:breaking-bad`).
    pub key: String,
    pub folder: String,
    pub db_id: u64,
    /// The missing episodes as `season-episode`.
    pub missing_episodes: Vec<String>,
    pub total_missing: u64,
    /// This server's URL of the series' cover; null while none is kept (it is fetched in
    /// the background when the site did not answer in time).
    #[oai(nullable)]
    pub cover: Option<String>,
}

impl From<&ListedSeries> for SeriesAdded {
    fn from(s: &ListedSeries) -> Self {
        let series = &s.record.series;
        Self {
            status: "success".into(),
            message: format!("Successfully added series: {}", series.name),
            key: series.key.to_string(),
            folder: series.folder.to_string(),
            db_id: s.record.id,
            missing_episodes: s.missing.ids().map(|id| id.to_string()).collect(),
            total_missing: s.missing.count() as u64,
            cover: None,
        }
    }
}

/// A rescan was asked for.
#[derive(Debug, Object)]
#[oai(example)]
pub struct RescanStarted {
    pub success: bool,
    /// `Rescan started successfully`, or that one is running already.
    pub message: String,
}

impl RescanStarted {
    /// The answer for a rescan started now (`true`) or one running already (`false`).
    pub fn new(started: bool) -> Self {
        Self {
            success: true,
            message: if started {
                "Rescan started successfully".into()
            } else {
                "A rescan is already running".into()
            },
        }
    }
}

impl Example for SearchRequest {
    fn example() -> Self {
        Self {
            query: "attack on titan".into(),
            site: None,
        }
    }
}

impl Example for SeriesAdded {
    fn example() -> Self {
        Self {
            status: "success".into(),
            message: "Successfully added series: Attack on Titan".into(),
            key: "attack-on-titan".into(),
            folder: "Attack on Titan".into(),
            db_id: 1,
            missing_episodes: vec!["1-1".into(), "1-2".into(), "1-3".into()],
            total_missing: 3,
            cover: Some("/api/anime/attack-on-titan/cover?v=3f2a9c01d4e5".into()),
        }
    }
}

impl Example for RescanStarted {
    fn example() -> Self {
        Self::new(true)
    }
}
