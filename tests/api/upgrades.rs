//! Sub→Dub upgrades (issue 10) through the real server and the fake site: an episode held as
//! German Sub is replaced by the German Dub once the catalogue offers it, with the file in
//! place at every moment; a failed upgrade keeps the old file and is not tried again.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::library::{add, library_app};
use crate::queue::{all_items, command, enqueue, ids, library_file, wait_for_item, wait_until};
use crate::support::fake_site::{EmbedBehaviour, FakeHoster, FakeLink, FakeMedia, FakeSite};

const KEY: &str = "kaguya-sama-love-is-war";

/// Kaguya-sama S01E01 downloaded from its only link, a German Sub on Vidoza; the series set
/// to upgrade. Answers the file's path.
async fn held_as_german_sub() -> (TestApp, FakeSite, String, PathBuf) {
    let (app, site, token) = library_app().await;
    site.edit_series(KEY, |s| {
        s.episode_mut(1, 1).unwrap().links = vec![FakeLink::new(FakeHoster::Vidoza, 3)];
    });
    add(&app, &site, &token, KEY).await;
    let r = app
        .request(
            Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "downloads": { "preferred_hosters": ["Vidoza"], "retries": 0 } })),
        )
        .await;
    assert_eq!(r.status(), 200);
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, KEY, &[(1, 1)], "NORMAL").await).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    assert_eq!(done["language"], "German Sub");
    let file = library_file(&app, done["file"].as_str().unwrap());
    let sub = site.links(KEY, 1, 1).remove(0);
    assert!(std::fs::read(&file).unwrap() == sub.expected_bytes());
    let r = app
        .request(
            Method::PATCH,
            &format!("/api/anime/{KEY}"),
            Some(&token),
            Some(json!({ "upgrade": true })),
        )
        .await;
    assert_eq!(r.status(), 200);
    let d: Value = r.json().await.unwrap();
    assert_eq!(d["awaiting_upgrade"], json!(["1-1"]), "{d}");
    assert_eq!(awaiting(&app, &token).await, json!([[KEY, { "1": [1] }]]));
    (app, site, token, file)
}

/// `GET /api/anime?awaiting_upgrade=true` as `[key, awaiting_upgrade]` pairs.
async fn awaiting(app: &TestApp, token: &str) -> Value {
    let list: Value = app
        .get("/api/anime?awaiting_upgrade=true", Some(token))
        .await
        .json()
        .await
        .unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| json!([s["key"], s["awaiting_upgrade"]]))
        .collect()
}

fn upgrade_items(status: &Value) -> Vec<Value> {
    all_items(status)
        .into_iter()
        .filter(|i| i["origin"] == "upgrade")
        .collect()
}

async fn trigger(app: &TestApp, token: &str) {
    let r = app
        .post("/api/scheduler/trigger-rescan", Some(token), json!({}))
        .await;
    assert_eq!(r.status(), 200);
}

/// The scheduler's run and a rescan after it, both ended: whatever they queue is queued.
async fn settled_run(app: &TestApp, token: &str) {
    crate::feed::scheduled_run(app, token).await;
    crate::feed::started(app, token, "/api/anime/rescan").await;
}

fn sidecar(app: &TestApp) -> Value {
    let path = app
        .anime_path()
        .join("Kaguya-sama Love is War/aniworld.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn a_german_sub_is_replaced_by_the_dub_when_it_appears_with_the_file_always_there() {
    let (app, site, token, file) = held_as_german_sub().await;
    site.edit_series(KEY, |s| {
        let links = &mut s.episode_mut(1, 1).unwrap().links;
        links.push(FakeLink::new(FakeHoster::Vidoza, 1).media(FakeMedia::Mp4 { size: 600_000 }));
    });
    let dub = site
        .links(KEY, 1, 1)
        .into_iter()
        .find(|l| l.link.language == 1)
        .unwrap();
    site.throttle_media(dub.link.id, 1_000_000);

    // Watch the file while the upgrade runs: it must never be missing.
    let (stop, misses, looks) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let watcher = {
        let (stop, misses, looks, file) =
            (stop.clone(), misses.clone(), looks.clone(), file.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if std::fs::metadata(&file).is_err() {
                    misses.fetch_add(1, Ordering::Relaxed);
                }
                looks.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_micros(200));
            }
        })
    };
    trigger(&app, &token).await;
    let s = wait_until(&app, &token, "the upgrade completed", |s| {
        upgrade_items(s).iter().any(|i| i["status"] == "completed")
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    watcher.join().unwrap();
    assert_eq!(
        misses.load(Ordering::Relaxed),
        0,
        "the file was missing at some moment"
    );
    assert!(
        looks.load(Ordering::Relaxed) > 100,
        "the watcher looked often enough"
    );

    let upgrade = upgrade_items(&s).remove(0);
    assert_eq!(upgrade["upgrade_from"], "German Sub", "{upgrade}");
    assert_eq!(upgrade["language"], "German Dub", "{upgrade}");
    assert_eq!(library_file(&app, upgrade["file"].as_str().unwrap()), file);
    assert!(
        std::fs::read(&file).unwrap() == dub.expected_bytes(),
        "the dub's bytes exactly"
    );
    assert_eq!(sidecar(&app)["files"], json!({ "1-1": "German Dub" }));
    let d: Value = app
        .get(&format!("/api/anime/{KEY}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d["awaiting_upgrade"], json!([]), "{d}");
    assert_eq!(
        d["files"],
        json!([{ "episode": "1-1", "language": "German Dub" }])
    );
    let parts: Vec<_> = crate::queue::part_files(&app);
    assert!(parts.is_empty(), "{parts:?}");

    // Nothing more to upgrade: the next run queues nothing.
    settled_run(&app, &token).await;
    let s = crate::queue::status(&app, &token).await;
    assert_eq!(upgrade_items(&s).len(), 1);
}

#[tokio::test]
async fn a_failed_upgrade_keeps_the_old_file_and_is_not_tried_again() {
    let (app, site, token, file) = held_as_german_sub().await;
    let before = std::fs::read(&file).unwrap();
    site.edit_series(KEY, |s| {
        let links = &mut s.episode_mut(1, 1).unwrap().links;
        links.push(FakeLink::new(FakeHoster::Vidoza, 1).embed(EmbedBehaviour::Gone));
    });
    trigger(&app, &token).await;
    let s = wait_until(&app, &token, "the upgrade failed", |s| {
        upgrade_items(s).iter().any(|i| i["status"] == "failed")
    })
    .await;
    let failed = upgrade_items(&s).remove(0);
    assert!(
        failed["error"].as_str().unwrap().contains("German Dub"),
        "{failed}"
    );
    assert!(
        std::fs::read(&file).unwrap() == before,
        "the old file is kept"
    );
    assert_eq!(sidecar(&app)["files"], json!({ "1-1": "German Sub" }));

    // Tried once: later runs do not queue it again.
    for _ in 0..2 {
        settled_run(&app, &token).await;
    }
    let s = crate::queue::status(&app, &token).await;
    assert_eq!(upgrade_items(&s).len(), 1, "{s}");
}
