//! Automatic downloads (`scheduler.auto_download`): adding a series queues its missing
//! episodes once and starts the queue; a user's removal stays removed through rescans; a
//! user's stop holds.

use reqwest::Method;
use serde_json::json;

use super::*;
use crate::library::{add, library_app};
use crate::support::eventually::eventually;

async fn auto_download(app: &TestApp, token: &str) {
    let r = app
        .request(
            Method::PUT,
            "/api/config",
            Some(token),
            Some(json!({ "scheduler": { "auto_download": true }, "downloads": { "preferred_hosters": ["Vidoza", "VOE"] } })),
        )
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn adding_a_series_queues_its_missing_episodes_and_downloads_them_by_itself() {
    let (app, site, token) = library_app().await;
    auto_download(&app, &token).await;
    add(&app, &site, &token, "kaguya-sama-love-is-war").await;
    let s = wait_until(&app, &token, "both episodes downloaded", |s| {
        s["statistics"]["completed_count"] == 2
    })
    .await;
    assert_eq!(
        s["status"]["is_running"], true,
        "the queue started by itself"
    );
    let items = all_items(&s);
    assert!(
        items
            .iter()
            .all(|i| i["origin"] == "auto" && i["priority"] == "NORMAL")
    );
    assert!(
        crate::library::missing(&app, "kaguya-sama-love-is-war")
            .await
            .is_empty()
    );
    // A rescan learns nothing new: nothing is queued twice.
    let r = app.post("/api/anime/rescan", Some(&token), json!({})).await;
    assert_eq!(r.status(), 200);
    let again = status(&app, &token).await;
    assert_eq!(all_items(&again).len(), 2);
}

#[tokio::test]
async fn a_removed_episode_stays_removed_and_a_stopped_queue_stays_stopped() {
    let (app, site, token) = library_app().await;
    auto_download(&app, &token).await;
    command(&app, &token, "stop").await;
    add(&app, &site, &token, "kaguya-sama-love-is-war").await;
    let s = wait_until(&app, &token, "two auto-queued items", |s| {
        s["status"]["pending_queue"].as_array().unwrap().len() == 2
    })
    .await;
    assert_eq!(s["status"]["is_running"], false, "the user's stop holds");
    let first = s["status"]["pending_queue"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/queue/{first}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status(), 204);

    // The scheduler's job and a rescan both learn the episode is still missing.
    let r = app
        .post("/api/scheduler/trigger-rescan", Some(&token), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    rescan_after_the_running_job(&app, &token).await;
    rescan_after_the_running_job(&app, &token).await;
    let s = status(&app, &token).await;
    let items = all_items(&s);
    assert_eq!(
        items.len(),
        1,
        "the removed episode was not queued again: {s:#}"
    );
    assert_ne!(items[0]["id"], first);

    // The user can still queue it by hand; then start runs both.
    let added = enqueue(
        &app,
        &token,
        "kaguya-sama-love-is-war",
        &[(1, 1), (1, 2)],
        "NORMAL",
    )
    .await;
    assert_eq!(ids(&added).len(), 1, "{added}");
    command(&app, &token, "start").await;
    wait_until(&app, &token, "both done", |s| {
        s["statistics"]["completed_count"] == 2
    })
    .await;
}

/// Starts a rescan as soon as the library job running now has finished (its hook included).
async fn rescan_after_the_running_job(app: &TestApp, token: &str) {
    let within = std::time::Duration::from_secs(10);
    eventually(within, "the library job never ended", async || {
        let r = app.post("/api/anime/rescan", Some(token), json!({})).await;
        let body: serde_json::Value = r.json().await.unwrap();
        body["message"] == "Rescan started successfully"
    })
    .await;
}
