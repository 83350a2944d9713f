//! The order of work: HIGH before NORMAL before LOW, the user's reordering within a
//! priority, observed in the order downloads complete.

use futures_util::SinkExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use super::*;
use crate::websocket::{Socket, next, open};

/// Joins the downloads room and waits for the confirmation.
pub async fn join_downloads(socket: &mut Socket) {
    let join = json!({ "action": "join", "data": { "room": "downloads" } });
    socket
        .send(Message::Text(join.to_string().into()))
        .await
        .unwrap();
    loop {
        let m = next(socket).await.expect("socket open");
        if m["type"] == "system_info" && m["data"]["room"] == "downloads" {
            return;
        }
    }
}

/// The ids of `download_complete` messages, in arrival order, until `n` arrived.
async fn completions(socket: &mut Socket, n: usize) -> Vec<String> {
    let mut done = Vec::new();
    while done.len() < n {
        let m = next(socket).await.expect("socket open");
        if m["type"] == "download_complete" {
            done.push(m["data"]["download_id"].as_str().unwrap().to_owned());
        }
        assert_ne!(m["type"], "download_failed", "{m}");
    }
    done
}

#[tokio::test]
async fn priority_then_the_users_order_decides_which_episode_downloads_first() {
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    let mut socket = open(&app, Some(&token)).await;
    join_downloads(&mut socket).await;
    let normal = ids(&enqueue(
        &app,
        &token,
        "attack-on-titan",
        &[(1, 1), (1, 3), (2, 1)],
        "NORMAL",
    )
    .await);
    let low = ids(&enqueue(&app, &token, "attack-on-titan", &[(2, 2)], "LOW").await);
    let high = ids(&enqueue(&app, &token, "attack-on-titan", &[(2, 4)], "HIGH").await);
    let r = app
        .post(
            "/api/queue/reorder",
            Some(&token),
            json!({ "item_ids": [normal[2], normal[0]] }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "status": "success", "message": "Queue reordered with 2 items" })
    );
    let pending: Vec<String> = status(&app, &token).await["status"]["pending_queue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    let expected = vec![
        high[0].clone(),
        normal[2].clone(),
        normal[0].clone(),
        normal[1].clone(),
        low[0].clone(),
    ];
    assert_eq!(pending, expected, "pending_queue lists the order of work");

    command(&app, &token, "start").await;
    assert_eq!(completions(&mut socket, 5).await, expected);
}

#[tokio::test]
async fn parallel_downloads_run_at_once_when_configured() {
    let (app, site, token) = queue_app(&["Vidoza"]).await;
    set_downloads(&app, &token, json!({ "parallel_downloads": 3 })).await;
    let added = ids(&enqueue(
        &app,
        &token,
        "attack-on-titan",
        &[(1, 1), (1, 3), (2, 1)],
        "NORMAL",
    )
    .await);
    let slow: Vec<u64> = [(1, 1), (1, 3), (2, 1)]
        .iter()
        .map(|(s, e)| {
            let link = site
                .links("attack-on-titan", *s, *e)
                .into_iter()
                .find(|l| l.link.hoster == crate::support::fake_site::FakeHoster::Vidoza)
                .unwrap();
            // 16 KiB/s: each 64 KiB file takes about 4 s, time for all three to be seen running.
            site.throttle_media(link.link.id, 16 * 1024);
            link.link.id
        })
        .collect();
    command(&app, &token, "start").await;
    let s = wait_until(&app, &token, "three active downloads", |s| {
        s["status"]["active_downloads"].as_array().unwrap().len() == 3
    })
    .await;
    assert_eq!(s["statistics"]["active_count"], 3);
    for id in slow {
        site.unthrottle_media(id);
    }
    for id in &added {
        wait_for_item(&app, &token, id, "completed").await;
    }
}
