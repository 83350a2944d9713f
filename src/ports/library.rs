//! The library: series on record (`SeriesStore`) and series folders on disk (`LibraryFs`).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreError;
use crate::domain::episode_set::EpisodeSet;
use crate::domain::library::metadata_files::TvShowNfo;
use crate::domain::library::{LibrarySeries, Sidecar, WrittenFiles};
use crate::domain::series::{FolderName, Series, SeriesKey};

/// The series of the library, kept durably. The store owns the series numbers (`id`).
///
/// # Errors
/// [`StoreError`] when the database fails; nothing here is a user error (a key that exists
/// already is reported by [`SeriesStore::add_new`]'s answer, not as an error).
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait SeriesStore: Send + Sync {
    /// Every series on record.
    async fn all(&self) -> Result<Vec<LibrarySeries>, StoreError>;

    /// Stores the series whose key is not on record yet, each with a fresh `id` (the `id`
    /// passed in is ignored), in one transaction. Answers the series it stored; a series left
    /// out of the answer was a duplicate.
    async fn add_new(&self, series: Vec<LibrarySeries>) -> Result<Vec<LibrarySeries>, StoreError>;

    /// Writes back series already on record (matched by key), in one transaction.
    async fn save(&self, series: Vec<LibrarySeries>) -> Result<(), StoreError>;

    /// Removes a series; answers whether it was on record.
    async fn remove(&self, key: SeriesKey) -> Result<bool, StoreError>;

    /// Makes `series` the whole library in one transaction: a key already on record keeps its
    /// `id`, a new key gets a fresh one, keys not in `series` are dropped. Answers the series
    /// as stored.
    async fn replace_all(
        &self,
        series: Vec<LibrarySeries>,
    ) -> Result<Vec<LibrarySeries>, StoreError>;

    /// When the episodes of every series were last refreshed from the catalogue (whole
    /// seconds); `None` before the first time.
    async fn last_full_refresh(&self) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Records the time of a full refresh.
    async fn set_last_full_refresh(&self, at: DateTime<Utc>) -> Result<(), StoreError>;
}

/// Why the library on disk could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LibraryFsError {
    /// The library directory does not exist or is not a directory.
    #[error("{0} does not exist or is not a directory")]
    NotADirectory(String),
    /// The series folder holds the sidecar of another series.
    #[error("folder {folder:?} belongs to series {owner:?} already")]
    FolderTaken { folder: String, owner: String },
    /// Reading or writing failed for a reason the user must fix (permissions, disk full).
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
}

/// What a scan found in one series folder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeriesFolderScan {
    /// The folder's name (a direct child of the library directory).
    pub folder: String,
    /// The folder's `aniworld.json`, where present and readable.
    pub sidecar: Option<Sidecar>,
    /// The episodes whose files were found anywhere under the folder.
    pub episodes: EpisodeSet,
    /// How many episode files were found (two files of one episode count twice).
    pub files: u64,
}

/// Something a scan skipped: an unreadable folder, a broken link, a name that is not UTF-8,
/// an unreadable sidecar. Reported, never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanProblem {
    pub path: String,
    pub reason: String,
}

/// How far a library scan is: `done` of `total` folders of the library directory looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanProgress {
    pub done: u64,
    pub total: u64,
    pub current: Option<String>,
}

/// Told of the progress of a scan, from the scanning thread; must return quickly.
pub type ScanObserver = Arc<dyn Fn(ScanProgress) + Send + Sync>;

/// What a whole-library scan found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LibraryScan {
    /// One entry per series folder: a folder with a sidecar or a folder named in `known`.
    pub folders: Vec<SeriesFolderScan>,
    pub problems: Vec<ScanProblem>,
}

/// The library directory on disk: series folders, their sidecars and their episode files
/// (CONTRACT.md section 3). Walks run off the async workers.
///
/// # Errors
/// [`LibraryFsError::NotADirectory`] when the library directory is missing;
/// [`LibraryFsError::FolderTaken`] from `create_series_folder` when the folder holds another
/// series' sidecar; [`LibraryFsError::Io`] when a folder or sidecar cannot be written or the
/// library directory cannot be read. Problems below the library directory are not errors:
/// scans report them in [`LibraryScan::problems`] and go on.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait LibraryFs: Send + Sync {
    /// Checks that `dir` exists and is a directory.
    async fn check_directory(&self, dir: PathBuf) -> Result<(), LibraryFsError>;

    /// Creates `<root>/<folder>` (where missing) and writes its sidecar atomically.
    async fn create_series_folder(
        &self,
        root: PathBuf,
        series: Series,
    ) -> Result<(), LibraryFsError>;

    /// Rewrites the sidecar of the existing folder `<root>/<folder>` atomically.
    async fn write_sidecar(
        &self,
        root: PathBuf,
        folder: FolderName,
        sidecar: Sidecar,
    ) -> Result<(), LibraryFsError>;

    /// Writes the series' metadata files into the existing folder `<root>/<folder>`:
    /// `tvshow.nfo` from `nfo`, and `poster.jpg` holding `poster` where given; each
    /// atomically, and each only where there is no such file or the file is the one the
    /// product wrote (`written` holds the digests of what it wrote). Answers what the product
    /// has written there now, a file left alone as the user's no longer among them.
    async fn write_metadata(
        &self,
        root: PathBuf,
        folder: FolderName,
        nfo: TvShowNfo,
        poster: Option<Vec<u8>>,
        written: WrittenFiles,
    ) -> Result<WrittenFiles, LibraryFsError>;

    /// Scans one series folder; a folder that does not exist holds no episodes.
    async fn scan_series(
        &self,
        root: PathBuf,
        folder: FolderName,
    ) -> Result<SeriesFolderScan, LibraryFsError>;

    /// Scans every series folder of the library: folders with a sidecar, and folders named in
    /// `known` (series on record whose sidecar may be gone). Other folders are not walked.
    async fn scan_library(
        &self,
        root: PathBuf,
        known: HashSet<String>,
        observer: ScanObserver,
    ) -> Result<LibraryScan, LibraryFsError>;
}
