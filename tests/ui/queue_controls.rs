//! The queue page's controls, used as a user does: retry and remove of one item, clearing
//! completed and failed items, select all with the bulk retry and remove, and (in
//! `queue_order.rs`) reordering pending items. After each action the page shows the new
//! state without a reload, and `GET /api/queue/status` agrees.

use std::time::Instant;

use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::{self, Browser};
use crate::layout::call;
use crate::scenery::{PASSWORD, dr_stone_site};
use crate::server::{Server, spawn_server};
use crate::support::eventually::eventually;
use crate::support::fake_site::{FakeHoster, FakeLink, FakeSeries, FakeSite};

/// A logged-in browser before a server whose library holds Dr. Stone (S01E01–02, working)
/// and Kaguya-sama (S01E01–03 on Vidoza, whose embed pages answer 404 until cleared);
/// downloads are not retried, and the queue is stopped.
pub struct Scene {
    pub site: FakeSite,
    pub server: Server,
    pub token: String,
    pub b: Browser,
}

pub async fn scene() -> Scene {
    let site = dr_stone_site().await;
    let mut kaguya = FakeSeries::new("kaguya-sama", "Kaguya-sama").season(1, &[1, 2, 3]);
    for e in 1..=3 {
        if let Some(ep) = kaguya.episode_mut(1, e) {
            ep.links = vec![FakeLink::new(FakeHoster::Vidoza, 1)];
        }
    }
    site.add_series(kaguya);
    for e in 1..=3 {
        site.status(&embed_path(&site, e), 404);
    }
    let server = spawn_server(site.base_url()).await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    let setup = json!({ "master_password": PASSWORD, "anime_directory": dir });
    call(&server, Method::POST, "/api/auth/setup", None, setup).await;
    let login = json!({ "password": PASSWORD });
    let login = call(&server, Method::POST, "/api/auth/login", None, login).await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    let t = Some(token.as_str());
    let config = json!({ "downloads": { "retries": 0 } });
    call(&server, Method::PUT, "/api/config", t, config).await;
    for key in ["dr-stone", "kaguya-sama"] {
        let link = json!({ "link": site.url(&format!("/anime/stream/{key}")) });
        call(&server, Method::POST, "/api/anime/add", t, link).await;
    }
    // through the login form: a token put in storage races the login page's own check
    let b = browser::open(1280, 800).await;
    b.goto(&server.url("/login")).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.until_path("/").await;
    Scene {
        site,
        server,
        token,
        b,
    }
}

/// The path of Kaguya-sama S01E0`episode`'s embed page on Vidoza.
pub fn embed_path(site: &FakeSite, episode: u32) -> String {
    let link = site.links("kaguya-sama", 1, episode).remove(0);
    link.embed_url()
        .trim_start_matches(site.base_url())
        .to_owned()
}

impl Scene {
    /// Queues episodes of season 1 through the API; answers their ids.
    pub async fn enqueue(&self, key: &str, episodes: &[u32], priority: &str) -> Vec<String> {
        let episodes: Vec<Value> = episodes
            .iter()
            .map(|e| json!({ "season": 1, "episode": e }))
            .collect();
        let body = json!({ "serie_id": key, "episodes": episodes, "priority": priority });
        let added = self.api(Method::POST, "/api/queue/add", body).await;
        let ids = added["added_items"].as_array().expect("added items");
        ids.iter().map(|i| i.as_str().unwrap().to_owned()).collect()
    }

    pub async fn api(&self, method: Method, path: &str, body: Value) -> Value {
        call(&self.server, method, path, Some(&self.token), body).await
    }

    /// Polls `GET /api/queue/status` until `holds` is true of it, for [`browser::PATIENCE`].
    pub async fn api_until(&self, what: &str, holds: impl Fn(&Value) -> bool) -> Value {
        let what = format!("the API never showed {what}");
        eventually(browser::PATIENCE, &what, async || {
            let s = self
                .api(Method::GET, "/api/queue/status", Value::Null)
                .await;
            if holds(&s) { Ok(s) } else { Err(s) }
        })
        .await
    }

    /// Opens /queue and waits for its state and its live connection.
    pub async fn open_queue(&self) {
        self.b.goto(&self.server.url("/queue")).await;
        self.b.until("the queue page", "return document.body.dataset.ready === 'queue' && document.getElementById('live').classList.contains('on')").await;
        self.b.js("window.__sameDocument = true; return true").await;
    }

    /// Fails unless the page is still the document [`Scene::open_queue`] opened.
    pub async fn assert_no_reload(&self) {
        let same = self.b.js("return window.__sameDocument === true").await;
        assert_eq!(same, json!(true), "the page was reloaded");
    }
}

/// The ids of a section of a status answer ("pending_queue", "failed_downloads", ...).
pub fn api_ids(status: &Value, list: &str) -> Vec<String> {
    let items = status["status"][list]
        .as_array()
        .cloned()
        .unwrap_or_default();
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

/// `ids` sorted, for comparing sections whose order does not matter.
pub fn sorted(ids: &[String]) -> Vec<String> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids
}

/// Waits until the page's `section` list ("pending", "failed", ...) shows exactly `ids`,
/// in this order when `ordered`.
pub async fn until_shown(b: &Browser, section: &str, ids: &[String], ordered: bool) {
    let script = format!(
        "const shown = [...document.querySelectorAll('#list-{section} li[data-id]')].map((li) => li.dataset.id);
         const want = {want};
         const norm = (l) => {ordered} ? l : [...l].sort();
         return shown.length === want.length && JSON.stringify(norm(shown)) === JSON.stringify(norm(want))
           && document.getElementById('count-{section}').textContent === '(' + want.length + ')'",
        want = json!(ids),
    );
    b.until(&format!("the {section} list to show {ids:?}"), &script)
        .await;
}

/// The CSS selector of a control in the row of item `id`.
pub fn in_row(id: &str, control: &str) -> String {
    format!("li[data-id=\"{id}\"] {control}")
}

#[tokio::test]
async fn a_failed_item_is_retried_another_removed_and_completed_and_failed_ones_cleared() {
    if !crate::browser::available() {
        return;
    }
    let s = scene().await;
    let done = s.enqueue("dr-stone", &[1, 2], "NORMAL").await;
    let broken = s.enqueue("kaguya-sama", &[1, 2, 3], "NORMAL").await;
    let (k1, k2, k3) = (&broken[0], &broken[1], &broken[2]);
    s.api(Method::POST, "/api/queue/start", json!({})).await;
    s.api_until("2 completed and 3 failed items", |st| {
        api_ids(st, "completed_downloads").len() == 2 && api_ids(st, "failed_downloads").len() == 3
    })
    .await;
    s.api(Method::POST, "/api/queue/stop", json!({})).await;
    let started = Instant::now();
    s.open_queue().await;
    until_shown(&s.b, "completed", &done, false).await;
    until_shown(&s.b, "failed", &broken, false).await;
    s.b.until_text("#list-failed", "Vidoza (German Dub): HTTP 404")
        .await;
    s.b.screenshot_full("queue-controls-failed-1280x800", 1280, 800)
        .await;

    // the hoster answers again; the user retries that one item from its row
    s.site.clear_faults(&embed_path(&s.site, 1));
    s.b.click(&in_row(k1, "[data-action=retry]")).await;
    s.b.until_text("#notices", "Retrying 1 failed item(s)")
        .await;
    until_shown(&s.b, "pending", std::slice::from_ref(k1), true).await;
    until_shown(&s.b, "failed", &[k2.clone(), k3.clone()], false).await;
    s.api_until("the retried item pending", |st| {
        api_ids(st, "pending_queue") == [k1.clone()]
            && sorted(&api_ids(st, "failed_downloads")) == sorted(&[k2.clone(), k3.clone()])
    })
    .await;

    // another failed item is removed from its row
    s.b.click(&in_row(k2, "[data-action=remove]")).await;
    until_shown(&s.b, "failed", std::slice::from_ref(k3), true).await;
    s.api_until("the removed item gone", |st| {
        st["statistics"]["total_items"] == 4 && api_ids(st, "failed_downloads") == [k3.clone()]
    })
    .await;

    s.b.click("#clear-completed").await;
    s.b.until_text("#notices", "Cleared 2 completed item(s)")
        .await;
    s.b.until_text("#list-completed", "No completed items.")
        .await;
    until_shown(&s.b, "completed", &[], true).await;
    s.api_until("no completed items", |st| {
        api_ids(st, "completed_downloads").is_empty() && st["statistics"]["total_items"] == 2
    })
    .await;

    s.b.click("#clear-failed").await;
    s.b.until_text("#notices", "Cleared 1 failed item(s)").await;
    s.b.until_text("#list-failed", "No failed items.").await;
    until_shown(&s.b, "pending", std::slice::from_ref(k1), true).await;
    s.api_until("no failed items, the retried one pending", |st| {
        api_ids(st, "failed_downloads").is_empty() && api_ids(st, "pending_queue") == [k1.clone()]
    })
    .await;
    s.b.screenshot("queue-controls-cleared-1280x800").await;

    // started again, the retried item downloads
    s.b.click("#start").await;
    s.b.until_text("#run-state", "Running").await;
    until_shown(&s.b, "completed", std::slice::from_ref(k1), true).await;
    until_shown(&s.b, "pending", &[], true).await;
    s.api_until("the retried item completed", |st| {
        api_ids(st, "completed_downloads") == [k1.clone()]
    })
    .await;
    s.assert_no_reload().await;
    s.b.screenshot("queue-controls-retried-1280x800").await;
    println!(
        "figure: retry, remove, clear completed, clear failed and the retried download on /queue: {} ms",
        started.elapsed().as_millis()
    );
}
