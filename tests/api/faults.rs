//! Faults of the outside world through the real server (issue 11): a catalogue page cut
//! short or replaced by garbage, a hoster that sends fewer bytes than it announced, a
//! library folder that cannot be written. Each ends in a clear error, never a 500, and
//! changes nothing it should not.

use serde_json::{Value, json};

use crate::helpers::assert_error;
use crate::library::{add, library_app};
use crate::queue::{command, enqueue, ids, queue_app, set_downloads, wait_for_item};
use crate::support::fake_site::FakeHoster;

#[tokio::test]
async fn a_series_page_cut_short_every_time_is_a_bad_gateway_and_adds_nothing() {
    let (app, site, token) = library_app().await;
    site.truncate("/anime/stream/kaguya-sama-love-is-war", 200, 10);
    let link = site.url("/anime/stream/kaguya-sama-love-is-war");
    let r = app
        .post("/api/anime/add", Some(&token), json!({ "link": link }))
        .await;
    assert_error(r, 502, "UPSTREAM_ERROR").await;
    let status: Value = app
        .get("/api/anime/status", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["series_count"], 0, "nothing was added");
    assert!(
        std::fs::read_dir(app.anime_path())
            .unwrap()
            .next()
            .is_none(),
        "no folder made"
    );
}

#[tokio::test]
async fn a_garbage_series_page_is_a_bad_gateway_naming_what_was_not_understood() {
    let (app, site, token) = library_app().await;
    site.serve_html(
        "/anime/stream/kaguya-sama-love-is-war",
        "<html><body>\u{fffd}\u{0}<div class=\"series-title\"><h1>",
    );
    let link = site.url("/anime/stream/kaguya-sama-love-is-war");
    let r = app
        .post("/api/anime/add", Some(&token), json!({ "link": link }))
        .await;
    let body = assert_error(r, 502, "UPSTREAM_ERROR").await;
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("layout not recognised"), "{message}");
}

#[tokio::test]
async fn a_hoster_sending_fewer_bytes_than_announced_is_resumed_to_a_byte_exact_file() {
    let (app, site, token) = queue_app(&["Vidoza"]).await;
    let link = site
        .links("attack-on-titan", 1, 3)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Vidoza)
        .unwrap();
    // Every answer for the media breaks off after 10,000 bytes, resumed ones included,
    // while Content-Length announces the whole rest.
    let media = format!("/media/{}/video.mp4", link.link.id);
    site.truncate(&media, 10_000, 1_000);
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 3)], "NORMAL").await).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    let bytes = std::fs::read(crate::queue::library_file(
        &app,
        done["file"].as_str().unwrap(),
    ))
    .unwrap();
    assert!(
        bytes == link.expected_bytes(),
        "byte-exact despite the cuts"
    );
    assert!(
        site.requests(&media) >= bytes.len() / 10_000,
        "resumed after each cut: {} requests for {} bytes",
        site.requests(&media),
        bytes.len()
    );
}

#[tokio::test]
async fn a_season_folder_that_cannot_be_made_fails_the_item_at_once_naming_the_path() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "kaguya-sama-love-is-war").await;
    set_downloads(&app, &token, json!({ "preferred_hosters": ["Vidoza"] })).await;
    // A file where the season folder must go: writing beneath it fails, as a full or
    // read-only disk would.
    let series = app.anime_path().join("Kaguya-sama Love is War");
    std::fs::write(series.join("Season 01"), b"not a folder").unwrap();
    command(&app, &token, "start").await;
    let id =
        ids(&enqueue(&app, &token, "kaguya-sama-love-is-war", &[(1, 1)], "NORMAL").await).remove(0);
    let failed = wait_for_item(&app, &token, &id, "failed").await;
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("cannot write the file"), "{error}");
    assert!(error.contains("Season 01"), "the path is named: {error}");
    assert_eq!(
        failed["retry_count"], 0,
        "another hoster or a retry would not help"
    );
    assert_eq!(
        std::fs::read(series.join("Season 01")).unwrap(),
        b"not a folder"
    );
}
