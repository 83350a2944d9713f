//! Rescans in the background: one at a time, on demand and on the scheduler's interval, with
//! time moved by the test's manual clock instead of waiting.

use std::fs;
use std::time::Duration;

use serde_json::{Value, json};

use crate::library::{add, library_app, missing_becomes};
use crate::support::eventually::eventually;

#[tokio::test]
async fn a_second_rescan_while_one_runs_does_not_start_a_second_walk() {
    let (app, site, token) = library_app().await;
    // A series known only by its sidecar: the rescan asks the catalogue about it, and that
    // page hangs, so the first rescan is still running when the second is asked for.
    let folder = app.anime_path().join("Kaguya");
    fs::create_dir(&folder).unwrap();
    let sidecar = json!({"key": "kaguya-sama-love-is-war", "name": "Kaguya", "site": "aniworld.to",
        "link": site.url("/anime/stream/kaguya-sama-love-is-war")});
    fs::write(folder.join("aniworld.json"), sidecar.to_string()).unwrap();
    let page = "/anime/stream/kaguya-sama-love-is-war";
    site.hang(page);

    let first: Value = app
        .post("/api/anime/rescan", Some(&token), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["message"], "Rescan started successfully");
    assert!(
        site.wait_for_requests(page, 1, Duration::from_secs(10))
            .await
    );
    for path in ["/api/anime/rescan", "/api/scheduler/trigger-rescan"] {
        let again: Value = app
            .post(path, Some(&token), json!({}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            again,
            json!({ "success": true, "message": "A rescan is already running" })
        );
    }
    assert_eq!(site.requests(page), 1);
    let status: Value = app
        .get("/api/anime/status", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        status["series_count"], 1,
        "the sidecar's series joined the library"
    );
}

#[tokio::test]
async fn the_scheduler_rescans_on_its_interval_as_the_clock_moves() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "jojos-bizarre-adventure").await;
    let r = app
        .post(
            "/api/scheduler/config",
            Some(&token),
            json!({ "enabled": true, "interval_minutes": 5 }),
        )
        .await;
    assert_eq!(r.status(), 200);
    fs::write(
        app.anime_path()
            .join("JoJo's Bizarre Adventure (2012)/JoJo S01E01.mp4"),
        b"",
    )
    .unwrap();
    app.clock.advance(chrono::Duration::minutes(5));
    missing_becomes(&app, "jojos-bizarre-adventure", &["2-1", "2-2"]).await;

    fs::write(
        app.anime_path()
            .join("JoJo's Bizarre Adventure (2012)/JoJo S02E02.mkv"),
        b"",
    )
    .unwrap();
    app.clock.advance(chrono::Duration::minutes(5));
    missing_becomes(&app, "jojos-bizarre-adventure", &["2-1"]).await;
}

#[tokio::test]
async fn a_triggered_rescan_runs_now() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "jojos-bizarre-adventure").await;
    fs::write(
        app.anime_path()
            .join("JoJo's Bizarre Adventure (2012)/JoJo S02E01.mp4"),
        b"",
    )
    .unwrap();
    let r: Value = app
        .post("/api/scheduler/trigger-rescan", Some(&token), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        r,
        json!({ "success": true, "message": "Rescan started successfully" })
    );
    missing_becomes(&app, "jojos-bizarre-adventure", &["1-1", "2-2"]).await;
}

#[tokio::test]
async fn files_that_came_while_the_server_was_down_are_seen_after_a_restart_without_a_rescan() {
    let (mut app, site, token) = library_app().await;
    add(&app, &site, &token, "kaguya-sama-love-is-war").await;
    missing_becomes(&app, "kaguya-sama-love-is-war", &["1-1", "1-2"]).await;
    app.stop().await;
    let folder = app.anime_path().join("Kaguya-sama Love is War");
    fs::write(folder.join("Kaguya S01E02.mkv"), b"video").unwrap();
    let app = app.restart().await;
    missing_becomes(&app, "kaguya-sama-love-is-war", &["1-1"]).await;
}

#[tokio::test]
async fn a_catalogue_refresh_shows_each_series_as_it_arrives_not_when_the_slowest_is_done() {
    let (app, site, token) = library_app().await;
    for (folder, key) in [
        ("Kaguya", "kaguya-sama-love-is-war"),
        ("JoJo", "jojos-bizarre-adventure"),
    ] {
        let dir = app.anime_path().join(folder);
        fs::create_dir(&dir).unwrap();
        let sidecar = json!({"key": key, "name": folder, "site": "aniworld.to",
            "link": site.url(&format!("/anime/stream/{key}"))});
        fs::write(dir.join("aniworld.json"), sidecar.to_string()).unwrap();
    }
    // JoJo's page never answers (until the provider timeout): the refresh is held up.
    site.hang("/anime/stream/jojos-bizarre-adventure");
    let r = app.post("/api/anime/rescan", Some(&token), json!({})).await;
    assert_eq!(r.status(), 200);
    let what = "Kaguya's episodes are not shown while JoJo's page hangs";
    eventually(Duration::from_secs(5), what, async || {
        let body: Value = app
            .get("/api/anime/kaguya-sama-love-is-war", None)
            .await
            .json()
            .await
            .unwrap();
        if body["episodes"] == json!(["1-1", "1-2"]) {
            Ok(())
        } else {
            Err(body)
        }
    })
    .await;
    let again: Value = app
        .post("/api/anime/rescan", Some(&token), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        again["message"], "A rescan is already running",
        "the refresh is still waiting for JoJo"
    );
}
