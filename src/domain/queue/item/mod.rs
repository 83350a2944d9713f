//! One queue item and its states (API.md section 9, "Download Item").
//!
//! Each state holds the data that exists only in it ([`ItemState`]): a pending item its
//! backoff and resume checkpoint, a downloading one its start and live progress, a completed
//! one its file, a failed one its error. What outlives a state (the last attempt's start,
//! progress and error, shown by the API whatever the state) is kept in [`LastAttempt`]. The
//! fields are private: an item changes only through its transitions, each of which answers
//! whether it was allowed, so a refused transition changes nothing (`transitions`).

mod transitions;

use chrono::{DateTime, Utc};

use super::memory::EpisodeKey;
use super::stats::Progress;
use super::values::{Grab, ItemId, Origin, Partial, Priority, Status};
use crate::domain::catalogue::Language;
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;

/// Why a state transition was refused; the item is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {from} item cannot become {to}", from = .from.name(), to = .to.name())]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
}

/// A transfer's record (checkpoint, progress) for an item that has no transfer running.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {status} item has no transfer to record", status = .0.name())]
pub struct NoTransfer(pub Status);

/// Where an item is in its life, with what only that state has.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemState {
    /// Waiting for a worker, until `not_before` after a failed attempt; `partial` is where an
    /// interrupted transfer goes on from.
    Pending {
        not_before: Option<DateTime<Utc>>,
        partial: Option<Partial>,
    },
    /// A worker is resolving or transferring it.
    Downloading {
        started_at: DateTime<Utc>,
        progress: Option<Progress>,
        partial: Option<Partial>,
    },
    /// The file (relative to the library directory) is in the library.
    Completed { file: String, at: DateTime<Utc> },
    /// Every hoster and every retry failed.
    Failed { error: String, at: DateTime<Utc> },
    /// Removed while downloading; its partial file is deleted.
    Cancelled,
}

impl ItemState {
    /// The API's status.
    pub fn status(&self) -> Status {
        match self {
            Self::Pending { .. } => Status::Pending,
            Self::Downloading { .. } => Status::Downloading,
            Self::Completed { .. } => Status::Completed,
            Self::Failed { .. } => Status::Failed,
            Self::Cancelled => Status::Cancelled,
        }
    }
}

/// What the last attempt left, shown in every state: when it started, how far it got, why it
/// failed (while a retry waits). A downloading item keeps its start and progress in the state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LastAttempt {
    pub started_at: Option<DateTime<Utc>>,
    pub progress: Option<Progress>,
    pub error: Option<String>,
}

/// Where the episode is (or was last) downloaded from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// The hoster embed page.
    pub url: Option<String>,
    pub hoster: Option<String>,
    pub language: Option<Language>,
}

/// What a new item is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub series: SeriesKey,
    pub folder: String,
    pub series_name: String,
    pub episode: EpisodeId,
    pub title: Option<String>,
    pub priority: Priority,
    pub origin: Origin,
}

/// Every part of an item, as a store keeps it; [`QueueItem::restore`] builds the item back.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemParts {
    pub id: ItemId,
    pub new: NewItem,
    /// Order within a priority: insertion order, changed by reordering (which may move
    /// items before 0).
    pub position: i64,
    pub added_at: DateTime<Utc>,
    pub state: ItemState,
    pub last: LastAttempt,
    /// Attempts made again after a failure: automatic retries and the user's retries.
    pub retry_count: u32,
    /// Automatic retries used since the item was added or last retried by the user.
    pub auto_retries: u32,
    pub source: Source,
    /// Milliseconds spent transferring (for the average speed).
    pub transfer_ms: u64,
    /// For an upgrade: the language of the file it replaces.
    pub upgrade_from: Option<Language>,
    /// For an upgrade: the better languages to download it in, best first (none else is
    /// tried, so a failed upgrade never downloads the language held).
    pub upgrade_to: Vec<Language>,
    /// For an item Sonarr added: the release it downloads.
    pub grab: Option<Grab>,
}

/// One episode in the download queue: its parts, private, so that they change only through
/// the item's transitions.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem {
    parts: ItemParts,
}

impl QueueItem {
    /// A pending item at `position`.
    pub fn new(new: NewItem, position: i64, now: DateTime<Utc>) -> Self {
        Self::restore(ItemParts {
            id: ItemId::new(),
            new,
            position,
            added_at: now,
            state: ItemState::Pending {
                not_before: None,
                partial: None,
            },
            last: LastAttempt::default(),
            retry_count: 0,
            auto_retries: 0,
            source: Source::default(),
            transfer_ms: 0,
            upgrade_from: None,
            upgrade_to: Vec::new(),
            grab: None,
        })
    }

    /// An item from its stored parts.
    pub fn restore(parts: ItemParts) -> Self {
        Self { parts }
    }

    /// An upgrade of an episode held in `from`, downloaded only in `to` (best first).
    pub fn upgrading(mut self, from: Language, to: Vec<Language>) -> Self {
        self.parts.upgrade_from = Some(from);
        self.parts.upgrade_to = to;
        self
    }

    /// An item Sonarr added: `grab`'s release, downloaded into Sonarr's folder.
    pub fn grabbing(mut self, grab: Grab) -> Self {
        self.parts.grab = Some(grab);
        self
    }

    /// Files the item under another qBittorrent category.
    pub fn set_category(&mut self, category: String) {
        if let Some(grab) = &mut self.parts.grab {
            grab.category = category;
        }
    }

    /// The release an item Sonarr added downloads; `None` for the library's items.
    pub fn grab(&self) -> Option<&Grab> {
        self.parts.grab.as_ref()
    }

    pub fn id(&self) -> ItemId {
        self.parts.id
    }
    pub fn series(&self) -> &SeriesKey {
        &self.parts.new.series
    }
    /// The series folder in the library (`serie_folder`).
    pub fn folder(&self) -> &str {
        &self.parts.new.folder
    }
    /// The series' display name (`serie_name`).
    pub fn series_name(&self) -> &str {
        &self.parts.new.series_name
    }
    pub fn episode(&self) -> EpisodeId {
        self.parts.new.episode
    }
    pub fn title(&self) -> Option<&str> {
        self.parts.new.title.as_deref()
    }
    pub fn priority(&self) -> Priority {
        self.parts.new.priority
    }
    pub fn origin(&self) -> Origin {
        self.parts.new.origin
    }
    pub fn position(&self) -> i64 {
        self.parts.position
    }
    pub fn added_at(&self) -> DateTime<Utc> {
        self.parts.added_at
    }
    pub fn state(&self) -> &ItemState {
        &self.parts.state
    }
    pub fn status(&self) -> Status {
        self.parts.state.status()
    }
    pub fn last_attempt(&self) -> &LastAttempt {
        &self.parts.last
    }
    pub fn retry_count(&self) -> u32 {
        self.parts.retry_count
    }
    pub fn auto_retries(&self) -> u32 {
        self.parts.auto_retries
    }
    pub fn source(&self) -> &Source {
        &self.parts.source
    }
    pub fn transfer_ms(&self) -> u64 {
        self.parts.transfer_ms
    }
    pub fn upgrade_from(&self) -> Option<Language> {
        self.parts.upgrade_from
    }
    pub fn upgrade_to(&self) -> &[Language] {
        &self.parts.upgrade_to
    }

    /// When the current (or last) attempt started.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        match &self.parts.state {
            ItemState::Downloading { started_at, .. } => Some(*started_at),
            _ => self.parts.last.started_at,
        }
    }

    /// When the item completed or failed.
    pub fn completed_at(&self) -> Option<DateTime<Utc>> {
        match &self.parts.state {
            ItemState::Completed { at, .. } | ItemState::Failed { at, .. } => Some(*at),
            _ => None,
        }
    }

    /// The current (or last) attempt's progress.
    pub fn progress(&self) -> Option<&Progress> {
        match &self.parts.state {
            ItemState::Downloading { progress, .. } => progress.as_ref(),
            _ => self.parts.last.progress.as_ref(),
        }
    }

    /// Why the item failed, or why the last attempt failed (while a retry waits).
    pub fn error(&self) -> Option<&str> {
        match &self.parts.state {
            ItemState::Failed { error, .. } => Some(error),
            _ => self.parts.last.error.as_deref(),
        }
    }

    /// When a waiting retry may be taken.
    pub fn not_before(&self) -> Option<DateTime<Utc>> {
        match &self.parts.state {
            ItemState::Pending { not_before, .. } => *not_before,
            _ => None,
        }
    }

    /// Where an interrupted transfer stopped.
    pub fn partial(&self) -> Option<Partial> {
        match &self.parts.state {
            ItemState::Pending { partial, .. } | ItemState::Downloading { partial, .. } => *partial,
            _ => None,
        }
    }

    /// The file, relative to the library directory, once completed.
    pub fn file(&self) -> Option<&str> {
        match &self.parts.state {
            ItemState::Completed { file, .. } => Some(file),
            _ => None,
        }
    }

    /// The series and episode this item downloads.
    pub fn episode_key(&self) -> EpisodeKey {
        EpisodeKey::new(self.parts.new.series.clone(), self.parts.new.episode)
    }

    /// Whether a worker may take the item now.
    pub fn is_ready(&self, now: DateTime<Utc>) -> bool {
        matches!(&self.parts.state, ItemState::Pending { not_before, .. }
            if not_before.is_none_or(|t| t <= now))
    }
}
