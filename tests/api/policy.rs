//! Per-series settings (issue 10): `PATCH /api/anime/{id}` with the error shape for bad
//! input, kept in redb and in the sidecar (so a rebuild from disk keeps them); the language
//! of each downloaded file on record; an unmonitored series gets no automatic downloads.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};
use crate::library::{add, library_app};
use crate::queue::{all_items, command, enqueue, ids, status, wait_for_item, wait_until};
use crate::support::eventually::eventually;

const KEY: &str = "kaguya-sama-love-is-war";

async fn patch(app: &TestApp, token: Option<&str>, key: &str, body: Value) -> reqwest::Response {
    app.request(
        Method::PATCH,
        &format!("/api/anime/{key}"),
        token,
        Some(body),
    )
    .await
}

async fn detail(app: &TestApp, key: &str) -> Value {
    app.get(&format!("/api/anime/{key}"), None)
        .await
        .json()
        .await
        .unwrap()
}

fn sidecar(app: &TestApp) -> Value {
    let path = app
        .anime_path()
        .join("Kaguya-sama Love is War")
        .join("aniworld.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn a_series_starts_monitored_with_the_global_languages_and_no_upgrades() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, KEY).await;
    let d = detail(&app, KEY).await;
    assert_eq!(d["monitored"], true);
    assert_eq!(d["languages"], json!([]));
    assert_eq!(d["upgrade"], false);
    assert_eq!(d["files"], json!([]));
    assert_eq!(d["awaiting_upgrade"], json!([]));
    assert_eq!(
        sidecar(&app).as_object().unwrap().len(),
        4,
        "a plain series keeps the four documented sidecar fields: {}",
        sidecar(&app)
    );
}

#[tokio::test]
async fn bad_input_is_422_with_the_error_shape_and_changes_nothing() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, KEY).await;
    let before = (detail(&app, KEY).await, sidecar(&app));
    for bad in [
        json!({ "languages": ["Klingon"] }),
        json!({ "languages": ["German Dub", 7] }),
        json!({ "languages": "German Dub" }),
        json!({ "monitored": "yes" }),
        json!({ "upgrade": 1 }),
        json!({ "monitor": false }),
        json!(["monitored"]),
    ] {
        let body = assert_error(
            patch(&app, Some(&token), KEY, bad.clone()).await,
            422,
            "VALIDATION_ERROR",
        )
        .await;
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{bad}: {body}"
        );
    }
    let body = assert_error(
        patch(&app, Some(&token), KEY, json!({ "languages": ["Klingon"] })).await,
        422,
        "VALIDATION_ERROR",
    )
    .await;
    assert!(
        body["message"].as_str().unwrap().contains("Klingon"),
        "{body}"
    );
    assert_eq!((detail(&app, KEY).await, sidecar(&app)), before);
    assert_error(
        patch(
            &app,
            Some(&token),
            "no-such-series",
            json!({ "upgrade": true }),
        )
        .await,
        404,
        "NOT_FOUND_ERROR",
    )
    .await;
    let r = patch(&app, None, KEY, json!({ "upgrade": true })).await;
    assert_eq!(r.status(), 401);
    assert_eq!(detail(&app, KEY).await, before.0);
}

#[tokio::test]
async fn settings_are_kept_in_the_sidecar_and_survive_a_rebuild_from_disk() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, KEY).await;
    let r = patch(
        &app,
        Some(&token),
        KEY,
        json!({ "languages": ["German Sub", "German Dub", "German Sub"], "upgrade": true }),
    )
    .await;
    assert_eq!(r.status(), 200);
    let d: Value = r.json().await.unwrap();
    assert_eq!(d["languages"], json!(["German Sub", "German Dub"]));
    assert_eq!(d["upgrade"], true);
    assert_eq!(d["monitored"], true, "left out, kept");
    assert_eq!(
        sidecar(&app)["policy"],
        json!({ "monitored": true, "languages": ["German Sub", "German Dub"], "upgrade": true })
    );

    // The database is lost; the library is rebuilt from the sidecars.
    let mut app = app;
    app.stop().await;
    std::fs::remove_file(app.data_dir.path().join("aniworld.redb")).unwrap();
    let app = app.restart().await;
    let token = app.login().await;
    let r = app
        .post(
            "/api/config/directory",
            Some(&token),
            json!({ "directory": app.anime_path() }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let d = detail(&app, KEY).await;
    assert_eq!(d["languages"], json!(["German Sub", "German Dub"]), "{d}");
    assert_eq!(d["upgrade"], true);
}

#[tokio::test]
async fn a_downloaded_file_has_its_language_on_record_and_a_found_one_is_unknown() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, KEY).await;
    let r = app
        .request(
            Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "downloads": { "preferred_hosters": ["Vidoza"] } })),
        )
        .await;
    assert_eq!(r.status(), 200);
    let folder = app.anime_path().join("Kaguya-sama Love is War");
    std::fs::write(folder.join("Kaguya S01E02.mkv"), b"someone else's file").unwrap();
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, KEY, &[(1, 1)], "NORMAL").await).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    let language = done["language"].as_str().unwrap().to_owned();
    assert_eq!(
        language, "German Dub",
        "the first language Vidoza has: {done}"
    );
    let r = app.post("/api/anime/rescan", Some(&token), json!({})).await;
    assert_eq!(r.status(), 200);
    let within = std::time::Duration::from_secs(10);
    let d = eventually(within, "two files", async || {
        let d = detail(&app, KEY).await;
        if d["files"].as_array().unwrap().len() == 2 {
            Ok(d)
        } else {
            Err(d)
        }
    })
    .await;
    assert_eq!(
        d["files"],
        json!([{ "episode": "1-1", "language": "German Dub" }, { "episode": "1-2", "language": null }])
    );
    assert_eq!(sidecar(&app)["files"], json!({ "1-1": "German Dub" }));
}

#[tokio::test]
async fn an_unmonitored_series_gets_no_automatic_downloads() {
    let (app, site, token) = library_app().await;
    command(&app, &token, "stop").await;
    add(&app, &site, &token, KEY).await;
    let r = patch(&app, Some(&token), KEY, json!({ "monitored": false })).await;
    assert_eq!(r.status(), 200);
    let r = app
        .request(
            Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "scheduler": { "auto_download": true } })),
        )
        .await;
    assert_eq!(r.status(), 200);
    // A monitored series added now is queued by itself; the unmonitored one is not.
    add(&app, &site, &token, "jojos-bizarre-adventure").await;
    let s = wait_until(&app, &token, "JoJo's missing episodes queued", |s| {
        all_items(s)
            .iter()
            .any(|i| i["serie_id"] == "jojos-bizarre-adventure")
    })
    .await;
    let r = app
        .post("/api/scheduler/trigger-rescan", Some(&token), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    let r = app.post("/api/anime/rescan", Some(&token), json!({})).await;
    assert_eq!(r.status(), 200);
    let items = all_items(&status(&app, &token).await);
    assert!(!items.is_empty(), "{s}");
    assert!(
        items.iter().all(|i| i["serie_id"] != KEY),
        "the unmonitored series was queued: {items:?}"
    );
}
