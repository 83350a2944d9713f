//! One WebSocket connection: the greeting, client messages (ping, join, leave), and the bus's
//! events turned into messages for the connection's rooms, until either side closes or the
//! server stops.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Utc;
use futures_util::{SinkExt, StreamExt};
use poem::web::websocket::{Message, WebSocketStream};
use serde::Deserialize;
use serde_json::{Value, json};

use super::replay::{Resume, Start, replay};
use super::{Connections, Open, ROOMS};
use crate::app::App;
use crate::domain::event::{Event, EventKind};
use crate::ports::events::Next;

/// A message from the client: `{"action": "join", "data": {"room": "downloads"}}`, or
/// `{"type": "ping"}` / `{"action": "ping"}`.
#[derive(Deserialize)]
struct ClientMessage {
    action: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    data: Value,
}

pub(super) fn message(kind: &str, data: Value) -> Message {
    Message::Text(json!({ "type": kind, "timestamp": Utc::now(), "data": data }).to_string())
}

pub(super) async fn session(
    socket: WebSocketStream,
    app: Arc<App>,
    connections: Arc<Connections>,
    auth: Option<bool>,
    start: Start,
) {
    let shutdown = connections.shutdown.clone();
    let _open = Open::new(connections);
    let (mut sink, mut stream) = socket.split();
    if auth == Some(false) {
        let _ = sink
            .send(message(
                "error",
                json!({ "message": "Invalid or expired token" }),
            ))
            .await;
        let _ = sink.close().await;
        return;
    }
    let authenticated = auth == Some(true);
    let mut rooms = start.rooms;
    // Subscribed before the greeting, so nothing published from here on is lost.
    let (mut events, missed) = match start.since {
        Some(since) if authenticated => {
            let resumed = app.events.resume(since);
            (resumed.live, Some((since, resumed.replay)))
        }
        _ => (app.events.subscribe(), None),
    };
    let connection_id = uuid::Uuid::new_v4().to_string();
    let mut joined: Vec<&String> = rooms.iter().collect();
    joined.sort();
    let hello = json!({ "message": "Connected to aniworld", "connection_id": connection_id, "authenticated": authenticated, "rooms": joined, "since": start.since });
    if sink.send(message("connected", hello)).await.is_err() {
        return;
    }
    // Live events up to the last replayed one were sent already.
    let mut resume = None;
    if let Some((since, missed)) = missed {
        match replay(&mut sink, &app, since, missed, &rooms).await {
            Ok(last) => resume = Some(Resume::new(since, last, &rooms)),
            Err(_) => return,
        }
    }
    loop {
        tokio::select! {
            () = shutdown.cancelled() => {
                let _ = sink.close().await;
                break;
            }
            incoming = stream.next() => {
                let Some(Ok(incoming)) = incoming else { break };
                let (reply, joined) = match incoming {
                    Message::Text(text) => answer(&text, &mut rooms),
                    Message::Close(_) => break,
                    _ => (None, None),
                };
                if let Some(reply) = reply && sink.send(reply).await.is_err() {
                    break;
                }
                if let (Some(room), Some(resume)) = (joined, resume.as_mut())
                    && resume.join(&mut sink, &app, room, &rooms).await.is_err()
                {
                    break;
                }
            }
            // Cancel safe (the port's contract for `next`): when another branch wins, the
            // event this one waited for is the next iteration's.
            event = events.next() => {
                if let (Next::Event(e), Some(resume)) = (&event, resume.as_mut()) {
                    if resume.replayed_already(e.seq) {
                        continue;
                    }
                    resume.settle(e.seq);
                }
                match to_client(event, authenticated, &rooms) {
                    Delivery::Send(m) => {
                        if sink.send(m).await.is_err() {
                            break;
                        }
                    }
                    Delivery::Skip => {}
                    Delivery::End => break,
                }
            }
        }
    }
}

/// What a connection does with the bus's next event.
#[derive(Debug)]
pub(super) enum Delivery {
    Send(Message),
    Skip,
    End,
}

/// The message a connection sends for the bus's next event: events for authenticated
/// connections in their rooms; a notice when the connection fell behind the bus (what it
/// missed is gone: memory stays bounded by the bus, and the client is told).
pub(super) fn to_client(event: Next, authenticated: bool, rooms: &HashSet<String>) -> Delivery {
    match event {
        Next::Event(event) if authenticated && wanted(&event, rooms) => {
            Delivery::Send(outgoing(&event))
        }
        Next::Event(_) => Delivery::Skip,
        Next::Missed(missed) if authenticated => {
            let notice = json!({
                "message": format!("{missed} events were dropped because this connection fell behind"),
                "dropped": missed,
            });
            Delivery::Send(message("system_info", notice))
        }
        Next::Missed(_) => Delivery::Skip,
        Next::Closed => Delivery::End,
    }
}

/// The reply to one client message, if any, and the room it joined, if it joined one.
pub(super) fn answer(
    text: &str,
    rooms: &mut HashSet<String>,
) -> (Option<Message>, Option<&'static str>) {
    let Ok(parsed) = serde_json::from_str::<ClientMessage>(text) else {
        let error = json!({ "message": "Messages must be JSON objects" });
        return (Some(message("error", error)), None);
    };
    let action = parsed.action.or(parsed.kind).unwrap_or_default();
    let room = parsed
        .data
        .get("room")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if action == "join"
        && let Some(known) = ROOMS.iter().copied().find(|r| *r == room)
    {
        rooms.insert(room.clone());
        let joined = json!({ "message": format!("Joined room {room}"), "room": room });
        return (Some(message("system_info", joined)), Some(known));
    }
    let reply = match action.as_str() {
        "ping" => Some(message("pong", json!({}))),
        "leave" => {
            rooms.remove(&room);
            Some(message(
                "system_info",
                json!({ "message": format!("Left room {room}"), "room": room }),
            ))
        }
        "join" => Some(message(
            "error",
            json!({ "message": format!("Unknown room {room:?}"), "rooms": ROOMS }),
        )),
        other => Some(message(
            "error",
            json!({ "message": format!("Unknown action {other:?}") }),
        )),
    };
    (reply, None)
}

/// Whether a connection in `rooms` gets this event.
pub(super) fn wanted(event: &Event, rooms: &HashSet<String>) -> bool {
    room_of(&event.kind).is_none_or(|room| rooms.contains(room))
}

/// The room an event is confined to; `None` goes to every authenticated connection. The match
/// is exhaustive so that each new kind of event (the queue's download events go to
/// `downloads`) has to be placed.
pub(super) fn room_of(kind: &EventKind) -> Option<&'static str> {
    match kind {
        EventKind::ScanProgress { .. }
        | EventKind::ScanComplete { .. }
        | EventKind::SystemInfo { .. }
        | EventKind::HealthChanged { .. }
        | EventKind::NewEpisodes { .. }
        | EventKind::Error { .. } => None,
        EventKind::DownloadAdded { .. }
        | EventKind::DownloadProgress { .. }
        | EventKind::DownloadComplete { .. }
        | EventKind::DownloadFailed { .. }
        | EventKind::DownloadRemoved { .. }
        | EventKind::QueueStatus { .. }
        | EventKind::QueueStarted { .. }
        | EventKind::QueueStopped { .. }
        | EventKind::HistoryAdded { .. } => Some("downloads"),
    }
}

/// An event as a message: its kind's `type` and `data`, the event time, and its sequence
/// number as `seq` (and as `id`, its earlier name).
pub(super) fn outgoing(event: &Event) -> Message {
    let mut body = serde_json::to_value(&event.kind)
        .unwrap_or_else(|_| json!({ "type": "error", "data": {} }));
    if let Value::Object(fields) = &mut body {
        fields.insert("timestamp".into(), json!(event.at));
        fields.insert("id".into(), json!(event.seq));
        fields.insert("seq".into(), json!(event.seq));
        if !fields.contains_key("data") {
            fields.insert("data".into(), json!({}));
        }
    }
    Message::Text(body.to_string())
}
