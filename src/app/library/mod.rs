//! Library use cases: what the user has and what is missing.
//!
//! [`LibraryService`] keeps the whole library as an in-memory [`LibraryView`], loaded from
//! the [`SeriesStore`] at start and written through on every change (store first, then the
//! view), so listing answers from memory without touching disk, database or network.
//!
//! - this file: the service, its errors and the read-only queries;
//! - `add`: search the catalogue and add a series;
//! - `jobs`: the library-wide jobs (scan, catalogue refresh, directory switch),
//!   one at a time;
//! - `downloads`: what the download queue asks of the library, and the hook that tells it
//!   of missing episodes;
//! - `metadata`: the files beside the episodes for media servers (`tvshow.nfo`, `poster.jpg`).

mod add;
mod directory;
mod downloads;
mod feed;
mod jobs;
mod metadata;
mod policy;
mod reconcile;
mod refresh;
#[cfg(test)]
pub(crate) mod tests;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use crate::app::config::ConfigError;
use crate::domain::catalogue::ProviderError;
use crate::domain::library::{LibraryInputError, LibrarySeries, ListQuery};
use crate::domain::library_view::{LibraryView, ListedSeries};
use crate::domain::series::{SeriesError, SeriesKey};
use crate::lock::{MutexRecover, RwLockRecover};
use crate::ports::library::LibraryFsError;
use crate::ports::{Catalogue, Clock, EventBus, LibraryFs, SeriesStore, StoreError};

pub use add::{Found, FoundSeries};
pub use directory::{DirectorySetting, FixedDirectory};
pub use downloads::{DownloadTarget, MissingEpisodesHook};
pub use jobs::ScanSummary;

/// Why a library use case failed.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// No library directory is set yet (setup, `--anime-dir` or the directory endpoint).
    #[error("no anime directory is set; set one with POST /api/config/directory")]
    NoDirectory,
    /// A request value is out of range or malformed.
    #[error(transparent)]
    Input(#[from] LibraryInputError),
    /// The link is not a series link of the configured catalogue site.
    #[error("not a series link of the catalogue site: {0:?}")]
    InvalidLink(String),
    /// The name leaves no usable folder name.
    #[error(transparent)]
    InvalidName(#[from] SeriesError),
    /// The series is in the library already.
    #[error("series {0} is in the library already")]
    AlreadyInLibrary(SeriesKey),
    /// Another series lives in that folder.
    #[error("folder {folder:?} belongs to series {owner:?} already")]
    FolderTaken { folder: String, owner: String },
    /// No series of that key (or folder).
    #[error("series {0:?} is not in the library")]
    NotFound(String),
    /// The directory does not exist or is not a directory.
    #[error("{0} does not exist or is not a directory")]
    DirectoryUnusable(String),
    /// The catalogue site failed.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Reading or writing the library on disk failed.
    #[error("library disk access failed: {0}")]
    Disk(String),
    /// The new directory could not be stored in the configuration.
    #[error("the configuration could not be saved: {0}")]
    Config(ConfigError),
}

impl From<LibraryFsError> for LibraryError {
    fn from(e: LibraryFsError) -> Self {
        match e {
            LibraryFsError::NotADirectory(dir) => Self::DirectoryUnusable(dir),
            LibraryFsError::FolderTaken { folder, owner } => Self::FolderTaken { folder, owner },
            io @ LibraryFsError::Io { .. } => Self::Disk(io.to_string()),
        }
    }
}

/// The library directory and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryStatus {
    pub directory: Option<PathBuf>,
    pub series_count: usize,
}

/// The library use cases; a cheap-to-clone handle, so background jobs can own one.
#[derive(Clone)]
pub struct LibraryService {
    inner: Arc<Inner>,
}

struct Inner {
    catalogue: Arc<dyn Catalogue>,
    store: Arc<dyn SeriesStore>,
    disk: Arc<dyn LibraryFs>,
    events: Arc<dyn EventBus>,
    directory: Arc<dyn DirectorySetting>,
    /// Dates the episodes the catalogue lists as the library learns of them.
    clock: Arc<dyn Clock>,
    /// The snapshot list requests read; replaced whole on every change, so a reader holds the
    /// lock only to clone an `Arc`.
    view: RwLock<Arc<LibraryView>>,
    /// Serialises builders of a new view, so two changes cannot lose each other. A std mutex:
    /// it is never held across an `.await`.
    view_writer: Mutex<()>,
    /// One library-wide job (scan, catalogue refresh, directory switch) at a time.
    job: Arc<tokio::sync::Mutex<()>>,
    /// Serialises the read-modify-write of marking downloaded episodes present.
    present_writer: tokio::sync::Mutex<()>,
    /// Told of missing episodes after every job; set once the queue exists.
    hook: std::sync::OnceLock<Arc<dyn MissingEpisodesHook>>,
    /// The jobs running in the background: awaited on shutdown, so no task holds the store
    /// once the server has stopped.
    background: tokio_util::task::TaskTracker,
    /// Counts the changes of the view, for those who follow the library (the covers).
    changes: tokio::sync::watch::Sender<u64>,
}

impl LibraryService {
    /// Loads the library from the store.
    ///
    /// # Errors
    /// [`StoreError`] when the store cannot be read.
    pub async fn open(
        catalogue: Arc<dyn Catalogue>,
        store: Arc<dyn SeriesStore>,
        disk: Arc<dyn LibraryFs>,
        events: Arc<dyn EventBus>,
        directory: Arc<dyn DirectorySetting>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
        let records = store.all().await?;
        Ok(Self {
            inner: Arc::new(Inner {
                catalogue,
                store,
                disk,
                events,
                directory,
                clock,
                view: RwLock::new(Arc::new(LibraryView::of(records))),
                view_writer: Mutex::new(()),
                job: Arc::new(tokio::sync::Mutex::new(())),
                present_writer: tokio::sync::Mutex::new(()),
                hook: std::sync::OnceLock::new(),
                background: tokio_util::task::TaskTracker::new(),
                changes: tokio::sync::watch::Sender::new(0),
            }),
        })
    }

    /// Runs `job` in the background, tracked so [`LibraryService::stop_jobs`] can wait for it.
    pub(crate) fn spawn_job(
        &self,
        job: impl Future<Output = ()> + Send + 'static,
    ) -> tokio::task::JoinHandle<()> {
        self.inner.background.spawn(job)
    }

    /// Waits (at most `within`) until the background jobs have ended and let go of the
    /// store. For shutdown: jobs started later are not waited for.
    pub async fn stop_jobs(&self, within: std::time::Duration) {
        self.inner.background.close();
        if tokio::time::timeout(within, self.inner.background.wait())
            .await
            .is_err()
        {
            tracing::warn!("a library job was still running at shutdown");
        }
    }

    /// The library directory in force and how many series the library holds.
    pub fn status(&self) -> LibraryStatus {
        LibraryStatus {
            directory: self.inner.directory.directory(),
            series_count: self.view().len(),
        }
    }

    /// One page of the series with missing episodes.
    pub fn list(&self, query: &ListQuery) -> Vec<Arc<ListedSeries>> {
        self.view().list(query)
    }

    /// A series by key, or by folder name as a fallback.
    ///
    /// # Errors
    /// [`LibraryError::NotFound`].
    pub fn find(&self, key_or_folder: &str) -> Result<Arc<ListedSeries>, LibraryError> {
        self.view()
            .find(key_or_folder)
            .cloned()
            .ok_or_else(|| LibraryError::NotFound(key_or_folder.chars().take(200).collect()))
    }

    /// The current snapshot of the library.
    pub fn view(&self) -> Arc<LibraryView> {
        self.inner.view.read_or_recover().clone()
    }

    /// The library directory, or [`LibraryError::NoDirectory`].
    fn root(&self) -> Result<PathBuf, LibraryError> {
        self.inner
            .directory
            .directory()
            .ok_or(LibraryError::NoDirectory)
    }

    /// Puts changed series into the view (after they were written to the store).
    fn publish_changes(&self, changed: Vec<LibrarySeries>) {
        if changed.is_empty() {
            return;
        }
        self.replace_view(|current| current.with(changed));
    }

    /// Builds a new view from the current one and swaps it in.
    fn replace_view(&self, build: impl FnOnce(&LibraryView) -> LibraryView) {
        let _writer = self.inner.view_writer.lock_or_recover();
        let next = Arc::new(build(&self.view()));
        *self.inner.view.write_or_recover() = next;
        self.inner.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Told of every change of the library's series (a number that grows).
    pub fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.changes.subscribe()
    }
}
