//! The local library adapter on temporary directories.

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::*;
use crate::domain::episode::EpisodeId;
use crate::domain::episode_set::EpisodeSet;
use crate::domain::series::SeriesKey;
use crate::ports::library::ScanProgress;

fn series(key: &str, folder: &str) -> Series {
    Series {
        key: SeriesKey::parse(key).unwrap(),
        name: folder.into(),
        site: "aniworld.to".into(),
        link: format!("https://aniworld.to/anime/stream/{key}"),
        folder: FolderName::sanitise(folder).unwrap(),
    }
}

fn touch(path: &Path) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, b"").unwrap();
}

fn ids(pairs: &[(u32, u32)]) -> EpisodeSet {
    pairs.iter().map(|(s, e)| EpisodeId::new(*s, *e)).collect()
}

fn quiet() -> ScanObserver {
    Arc::new(|_| {})
}

#[tokio::test]
async fn a_series_folder_gets_its_sidecar_and_a_second_series_may_not_claim_it() {
    let root = tempfile::tempdir().unwrap();
    let fs_ = LocalLibrary;
    let aot = series("attack-on-titan", "Attack on Titan (2013)");
    fs_.create_series_folder(root.path().into(), aot.clone())
        .await
        .unwrap();
    let written = fs::read(root.path().join("Attack on Titan (2013)/aniworld.json")).unwrap();
    let sidecar: Sidecar = serde_json::from_slice(&written).unwrap();
    assert_eq!(sidecar, Sidecar::from(&aot));
    // Claiming it again for the same series is fine; for another one it is not.
    fs_.create_series_folder(root.path().into(), aot)
        .await
        .unwrap();
    let other = series("other", "Attack on Titan (2013)");
    let err = fs_
        .create_series_folder(root.path().into(), other)
        .await
        .unwrap_err();
    assert!(matches!(err, LibraryFsError::FolderTaken { owner, .. } if owner == "attack-on-titan"));
}

#[tokio::test]
async fn no_folder_is_created_when_the_library_directory_is_missing() {
    let root = tempfile::tempdir().unwrap();
    let gone = root.path().join("gone");
    let err = LocalLibrary
        .create_series_folder(gone.clone(), series("a", "A"))
        .await
        .unwrap_err();
    assert!(matches!(err, LibraryFsError::NotADirectory(_)));
    assert!(!gone.exists());
}

#[tokio::test]
async fn episode_files_are_found_in_any_naming_and_nested_season_folders() {
    let root = tempfile::tempdir().unwrap();
    let show = root.path().join("Show");
    touch(&show.join("Show - S01E01.mp4"));
    touch(&show.join("Season 01/show.s1e2.MKV"));
    touch(&show.join("Season 02/extra/deep/Show S02E1001 1080p.ts"));
    touch(&show.join("Films/Show - S00E01.webm"));
    touch(&show.join("Show - S01E03.mp4.part"));
    touch(&show.join("Show - S01E04.nfo"));
    touch(&show.join("Show - S01E01 copy.avi"));
    let scan = LocalLibrary
        .scan_series(root.path().into(), FolderName::sanitise("Show").unwrap())
        .await
        .unwrap();
    assert_eq!(scan.episodes, ids(&[(0, 1), (1, 1), (1, 2), (2, 1001)]));
    assert_eq!(scan.files, 5);
}

#[tokio::test]
async fn a_series_folder_that_does_not_exist_holds_no_episodes() {
    let root = tempfile::tempdir().unwrap();
    let scan = LocalLibrary
        .scan_series(root.path().into(), FolderName::sanitise("Nope").unwrap())
        .await
        .unwrap();
    assert!(scan.episodes.is_empty());
}

#[tokio::test]
async fn the_library_scan_walks_sidecar_and_known_folders_only_and_reports_progress() {
    let root = tempfile::tempdir().unwrap();
    let fs_ = LocalLibrary;
    fs_.create_series_folder(root.path().into(), series("a", "A"))
        .await
        .unwrap();
    touch(&root.path().join("A/A - S01E01.mp4"));
    touch(&root.path().join("Known/Known - S01E02.mkv"));
    touch(&root.path().join("Stranger/Stranger - S01E03.mkv"));
    touch(&root.path().join("loose file S01E01.mp4"));
    let seen = Arc::new(Mutex::new(Vec::<ScanProgress>::new()));
    let sink = seen.clone();
    let scan = fs_
        .scan_library(
            root.path().into(),
            HashSet::from(["Known".to_owned()]),
            Arc::new(move |p| sink.lock().unwrap().push(p)),
        )
        .await
        .unwrap();
    let found: Vec<_> = scan
        .folders
        .iter()
        .map(|f| (f.folder.as_str(), f.sidecar.is_some(), f.files))
        .collect();
    assert_eq!(found, [("A", true, 1), ("Known", false, 1)]);
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!((seen[2].done, seen[2].total), (3, 3));
}

#[tokio::test]
async fn a_missing_library_directory_is_an_error_not_an_empty_library() {
    let root = tempfile::tempdir().unwrap();
    let err = LocalLibrary
        .scan_library(root.path().join("gone"), HashSet::new(), quiet())
        .await
        .unwrap_err();
    assert!(matches!(err, LibraryFsError::NotADirectory(_)));
}

#[cfg(unix)]
#[tokio::test]
async fn broken_links_and_non_utf8_names_are_reported_and_skipped() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;

    let root = tempfile::tempdir().unwrap();
    let show = root.path().join("Show");
    touch(&show.join("Show - S01E01.mp4"));
    symlink(show.join("nowhere"), show.join("Show - S01E02.mp4")).unwrap();
    symlink(root.path().join("nowhere"), root.path().join("Dangling")).unwrap();
    let bad = std::ffi::OsStr::from_bytes(b"Show - S01E03 \xff.mp4");
    touch(&show.join(bad));
    fs::create_dir(root.path().join(std::ffi::OsStr::from_bytes(b"bad \xfe"))).unwrap();
    // A linked season folder is followed like a real one.
    touch(&root.path().join("elsewhere/Show - S02E01.mkv"));
    symlink(root.path().join("elsewhere"), show.join("Season 02")).unwrap();

    let scan = LocalLibrary
        .scan_library(root.path().into(), HashSet::from(["Show".into()]), quiet())
        .await
        .unwrap();
    assert_eq!(scan.folders.len(), 1);
    assert_eq!(scan.folders[0].episodes, ids(&[(1, 1), (2, 1)]));
    let reasons: Vec<_> = scan.problems.iter().map(|p| p.reason.as_str()).collect();
    assert_eq!(reasons.len(), 4, "{:?}", scan.problems);
    assert_eq!(
        reasons.iter().filter(|r| r.contains("broken link")).count(),
        2
    );
    assert_eq!(reasons.iter().filter(|r| r.contains("UTF-8")).count(), 2);
}

#[cfg(unix)]
#[tokio::test]
async fn an_unreadable_folder_is_reported_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;

    let root = tempfile::tempdir().unwrap();
    touch(&root.path().join("Show/Show - S01E01.mp4"));
    touch(&root.path().join("Show/Locked/Show - S01E02.mp4"));
    let locked = root.path().join("Show/Locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads every folder regardless of its mode; there is nothing to prove then.
    let readable_anyway = fs::read_dir(&locked).is_ok();
    let scan = LocalLibrary
        .scan_library(root.path().into(), HashSet::from(["Show".into()]), quiet())
        .await
        .unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(scan.folders[0].episodes.contains(&EpisodeId::new(1, 1)));
    if !readable_anyway {
        assert_eq!(scan.problems.len(), 1, "{:?}", scan.problems);
        assert!(scan.problems[0].path.ends_with("Locked"));
    }
}
