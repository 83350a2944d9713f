//! The library's records and rules: a series on record with the episodes the catalogue lists
//! and the episodes found on disk, the `aniworld.json` sidecar, and the list query of
//! `GET /api/anime` (page, page size, sort order, filter) with its validation.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::catalogue::Language;
use super::episode::{EpisodeId, MissingEpisodes};
use super::series::{FolderName, Series, SeriesKey};
use super::series_policy::{FileLanguages, SeriesPolicy, UpgradesTried};

/// A series in the library, as kept in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibrarySeries {
    /// The store's number for the series (`db_id` in the API); given by the store.
    pub id: u64,
    pub series: Series,
    #[serde(default)]
    pub description: Option<String>,
    /// The year the series first aired, where the catalogue gives it.
    #[serde(default)]
    pub year: Option<i32>,
    /// Every episode the catalogue lists (films as season 0); `None` until the catalogue has
    /// been asked, e.g. for a series found only through its sidecar.
    #[serde(default)]
    pub available: Option<BTreeSet<EpisodeId>>,
    /// The episodes found on disk at the last scan.
    #[serde(default)]
    pub present: BTreeSet<EpisodeId>,
    /// How the owner wants the series kept.
    #[serde(default)]
    pub policy: SeriesPolicy,
    /// The language of each file the product downloaded (others: unknown).
    #[serde(default)]
    pub files: FileLanguages,
    /// Upgrades tried, one per episode and language.
    #[serde(default)]
    pub upgrades_tried: UpgradesTried,
}

impl LibrarySeries {
    /// A series not yet numbered by the store, with nothing known about its episodes.
    pub fn new(series: Series) -> Self {
        Self {
            id: 0,
            series,
            description: None,
            year: None,
            available: None,
            present: BTreeSet::new(),
            policy: SeriesPolicy::default(),
            files: FileLanguages::default(),
            upgrades_tried: UpgradesTried::default(),
        }
    }

    /// A series known from its sidecar: its owner's settings and file languages come along.
    pub fn from_sidecar(sidecar: Sidecar, folder: FolderName) -> Self {
        let policy = sidecar.policy.clone().unwrap_or_default();
        let files = sidecar.files.clone();
        let mut record = Self::new(sidecar.into_series(folder));
        record.policy = policy;
        record.files = files;
        record
    }

    /// Episodes on disk in a known language that is not the best the series wants, with the
    /// better languages, best first; none unless the series wants upgrades.
    pub fn awaiting_upgrade(&self, global: &[Language]) -> Vec<(EpisodeId, Vec<Language>)> {
        if !self.policy.upgrade {
            return Vec::new();
        }
        self.files
            .iter()
            .filter(|(e, _)| self.present.contains(e))
            .filter_map(|(e, held)| {
                let better = self.policy.better_than(held, global);
                (!better.is_empty()).then_some((e, better))
            })
            .collect()
    }

    /// The catalogue's episodes minus those on disk; empty while the catalogue is unknown.
    pub fn missing(&self) -> MissingEpisodes {
        match &self.available {
            Some(available) => MissingEpisodes::between(available, &self.present),
            None => MissingEpisodes::default(),
        }
    }
}

/// The content of the `aniworld.json` file in every series folder: enough to rebuild the
/// library from disk alone when the database is lost or the library is moved. The owner's
/// settings and the languages of downloaded files are written only where there are some, so
/// a plain series keeps the four documented fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sidecar {
    pub key: SeriesKey,
    pub name: String,
    pub site: String,
    pub link: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<SeriesPolicy>,
    #[serde(default, skip_serializing_if = "FileLanguages::is_empty")]
    pub files: FileLanguages,
}

impl Sidecar {
    /// The file name of the sidecar inside a series folder.
    pub const FILE_NAME: &'static str = "aniworld.json";

    /// The series this sidecar describes, living in `folder`.
    pub fn into_series(self, folder: FolderName) -> Series {
        Series {
            key: self.key,
            name: self.name,
            site: self.site,
            link: self.link,
            folder,
        }
    }
}

impl From<&Series> for Sidecar {
    fn from(series: &Series) -> Self {
        Self {
            key: series.key.clone(),
            name: series.name.clone(),
            site: series.site.clone(),
            link: series.link.clone(),
            policy: None,
            files: FileLanguages::default(),
        }
    }
}

impl From<&LibrarySeries> for Sidecar {
    fn from(record: &LibrarySeries) -> Self {
        Self {
            policy: (!record.policy.is_default()).then(|| record.policy.clone()),
            files: record.files.clone(),
            ..Self::from(&record.series)
        }
    }
}

/// Why a library request was rejected before any work was done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LibraryInputError {
    /// `page` is below 1.
    #[error("page must be 1 or more, got {0}")]
    Page(i64),
    /// `per_page` is outside 1..=1000.
    #[error("per_page must be between 1 and {max}, got {0}", max = ListQuery::MAX_PER_PAGE)]
    PerPage(i64),
    /// `sort_by` names no known order.
    #[error("sort_by must be one of title, id, name, missing_episodes, got {0:?}")]
    SortBy(String),
    /// The search query is empty (after trimming) or too long.
    #[error("query must be 1 to {max} characters", max = SEARCH_QUERY_MAX_CHARS)]
    SearchQuery,
    /// The library directory is not an absolute path.
    #[error("directory must be an absolute path, got {0:?}")]
    RelativeDirectory(String),
}

/// Longest search query accepted, in characters (CONTRACT.md section 6).
pub const SEARCH_QUERY_MAX_CHARS: usize = 200;

/// Trims a search query and checks its length.
pub fn search_query(raw: &str) -> Result<&str, LibraryInputError> {
    let query = raw.trim();
    let chars = query.chars().count();
    if (1..=SEARCH_QUERY_MAX_CHARS).contains(&chars) {
        Ok(query)
    } else {
        Err(LibraryInputError::SearchQuery)
    }
}

/// Checks that a library directory is given as an absolute path; whether it exists is a
/// question for the file system.
pub fn library_directory(raw: &str) -> Result<&Path, LibraryInputError> {
    let path = Path::new(raw.trim());
    if path.is_absolute() {
        Ok(path)
    } else {
        Err(LibraryInputError::RelativeDirectory(
            raw.chars().take(200).collect(),
        ))
    }
}

/// The orders `GET /api/anime` can list in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// By display name, case-insensitive; `title` and `name` are the same order (the API
    /// shows the name as the title). The default.
    #[default]
    Name,
    /// By key.
    Key,
    /// Most missing episodes first, then by name.
    MissingEpisodes,
}

impl SortBy {
    /// Parses the API's `sort_by` value (case-insensitive).
    pub fn parse(raw: &str) -> Result<Self, LibraryInputError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "title" | "name" => Ok(Self::Name),
            "id" => Ok(Self::Key),
            "missing_episodes" => Ok(Self::MissingEpisodes),
            _ => Err(LibraryInputError::SortBy(raw.chars().take(64).collect())),
        }
    }
}

/// One page of the list of series with missing episodes, as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub page: u32,
    pub per_page: u32,
    pub sort_by: SortBy,
    /// Lower-cased filter term; matches name, key or folder as a substring.
    pub filter: Option<String>,
}

impl ListQuery {
    /// Page size when none is asked for.
    pub const DEFAULT_PER_PAGE: u32 = 20;
    /// Largest page size.
    pub const MAX_PER_PAGE: u32 = 1000;

    /// Checks the raw query parameters; absent values take their defaults, a blank filter
    /// is no filter.
    pub fn parse(
        page: Option<i64>,
        per_page: Option<i64>,
        sort_by: Option<&str>,
        filter: Option<&str>,
    ) -> Result<Self, LibraryInputError> {
        let page = page.unwrap_or(1);
        if page < 1 || page > i64::from(u32::MAX) {
            return Err(LibraryInputError::Page(page));
        }
        let per_page = per_page.unwrap_or(i64::from(Self::DEFAULT_PER_PAGE));
        if !(1..=i64::from(Self::MAX_PER_PAGE)).contains(&per_page) {
            return Err(LibraryInputError::PerPage(per_page));
        }
        let sort_by = match sort_by.map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => SortBy::parse(raw)?,
            None => SortBy::default(),
        };
        // Control characters cannot occur in a name, key or folder; dropping them also keeps
        // a term from spanning two fields of the filter text.
        let filter = filter
            .map(|f| f.chars().filter(|c| !c.is_control()).collect::<String>())
            .map(|f| f.trim().to_lowercase())
            .filter(|f| !f.is_empty());
        Ok(Self {
            page: page as u32,
            per_page: per_page as u32,
            sort_by,
            filter,
        })
    }

    /// The index range of this page in a list of `len` items (empty past the end).
    pub fn bounds(&self, len: usize) -> std::ops::Range<usize> {
        let start = (self.page as usize - 1).saturating_mul(self.per_page as usize);
        let start = start.min(len);
        start..start.saturating_add(self.per_page as usize).min(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(key: &str) -> Series {
        Series {
            key: SeriesKey::parse(key).unwrap(),
            name: key.to_owned(),
            site: "aniworld.to".into(),
            link: format!("https://aniworld.to/anime/stream/{key}"),
            folder: FolderName::sanitise(key).unwrap(),
        }
    }

    #[test]
    fn nothing_is_missing_while_the_catalogue_is_unknown() {
        let mut record = LibrarySeries::new(series("a"));
        record.present.insert(EpisodeId::new(1, 1));
        assert!(record.missing().is_empty());
        record.available = Some([EpisodeId::new(1, 1), EpisodeId::new(1, 2)].into());
        assert_eq!(
            record.missing().ids().collect::<Vec<_>>(),
            [EpisodeId::new(1, 2)]
        );
    }

    #[test]
    fn a_sidecar_serialises_as_the_four_documented_fields() {
        let sidecar = Sidecar::from(&series("attack-on-titan"));
        let json = serde_json::to_value(&sidecar).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"key": "attack-on-titan", "name": "attack-on-titan",
                "site": "aniworld.to", "link": "https://aniworld.to/anime/stream/attack-on-titan"})
        );
    }

    #[test]
    fn absent_list_parameters_take_their_defaults() {
        let q = ListQuery::parse(None, None, None, Some("  ")).unwrap();
        assert_eq!(
            (q.page, q.per_page, q.sort_by, q.filter),
            (1, 20, SortBy::Name, None)
        );
    }

    #[test]
    fn out_of_range_pages_and_page_sizes_are_rejected() {
        assert_eq!(
            ListQuery::parse(Some(0), None, None, None),
            Err(LibraryInputError::Page(0))
        );
        assert!(ListQuery::parse(None, Some(0), None, None).is_err());
        assert!(ListQuery::parse(None, Some(1001), None, None).is_err());
        assert!(ListQuery::parse(None, Some(1000), None, None).is_ok());
    }

    #[test]
    fn the_four_sort_names_are_accepted_and_others_rejected() {
        assert_eq!(SortBy::parse("title"), Ok(SortBy::Name));
        assert_eq!(SortBy::parse("NAME"), Ok(SortBy::Name));
        assert_eq!(SortBy::parse("id"), Ok(SortBy::Key));
        assert_eq!(
            SortBy::parse("missing_episodes"),
            Ok(SortBy::MissingEpisodes)
        );
        assert!(SortBy::parse("year").is_err());
    }

    #[test]
    fn the_filter_is_lower_cased_once() {
        let q = ListQuery::parse(None, None, None, Some(" Titan ")).unwrap();
        assert_eq!(q.filter.as_deref(), Some("titan"));
    }

    #[test]
    fn page_bounds_stop_at_the_end_of_the_list() {
        let q = ListQuery::parse(Some(2), Some(10), None, None).unwrap();
        assert_eq!(q.bounds(25), 10..20);
        assert_eq!(q.bounds(15), 10..15);
        assert_eq!(q.bounds(5), 5..5);
    }

    #[test]
    fn search_queries_are_trimmed_and_length_checked() {
        assert_eq!(search_query("  titan "), Ok("titan"));
        assert!(search_query("   ").is_err());
        assert!(search_query(&"進".repeat(200)).is_ok());
        assert!(search_query(&"a".repeat(201)).is_err());
    }

    #[test]
    fn a_relative_library_directory_is_rejected() {
        assert!(library_directory("/srv/anime").is_ok());
        assert!(library_directory("anime").is_err());
        assert!(library_directory("").is_err());
    }
}
