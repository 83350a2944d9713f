//! The files beside the episodes for media servers (INTEGRATIONS.md section 7): what
//! `tvshow.nfo` says of a series, and the rule that the product never replaces a file it did
//! not write. The sidecar records the SHA-256 of each file the product wrote; a file whose
//! bytes are no longer those is the user's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::LibrarySeries;

/// The NFO file of a series.
pub const NFO_FILE: &str = "tvshow.nfo";
/// The poster file of a series.
pub const POSTER_FILE: &str = "poster.jpg";

/// The metadata files the product wrote into a series folder: file name → SHA-256 (hex) of
/// the bytes it wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WrittenFiles(BTreeMap<String, String>);

impl WrittenFiles {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The digest of what the product wrote as `name`, if it did.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Records that the product's `name` holds bytes of `digest`.
    pub fn record(&mut self, name: &str, digest: &str) {
        self.0.insert(name.to_owned(), digest.to_owned());
    }

    /// Forgets `name` (the file is the user's now).
    pub fn forget(&mut self, name: &str) {
        self.0.remove(name);
    }
}

/// What to do with one metadata file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    /// Write it: there is none, or the product's own is out of date.
    Write,
    /// The file holds these bytes already (the product's, or identical ones it takes as its
    /// own).
    Keep,
    /// The file is someone else's: leave it alone.
    NotOurs,
}

/// Whether to write a metadata file whose bytes would have digest `new`, given the digest of
/// the file on disk (`None`: no file) and the one the product recorded for it.
pub fn file_action(on_disk: Option<&str>, recorded: Option<&str>, new: &str) -> FileAction {
    match on_disk {
        None => FileAction::Write,
        Some(disk) if disk == new => FileAction::Keep,
        Some(disk) if Some(disk) == recorded => FileAction::Write,
        Some(_) => FileAction::NotOurs,
    }
}

/// What `tvshow.nfo` says (Kodi's `<tvshow>`, which Jellyfin, Emby and Plex's agents read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TvShowNfo {
    pub title: String,
    /// The first other title the site gives, where it gives one.
    pub original_title: Option<String>,
    pub plot: Option<String>,
    pub year: Option<i32>,
    pub genres: Vec<String>,
    /// The series key: `<uniqueid type="aniworld" default="true">`.
    pub key: String,
    pub imdb: Option<String>,
    /// `FSK 16`.
    pub rating: Option<String>,
    /// `Ended` once the site gives a last year, else `Continuing`.
    pub status: &'static str,
}

impl TvShowNfo {
    /// The NFO of a series on record.
    pub fn of(record: &LibrarySeries) -> Self {
        let m = &record.metadata;
        Self {
            title: record.series.name.clone(),
            original_title: m
                .alternative_titles
                .as_slice()
                .iter()
                .find(|t| **t != record.series.name)
                .cloned(),
            plot: record.description.clone(),
            year: record.year,
            genres: m.genres.as_slice().to_vec(),
            key: record.series.key.to_string(),
            imdb: m.imdb.as_ref().map(ToString::to_string),
            rating: m.fsk.map(|f| format!("FSK {}", f.age())),
            status: if m.last_year.is_some() {
                "Ended"
            } else {
                "Continuing"
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::series::{FolderName, Series, SeriesKey};
    use crate::domain::series_metadata::{Fsk, Names, SeriesMetadata};

    #[test]
    fn only_missing_or_own_outdated_files_are_written() {
        assert_eq!(file_action(None, None, "n"), FileAction::Write);
        assert_eq!(file_action(None, Some("o"), "n"), FileAction::Write);
        assert_eq!(file_action(Some("o"), Some("o"), "n"), FileAction::Write);
        assert_eq!(file_action(Some("n"), Some("o"), "n"), FileAction::Keep);
        assert_eq!(file_action(Some("n"), None, "n"), FileAction::Keep);
        // The user's own file, or the product's file the user changed.
        assert_eq!(file_action(Some("u"), None, "n"), FileAction::NotOurs);
        assert_eq!(file_action(Some("u"), Some("o"), "n"), FileAction::NotOurs);
    }

    #[test]
    fn the_nfo_takes_the_series_record() {
        let mut record = LibrarySeries::new(Series {
            key: SeriesKey::parse("dr-stone").unwrap(),
            name: "Dr. Stone".into(),
            site: "aniworld.to".into(),
            link: "https://aniworld.to/anime/stream/dr-stone".into(),
            folder: FolderName::sanitise("Dr. Stone (2019)").unwrap(),
        });
        record.description = Some("Stone world.".into());
        record.year = Some(2019);
        record.metadata = SeriesMetadata {
            alternative_titles: Names::distinct(["Dr. Stone", "ドクターストーン"]),
            genres: Names::distinct(["Abenteuer", "Sci-Fi"]),
            fsk: Fsk::parse("12").ok(),
            ..SeriesMetadata::default()
        };
        let nfo = TvShowNfo::of(&record);
        assert_eq!(nfo.title, "Dr. Stone");
        assert_eq!(nfo.original_title.as_deref(), Some("ドクターストーン"));
        assert_eq!(nfo.genres, ["Abenteuer", "Sci-Fi"]);
        assert_eq!(nfo.rating.as_deref(), Some("FSK 12"));
        assert_eq!((nfo.year, nfo.status), (Some(2019), "Continuing"));
        assert_eq!(nfo.key, "dr-stone");
    }
}
