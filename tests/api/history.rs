//! The activity history (INTEGRATIONS.md section 6) through the real server: a download and
//! its grab newest first, with hoster, language, size and time taken; filters and pages;
//! a failure with its error, the hoster's change of health, a removal; `history_added` on the
//! WebSocket's `downloads` room; bad parameters; entries past `history.keep_days` deleted.

use std::time::Duration;

use chrono::Duration as Span;
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{TestApp, assert_error};
use crate::queue::{command, enqueue, ids, queue_app, set_downloads, wait_for_item};
use crate::support::eventually::eventually;

async fn history(app: &TestApp, token: &str, query: &str) -> Value {
    let r = app.get(&format!("/api/history{query}"), Some(token)).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// The history's events, newest first, once it holds `n` entries.
async fn events_once(app: &TestApp, token: &str, n: usize) -> Value {
    eventually(
        Duration::from_secs(10),
        &format!("{n} history entries"),
        async || {
            let h = history(app, token, "").await;
            (h["items"].as_array().unwrap().len() >= n).then_some(h)
        },
    )
    .await
}

fn events(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["event"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_download_and_its_grab_are_kept_newest_first_filtered_and_paged() {
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    let ws = app.base.replacen("http", "ws", 1);
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("{ws}/ws/connect?token={token}&rooms=downloads"))
            .await
            .unwrap();
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(2, 4)], "HIGH").await).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;

    let page = events_once(&app, &token, 2).await;
    assert_eq!(events(&page), ["download", "grab"]);
    assert_eq!(page["total"], 2);
    let download = &page["items"][0];
    assert_eq!(download["download_id"], id);
    assert_eq!(download["series"], "attack-on-titan");
    assert_eq!(download["series_name"], "Attack on Titan");
    assert_eq!(
        (download["season"].clone(), download["episode"].clone()),
        (json!(2), json!(4))
    );
    assert_eq!(download["hoster"], "Vidoza");
    assert_eq!(download["language"], "German Dub");
    assert_eq!(download["file"], done["file"]);
    let file = app.anime_path().join(done["file"].as_str().unwrap());
    assert_eq!(
        download["size_bytes"],
        std::fs::metadata(file).unwrap().len()
    );
    assert!(download["duration_ms"].is_u64(), "{download}");
    let grab = &page["items"][1];
    assert_eq!(grab["origin"], "user");
    assert!(grab["id"].as_u64().unwrap() < download["id"].as_u64().unwrap());

    assert_eq!(
        events(&history(&app, &token, "?event=grab").await),
        ["grab"]
    );
    assert_eq!(
        events(&history(&app, &token, "?series=one-piece").await),
        Vec::<String>::new()
    );
    let second = history(&app, &token, "?per_page=1&page=2").await;
    assert_eq!(
        (events(&second), second["total"].clone()),
        (vec!["grab".to_owned()], json!(2))
    );

    // history_added, in the downloads room
    let added = tokio::time::timeout(Duration::from_secs(10), async {
        let mut seen = Vec::new();
        while let Some(Ok(Message::Text(text))) = socket.next().await {
            let m: Value = serde_json::from_str(&text).unwrap();
            if m["type"] == "history_added" {
                seen.push(m["data"]["event"].as_str().unwrap().to_owned());
                if seen.len() == 2 {
                    return seen;
                }
            }
        }
        seen
    })
    .await
    .expect("two history_added messages");
    assert_eq!(added, ["grab", "download"]);
}

#[tokio::test]
async fn a_failure_its_hosters_health_and_a_removal_are_kept() {
    // 1-2 on Vidoza: its embed page is gone.
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    set_downloads(&app, &token, json!({ "retries": 0 })).await;
    let pending = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 3)], "LOW").await).remove(0);
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/queue/{pending}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status(), 204);
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 2)], "NORMAL").await).remove(0);
    wait_for_item(&app, &token, &id, "failed").await;

    let page = events_once(&app, &token, 5).await;
    assert_eq!(
        events(&page),
        ["failure", "health", "grab", "removal", "grab"]
    );
    let failure = &page["items"][0];
    assert!(
        failure["error"].as_str().unwrap().contains("Vidoza"),
        "{failure}"
    );
    let health = &page["items"][1];
    assert_eq!(
        (
            health["source"].as_str(),
            health["status"].as_str(),
            health["previous"].as_str()
        ),
        (Some("hoster:Vidoza"), Some("failing"), Some("unknown"))
    );
    assert!(health["error"].is_string(), "{health}");
    assert_eq!(page["items"][3]["status"], "pending");
    assert_eq!(page["items"][3]["download_id"], pending);
}

#[tokio::test]
async fn bad_parameters_are_422_naming_them_and_a_read_key_may_read() {
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    for (query, field) in [
        ("?page=0", "page"),
        ("?per_page=501", "per_page"),
        ("?per_page=0", "per_page"),
        ("?event=grabbed", "event"),
    ] {
        let r = app.get(&format!("/api/history{query}"), Some(&token)).await;
        let body = assert_error(r, 422, "VALIDATION_ERROR").await;
        assert_eq!(body["details"]["field"], field, "{query}: {body}");
    }
    assert_error(
        app.get("/api/history", None).await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
    let key = crate::arr::make_key(&app, &token, "Homepage", &["read"])
        .await
        .1;
    let r = app.get(&format!("/api/history?apikey={key}"), None).await;
    assert_eq!(r.status(), 200);
    let r = app
        .request(
            Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "history": { "keep_days": 0 } })),
        )
        .await;
    let body = assert_error(r, 422, "VALIDATION_ERROR").await;
    assert!(body.to_string().contains("history.keep_days"), "{body}");
}

#[tokio::test]
async fn entries_older_than_keep_days_are_deleted() {
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    enqueue(&app, &token, "attack-on-titan", &[(2, 4)], "HIGH").await;
    events_once(&app, &token, 1).await;
    let r = app
        .request(
            Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "history": { "keep_days": 2 } })),
        )
        .await;
    assert_eq!(r.status(), 200);
    app.clock.advance(Span::days(1));
    let app = app.restart().await;
    let token = app.token().await;
    assert_eq!(
        history(&app, &token, "").await["total"],
        1,
        "a day old: kept"
    );
    app.clock.advance(Span::days(2));
    let app = app.restart().await;
    let token = app.token().await;
    assert_eq!(
        history(&app, &token, "").await["total"],
        0,
        "three days old: deleted"
    );
}
