//! Matching a scan's findings with the series on record: which series changed on disk,
//! which moved to another folder, and which are new (known only by their sidecar).

use std::collections::HashMap;

use crate::domain::library::LibrarySeries;
use crate::domain::library_view::LibraryView;
use crate::domain::series::FolderName;
use crate::ports::library::{ScanProblem, SeriesFolderScan};

/// Matches what a scan found with the series on record. Answers the series whose episodes on
/// disk (or folder) changed, and new series found only through a sidecar. A series on record
/// is matched by folder, else by the key in a sidecar (its folder was renamed); a series
/// whose folder is gone holds no episodes.
pub(super) fn reconcile(
    view: &LibraryView,
    folders: Vec<SeriesFolderScan>,
    problems: &mut Vec<ScanProblem>,
) -> (Vec<LibrarySeries>, Vec<LibrarySeries>) {
    let mut by_folder: HashMap<String, SeriesFolderScan> =
        folders.into_iter().map(|f| (f.folder.clone(), f)).collect();
    let by_key: HashMap<String, String> = by_folder
        .values()
        .filter_map(|f| Some((f.sidecar.as_ref()?.key.to_string(), f.folder.clone())))
        .collect();
    let mut changed = Vec::new();
    for listed in view.all() {
        let mut record = listed.record.clone();
        let found = by_folder.remove(record.series.folder.as_str()).or_else(|| {
            let moved = by_key.get(record.series.key.as_str())?;
            let scan = by_folder.remove(moved)?;
            record.series.folder = FolderName::try_from(scan.folder.clone()).ok()?;
            Some(scan)
        });
        let present = found.map(|f| f.episodes).unwrap_or_default();
        if present != record.present || record.series.folder != listed.record.series.folder {
            // A file that went is no longer of the language it was.
            record.files.retain(|e| present.contains(&e));
            record.present = present;
            changed.push(record);
        }
    }
    let mut new: Vec<LibrarySeries> = Vec::new();
    for scan in by_folder.into_values() {
        let Some(sidecar) = scan.sidecar else {
            continue;
        };
        let Ok(folder) = FolderName::try_from(scan.folder.clone()) else {
            problems.push(ScanProblem {
                path: scan.folder,
                reason: "folder name holds characters a series folder may not; skipped".into(),
            });
            continue;
        };
        if new.iter().any(|n| n.series.key == sidecar.key) {
            continue;
        }
        let mut record = LibrarySeries::from_sidecar(sidecar, folder);
        record.present = scan.episodes;
        new.push(record);
    }
    (changed, new)
}
