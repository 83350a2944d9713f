//! The library's disk fills up during a download.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::{TestOptions, assert_error, spawn_app_with};
use crate::library::add;
use crate::queue::{
    command, enqueue, ids, library_file, one_episode_site, part_files, set_downloads, status,
    wait_for_item, walk,
};
use crate::support::fake_site::{FakeHoster, FakeLink, FakeMedia};
use crate::support::mounts::Tmpfs;

const MIB: u64 = 1024 * 1024;

/// Points the server's library at `dir` (the tmpfs).
async fn use_library(app: &crate::helpers::TestApp, token: &str, dir: &std::path::Path) {
    let body = json!({ "directory": dir });
    let r = app.post("/api/config/directory", Some(token), body).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// The library is a 4 MiB tmpfs holding another series' episode and a 2 MiB filler file;
/// the episode to download is 3 MiB, more than the space left. The `.part` file is deleted
/// when the item fails: a failed item owns no partial file (its retry starts over), and the
/// space is the user's. Freeing the space and retrying downloads it byte-exact.
#[tokio::test]
async fn a_full_disk_fails_the_item_at_once_naming_the_path_frees_the_part_file_and_a_retry_after_freeing_space_is_byte_exact()
 {
    if !super::root() {
        return;
    }
    let link = FakeLink::new(FakeHoster::Vidoza, 1).media(FakeMedia::Mp4 { size: 3 * MIB });
    let (site, link_id) = one_episode_site(link).await;
    let app = spawn_app_with(TestOptions {
        provider_url: site.base_url().to_owned(),
        ..TestOptions::default()
    })
    .await;
    let token = app.login().await;
    let library = app.anime_path();
    // Declared after the app: dropped (unmounted) before the app's temp dirs are removed.
    let _disk = Tmpfs::mount(&library, 4 * MIB);
    use_library(&app, &token, &library).await;
    add(&app, &site, &token, "dr-stone").await;
    set_downloads(&app, &token, json!({ "preferred_hosters": ["Vidoza"] })).await;
    let other = library.join("Other Show/Season 01/Other Show - S01E01.mp4");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    let other_bytes: Vec<u8> = (0..300 * 1024).map(|i| (i % 251) as u8).collect();
    std::fs::write(&other, &other_bytes).unwrap();
    let filler = library.join("filler.bin");
    std::fs::write(&filler, vec![7u8; 2 * MIB as usize]).unwrap();

    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "dr-stone", &[(1, 1)], "NORMAL").await).remove(0);
    let failed = wait_for_item(&app, &token, &id, "failed").await;
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.to_lowercase().contains("no space left on device"),
        "the system's reason: {error}"
    );
    assert!(
        error.contains("Season 01") && error.contains(".mp4.part"),
        "the path is named: {error}"
    );
    assert_eq!(failed["retry_count"], 0, "no retry loop: {failed}");
    let media = format!("/media/{link_id}/video.mp4");
    assert_eq!(site.requests(&media), 1, "no other attempt at the media");
    assert!(part_files(&app).is_empty(), "the partial file is deleted");
    let names: BTreeSet<String> = walk(&library)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = ["aniworld.json", "Other Show - S01E01.mp4", "filler.bin"]
        .map(String::from)
        .into();
    assert_eq!(
        names, expected,
        "no file under the final name, nothing else gone"
    );
    assert!(
        std::fs::read(&other).unwrap() == other_bytes,
        "other files untouched"
    );
    assert_eq!(app.get("/health", None).await.status(), 200);
    let s = status(&app, &token).await;
    assert_eq!(s["status"]["failed_downloads"].as_array().unwrap().len(), 1);

    std::fs::remove_file(&filler).unwrap();
    let r = app
        .post(
            "/api/queue/retry",
            Some(&token),
            json!({ "item_ids": [id] }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["retried_ids"], json!([id]), "{body}");
    let done = wait_for_item(&app, &token, &id, "completed").await;
    let file = library_file(&app, done["file"].as_str().unwrap());
    let expected_bytes = site.links("dr-stone", 1, 1).remove(0).expected_bytes();
    assert!(
        std::fs::read(&file).unwrap() == expected_bytes,
        "byte-exact after the retry"
    );
    assert!(part_files(&app).is_empty());
    assert!(
        std::fs::read(&other).unwrap() == other_bytes,
        "other files untouched"
    );
}

/// Adding a series to a library disk with no space left: 503 naming the path and the system's
/// reason, nothing added (the record is taken back out), and once space is freed the same
/// request adds it.
#[tokio::test]
async fn adding_a_series_to_a_full_library_disk_is_503_naming_the_path_and_adds_nothing() {
    if !super::root() {
        return;
    }
    let (site, _) = one_episode_site(FakeLink::new(FakeHoster::Vidoza, 1)).await;
    let app = spawn_app_with(TestOptions {
        provider_url: site.base_url().to_owned(),
        ..TestOptions::default()
    })
    .await;
    let token = app.login().await;
    let library = app.anime_path();
    let _disk = Tmpfs::mount(&library, MIB);
    use_library(&app, &token, &library).await;
    let filler = library.join("filler.bin");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 4096];
        while f.write_all(&chunk).and_then(|()| f.sync_all()).is_ok() {}
    }

    let link = json!({ "link": site.url("/anime/stream/dr-stone") });
    let r = app.post("/api/anime/add", Some(&token), link.clone()).await;
    let body = assert_error(r, 503, "STORAGE_ERROR").await;
    let message = body["message"].as_str().unwrap();
    assert!(
        message.to_lowercase().contains("no space left on device"),
        "{message}"
    );
    assert!(
        message.contains("Dr. Stone"),
        "the path is named: {message}"
    );
    assert_eq!(app.get("/api/anime/dr-stone", None).await.status(), 404);

    std::fs::remove_file(&filler).unwrap();
    let r = app.post("/api/anime/add", Some(&token), link).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert!(library.join("Dr. Stone (2019)/aniworld.json").is_file());
}
