//! The episode-file scan, as plain blocking functions (the adapter runs them in
//! `spawn_blocking`).
//!
//! Built to be about as cheap as `find`: one pass over the directory entries, file types
//! taken from the directory listing (no `stat` per file; only symbolic links are followed
//! and so looked up), one series folder at a time so only that folder's episodes are in
//! memory, and folders that are neither series on record nor hold a sidecar are not walked.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::sidecar;
use crate::domain::episode::episode_of_file_name;
use crate::ports::library::{
    LibraryFsError, LibraryScan, ScanObserver, ScanProblem, ScanProgress, SeriesFolderScan,
};

/// Scans every series folder directly under `root`.
pub(super) fn library(
    root: &Path,
    known: &HashSet<String>,
    observer: &ScanObserver,
) -> Result<LibraryScan, LibraryFsError> {
    let mut problems = Vec::new();
    let folders = child_folders(root, &mut problems)?;
    let total = folders.len() as u64;
    let mut scan = LibraryScan::default();
    for (done, (name, path)) in folders.into_iter().enumerate() {
        let found = match sidecar::read(&path) {
            Ok(found) => found,
            Err(reason) => {
                problems.push(problem(&path.join("aniworld.json"), reason));
                None
            }
        };
        if found.is_some() || known.contains(&name) {
            scan.folders
                .push(series_folder(&path, name.clone(), found, &mut problems));
        }
        observer(ScanProgress {
            done: done as u64 + 1,
            total,
            current: Some(name),
        });
    }
    scan.problems = problems;
    Ok(scan)
}

/// The folders directly under `root` whose names are UTF-8, by name. Symbolic links to
/// folders count; broken links and other names are reported.
fn child_folders(
    root: &Path,
    problems: &mut Vec<ScanProblem>,
) -> Result<Vec<(String, PathBuf)>, LibraryFsError> {
    let entries = fs::read_dir(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => {
            LibraryFsError::NotADirectory(root.display().to_string())
        }
        _ => LibraryFsError::Io {
            path: root.display().to_string(),
            reason: e.to_string(),
        },
    })?;
    let mut folders = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(problem(root, e.to_string()));
                continue;
            }
        };
        let path = entry.path();
        let is_dir = match entry.file_type() {
            Ok(t) if t.is_symlink() => match fs::metadata(&path) {
                Ok(target) => target.is_dir(),
                Err(e) => {
                    problems.push(problem(&path, format!("broken link: {e}")));
                    continue;
                }
            },
            Ok(t) => t.is_dir(),
            Err(e) => {
                problems.push(problem(&path, e.to_string()));
                continue;
            }
        };
        if !is_dir {
            continue;
        }
        match utf8(entry.file_name()) {
            Some(name) => folders.push((name, path)),
            None => problems.push(not_utf8(&path)),
        }
    }
    // A stable order makes progress events and results reproducible.
    folders.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(folders)
}

/// Walks one series folder (following links, so linked season folders count) and collects
/// the episodes its files hold.
pub(super) fn series_folder(
    path: &Path,
    name: String,
    sidecar: Option<crate::domain::library::Sidecar>,
    problems: &mut Vec<ScanProblem>,
) -> SeriesFolderScan {
    let mut scan = SeriesFolderScan {
        folder: name,
        sidecar,
        ..SeriesFolderScan::default()
    };
    for entry in WalkDir::new(path).min_depth(1).follow_links(true) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let at = e.path().unwrap_or(path).to_path_buf();
                problems.push(problem(&at, walk_reason(&e)));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let Some(file_name) = entry.file_name().to_str() else {
            problems.push(not_utf8(entry.path()));
            continue;
        };
        if let Some(id) = episode_of_file_name(file_name) {
            scan.episodes.insert(id);
            scan.files += 1;
        }
    }
    scan
}

fn walk_reason(e: &walkdir::Error) -> String {
    if e.loop_ancestor().is_some() {
        return "link loop, not followed".into();
    }
    match e.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => format!("broken link: {io}"),
        Some(io) => io.to_string(),
        None => e.to_string(),
    }
}

fn utf8(name: OsString) -> Option<String> {
    name.into_string().ok()
}

fn not_utf8(path: &Path) -> ScanProblem {
    problem(path, "name is not valid UTF-8, skipped".into())
}

fn problem(path: &Path, reason: String) -> ScanProblem {
    ScanProblem {
        path: path.to_string_lossy().into_owned(),
        reason,
    }
}
