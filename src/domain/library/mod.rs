//! The library's records and rules: a series on record with the episodes the catalogue lists
//! and the episodes found on disk, the `aniworld.json` sidecar, and the list query of
//! `GET /api/anime` (page, page size, sort order, filter) with its validation; when the
//! library learnt of each episode (`found`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::catalogue::Language;
use super::episode::{EpisodeId, MissingEpisodes};
use super::episode_set::EpisodeSet;
use super::series::{FolderName, Series, SeriesKey};
use super::series_metadata::SeriesMetadata;
use super::series_policy::{FileLanguages, SeriesPolicy, UpgradesTried};

mod found;
mod light_refresh;
pub mod metadata_files;
mod query;

pub use found::FoundDates;
pub use light_refresh::{merge_seasons, seasons_to_read};
pub use metadata_files::WrittenFiles;

pub use query::{
    LibraryInputError, ListQuery, SEARCH_QUERY_MAX_CHARS, SortBy, library_directory, search_query,
};

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
    pub available: Option<EpisodeSet>,
    /// The episodes found on disk at the last scan.
    #[serde(default)]
    pub present: EpisodeSet,
    /// How the owner wants the series kept.
    #[serde(default)]
    pub policy: SeriesPolicy,
    /// The language of each file the product downloaded (others: unknown).
    #[serde(default)]
    pub files: FileLanguages,
    /// Upgrades tried, one per episode and language.
    #[serde(default)]
    pub upgrades_tried: UpgradesTried,
    /// What the series page says beyond title, description and first year, as last read.
    /// Kept in the store only: the sidecar stays the documented fields.
    #[serde(default)]
    pub metadata: SeriesMetadata,
    /// When the library learnt of each listed episode (the calendar's dates).
    #[serde(default, skip_serializing_if = "FoundDates::is_empty")]
    pub found: FoundDates,
    /// The metadata files (`tvshow.nfo`, `poster.jpg`) the product wrote into the series
    /// folder, with the digest of what it wrote; also in the sidecar.
    #[serde(default, skip_serializing_if = "WrittenFiles::is_empty")]
    pub metadata_files: WrittenFiles,
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
            present: EpisodeSet::new(),
            policy: SeriesPolicy::default(),
            files: FileLanguages::default(),
            upgrades_tried: UpgradesTried::default(),
            metadata: SeriesMetadata::default(),
            found: FoundDates::default(),
            metadata_files: WrittenFiles::default(),
        }
    }

    /// A series known from its sidecar: its owner's settings and file languages come along.
    pub fn from_sidecar(sidecar: Sidecar, folder: FolderName) -> Self {
        let policy = sidecar.policy.clone().unwrap_or_default();
        let files = sidecar.files.clone();
        let written = sidecar.metadata_files.clone();
        let mut record = Self::new(sidecar.into_series(folder));
        record.policy = policy;
        record.files = files;
        record.metadata_files = written;
        record
    }

    /// Episodes on disk in a known language that is not the best the series wants, each with
    /// the language held and the better ones, best first; none unless the series wants
    /// upgrades.
    pub fn awaiting_upgrade(&self, global: &[Language]) -> Vec<AwaitingUpgrade> {
        if !self.policy.upgrade {
            return Vec::new();
        }
        self.files
            .iter()
            .filter(|(e, _)| self.present.contains(e))
            .filter_map(|(episode, held)| {
                let better = self.policy.better_than(held, global);
                (!better.is_empty()).then_some(AwaitingUpgrade {
                    episode,
                    held,
                    better,
                })
            })
            .collect()
    }

    /// Takes the catalogue's episode list as read at `now`, dating the episodes new to the
    /// library.
    /// The episodes of `episodes` that the catalogue did not list before and that are not on
    /// disk: new episodes aired since the last look. Empty while nothing was known before (a
    /// first look finds every episode "new", which is an import, not news).
    pub fn newly_listed(&self, episodes: &EpisodeSet) -> Vec<EpisodeId> {
        let Some(known) = &self.available else {
            return Vec::new();
        };
        episodes
            .difference(known)
            .filter(|id| !self.present.contains(id))
            .collect()
    }

    /// This record with what a catalogue refresh read into `read` (an older copy of it
    /// with the catalogue's answer applied): the episode list and its dates, description,
    /// year and metadata. The rest (files on disk, settings, files written) stays as it is now,
    /// so a change made while the catalogue was asked is not lost.
    pub fn with_catalogue_reading(mut self, read: Self) -> Self {
        self.available = read.available;
        self.found = read.found;
        self.description = read.description;
        self.year = read.year;
        self.metadata = read.metadata;
        self
    }

    pub fn list_episodes(&mut self, episodes: EpisodeSet, now: DateTime<Utc>) {
        self.found.note(self.available.as_ref(), &episodes, now);
        self.available = Some(episodes);
    }

    /// The catalogue's episodes minus those on disk; empty while the catalogue is unknown.
    pub fn missing(&self) -> MissingEpisodes {
        match &self.available {
            Some(available) => MissingEpisodes::between(available, &self.present),
            None => MissingEpisodes::default(),
        }
    }
}

/// An episode on disk waiting for a better language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwaitingUpgrade {
    pub episode: EpisodeId,
    /// The language of the file on disk.
    pub held: Language,
    /// The languages the series ranks above it, best first.
    pub better: Vec<Language>,
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
    /// The metadata files the product wrote here (name → SHA-256 of what it wrote): any other
    /// file of those names is the user's and left alone.
    #[serde(default, skip_serializing_if = "WrittenFiles::is_empty")]
    pub metadata_files: WrittenFiles,
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
            metadata_files: WrittenFiles::default(),
        }
    }
}

impl From<&LibrarySeries> for Sidecar {
    fn from(record: &LibrarySeries) -> Self {
        Self {
            policy: (!record.policy.is_default()).then(|| record.policy.clone()),
            files: record.files.clone(),
            metadata_files: record.metadata_files.clone(),
            ..Self::from(&record.series)
        }
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
}
