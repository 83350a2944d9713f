//! The library through the real server and the fake catalogue site: adding series, files
//! appearing and vanishing on disk, the missing-episode list (pages, orders, filters), one
//! series, the error bodies, and switching the library directory; the series metadata stored
//! on adding and refreshing ([`metadata`]).

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::support::eventually::eventually;
use serde_json::{Value, json};

mod metadata;

use crate::helpers::{TestApp, TestOptions, assert_error, spawn_app_with};
use crate::support::fake_site::FakeSite;

/// All episodes of the standard catalogue's Attack on Titan, films first.
const AOT_ALL: [&str; 9] = [
    "0-1", "0-2", "1-1", "1-2", "1-3", "2-1", "2-2", "2-4", "2-5",
];

/// A server on the standard fake site, logged in, without a library directory yet.
pub async fn app_on_fake_site() -> (TestApp, FakeSite, String) {
    let site = FakeSite::standard().await;
    let app = spawn_app_with(TestOptions {
        provider_url: site.base_url().to_owned(),
        ..TestOptions::default()
    })
    .await;
    let token = app.login().await;
    (app, site, token)
}

/// As [`app_on_fake_site`], with the test's anime dir as the library directory.
pub async fn library_app() -> (TestApp, FakeSite, String) {
    let (app, site, token) = app_on_fake_site().await;
    let dir = app.anime_path();
    let r = app
        .post(
            "/api/config/directory",
            Some(&token),
            json!({ "directory": dir }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    (app, site, token)
}

pub async fn add(app: &TestApp, site: &FakeSite, token: &str, key: &str) -> Value {
    let link = site.url(&format!("/anime/stream/{key}"));
    let r = app
        .post("/api/anime/add", Some(token), json!({ "link": link }))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// The missing episodes of one series, as `season-episode`.
pub async fn missing(app: &TestApp, key: &str) -> Vec<String> {
    let body: Value = app
        .get(&format!("/api/anime/{key}"), None)
        .await
        .json()
        .await
        .unwrap();
    serde_json::from_value(body["episodes"].clone()).unwrap()
}

/// Polls the missing list of a series until it equals `expected` (background work).
pub async fn missing_becomes(app: &TestApp, key: &str, expected: &[&str]) {
    let what = format!("missing of {key} should become {expected:?}");
    eventually(Duration::from_secs(10), &what, async || {
        let now = missing(app, key).await;
        if now == expected {
            Ok(())
        } else {
            Err(format!("{now:?}"))
        }
    })
    .await;
}

fn touch(path: &Path) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, b"video").unwrap();
}

async fn list(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let r = app.get(&format!("/api/anime?{query}"), Some(token)).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let body: Vec<Value> = r.json().await.unwrap();
    body.iter()
        .map(|s| s["key"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn library_actions_answer_400_until_a_directory_is_set() {
    let (app, site, token) = app_on_fake_site().await;
    let link = site.url("/anime/stream/attack-on-titan");
    let r = app
        .post("/api/anime/add", Some(&token), json!({ "link": link }))
        .await;
    let body = assert_error(r, 400, "BAD_REQUEST").await;
    assert!(body["message"].as_str().unwrap().contains("directory"));
    let r = app.post("/api/anime/rescan", Some(&token), json!({})).await;
    assert_error(r, 400, "BAD_REQUEST").await;
    let status: Value = app
        .get("/api/anime/status", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status, json!({ "directory": null, "series_count": 0 }));
}

#[tokio::test]
async fn adding_a_series_creates_its_folder_and_sidecar_and_answers_what_is_missing() {
    let (app, site, token) = library_app().await;
    let added = add(&app, &site, &token, "attack-on-titan").await;
    assert_eq!(added["status"], "success");
    assert_eq!(added["key"], "attack-on-titan");
    assert_eq!(added["folder"], "Attack on Titan (2013)");
    assert_eq!(added["db_id"], 1);
    assert_eq!(added["missing_episodes"], json!(AOT_ALL));
    assert_eq!(added["total_missing"], 9);

    let sidecar = fs::read(
        app.anime_path()
            .join("Attack on Titan (2013)/aniworld.json"),
    );
    let sidecar: Value = serde_json::from_slice(&sidecar.unwrap()).unwrap();
    assert_eq!(sidecar["key"], "attack-on-titan");
    assert_eq!(sidecar["site"], "aniworld.to");

    let listed: Vec<Value> = app
        .get("/api/anime", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["missing_episodes"]["2"], json!([1, 2, 4, 5]));
    let status: Value = app
        .get("/api/anime/status", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["series_count"], 1);
    assert_eq!(status["directory"], json!(app.anime_path()));

    let detail: Value = app
        .get("/api/anime/attack-on-titan", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["title"], "Attack on Titan");
    assert_eq!(detail["episodes"], json!(AOT_ALL));
    assert_eq!(detail["available_episodes"], json!(AOT_ALL));
    assert!(detail["description"].as_str().unwrap().contains("Titans"));
}

#[tokio::test]
async fn files_dropped_in_shrink_and_files_deleted_grow_the_missing_list() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "attack-on-titan").await;
    let folder = app.anime_path().join("Attack on Titan (2013)");
    touch(&folder.join("Season 01/Attack on Titan (2013) - S01E01.mp4"));
    touch(&folder.join("aot.s1e2.1080p.MKV"));
    touch(&folder.join("Season 02/extras/deep/AoT S02E05.webm"));
    touch(&folder.join("Films/AoT - S00E01.mp4"));
    touch(&folder.join("AoT - S01E03.mp4.part"));
    touch(&folder.join("AoT - S02E01.nfo"));
    let r = app.post("/api/anime/rescan", Some(&token), json!({})).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "success": true, "message": "Rescan started successfully" })
    );
    missing_becomes(
        &app,
        "attack-on-titan",
        &["0-2", "1-3", "2-1", "2-2", "2-4"],
    )
    .await;

    fs::remove_dir_all(folder.join("Season 02")).unwrap();
    fs::remove_file(folder.join("aot.s1e2.1080p.MKV")).unwrap();
    app.post("/api/anime/rescan", Some(&token), json!({})).await;
    missing_becomes(
        &app,
        "attack-on-titan",
        &["0-2", "1-2", "1-3", "2-1", "2-2", "2-4", "2-5"],
    )
    .await;
}

#[tokio::test]
async fn known_series_conflict_and_bad_links_or_names_are_refused_with_the_error_body() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "attack-on-titan").await;
    let link = site.url("/anime/stream/attack-on-titan");
    let r = app
        .post("/api/anime/add", Some(&token), json!({ "link": link }))
        .await;
    let body = assert_error(r, 409, "CONFLICT_ERROR").await;
    assert_eq!(body["details"]["key"], "attack-on-titan");
    // An invalid request is invalid whether or not the series is known: 422 before 409.
    for empty in ["", "   ", "///"] {
        let r = app
            .post(
                "/api/anime/add",
                Some(&token),
                json!({ "link": link, "name": empty }),
            )
            .await;
        let body = assert_error(r, 422, "VALIDATION_ERROR").await;
        assert_eq!(body["details"]["field"], "name", "{empty:?}");
    }

    for bad in [
        "https://example.com/anime/stream/attack-on-titan".to_owned(),
        site.url("/anime/stream/attack-on-titan/staffel-1"),
        "not a link".to_owned(),
    ] {
        let r = app
            .post("/api/anime/add", Some(&token), json!({ "link": bad }))
            .await;
        let body = assert_error(r, 422, "VALIDATION_ERROR").await;
        assert_eq!(body["details"]["field"], "link");
    }
    let link = site.url("/anime/stream/kaguya-sama-love-is-war");
    let r = app
        .post(
            "/api/anime/add",
            Some(&token),
            json!({ "link": link, "name": "?*:" }),
        )
        .await;
    assert_error(r, 422, "VALIDATION_ERROR").await;
    let link = site.url("/anime/stream/no-such-series");
    let r = app
        .post("/api/anime/add", Some(&token), json!({ "link": link }))
        .await;
    assert_error(r, 404, "NOT_FOUND_ERROR").await;
    let r = app
        .post("/api/anime/add", None, json!({ "link": link }))
        .await;
    assert_error(r, 401, "AUTHENTICATION_ERROR").await;
}

#[tokio::test]
async fn a_series_is_found_by_key_or_folder_and_an_unknown_one_is_404() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "jojos-bizarre-adventure").await;
    let by_folder: Value = app
        .get("/api/anime/JoJo's%20Bizarre%20Adventure%20(2012)", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_folder["key"], "jojos-bizarre-adventure");
    let r = app.get("/api/anime/no-such-series", None).await;
    assert_error(r, 404, "NOT_FOUND_ERROR").await;
}

#[tokio::test]
async fn the_list_pages_sorts_and_filters_series_with_missing_episodes() {
    let (app, site, token) = library_app().await;
    for key in [
        "attack-on-titan",
        "kaguya-sama-love-is-war",
        "jojos-bizarre-adventure",
        "attack-on-titan-junior-high",
    ] {
        add(&app, &site, &token, key).await;
    }
    let by_missing = list(&app, &token, "sort_by=missing_episodes").await;
    assert_eq!(
        by_missing[..2],
        ["attack-on-titan", "jojos-bizarre-adventure"]
    );
    let by_title = list(&app, &token, "sort_by=title").await;
    assert_eq!(
        by_title,
        [
            "attack-on-titan",
            "attack-on-titan-junior-high",
            "jojos-bizarre-adventure",
            "kaguya-sama-love-is-war"
        ]
    );
    assert_eq!(
        list(&app, &token, "sort_by=id&per_page=2&page=2").await,
        ["jojos-bizarre-adventure", "kaguya-sama-love-is-war"]
    );
    assert!(list(&app, &token, "page=3&per_page=2").await.is_empty());
    assert_eq!(
        list(&app, &token, "filter=JUNIOR").await,
        ["attack-on-titan-junior-high"]
    );
    assert_eq!(
        list(&app, &token, "filter=(2013)").await,
        ["attack-on-titan"]
    );

    for (query, field) in [
        ("page=0", "page"),
        ("per_page=1001", "per_page"),
        ("per_page=0", "per_page"),
        ("sort_by=year", "sort_by"),
    ] {
        let r = app.get(&format!("/api/anime?{query}"), Some(&token)).await;
        let body = assert_error(r, 422, "VALIDATION_ERROR").await;
        assert_eq!(body["details"]["field"], field, "{query}");
    }
    let r = app.get("/api/anime?page=abc", Some(&token)).await;
    assert_error(r, 422, "VALIDATION_ERROR").await;
}

#[tokio::test]
async fn a_directory_switch_rebuilds_the_library_from_sidecars_after_the_database_is_lost() {
    let (first, site, token) = library_app().await;
    add(&first, &site, &token, "attack-on-titan").await;
    add(&first, &site, &token, "kaguya-sama-love-is-war").await;
    touch(
        &first
            .anime_path()
            .join("Kaguya-sama Love is War/Kaguya S01E02.mkv"),
    );
    fs::create_dir(first.anime_path().join("Not a series")).unwrap();

    // A second server with an empty data dir (and its own copy of the catalogue site): the
    // database is gone, the folders remain.
    let (second, _site, token2) = app_on_fake_site().await;
    let r = second
        .post(
            "/api/config/directory",
            Some(&token2),
            json!({ "directory": first.anime_path() }),
        )
        .await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "message": "Anime directory updated successfully", "synced_series": 2 })
    );
    let status: Value = second
        .get("/api/anime/status", Some(&token2))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["series_count"], 2);
    assert_eq!(status["directory"], json!(first.anime_path()));
    // A small library is answered complete: the catalogue lookups finished before the answer.
    assert_eq!(missing(&second, "kaguya-sama-love-is-war").await, ["1-1"]);

    let r = second
        .post(
            "/api/config/directory",
            Some(&token2),
            json!({ "directory": "relative/dir" }),
        )
        .await;
    assert_error(r, 422, "VALIDATION_ERROR").await;
    let gone = first.anime_path().join("gone");
    let r = second
        .post(
            "/api/config/directory",
            Some(&token2),
            json!({ "directory": gone }),
        )
        .await;
    assert_error(r, 400, "BAD_REQUEST").await;
}
