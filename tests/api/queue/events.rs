//! The queue's WebSocket messages with a real client: added, progress, complete, the queue's
//! start and status; download events only for clients in the downloads room.

use futures_util::SinkExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use super::order::join_downloads;
use super::*;
use crate::websocket::{next, open, until};

#[tokio::test]
async fn a_client_in_the_downloads_room_sees_added_progress_and_complete() {
    let (app, _site, token) = queue_app(&["VOE"]).await;
    let mut socket = open(&app, Some(&token)).await;
    assert_eq!(next(&mut socket).await.unwrap()["type"], "connected");
    join_downloads(&mut socket).await;
    let mut outsider = open(&app, Some(&token)).await;
    assert_eq!(next(&mut outsider).await.unwrap()["type"], "connected");

    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 1)], "NORMAL").await).remove(0);
    command(&app, &token, "start").await;
    let seen = until(&mut socket, "download_complete").await;
    let types: Vec<&str> = seen.iter().map(|m| m["type"].as_str().unwrap()).collect();
    let position = |t: &str| {
        types
            .iter()
            .position(|x| *x == t)
            .unwrap_or_else(|| panic!("no {t} in {types:?}"))
    };
    assert!(
        position("download_added") < position("queue_started"),
        "{types:?}"
    );
    assert!(
        position("queue_started") < position("download_progress"),
        "{types:?}"
    );
    assert!(types.contains(&"queue_status"), "{types:?}");
    let added = &seen[position("download_added")]["data"];
    assert_eq!(
        (added["download_id"].as_str(), added["key"].as_str()),
        (Some(id.as_str()), Some("attack-on-titan"))
    );
    let progress: Vec<&Value> = seen
        .iter()
        .filter(|m| m["type"] == "download_progress")
        .collect();
    for p in &progress {
        let d = &p["data"];
        assert_eq!(d["download_id"], id.as_str());
        assert_eq!(d["folder"], "Attack on Titan (2013)");
        assert!(
            d["percent"]
                .as_f64()
                .is_some_and(|x| (0.0..=100.0).contains(&x)),
            "{d}"
        );
        assert!(d["speed_mbps"].is_number(), "{d}");
        assert!(p["timestamp"].is_string());
    }
    let complete = &seen.last().unwrap()["data"];
    assert_eq!(complete["download_id"], id.as_str());
    assert_eq!(
        complete["file"],
        "Attack on Titan (2013)/Season 01/Attack on Titan (2013) - S01E01.ts"
    );

    socket
        .send(Message::Text(json!({ "type": "ping" }).to_string().into()))
        .await
        .unwrap();
    until(&mut socket, "pong").await;
    socket
        .send(Message::Text("{not json".into()))
        .await
        .unwrap();
    let error = until(&mut socket, "error").await.pop().unwrap();
    assert!(error["data"]["message"].is_string());

    // The client outside the room got none of the download messages.
    outsider
        .send(Message::Text(json!({ "type": "ping" }).to_string().into()))
        .await
        .unwrap();
    let before_pong = until(&mut outsider, "pong").await;
    assert!(
        before_pong
            .iter()
            .all(|m| !m["type"].as_str().unwrap().starts_with("download")),
        "{before_pong:?}"
    );
}

#[tokio::test]
async fn the_status_lists_every_download_message_type() {
    let app = crate::helpers::spawn_app().await;
    let status: Value = app.get("/ws/status", None).await.json().await.unwrap();
    let types = status["supported_message_types"].as_array().unwrap();
    for t in [
        "download_added",
        "download_progress",
        "download_complete",
        "download_failed",
        "download_removed",
        "queue_status",
        "queue_started",
        "queue_stopped",
    ] {
        assert!(types.iter().any(|x| x == t), "{t}");
    }
}
