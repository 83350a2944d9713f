//! API.md section 8: the WebSocket at `/ws/connect` and its status at `/ws/status`.
//!
//! Each connection gets a `connected` message, answers `ping` with `pong`, lets the client
//! join and leave rooms, and forwards events from the event bus as
//! `{"type", "timestamp", "data", "seq", "id"}` messages (`seq`, and `id` its earlier name,
//! increase for the life of the data dir). Events reach authenticated connections only
//! (a `token` query parameter holding a valid JWT); download events only those in the
//! `downloads` room. A connection that falls behind the bus skips what it missed rather than
//! slowing the publisher, and is told so. A client that reconnects with `since=<seq>` (and
//! `rooms=downloads`, or a later `join`) is sent what it missed.
//!
//! - this file: the endpoints, the message types, the count of open connections;
//! - `session`: one connection's life;
//! - `replay`: `since` and `rooms`, and the replay of missed events.

mod replay;
mod session;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use poem::web::websocket::{WebSocket, WebSocketConfig};
use poem::web::{Data, Query};
use poem::{IntoResponse, handler};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use serde::Deserialize;

use super::ApiTags;
use super::error::ApiError;
use super::outcomes::{Reply, outcomes, reply};
use crate::app::App;
use crate::ports::events::RecentEvents;
use replay::Start;
use session::session;

/// The message types of API.md section 8, then the later ones: `history_added`
/// (INTEGRATIONS.md section 6), `health_changed` and `new_episodes`.
pub const MESSAGE_TYPES: [&str; 18] = [
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
    "history_added",
    "health_changed",
    "new_episodes",
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
    since: Option<String>,
    rooms: Option<String>,
}

/// `GET /ws/connect`: upgrades to a WebSocket.
#[handler]
pub async fn connect(
    ws: WebSocket,
    Query(params): Query<ConnectParams>,
    app: Data<&Arc<App>>,
    connections: Data<&Arc<Connections>>,
) -> Result<impl IntoResponse, ApiError> {
    let start = Start::parse(params.since.as_deref(), params.rooms.as_deref())?;
    let app = app.0.clone();
    let connections = connections.0.clone();
    // A token given but invalid is told (and the socket closed) rather than silently
    // downgraded, so a client knows its session ended.
    let auth = params
        .token
        .as_deref()
        .map(|t| app.auth.verify(t).is_some());
    // Clients send only small control messages: a small read buffer (tungstenite's default is
    // 128 KiB a connection) and a cap on what one message may make the server hold.
    let config = WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .max_message_size(Some(64 * 1024))
        .max_frame_size(Some(64 * 1024));
    Ok(ws
        .config(config)
        .on_upgrade(move |socket| session(socket, app, connections, auth, start)))
}

/// The WebSocket service's status.
#[derive(Debug, Object)]
#[oai(example)]
struct WsStatus {
    /// `operational`.
    status: String,
    active_connections: u64,
    supported_message_types: Vec<String>,
    replay_buffer: ReplayBuffer,
}

impl poem_openapi::types::Example for WsStatus {
    fn example() -> Self {
        Self {
            status: "operational".into(),
            active_connections: 2,
            supported_message_types: MESSAGE_TYPES.iter().map(|t| t.to_string()).collect(),
            replay_buffer: ReplayBuffer {
                events: 1_250,
                bytes: 402_000,
                max_events: 4_096,
                max_bytes: 2 * 1024 * 1024,
                oldest_seq: Some(18_343),
                last_seq: 19_592,
            },
        }
    }
}

/// The buffer of recent events a reconnecting client (`since=<seq>`) is replayed from.
#[derive(Debug, Object)]
struct ReplayBuffer {
    /// Events kept now.
    events: u64,
    /// About the memory they hold.
    bytes: u64,
    max_events: u64,
    max_bytes: u64,
    /// The oldest kept event's `seq`: a client whose last seen `seq` is at least one below it
    /// is replayed everything it missed.
    oldest_seq: Option<u64>,
    /// The `seq` of the last event published (0 before the first).
    last_seq: u64,
}

impl From<RecentEvents> for ReplayBuffer {
    fn from(r: RecentEvents) -> Self {
        Self {
            events: r.events as u64,
            bytes: r.bytes as u64,
            max_events: r.max_events as u64,
            max_bytes: r.max_bytes as u64,
            oldest_seq: r.oldest_seq,
            last_seq: r.last_seq,
        }
    }
}

/// The WebSocket status endpoint.
pub struct WsApi;

outcomes!(WsStatusOutcomes: "The WebSocket service's state", []);

#[OpenApi(tag = "ApiTags::WebSocket")]
impl WsApi {
    /// WebSocket service status
    ///
    /// The open connections, the message types and the replay buffer of the WebSocket at
    /// `/ws/connect` (the protocol is described at the top of this document). Connect with `?token=<jwt>` to receive events; each event message carries `seq`, a
    /// number that increases for the life of the data dir (numbers may skip, e.g. across a
    /// restart, never repeat). To resume after a drop, reconnect with
    /// `?token=<jwt>&since=<last seq seen>&rooms=downloads`: the connection starts in the
    /// rooms named (comma-separated), is sent every event after `since` it is entitled to, in
    /// order, then a `system_info` with `replayed: <n>` (and `held_back`: per room not joined,
    /// how many of its events wait for a join), then live events, none twice. A later `join`
    /// of a room replays that room's events after `since` then, once, followed by a
    /// `system_info` with `room` and `replayed: <n>`. If some are no longer kept (older than
    /// `replay_buffer.oldest_seq`, from before a restart, or a `since` not given yet) it gets a
    /// `system_info` with `missed: true` and, in the `downloads` room, a `queue_status`
    /// snapshot (`snapshot: true`) instead: fetch the state afresh. A `since` that is not a
    /// whole number ≥ 0, or an unknown room, is refused before the upgrade with 422
    /// `VALIDATION_ERROR`.
    #[oai(path = "/ws/status", method = "get")]
    async fn status(
        &self,
        connections: Data<&Arc<Connections>>,
        app: Data<&Arc<App>>,
    ) -> Reply<Json<WsStatus>, WsStatusOutcomes> {
        reply(Json(WsStatus {
            status: "operational".into(),
            active_connections: connections.0.open.load(Ordering::Relaxed) as u64,
            supported_message_types: MESSAGE_TYPES.iter().map(|t| t.to_string()).collect(),
            replay_buffer: ReplayBuffer::from(app.events.recent()),
        }))
    }
}
