//! One series in detail (`GET /api/anime/{id}`) with its settings, changed with
//! `PATCH /api/anime/{id}`, and the language of each file on disk.

use std::collections::BTreeMap;

use poem_openapi::Object;
use poem_openapi::types::Example;

use super::dto::{MissingMap, missing_map};
use crate::domain::catalogue::Language;
use crate::domain::episode_set::EpisodeSet;
use crate::domain::library::LibrarySeries;
use crate::domain::library_view::ListedSeries;
use crate::domain::series_policy::PolicyPatch;

/// A change to a series' settings; fields left out keep their value.
#[derive(Debug, Object)]
#[oai(example, deny_unknown_fields)]
pub struct SeriesPolicyPatch {
    /// Whether automatic downloads (and upgrades) apply to the series.
    #[oai(nullable)]
    pub monitored: Option<bool>,
    /// Languages in order of preference ("German Dub", "German Sub", "English Sub", "English Dub"); an
    /// empty list follows `downloads.preferred_languages`.
    #[oai(nullable)]
    pub languages: Option<Vec<String>>,
    /// Replace a file when the catalogue offers the episode in a better language.
    #[oai(nullable)]
    pub upgrade: Option<bool>,
}

impl Example for SeriesPolicyPatch {
    fn example() -> Self {
        Self {
            monitored: Some(true),
            languages: Some(vec!["German Dub".into(), "German Sub".into()]),
            upgrade: Some(true),
        }
    }
}

impl SeriesPolicyPatch {
    /// The patch, or the first language that is none we know.
    pub fn parse(self) -> Result<PolicyPatch, String> {
        let languages = match self.languages {
            None => None,
            Some(names) => Some(
                names
                    .iter()
                    .map(|n| Language::from_name(n).ok_or_else(|| n.chars().take(50).collect()))
                    .collect::<Result<Vec<_>, String>>()?,
            ),
        };
        Ok(PolicyPatch {
            monitored: self.monitored,
            languages,
            upgrade: self.upgrade,
        })
    }
}

/// One episode file on disk and its language.
#[derive(Debug, Object)]
pub struct EpisodeFile {
    /// `season-episode`, e.g. `"1-3"`.
    pub episode: String,
    /// The language the product downloaded it in; null for files it did not download.
    #[oai(nullable)]
    pub language: Option<String>,
}

/// The files on disk with their languages.
pub fn files(record: &LibrarySeries) -> Vec<EpisodeFile> {
    record
        .present
        .iter()
        .map(|e| EpisodeFile {
            episode: e.to_string(),
            language: record.files.get(e).map(|l| l.name().to_owned()),
        })
        .collect()
}

/// Names of languages.
pub fn names(languages: &[Language]) -> Vec<String> {
    languages.iter().map(|l| l.name().to_owned()).collect()
}

/// One series in detail.
#[derive(Debug, Object)]
#[oai(example)]
pub struct SeriesDetail {
    /// The series' key, its identifier in every API call: the site's slug for aniworld.to
    /// (`attack-on-titan`), `sto:<slug>` for s.to (`sto:breaking-bad`).
    pub key: String,
    pub title: String,
    pub folder: String,
    /// The missing episodes as `season-episode`, e.g. `"1-3"`.
    pub episodes: Vec<String>,
    #[oai(nullable)]
    pub description: Option<String>,
    /// The missing episodes by season.
    pub missing_episodes: MissingMap,
    /// Every episode the catalogue lists, as `season-episode`; empty until it was asked.
    pub available_episodes: Vec<String>,
    /// The catalogue site the series is on: `aniworld.to` or `s.to`.
    pub site: String,
    pub link: String,
    /// The library's number for the series.
    pub db_id: u64,
    /// Whether automatic downloads (and upgrades) apply to the series (default true).
    pub monitored: bool,
    /// The series' own language order; empty follows `downloads.preferred_languages`.
    pub languages: Vec<String>,
    /// Whether a file is replaced when a better language appears (default false).
    pub upgrade: bool,
    /// Every episode on disk with the language of its file (null: not downloaded by
    /// aniworld, language unknown).
    pub files: Vec<EpisodeFile>,
    /// Episodes on disk in a language below the series' first choice, waiting for a better
    /// one (only while `upgrade` is on), as `season-episode`.
    pub awaiting_upgrade: Vec<String>,
    /// This server's URL of the series' cover (`/api/anime/<key>/cover?v=<version>`); null
    /// while none is kept.
    #[oai(nullable)]
    pub cover: Option<String>,
    /// The year the series first aired, where the site says.
    #[oai(nullable)]
    pub year: Option<i32>,
    /// The year it last aired; null while it runs or where the site does not say.
    #[oai(nullable)]
    pub last_year: Option<i32>,
    /// Other titles of the series, as the site lists them.
    pub alternative_titles: Vec<String>,
    /// Genres, as the site lists them.
    pub genres: Vec<String>,
    /// The German age rating (FSK): 0, 6, 12, 16 or 18.
    #[oai(nullable)]
    pub fsk: Option<u8>,
    /// The IMDb id (`tt...`), where the site gives one.
    #[oai(nullable)]
    pub imdb: Option<String>,
}

impl SeriesDetail {
    /// The detail of a series; `global` is the configured language order.
    pub fn of(s: &ListedSeries, global: &[Language]) -> Self {
        let r = &s.record;
        Self {
            monitored: r.policy.monitored,
            languages: names(&r.policy.languages),
            upgrade: r.policy.upgrade,
            files: files(r),
            awaiting_upgrade: r
                .awaiting_upgrade(global)
                .into_iter()
                .map(|w| w.episode.to_string())
                .collect(),
            key: r.series.key.to_string(),
            title: r.series.name.clone(),
            folder: r.series.folder.to_string(),
            episodes: s.missing.ids().map(|id| id.to_string()).collect(),
            description: r.description.clone(),
            missing_episodes: missing_map(&s.missing),
            available_episodes: r
                .available
                .iter()
                .flat_map(EpisodeSet::iter)
                .map(|e| e.to_string())
                .collect(),
            site: r.series.site.clone(),
            link: r.series.link.clone(),
            db_id: r.id,
            cover: None,
            year: r.year,
            last_year: r.metadata.last_year,
            alternative_titles: r.metadata.alternative_titles.as_slice().to_vec(),
            genres: r.metadata.genres.as_slice().to_vec(),
            fsk: r.metadata.fsk.map(|f| f.age()),
            imdb: r.metadata.imdb.as_ref().map(ToString::to_string),
        }
    }
}

impl Example for SeriesDetail {
    fn example() -> Self {
        Self {
            key: "attack-on-titan".into(),
            title: "Attack on Titan".into(),
            folder: "Attack on Titan (2013)".into(),
            episodes: vec!["1-3".into()],
            description: Some("Humanity lives behind walls that keep the Titans out.".into()),
            missing_episodes: BTreeMap::from([("1".into(), vec![3])]),
            available_episodes: vec!["1-1".into(), "1-2".into(), "1-3".into()],
            site: "aniworld.to".into(),
            link: "https://aniworld.to/anime/stream/attack-on-titan".into(),
            db_id: 1,
            monitored: true,
            languages: vec![],
            upgrade: true,
            files: vec![
                EpisodeFile {
                    episode: "1-1".into(),
                    language: Some("German Dub".into()),
                },
                EpisodeFile {
                    episode: "1-2".into(),
                    language: Some("German Sub".into()),
                },
            ],
            awaiting_upgrade: vec!["1-2".into()],
            cover: Some("/api/anime/attack-on-titan/cover?v=3f2a9c01d4e5".into()),
            year: Some(2013),
            last_year: Some(2023),
            alternative_titles: vec!["Shingeki no Kyojin".into(), "進撃の巨人".into()],
            genres: vec!["Action".into(), "Drama".into()],
            fsk: Some(16),
            imdb: Some("tt2560140".into()),
        }
    }
}
