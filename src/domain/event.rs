//! The one event type that flows from the use cases through the event bus to the WebSocket.
//! Every event gets a sequence number when published, increasing for the life of the data
//! dir, so a reconnecting client can be sent what it missed.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Something that happened, as published on the event bus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Sequence number given by the bus: greater than every number given before on this data
    /// dir, also across restarts (numbers may skip, never repeat).
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
}

/// Which queue item an event is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DownloadRef {
    pub download_id: String,
    /// The series key.
    pub key: String,
    /// The series folder.
    pub folder: String,
    /// The series' name.
    pub series_name: String,
    pub season: u32,
    pub episode: u32,
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
    /// Items were put in the download queue (one event per item).
    DownloadAdded {
        #[serde(flatten)]
        item: DownloadRef,
        title: Option<String>,
        priority: String,
        status: String,
        /// Who queued it: `user`, `auto` (automatic downloads), `upgrade` or `arr` (Sonarr).
        origin: String,
    },
    /// A download progressed (a few times a second per item at most).
    DownloadProgress {
        #[serde(flatten)]
        item: DownloadRef,
        percent: f64,
        downloaded_mb: f64,
        total_mb: Option<f64>,
        speed_mbps: f64,
        eta_seconds: Option<u64>,
    },
    /// A download finished: the file is in the library under its final name.
    DownloadComplete {
        #[serde(flatten)]
        item: DownloadRef,
        /// The file, relative to the library directory.
        file: String,
        size_mb: f64,
        hoster: Option<String>,
        language: Option<String>,
        /// The file's size in bytes.
        size_bytes: u64,
        /// From the attempt's start to the file in place, in milliseconds.
        duration_ms: u64,
        /// For an upgrade: the language of the file it replaced.
        upgraded_from: Option<String>,
        /// Who queued it: `user`, `auto`, `upgrade` or `arr`.
        origin: String,
    },
    /// A download attempt failed; `will_retry` tells whether it is retried after a backoff.
    DownloadFailed {
        #[serde(flatten)]
        item: DownloadRef,
        error: String,
        retry_count: u32,
        will_retry: bool,
    },
    /// An item left the queue (removed by the user, or cleared).
    DownloadRemoved {
        #[serde(flatten)]
        item: DownloadRef,
        /// The item's status when it was removed (`cancelled` for a running download).
        status: String,
    },
    /// The queue's state changed: running or not, and how many items are where.
    QueueStatus {
        is_running: bool,
        is_paused: bool,
        pending: u64,
        active: u64,
        completed: u64,
        failed: u64,
    },
    /// The queue started taking items.
    QueueStarted { message: String },
    /// The queue stopped taking new items (running downloads finish).
    QueueStopped { message: String },
    /// An entry was added to the activity history (`GET /api/history`).
    HistoryAdded {
        #[serde(flatten)]
        entry: crate::domain::history::HistoryEntry,
    },
    /// Something worth telling a user, e.g. a skipped folder.
    SystemInfo { message: String },
    /// The catalogue site or a hoster changed health (`healthy`, `failing`, `resting`).
    HealthChanged {
        /// `catalogue` (aniworld.to), `catalogue:s.to`, or `hoster:<name>`.
        source: String,
        status: String,
        previous: String,
        /// Why, for a source that is not healthy.
        reason: Option<String>,
    },
    /// A catalogue refresh found episodes of a library series that were not listed before
    /// and are not on disk: new episodes have aired (the connections' `new_episodes`).
    NewEpisodes {
        /// The series key.
        key: String,
        /// The series folder.
        folder: String,
        series_name: String,
        /// `[season, episode]` pairs, in order.
        episodes: Vec<(u32, u32)>,
    },
    /// An error that did not belong to a request.
    Error { message: String },
}
