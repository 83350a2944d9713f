//! The download queue through the real server, the fake catalogue site, its hosters and
//! media: queue, start, complete with byte-exact files; order; fallback, retries and
//! failure; cancellation; expired signed URLs; a SIGKILL mid-download; automatic downloads;
//! the WebSocket events.

mod auto;
mod events;
mod failures;
mod flow;
mod join_replay;
mod kills;
mod order;
mod restart;
mod resume;

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::library::{add, library_app};
use crate::support::eventually::eventually;
use crate::support::fake_site::FakeSite;

/// A server with the standard fake site, logged in, with Attack on Titan in the library and
/// the queue's hosters narrowed to `hosters`.
pub async fn queue_app(hosters: &[&str]) -> (TestApp, FakeSite, String) {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "attack-on-titan").await;
    set_downloads(&app, &token, json!({ "preferred_hosters": hosters })).await;
    (app, site, token)
}

/// A site with one series, `dr-stone`, whose only episode S01E01 has only `link`; answers
/// the site and the link's id.
pub async fn one_episode_site(link: crate::support::fake_site::FakeLink) -> (FakeSite, u64) {
    let mut series = crate::support::fake_site::FakeSeries::new("dr-stone", "Dr. Stone")
        .year(2019)
        .season(1, &[1]);
    if let Some(episode) = series.episode_mut(1, 1) {
        episode.links = vec![link];
    }
    let site = FakeSite::builder().series(series).spawn().await;
    let id = site.links("dr-stone", 1, 1)[0].link.id;
    (site, id)
}

/// Changes the `downloads` section of the configuration.
pub async fn set_downloads(app: &TestApp, token: &str, downloads: Value) {
    let r = app
        .request(
            Method::PUT,
            "/api/config",
            Some(token),
            Some(json!({ "downloads": downloads })),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// Queues episodes (`(season, episode)`) of a series; answers the add's body.
pub async fn enqueue(
    app: &TestApp,
    token: &str,
    key: &str,
    episodes: &[(u32, u32)],
    priority: &str,
) -> Value {
    let episodes: Vec<Value> = episodes
        .iter()
        .map(|(s, e)| json!({ "season": s, "episode": e, "title": format!("Episode {e}") }))
        .collect();
    let r = app
        .post(
            "/api/queue/add",
            Some(token),
            json!({ "serie_id": key, "serie_folder": "ignored for library series", "serie_name": "Attack on Titan", "episodes": episodes, "priority": priority }),
        )
        .await;
    assert_eq!(r.status(), 201, "add");
    r.json().await.unwrap()
}

/// The ids an add answered with.
pub fn ids(added: &Value) -> Vec<String> {
    added["added_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

pub async fn status(app: &TestApp, token: &str) -> Value {
    let r = app.get("/api/queue/status", Some(token)).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

pub async fn command(app: &TestApp, token: &str, what: &str) {
    let r = app
        .post(&format!("/api/queue/{what}"), Some(token), json!({}))
        .await;
    assert_eq!(r.status(), 200, "{what}: {}", r.text().await.unwrap());
}

/// Every item of the status, whatever its section.
pub fn all_items(status: &Value) -> Vec<Value> {
    let s = &status["status"];
    [
        "active_downloads",
        "pending_queue",
        "completed_downloads",
        "failed_downloads",
    ]
    .iter()
    .flat_map(|k| s[*k].as_array().cloned().unwrap_or_default())
    .collect()
}

/// The item with this id, wherever it is.
pub fn item(status: &Value, id: &str) -> Option<Value> {
    all_items(status).into_iter().find(|i| i["id"] == id)
}

/// Polls the queue status until `done` holds (30 s at most); answers that status.
pub async fn wait_until(
    app: &TestApp,
    token: &str,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let what = format!("timed out waiting for {what}");
    eventually(Duration::from_secs(30), &what, async || {
        let s = status(app, token).await;
        if done(&s) {
            Ok(s)
        } else {
            Err(format!("{s:#}"))
        }
    })
    .await
}

/// Waits until the item is in `status` (pending, downloading, completed, failed).
pub async fn wait_for_item(app: &TestApp, token: &str, id: &str, wanted: &str) -> Value {
    let s = wait_until(app, token, &format!("item {id} {wanted}"), |s| {
        item(s, id).is_some_and(|i| i["status"] == wanted)
    })
    .await;
    item(&s, id).unwrap()
}

/// The absolute path of a file the API names relative to the anime dir.
pub fn library_file(app: &TestApp, relative: &str) -> PathBuf {
    app.anime_path().join(relative)
}

/// Every `.part` file under the anime dir.
pub fn part_files(app: &TestApp) -> Vec<PathBuf> {
    walk(&app.anime_path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "part"))
        .collect()
}

/// Every file under `dir` (folders walked, not listed).
pub fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
