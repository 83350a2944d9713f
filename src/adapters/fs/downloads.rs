//! The files around a download, on the local disk: the folder a partial file goes in, the
//! rename to the final name (then the folder is flushed, so after a power cut the final name
//! names either nothing or the complete file), deleting partial files and finding them.
//! Every call runs in `spawn_blocking`.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use walkdir::WalkDir;

use crate::domain::episode::{EpisodeId, episode_of_file_name};

use super::LocalLibrary;
use crate::ports::media::{DownloadFileError, DownloadFiles};

/// The extension of partial files.
const PART: &str = "part";

#[async_trait]
impl DownloadFiles for LocalLibrary {
    async fn prepare(&self, part: PathBuf) -> Result<(), DownloadFileError> {
        blocking(move || {
            let Some(folder) = part.parent().filter(|p| !p.as_os_str().is_empty()) else {
                return Ok(());
            };
            std::fs::create_dir_all(folder).map_err(|e| error(folder, &e))
        })
        .await
    }

    async fn finish(&self, part: PathBuf, target: PathBuf) -> Result<(), DownloadFileError> {
        blocking(move || {
            // rename(2) replaces an existing target in one step.
            std::fs::rename(&part, &target).map_err(|e| error(&part, &e))?;
            let folder = target
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            std::fs::File::open(folder)
                .and_then(|dir| dir.sync_all())
                .map_err(|e| error(folder, &e))
        })
        .await
    }

    async fn discard(&self, part: PathBuf) -> Result<(), DownloadFileError> {
        blocking(move || match std::fs::remove_file(&part) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(error(&part, &e)),
            _ => Ok(()),
        })
        .await
    }

    async fn discard_folder(&self, folder: PathBuf) -> Result<(), DownloadFileError> {
        blocking(move || {
            let empty = match std::fs::read_dir(&folder) {
                Ok(mut entries) => entries.next().is_none(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                Err(e) => return Err(error(&folder, &e)),
            };
            if empty {
                std::fs::remove_dir(&folder).map_err(|e| error(&folder, &e))?;
            }
            Ok(())
        })
        .await
    }

    async fn remove_other_copies(
        &self,
        series_dir: PathBuf,
        episode: EpisodeId,
        keep: PathBuf,
    ) -> Result<Vec<PathBuf>, DownloadFileError> {
        blocking(move || {
            let mut removed = Vec::new();
            // Episode files sit in the series folder or one season folder below it.
            for entry in WalkDir::new(&series_dir).max_depth(2).into_iter().flatten() {
                let path = entry.path();
                let same_episode = entry.file_type().is_file()
                    && entry
                        .file_name()
                        .to_str()
                        .and_then(episode_of_file_name)
                        .is_some_and(|e| e == episode);
                if same_episode && path != keep {
                    std::fs::remove_file(path).map_err(|e| error(path, &e))?;
                    removed.push(path.to_path_buf());
                }
            }
            Ok(removed)
        })
        .await
    }

    async fn partial_files(&self, root: PathBuf) -> Result<Vec<PathBuf>, DownloadFileError> {
        blocking(move || {
            std::fs::read_dir(&root).map_err(|e| error(&root, &e))?;
            let mut found = Vec::new();
            for entry in WalkDir::new(&root) {
                match entry {
                    Ok(entry)
                        if entry.file_type().is_file()
                            && entry.path().extension().is_some_and(|x| x == PART) =>
                    {
                        found.push(entry.into_path());
                    }
                    Ok(_) => {}
                    // One unreadable folder should not hide the partial files elsewhere.
                    Err(e) => tracing::warn!(error = %e, "skipped while looking for partial files"),
                }
            }
            found.sort();
            Ok(found)
        })
        .await
    }
}

async fn blocking<T, F>(f: F) -> Result<T, DownloadFileError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, DownloadFileError> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DownloadFileError {
            path: String::new(),
            reason: format!("file system task failed: {e}"),
        })?
}

fn error(path: &Path, e: &std::io::Error) -> DownloadFileError {
    DownloadFileError {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[tokio::test]
    async fn prepare_creates_the_folders_of_a_partial_file() {
        let root = tempfile::tempdir().unwrap();
        let part = root.path().join("Show/Season 01/Show - S01E01.mp4.part");
        LocalLibrary.prepare(part.clone()).await.unwrap();
        assert!(part.parent().unwrap().is_dir());
        assert!(!part.exists());
    }

    #[tokio::test]
    async fn finish_renames_the_partial_file_over_an_existing_target() {
        let root = tempfile::tempdir().unwrap();
        let part = root.path().join("a.mp4.part");
        let target = root.path().join("a.mp4");
        fs::write(&part, b"complete").unwrap();
        fs::write(&target, b"old").unwrap();
        LocalLibrary
            .finish(part.clone(), target.clone())
            .await
            .unwrap();
        assert!(!part.exists());
        assert_eq!(fs::read(&target).unwrap(), b"complete");
    }

    #[tokio::test]
    async fn finishing_a_missing_partial_file_names_it_and_leaves_the_target_alone() {
        let root = tempfile::tempdir().unwrap();
        let part = root.path().join("gone.mp4.part");
        let target = root.path().join("gone.mp4");
        let err = LocalLibrary
            .finish(part.clone(), target.clone())
            .await
            .unwrap_err();
        assert_eq!(err.path, part.display().to_string());
        assert!(!target.exists());
    }

    #[tokio::test]
    async fn discard_deletes_a_partial_file_and_a_missing_one_is_fine() {
        let root = tempfile::tempdir().unwrap();
        let part = root.path().join("a.ts.part");
        fs::write(&part, b"x").unwrap();
        LocalLibrary.discard(part.clone()).await.unwrap();
        assert!(!part.exists());
        LocalLibrary.discard(part).await.unwrap();
    }

    #[tokio::test]
    async fn partial_files_are_found_at_any_depth_and_nothing_else_is() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("Show/Season 01");
        fs::create_dir_all(&deep).unwrap();
        fs::create_dir_all(root.path().join("folder.part")).unwrap();
        for name in [
            "Show - S01E01.mp4.part",
            "Show - S01E02.mp4",
            "notes.partial",
        ] {
            fs::write(deep.join(name), b"x").unwrap();
        }
        fs::write(root.path().join("top.ts.part"), b"x").unwrap();
        let found = LocalLibrary
            .partial_files(root.path().to_owned())
            .await
            .unwrap();
        assert_eq!(
            found,
            vec![
                deep.join("Show - S01E01.mp4.part"),
                root.path().join("top.ts.part"),
            ]
        );
    }

    #[tokio::test]
    async fn looking_for_partial_files_in_a_missing_folder_is_an_error_naming_it() {
        let root = tempfile::tempdir().unwrap();
        let missing = root.path().join("nowhere");
        let err = LocalLibrary
            .partial_files(missing.clone())
            .await
            .unwrap_err();
        assert_eq!(err.path, missing.display().to_string());
    }
}
