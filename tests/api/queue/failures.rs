//! When things go wrong: a failing hoster falls back to the next, retries back off and end in
//! a failure that names every hoster tried, the user's retry, a download cancelled by its
//! removal, and a signed URL that expires mid-download.

use chrono::Duration as Span;
use reqwest::Method;
use serde_json::json;

use super::*;
use crate::support::eventually::eventually;
use crate::support::fake_site::{Expiry, FakeHoster, FakeLink};

#[tokio::test]
async fn a_failing_hoster_falls_back_to_the_next_preferred_one() {
    // Episode 1-2: VOE's page is unrecognised, Vidoza's is gone, Vidmoly works.
    let (app, site, token) = queue_app(&["VOE", "Vidoza", "Vidmoly"]).await;
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 2)], "NORMAL").await).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    assert_eq!(done["hoster"], "Vidmoly");
    assert_eq!(done["retry_count"], 0);
    let link = site
        .links("attack-on-titan", 1, 2)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Vidmoly)
        .unwrap();
    let file = library_file(&app, done["file"].as_str().unwrap());
    assert!(std::fs::read(file).unwrap() == link.expected_bytes());
}

#[tokio::test]
async fn retries_back_off_then_the_item_fails_naming_each_hoster_and_can_be_retried() {
    let (app, _site, token) = queue_app(&["VOE", "Vidoza"]).await;
    set_downloads(&app, &token, json!({ "retries": 2 })).await;
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 2)], "NORMAL").await).remove(0);
    for attempt in 1..=2 {
        let waiting = wait_until(&app, &token, "a retry waiting", |s| {
            item(s, &id).is_some_and(|i| i["status"] == "pending" && i["retry_count"] == attempt)
        })
        .await;
        let waiting = item(&waiting, &id).unwrap();
        assert!(waiting["retry_at"].is_string(), "{waiting}");
        assert!(
            waiting["error"].as_str().unwrap().contains("VOE"),
            "{waiting}"
        );
        app.clock.advance(Span::minutes(15));
    }
    let failed = wait_for_item(&app, &token, &id, "failed").await;
    assert_eq!(failed["retry_count"], 2);
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.contains("VOE (German Dub): VOE page layout not recognised")
            && error.contains("Vidoza (German Dub): HTTP 404"),
        "{error}"
    );
    let s = status(&app, &token).await;
    assert_eq!(s["statistics"]["failed_count"], 1);
    assert!(part_files(&app).is_empty());

    // With a working hoster allowed, the user's retry (all failed items) succeeds.
    set_downloads(
        &app,
        &token,
        json!({ "preferred_hosters": ["VOE", "Vidoza", "Vidmoly"] }),
    )
    .await;
    let r = app
        .post("/api/queue/retry", Some(&token), json!({ "item_ids": [] }))
        .await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["retried_count"], 1);
    assert_eq!(body["retried_ids"], json!([id]));
    assert_eq!(body["message"], "Retrying 1 failed item(s)");
    let done = wait_for_item(&app, &token, &id, "completed").await;
    assert_eq!(
        (done["hoster"].clone(), done["retry_count"].clone()),
        (json!("Vidmoly"), json!(3))
    );
}

#[tokio::test]
async fn removing_a_running_download_cancels_it_and_deletes_its_partial_file() {
    let (app, site, token) = queue_app(&["Vidoza"]).await;
    let link = site
        .links("attack-on-titan", 1, 3)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Vidoza)
        .unwrap();
    site.throttle_media(link.link.id, 8 * 1024);
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 3)], "NORMAL").await).remove(0);
    wait_until(&app, &token, "bytes arriving", |s| {
        item(s, &id).is_some_and(|i| i["progress"]["downloaded_mb"].as_f64().unwrap_or(0.0) > 0.0)
    })
    .await;
    assert_eq!(
        part_files(&app).len(),
        1,
        "the download writes a .part file"
    );
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/queue/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status(), 204);
    assert!(item(&status(&app, &token).await, &id).is_none());
    let within = std::time::Duration::from_secs(10);
    eventually(within, "the partial file is deleted", async || {
        part_files(&app).is_empty()
    })
    .await;
    let folder = app.anime_path().join("Attack on Titan (2013)/Season 01");
    assert!(!folder.join("Attack on Titan (2013) - S01E03.mp4").exists());
}

#[tokio::test]
async fn a_signed_url_that_expires_mid_download_is_resolved_again_and_continued() {
    let size = 512 * 1024;
    let (site, _) = one_episode_site(
        FakeLink::new(FakeHoster::Vidoza, 1)
            .media(crate::support::fake_site::FakeMedia::Mp4 { size })
            .signed(),
    )
    .await;
    let app = crate::helpers::spawn_app_with(crate::helpers::TestOptions {
        provider_url: site.base_url().to_owned(),
        ..Default::default()
    })
    .await;
    let token = app.login().await;
    let r = app
        .post(
            "/api/config/directory",
            Some(&token),
            json!({ "directory": app.anime_path() }),
        )
        .await;
    assert_eq!(r.status(), 200);
    crate::library::add(&app, &site, &token, "dr-stone").await;
    set_downloads(&app, &token, json!({ "preferred_hosters": ["Vidoza"] })).await;
    let link = site.links("dr-stone", 1, 1).remove(0);
    site.expire_after(link.link.id, Expiry::Bytes(200 * 1024));
    command(&app, &token, "start").await;
    let added = app
        .post(
            "/api/queue/add",
            Some(&token),
            json!({ "serie_id": "dr-stone", "episodes": [{ "season": 1, "episode": 1 }] }),
        )
        .await;
    let id = ids(&added.json().await.unwrap()).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    assert!(site.generation(link.link.id) >= 1, "the signature expired");
    let embed = link.embed_url();
    let embed_path = embed.trim_start_matches(site.base_url());
    assert!(
        site.requests(embed_path) >= 2,
        "the episode was resolved again"
    );
    let bytes = std::fs::read(library_file(&app, done["file"].as_str().unwrap())).unwrap();
    assert!(
        bytes == link.expected_bytes(),
        "byte-exact across the new URL"
    );
    assert_eq!(done["retry_count"], 0, "an expired URL is not a failure");
    let served = site.media_bytes_served(link.link.id);
    assert!(
        served < size + size / 2,
        "went on from the checkpoint rather than starting over: {served} bytes served for {size}"
    );
}

#[tokio::test]
async fn a_folder_that_cannot_be_written_fails_the_item_with_that_reason_at_once() {
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    // "Season 01" is a file, so the episode's folder cannot be made.
    let series = app.anime_path().join("Attack on Titan (2013)");
    std::fs::write(series.join("Season 01"), b"not a folder").unwrap();
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 3)], "NORMAL").await).remove(0);
    let failed = wait_for_item(&app, &token, &id, "failed").await;
    assert_eq!(
        failed["retry_count"], 0,
        "another try would not help: {failed}"
    );
    let error = failed["error"].as_str().unwrap();
    assert!(error.starts_with("cannot write the file"), "{error}");
    assert!(
        error.contains("Season 01"),
        "the error names the path: {error}"
    );
    assert!(part_files(&app).is_empty());
}

#[tokio::test]
async fn partial_files_no_queue_item_owns_are_deleted_at_start_up() {
    let (app, _site, _token) = queue_app(&["Vidoza"]).await;
    let season = app.anime_path().join("Attack on Titan (2013)/Season 02");
    std::fs::create_dir_all(&season).unwrap();
    let stray = season.join("Attack on Titan (2013) - S02E01.mp4.part");
    std::fs::write(&stray, vec![1u8; 1000]).unwrap();
    let keep = season.join("notes.txt");
    std::fs::write(&keep, b"mine").unwrap();
    let _restarted = app.restart().await;
    let within = std::time::Duration::from_secs(10);
    eventually(within, "the stray .part is deleted", async || {
        !stray.exists()
    })
    .await;
    assert!(keep.exists(), "other files are left alone");
}

#[tokio::test]
async fn a_challenged_hoster_is_named_as_such_then_rests_while_the_next_carries_on() {
    let (app, site, token) = queue_app(&["VOE"]).await;
    let voe = site
        .links("attack-on-titan", 1, 3)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Voe && l.link.language == 1)
        .unwrap();
    let embed = voe.embed_url();
    let embed_path = embed.trim_start_matches(site.base_url()).to_owned();
    site.serve_html(&embed_path, crate::search::CHALLENGE_PAGE);
    set_downloads(
        &app,
        &token,
        json!({ "preferred_languages": ["German Dub"], "retries": 0 }),
    )
    .await;
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 3)], "NORMAL").await).remove(0);
    let failed = wait_for_item(&app, &token, &id, "failed").await;
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.contains("VOE (German Dub): 127.0.0.1 asks for a browser challenge"),
        "{error}"
    );
    assert!(!error.contains("layout"), "{error}");

    // VOE now rests: the next episode goes to Vidoza without asking VOE again.
    let asked = site.requests(&embed_path);
    set_downloads(
        &app,
        &token,
        json!({ "preferred_hosters": ["VOE", "Vidoza"] }),
    )
    .await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 3)], "NORMAL").await).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    assert_eq!(done["hoster"], "Vidoza", "{done}");
    assert_eq!(
        site.requests(&embed_path),
        asked,
        "the resting hoster was not asked"
    );

    // With only the resting hoster left, an item waits for the rest instead of failing.
    set_downloads(&app, &token, json!({ "preferred_hosters": ["VOE"] })).await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 3)], "NORMAL").await).remove(0);
    let s = wait_until(&app, &token, "the item waiting for VOE's rest", |s| {
        item(s, &id).is_some_and(|i| i["status"] == "pending" && i["retry_at"].is_string())
    })
    .await;
    let waiting = item(&s, &id).unwrap();
    assert_eq!(waiting["retry_count"], 0, "no retry used: {waiting}");
    let error = waiting["error"].as_str().unwrap();
    assert!(
        error.contains("resting after a browser challenge"),
        "{error}"
    );
}
