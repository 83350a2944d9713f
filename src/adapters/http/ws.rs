//! API.md section 8: the WebSocket at `/ws/connect` and its status at `/ws/status`.
//!
//! Each connection gets a `connected` message, answers `ping` with `pong`, lets the client
//! join and leave rooms, and forwards events from the event bus as
//! `{"type", "timestamp", "data"}` messages. Events reach authenticated connections only
//! (a `token` query parameter holding a valid JWT); download events only those in the
//! `downloads` room. A connection that falls behind the bus skips what it missed rather than
//! slowing the publisher.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Utc;
use futures_util::{SinkExt, StreamExt};
use poem::web::websocket::{Message, WebSocket, WebSocketStream};
use poem::web::{Data, Query};
use poem::{IntoResponse, handler};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use super::ApiTags;
use crate::app::App;
use crate::domain::event::{Event, EventKind};

/// The message types of API.md section 8.
pub const MESSAGE_TYPES: [&str; 15] = [
    "connected",
    "ping",
    "pong",
    "download_progress",
    "download_complete",
    "download_failed",
    "download_added",
    "download_removed",
    "queue_status",
    "queue_started",
    "queue_stopped",
    "scan_progress",
    "scan_complete",
    "system_info",
    "error",
];

/// Rooms a client may join.
const ROOMS: [&str; 1] = ["downloads"];

/// Open connections, shared by the handlers, and the server's stop signal that ends them.
pub struct Connections {
    open: AtomicUsize,
    shutdown: tokio_util::sync::CancellationToken,
}

impl Connections {
    /// No connections yet; they end when `shutdown` is cancelled.
    pub fn new(shutdown: tokio_util::sync::CancellationToken) -> Self {
        Self {
            open: AtomicUsize::new(0),
            shutdown,
        }
    }
}

/// Counts a connection for as long as it lives.
struct Open(Arc<Connections>);

impl Open {
    fn new(connections: Arc<Connections>) -> Self {
        connections.open.fetch_add(1, Ordering::Relaxed);
        Self(connections)
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::Relaxed);
    }
}

#[derive(Deserialize)]
struct ConnectParams {
    token: Option<String>,
}

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

fn message(kind: &str, data: Value) -> Message {
    Message::Text(json!({ "type": kind, "timestamp": Utc::now(), "data": data }).to_string())
}

/// `GET /ws/connect`: upgrades to a WebSocket.
#[handler]
pub async fn connect(
    ws: WebSocket,
    Query(params): Query<ConnectParams>,
    app: Data<&Arc<App>>,
    connections: Data<&Arc<Connections>>,
) -> impl IntoResponse {
    let app = app.0.clone();
    let connections = connections.0.clone();
    // A token given but invalid is told (and the socket closed) rather than silently
    // downgraded, so a client knows its session ended.
    let auth = params
        .token
        .as_deref()
        .map(|t| app.auth.verify(t).is_some());
    ws.on_upgrade(move |socket| session(socket, app, connections, auth))
}

async fn session(
    socket: WebSocketStream,
    app: Arc<App>,
    connections: Arc<Connections>,
    auth: Option<bool>,
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
    let mut events = app.events.subscribe();
    let connection_id = uuid::Uuid::new_v4().to_string();
    let hello = json!({ "message": "Connected to aniworld", "connection_id": connection_id, "authenticated": authenticated });
    if sink.send(message("connected", hello)).await.is_err() {
        return;
    }
    let mut rooms: HashSet<String> = HashSet::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => {
                let _ = sink.close().await;
                break;
            }
            incoming = stream.next() => {
                let Some(Ok(incoming)) = incoming else { break };
                let reply = match incoming {
                    Message::Text(text) => answer(&text, &mut rooms),
                    Message::Close(_) => break,
                    _ => None,
                };
                if let Some(reply) = reply && sink.send(reply).await.is_err() {
                    break;
                }
            }
            event = events.recv() => {
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
enum Delivery {
    Send(Message),
    Skip,
    End,
}

/// The message a connection sends for the bus's next event: events for authenticated
/// connections in their rooms; a notice when the connection fell behind the bus (what it
/// missed is gone: memory stays bounded by the bus, and the client is told).
fn to_client(
    event: Result<Event, RecvError>,
    authenticated: bool,
    rooms: &HashSet<String>,
) -> Delivery {
    match event {
        Ok(event) if authenticated && wanted(&event, rooms) => Delivery::Send(outgoing(&event)),
        Ok(_) => Delivery::Skip,
        Err(RecvError::Lagged(missed)) if authenticated => {
            let notice = json!({
                "message": format!("{missed} events were dropped because this connection fell behind"),
                "dropped": missed,
            });
            Delivery::Send(message("system_info", notice))
        }
        Err(RecvError::Lagged(_)) => Delivery::Skip,
        Err(RecvError::Closed) => Delivery::End,
    }
}

/// The reply to one client message, if any.
fn answer(text: &str, rooms: &mut HashSet<String>) -> Option<Message> {
    let Ok(parsed) = serde_json::from_str::<ClientMessage>(text) else {
        return Some(message(
            "error",
            json!({ "message": "Messages must be JSON objects" }),
        ));
    };
    let action = parsed.action.or(parsed.kind).unwrap_or_default();
    let room = parsed
        .data
        .get("room")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    match action.as_str() {
        "ping" => Some(message("pong", json!({}))),
        "join" if ROOMS.contains(&room.as_str()) => {
            rooms.insert(room.clone());
            Some(message(
                "system_info",
                json!({ "message": format!("Joined room {room}"), "room": room }),
            ))
        }
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
    }
}

/// Whether a connection in `rooms` gets this event.
fn wanted(event: &Event, rooms: &HashSet<String>) -> bool {
    room_of(&event.kind).is_none_or(|room| rooms.contains(room))
}

/// The room an event is confined to; `None` goes to every authenticated connection. The match
/// is exhaustive so that each new kind of event (the queue's download events go to
/// `downloads`) has to be placed.
fn room_of(kind: &EventKind) -> Option<&'static str> {
    match kind {
        EventKind::ScanProgress { .. }
        | EventKind::ScanComplete { .. }
        | EventKind::SystemInfo { .. }
        | EventKind::Error { .. } => None,
        EventKind::DownloadAdded { .. }
        | EventKind::DownloadProgress { .. }
        | EventKind::DownloadComplete { .. }
        | EventKind::DownloadFailed { .. }
        | EventKind::DownloadRemoved { .. }
        | EventKind::QueueStatus { .. }
        | EventKind::QueueStarted { .. }
        | EventKind::QueueStopped { .. } => Some("downloads"),
    }
}

/// An event as a message: its kind's `type` and `data`, the event time and its sequence id.
fn outgoing(event: &Event) -> Message {
    let mut body = serde_json::to_value(&event.kind)
        .unwrap_or_else(|_| json!({ "type": "error", "data": {} }));
    if let Value::Object(fields) = &mut body {
        fields.insert("timestamp".into(), json!(event.at));
        fields.insert("id".into(), json!(event.id));
        if !fields.contains_key("data") {
            fields.insert("data".into(), json!({}));
        }
    }
    Message::Text(body.to_string())
}

/// The WebSocket service's status.
#[derive(Debug, Object)]
struct WsStatus {
    /// `operational`.
    status: String,
    active_connections: u64,
    supported_message_types: Vec<String>,
}

/// The WebSocket status endpoint.
pub struct WsApi;

#[OpenApi(tag = "ApiTags::WebSocket")]
impl WsApi {
    /// Status of the WebSocket service at `/ws/connect` (connect with `?token=<jwt>` to
    /// receive events).
    #[oai(path = "/ws/status", method = "get")]
    async fn status(&self, connections: Data<&Arc<Connections>>) -> Json<WsStatus> {
        Json(WsStatus {
            status: "operational".into(),
            active_connections: connections.0.open.load(Ordering::Relaxed) as u64,
            supported_message_types: MESSAGE_TYPES.iter().map(|t| t.to_string()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: Option<Message>) -> Value {
        match m {
            Some(Message::Text(t)) => serde_json::from_str(&t).unwrap(),
            other => panic!("expected a text message, got {other:?}"),
        }
    }

    #[test]
    fn ping_in_either_form_gets_a_pong() {
        let mut rooms = HashSet::new();
        assert_eq!(
            text(answer(r#"{"type":"ping"}"#, &mut rooms))["type"],
            "pong"
        );
        assert_eq!(
            text(answer(r#"{"action":"ping"}"#, &mut rooms))["type"],
            "pong"
        );
    }

    #[test]
    fn only_known_rooms_can_be_joined() {
        let mut rooms = HashSet::new();
        let joined = text(answer(
            r#"{"action":"join","data":{"room":"downloads"}}"#,
            &mut rooms,
        ));
        assert_eq!(joined["type"], "system_info");
        assert!(rooms.contains("downloads"));
        assert_eq!(
            text(answer(
                r#"{"action":"join","data":{"room":"secrets"}}"#,
                &mut rooms
            ))["type"],
            "error"
        );
        text(answer(
            r#"{"action":"leave","data":{"room":"downloads"}}"#,
            &mut rooms,
        ));
        assert!(rooms.is_empty());
    }

    #[test]
    fn a_connection_that_fell_behind_is_told_how_many_events_it_missed() {
        let rooms = HashSet::new();
        let Delivery::Send(notice) = to_client(Err(RecvError::Lagged(37)), true, &rooms) else {
            panic!("expected a notice");
        };
        let v = text(Some(notice));
        assert_eq!(
            (v["type"].clone(), v["data"]["dropped"].clone()),
            (json!("system_info"), json!(37))
        );
        assert!(matches!(
            to_client(Err(RecvError::Lagged(3)), false, &rooms),
            Delivery::Skip
        ));
        assert!(matches!(
            to_client(Err(RecvError::Closed), true, &rooms),
            Delivery::End
        ));
    }

    #[test]
    fn download_events_go_only_to_connections_in_the_downloads_room() {
        let event = Event {
            id: 1,
            at: Utc::now(),
            kind: EventKind::QueueStarted {
                message: "Queue processing started".into(),
            },
        };
        let mut rooms = HashSet::new();
        assert!(matches!(
            to_client(Ok(event.clone()), true, &rooms),
            Delivery::Skip
        ));
        rooms.insert("downloads".to_owned());
        assert!(matches!(
            to_client(Ok(event.clone()), false, &rooms),
            Delivery::Skip
        ));
        assert!(matches!(
            to_client(Ok(event), true, &rooms),
            Delivery::Send(_)
        ));
    }

    #[test]
    fn garbage_gets_an_error_message() {
        assert_eq!(
            text(answer("not json", &mut HashSet::new()))["type"],
            "error"
        );
    }

    #[test]
    fn an_event_becomes_a_typed_message_with_time_and_id() {
        let event = Event {
            id: 7,
            at: Utc::now(),
            kind: EventKind::ScanProgress {
                done: 1,
                total: 2,
                current: None,
            },
        };
        let v = text(Some(outgoing(&event)));
        assert_eq!(v["type"], "scan_progress");
        assert_eq!(v["data"]["done"], 1);
        assert_eq!(v["id"], 7);
        assert!(v["timestamp"].is_string());
    }
}
