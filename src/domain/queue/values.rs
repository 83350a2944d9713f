//! The small values a queue item is made of: its id, status, priority and origin, and the
//! checkpoint an interrupted transfer resumes from.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::catalogue::Language;
use crate::domain::release::InfoHash;

/// The id of a queue item: a UUID, as the API shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ItemId(uuid::Uuid);

impl ItemId {
    /// A fresh random id.
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4())
    }

    /// Parses the API form; `None` for anything that is not a UUID.
    pub fn parse(text: &str) -> Option<Self> {
        uuid::Uuid::parse_str(text.trim()).ok().map(Self)
    }

    /// The UUID.
    pub fn uuid(&self) -> uuid::Uuid {
        self.0
    }
}

impl Default for ItemId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where an item is in its life, by name (the states with their data are
/// [`super::ItemState`]). Queue-wide pause stops the queue; single items are not paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for a worker (possibly until a retry's backoff has passed).
    Pending,
    /// A worker is resolving or transferring it.
    Downloading,
    /// The file is in the library under its final name.
    Completed,
    /// Every hoster and every retry failed; `error` says why.
    Failed,
    /// Removed while downloading; its partial file is deleted.
    Cancelled,
}

impl Status {
    /// The API's name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Downloading => "downloading",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Whether the item still holds a place in the queue (a duplicate of it is refused).
    pub fn is_queued(&self) -> bool {
        matches!(self, Self::Pending | Self::Downloading)
    }
}

/// HIGH before NORMAL before LOW.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
}

impl Priority {
    /// Larger is taken first.
    pub fn rank(&self) -> u8 {
        match self {
            Self::Low => 0,
            Self::Normal => 1,
            Self::High => 2,
        }
    }

    /// The API's name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Low => "LOW",
            Self::Normal => "NORMAL",
            Self::High => "HIGH",
        }
    }

    /// Parses `LOW`, `NORMAL` or `HIGH` (case-insensitive).
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Low, Self::Normal, Self::High]
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(text.trim()))
    }
}

/// Who put an item in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// `POST /api/queue/add`.
    #[default]
    User,
    /// Automatic downloads (`scheduler.auto_download`).
    Auto,
    /// A better language of an episode on disk, for a series with `upgrade` on.
    Upgrade,
    /// Sonarr, through the qBittorrent API (INTEGRATIONS.md section 3): a release downloaded
    /// into Sonarr's folder, never into the library.
    Arr,
}

/// What an item Sonarr added downloads: one release, to `<arr folder>/<title>/<title>.<ext>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grab {
    pub hash: InfoHash,
    /// The release title: the folder's and the file's name.
    pub title: String,
    /// The one language it is downloaded in.
    pub language: Language,
    /// The qBittorrent category Sonarr filed it under.
    pub category: String,
}

/// How far an interrupted transfer got, so it can go on from there (after a restart, a
/// cut connection or an expired signed URL). Written only after the bytes it counts were
/// flushed to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Partial {
    /// A plain file: the first `bytes` bytes of a file of `total` bytes (where known).
    Direct { bytes: u64, total: Option<u64> },
    /// HLS: the first `segments` of `total` segments, `bytes` bytes of the file.
    Hls {
        segments: u32,
        total: u32,
        bytes: u64,
    },
}

impl Partial {
    /// Bytes of the partial file that are kept.
    pub fn bytes(&self) -> u64 {
        match self {
            Self::Direct { bytes, .. } | Self::Hls { bytes, .. } => *bytes,
        }
    }
}
