//! API.md section 8: the WebSocket — connection, ping/pong, rooms, scan events — and its
//! status endpoint.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{TestApp, spawn_app};
use crate::library::{add, library_app};
use crate::support::eventually::eventually;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn open(app: &TestApp, token: Option<&str>) -> Socket {
    let ws = app.base.replacen("http", "ws", 1);
    let url = match token {
        Some(t) => format!("{ws}/ws/connect?token={t}"),
        None => format!("{ws}/ws/connect"),
    };
    tokio_tungstenite::connect_async(url)
        .await
        .expect("WebSocket handshake")
        .0
}

/// The next JSON message, within 10 s.
pub async fn next(socket: &mut Socket) -> Option<Value> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")?;
        match message.expect("readable") {
            Message::Text(text) => return Some(serde_json::from_str(&text).expect("JSON message")),
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

/// The next JSON message within `wait` (`Some(None)`: the socket closed; `None`: nothing came).
pub async fn next_within(socket: &mut Socket, wait: Duration) -> Option<Option<Value>> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .ok()?;
        match message {
            Some(Ok(Message::Text(text))) => {
                return Some(Some(serde_json::from_str(&text).expect("JSON message")));
            }
            Some(Ok(Message::Close(_))) | None => return Some(None),
            Some(Ok(_)) => continue,
            Some(Err(e)) => panic!("unreadable message: {e}"),
        }
    }
}

/// Messages until one of type `kind` arrives; returns them all, that one last.
pub async fn until(socket: &mut Socket, kind: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    while let Some(m) = next(socket).await {
        let done = m["type"] == kind;
        seen.push(m);
        if done {
            return seen;
        }
    }
    panic!("socket closed before a {kind} message; saw {seen:?}");
}

async fn active_connections(app: &TestApp) -> u64 {
    let status: Value = app.get("/ws/status", None).await.json().await.unwrap();
    status["active_connections"].as_u64().unwrap()
}

#[tokio::test]
async fn the_status_lists_every_message_type_and_counts_connections() {
    let app = spawn_app().await;
    let token = app.login().await;
    let status: Value = app.get("/ws/status", None).await.json().await.unwrap();
    assert_eq!(status["status"], "operational");
    assert_eq!(status["active_connections"], 0);
    let types: Vec<&str> = status["supported_message_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for t in [
        "connected",
        "ping",
        "pong",
        "download_progress",
        "queue_status",
        "scan_progress",
        "scan_complete",
        "error",
    ] {
        assert!(types.contains(&t), "{t} missing from {types:?}");
    }
    let mut socket = open(&app, Some(&token)).await;
    assert_eq!(next(&mut socket).await.unwrap()["type"], "connected");
    assert_eq!(active_connections(&app).await, 1);
    socket.close(None).await.unwrap();
    drop(socket);
    eventually(
        Duration::from_secs(5),
        "the closed connection is still counted",
        async || active_connections(&app).await == 0,
    )
    .await;
}

#[tokio::test]
async fn a_client_is_greeted_answered_and_may_join_the_downloads_room() {
    let app = spawn_app().await;
    let token = app.login().await;
    let mut socket = open(&app, Some(&token)).await;
    let hello = next(&mut socket).await.unwrap();
    assert_eq!(hello["type"], "connected");
    assert_eq!(hello["data"]["authenticated"], true);
    assert!(
        hello["timestamp"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .is_ok()
    );

    socket
        .send(Message::Text(json!({ "type": "ping" }).to_string().into()))
        .await
        .unwrap();
    assert_eq!(next(&mut socket).await.unwrap()["type"], "pong");
    socket
        .send(Message::Text(
            json!({ "action": "join", "data": { "room": "downloads" } })
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let joined = next(&mut socket).await.unwrap();
    assert_eq!(
        (joined["type"].clone(), joined["data"]["room"].clone()),
        (json!("system_info"), json!("downloads"))
    );
    socket
        .send(Message::Text(
            json!({ "action": "join", "data": { "room": "nope" } })
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    assert_eq!(next(&mut socket).await.unwrap()["type"], "error");
    socket.send(Message::Text("not json".into())).await.unwrap();
    assert_eq!(next(&mut socket).await.unwrap()["type"], "error");
}

#[tokio::test]
async fn without_a_token_the_client_is_connected_but_not_authenticated() {
    let app = spawn_app().await;
    let mut socket = open(&app, None).await;
    let hello = next(&mut socket).await.unwrap();
    assert_eq!(hello["data"]["authenticated"], false);
}

#[tokio::test]
async fn an_invalid_token_is_told_and_the_socket_closed() {
    let app = spawn_app().await;
    app.login().await;
    let mut socket = open(&app, Some("not-a-token")).await;
    let first = next(&mut socket).await.unwrap();
    assert_eq!(first["type"], "error");
    assert!(next(&mut socket).await.is_none(), "closed after the error");
}

#[tokio::test]
async fn a_rescan_is_reported_with_progress_and_a_summary() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "attack-on-titan").await;
    let folder = app.anime_path().join("Attack on Titan (2013)");
    std::fs::write(folder.join("Attack on Titan (2013) - S01E01.mp4"), b"x").unwrap();
    let mut socket = open(&app, Some(&token)).await;
    assert_eq!(next(&mut socket).await.unwrap()["type"], "connected");

    let r = app
        .post("/api/anime/rescan", Some(&token), json!(null))
        .await;
    assert_eq!(r.status(), 200);
    let seen = until(&mut socket, "scan_complete").await;
    let progress: Vec<&Value> = seen
        .iter()
        .filter(|m| m["type"] == "scan_progress")
        .collect();
    let last = progress.last().expect("at least one scan_progress");
    assert_eq!(last["data"]["done"], last["data"]["total"]);
    let summary = &seen.last().unwrap()["data"];
    assert_eq!(summary["series"], 1);
    assert_eq!(summary["files"], 1);
    assert_eq!(summary["missing"], 8, "9 episodes, one on disk: {summary}");
    assert!(summary["duration_ms"].is_u64());
    let ids: Vec<u64> = seen.iter().filter_map(|m| m["id"].as_u64()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "event ids increase: {ids:?}"
    );
}
