//! The outbox under load (INTEGRATIONS.md section 5: a message waits until sent, none lost):
//! 1,500 episodes queued in one request (more events at once than the bus kept for a slow
//! subscriber before, each echoed by the history) each reach a webhook subscribed to `grab` once, and the history; a connection that is down is asked once per try, not once per message.

use std::collections::HashSet;
use std::time::Duration;

use chrono::Duration as Span;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestOptions, spawn_app_with};
use crate::library::add;
use crate::queue::enqueue;
use crate::support::eventually::eventually;
use crate::support::fake_site::{FakeSeries, FakeSite};
use crate::support::receiver::Receiver;

async fn webhook(app: &TestApp, token: &str, url: &str) -> String {
    let body = json!({ "name": "Hook", "kind": "webhook", "events": ["grab"], "settings": { "url": url } });
    let r = app.post("/api/connections", Some(token), body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let made: Value = r.json().await.unwrap();
    made["id"].as_str().unwrap().to_owned()
}

/// A server on a site whose one series has 2,000 episodes, in the library; logged in.
async fn big_app() -> (TestApp, FakeSite, String) {
    let episodes: Vec<u32> = (1..=2000).collect();
    let site = FakeSite::builder()
        .series(
            FakeSeries::new("big", "Big")
                .year(2020)
                .season(1, &episodes),
        )
        .spawn()
        .await;
    let app = spawn_app_with(TestOptions {
        provider_url: site.base_url().to_owned(),
        ..TestOptions::default()
    })
    .await;
    let token = app.login().await;
    let dir = app.anime_path();
    let r = app
        .post(
            "/api/config/directory",
            Some(&token),
            json!({ "directory": dir }),
        )
        .await;
    assert_eq!(r.status(), 200);
    add(&app, &site, &token, "big").await;
    (app, site, token)
}

fn batch(from: u32) -> Vec<(u32, u32)> {
    (from..from + 1000).map(|e| (1, e)).collect()
}

#[tokio::test]
async fn a_burst_of_1500_grabs_reaches_the_webhook_and_the_history_once_each() {
    let (app, _site, token) = big_app().await;
    let hook = Receiver::spawn().await;
    webhook(&app, &token, &format!("{}/h", hook.url)).await;
    let episodes: Vec<(u32, u32)> = (1..=1500).map(|e| (1, e)).collect();
    enqueue(&app, &token, "big", &episodes, "LOW").await;
    // One request after another, in order: about 15 ms each in a debug build.
    let got = eventually(Duration::from_secs(120), "1,500 grabs", async || {
        let got = hook.received();
        let n = got.len();
        (n >= 1500).then_some(got).ok_or(n)
    })
    .await;
    let ids: HashSet<String> = got
        .iter()
        .map(|r| r.json()["downloadId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 1500, "each grab once");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(hook.received().len(), 1500, "and no more");
    // The history kept up with the burst too.
    let history: Value = app
        .get("/api/history?event=grab&per_page=1", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["total"], 1500, "{history}");
}

#[tokio::test]
async fn a_connection_that_is_down_is_asked_once_per_try_and_keeps_every_message() {
    let (app, _site, token) = big_app().await;
    let hook = Receiver::spawn().await;
    hook.answer(&[503]);
    webhook(&app, &token, &format!("{}/h", hook.url)).await;
    enqueue(&app, &token, "big", &batch(1)[..50], "LOW").await;
    eventually(Duration::from_secs(10), "the first try", async || {
        (!hook.received().is_empty()).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        hook.received().len(),
        1,
        "one refusal ends the connection's pass"
    );
    // The next try, after the backoff, is answered: each of the 50 arrives once.
    app.clock.advance(Span::seconds(11));
    let got = eventually(Duration::from_secs(20), "51 requests", async || {
        let got = hook.received();
        let n = got.len();
        (n >= 51).then_some(got).ok_or(n)
    })
    .await;
    let ids: HashSet<String> = got[1..]
        .iter()
        .map(|r| r.json()["downloadId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 50);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(hook.received().len(), 51, "none twice");
}
