//! The one event type that flows from the use cases through the event bus to the WebSocket.
//! Every event gets a monotonically increasing `id` when published, so a later stage can
//! replay what a reconnecting client missed.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Something that happened, as published on the event bus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Sequence number given by the bus, starting at 1.
    pub id: u64,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum EventKind {
    /// A library scan progressed: `done` of `total` series folders looked at.
    ScanProgress {
        done: u64,
        total: u64,
        current: Option<String>,
    },
    /// A library scan finished.
    ScanComplete {
        series: u64,
        files: u64,
        missing: u64,
        errors: u64,
        duration_ms: u64,
    },
    /// Something worth telling a user, e.g. a skipped folder.
    SystemInfo { message: String },
    /// An error that did not belong to a request.
    Error { message: String },
}
