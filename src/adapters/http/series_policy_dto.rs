//! The per-series settings in the API: read in `GET /api/anime/{id}`, changed with
//! `PATCH /api/anime/{id}`, and the language of each file on disk.

use poem_openapi::Object;
use poem_openapi::types::Example;

use crate::domain::catalogue::Language;
use crate::domain::library::LibrarySeries;
use crate::domain::series_policy::PolicyPatch;

/// A change to a series' settings; fields left out keep their value.
#[derive(Debug, Object)]
#[oai(example, deny_unknown_fields)]
pub struct SeriesPolicyPatch {
    /// Whether automatic downloads (and upgrades) apply to the series.
    pub monitored: Option<bool>,
    /// Languages in order of preference ("German Dub", "German Sub", "English Sub"); an
    /// empty list follows `downloads.preferred_languages`.
    pub languages: Option<Vec<String>>,
    /// Replace a file when the catalogue offers the episode in a better language.
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
    pub language: Option<String>,
}

/// The files on disk with their languages.
pub fn files(record: &LibrarySeries) -> Vec<EpisodeFile> {
    record
        .present
        .iter()
        .map(|e| EpisodeFile {
            episode: e.to_string(),
            language: record.files.get(*e).map(|l| l.name().to_owned()),
        })
        .collect()
}

/// Names of languages.
pub fn names(languages: &[Language]) -> Vec<String> {
    languages.iter().map(|l| l.name().to_owned()).collect()
}
