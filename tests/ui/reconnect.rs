//! The queue page's WebSocket survives a drop: closed mid-download, it reconnects with
//! `since`, the server replays what it missed, and the page shows the finished download
//! without asking the REST API for the state again.

use serde_json::{Value, json};

use crate::browser;
use crate::layout::call;
use crate::scenery::{PASSWORD, dr_stone_site};
use crate::server::spawn_server;

#[tokio::test]
async fn the_queue_page_reconnects_with_since_and_shows_the_true_state_without_a_reload() {
    if !crate::browser::available() {
        return;
    }
    let site = dr_stone_site().await;
    let link1 = site.links("dr-stone", 1, 1)[0].link.id;
    // about 6 s for the 1.5 MiB episode: events flow while the socket is away and after
    site.throttle_media(link1, 256 * 1024);
    let server = spawn_server(site.base_url()).await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    let post = reqwest::Method::POST;
    call(
        &server,
        post.clone(),
        "/api/auth/setup",
        None,
        json!({ "master_password": PASSWORD, "anime_directory": dir }),
    )
    .await;
    let login = call(
        &server,
        post.clone(),
        "/api/auth/login",
        None,
        json!({ "password": PASSWORD }),
    )
    .await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    let t = Some(token.as_str());
    let link = site.url("/anime/stream/dr-stone");
    call(
        &server,
        post.clone(),
        "/api/anime/add",
        t,
        json!({ "link": link }),
    )
    .await;

    let b = browser::open(1280, 800).await;
    b.goto(&server.url("/login")).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.until_path("/").await;
    b.goto(&server.url("/queue")).await;
    b.until("the queue", "return document.body.dataset.ready === 'queue' && window.__socket_for_tests?.connects === 1").await;
    // Counts the page's requests for the queue state once it has reconnected.
    b.js("window.__statusFetches = 0; const f = window.fetch; window.fetch = (...a) => { if (String(a[0]).includes('/api/queue/status') && window.__socket_for_tests.connects > 1) window.__statusFetches += 1; return f(...a); }; return true").await;

    let added = call(
        &server,
        post.clone(),
        "/api/queue/add",
        t,
        json!({ "serie_id": "dr-stone", "episodes": [{ "season": 1, "episode": 1 }] }),
    )
    .await;
    let id = added["added_items"][0].as_str().unwrap().to_owned();
    call(&server, post.clone(), "/api/queue/start", t, json!({})).await;
    b.until(
        "the download on the page",
        "return !!document.querySelector('#list-active li[data-id]')",
    )
    .await;

    // The lid closes: the socket drops mid-download.
    let since = b
        .js("const s = window.__socket_for_tests; const seq = s.lastSeq(); s.close(); return seq")
        .await;
    assert!(
        since.as_u64().is_some_and(|s| s > 0),
        "the page saw numbered events: {since}"
    );
    let resume = b
        .until(
            "the reconnect",
            "const s = window.__socket_for_tests; return s.connects === 2 && s.lastResume",
        )
        .await;
    assert_eq!(resume["since"], since, "{resume}");
    assert_eq!(resume["missed"], false, "{resume}");
    assert!(
        resume["replayed"].as_u64().is_some_and(|n| n > 0),
        "events were replayed: {resume}"
    );

    // Replayed and live events alone bring the page to the finished download.
    let selector = format!("#list-completed li[data-id=\"{id}\"]");
    b.until("the completed item", &format!("return !!document.querySelector('{selector}') && !document.querySelector('#list-active li[data-id]')")).await;
    b.until_text("#count-completed", "(1)").await;
    let fetches: Value = b.js("return window.__statusFetches").await;
    assert_eq!(
        fetches,
        json!(0),
        "the state came from the replay, not a reload"
    );
    b.screenshot("queue-after-reconnect-1280x800").await;
}
