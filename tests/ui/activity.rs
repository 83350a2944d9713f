//! The Activity view: empty at first, then filled live (no reload) as an episode is queued
//! and downloaded, newest first with its hoster, language and size; the filter by event.

use reqwest::Method;
use serde_json::json;

use crate::browser;
use crate::layout::call;
use crate::scenery::{PASSWORD, dr_stone_site};
use crate::server::spawn_server;

#[tokio::test]
async fn the_activity_view_fills_live_during_a_download() {
    if !crate::browser::available() {
        return;
    }
    let site = dr_stone_site().await;
    let server = spawn_server(site.base_url()).await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    let setup = json!({ "master_password": PASSWORD, "anime_directory": dir });
    call(&server, Method::POST, "/api/auth/setup", None, setup).await;
    let login = call(
        &server,
        Method::POST,
        "/api/auth/login",
        None,
        json!({ "password": PASSWORD }),
    )
    .await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    let t = Some(token.as_str());
    let link = json!({ "link": site.url("/anime/stream/dr-stone") });
    call(&server, Method::POST, "/api/anime/add", t, link).await;

    let b = browser::open(1280, 800).await;
    b.goto(&server.url("/login")).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.until_path("/").await;
    b.click(".bar nav a[href='/#activity']").await;
    b.until(
        "the activity view",
        "return document.body.dataset.ready === 'activity'",
    )
    .await;
    b.until_text("#activity-list li.empty", "Nothing has happened yet.")
        .await;
    b.until(
        "the live connection",
        "return document.getElementById('live').innerText === 'Live'",
    )
    .await;
    b.js("window.notReloaded = true; return true").await;

    let add = json!({ "serie_id": "dr-stone", "serie_folder": "x", "serie_name": "Dr. Stone",
        "episodes": [{ "season": 1, "episode": 1 }] });
    call(&server, Method::POST, "/api/queue/add", t, add).await;
    call(&server, Method::POST, "/api/queue/start", t, json!({})).await;
    let rows = b
        .until(
            "the download and its grab",
            "const rows = [...document.querySelectorAll('#activity-list li[data-event]')]; return rows.length === 2 && rows.map((r) => [r.dataset.event, r.innerText])",
        )
        .await;
    assert_eq!(rows[0][0], "download", "newest first: {rows}");
    assert_eq!(rows[1][0], "grab");
    let download = rows[0][1].as_str().unwrap();
    for part in [
        "Downloaded",
        "Dr. Stone S01E01",
        "Vidoza",
        "German Dub",
        "1.5 MiB",
    ] {
        assert!(download.contains(part), "{part} in {download}");
    }
    assert_eq!(
        b.js("return window.notReloaded === true").await,
        json!(true),
        "filled live"
    );

    b.js("const s = document.getElementById('activity-event'); s.value = 'grab'; s.dispatchEvent(new Event('change')); return true").await;
    b.until(
        "only the grab",
        "const rows = [...document.querySelectorAll('#activity-list li[data-event]')]; return rows.length === 1 && rows[0].dataset.event === 'grab'",
    )
    .await;
    b.screenshot("activity").await;
}
