//! Library folders, sidecars and the episode-file scan: [`LibraryFs`] on the local file
//! system, and the files around downloads (`downloads`: the `DownloadFiles` port). Every call
//! runs in `spawn_blocking`, so directory walks never hold up the async workers.

mod covers;
mod downloads;
mod nfo;
mod scan;
mod sidecar;

use std::collections::HashSet;
use std::path::PathBuf;

use async_trait::async_trait;

pub use covers::DiskCovers;

use crate::domain::library::metadata_files::TvShowNfo;
use crate::domain::library::{Sidecar, WrittenFiles};
use crate::domain::series::{FolderName, Series};
use crate::ports::LibraryFs;
use crate::ports::library::{LibraryFsError, LibraryScan, ScanObserver, SeriesFolderScan};

/// The library on the local disk.
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalLibrary;

#[async_trait]
impl LibraryFs for LocalLibrary {
    async fn check_directory(&self, dir: PathBuf) -> Result<(), LibraryFsError> {
        blocking(move || is_directory(&dir)).await
    }

    async fn create_series_folder(
        &self,
        root: PathBuf,
        series: Series,
    ) -> Result<(), LibraryFsError> {
        blocking(move || {
            is_directory(&root)?;
            let folder = root.join(series.folder.as_str());
            std::fs::create_dir_all(&folder).map_err(|e| io(&folder, e))?;
            match sidecar::read(&folder) {
                Ok(Some(existing)) if existing.key != series.key => {
                    return Err(LibraryFsError::FolderTaken {
                        folder: series.folder.to_string(),
                        owner: existing.key.to_string(),
                    });
                }
                // A broken sidecar is replaced: the folder is being claimed explicitly.
                Ok(_) | Err(_) => {}
            }
            sidecar::write(&folder, &Sidecar::from(&series)).map_err(|e| io(&folder, e))
        })
        .await
    }

    async fn write_metadata(
        &self,
        root: PathBuf,
        folder: FolderName,
        nfo: TvShowNfo,
        poster: Option<Vec<u8>>,
        written: WrittenFiles,
    ) -> Result<WrittenFiles, LibraryFsError> {
        blocking(move || {
            let folder = root.join(folder.as_str());
            is_directory(&folder)?;
            nfo::write_all(&folder, &nfo, poster.as_deref(), written).map_err(|e| io(&folder, e))
        })
        .await
    }

    async fn write_sidecar(
        &self,
        root: PathBuf,
        folder: FolderName,
        sidecar: Sidecar,
    ) -> Result<(), LibraryFsError> {
        blocking(move || {
            let folder = root.join(folder.as_str());
            is_directory(&folder)?;
            sidecar::write(&folder, &sidecar).map_err(|e| io(&folder, e))
        })
        .await
    }

    async fn scan_series(
        &self,
        root: PathBuf,
        folder: FolderName,
    ) -> Result<SeriesFolderScan, LibraryFsError> {
        blocking(move || {
            let path = root.join(folder.as_str());
            let found = sidecar::read(&path).ok().flatten();
            let mut problems = Vec::new();
            let scan = scan::series_folder(&path, folder.to_string(), found, &mut problems);
            // A series folder that does not exist (yet) simply holds no episodes.
            let missing_folder = path.to_string_lossy().into_owned();
            for p in problems.iter().filter(|p| p.path != missing_folder) {
                tracing::warn!(path = %p.path, reason = %p.reason, "skipped during series scan");
            }
            Ok(scan)
        })
        .await
    }

    async fn scan_library(
        &self,
        root: PathBuf,
        known: HashSet<String>,
        observer: ScanObserver,
    ) -> Result<LibraryScan, LibraryFsError> {
        blocking(move || scan::library(&root, &known, &observer)).await
    }
}

async fn blocking<T, F>(f: F) -> Result<T, LibraryFsError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, LibraryFsError> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| LibraryFsError::Io {
            path: String::new(),
            reason: format!("file system task failed: {e}"),
        })?
}

fn is_directory(dir: &std::path::Path) -> Result<(), LibraryFsError> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        _ => Err(LibraryFsError::NotADirectory(dir.display().to_string())),
    }
}

fn io(path: &std::path::Path, e: std::io::Error) -> LibraryFsError {
    LibraryFsError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests;
