//! The download queue, kept durably: its items, what it remembers about episodes, and
//! whether the user wants it running.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::queue::{EpisodeKey, ItemId, QueueItem, Remembered};

/// Whether the queue processes items, as the user last said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Never started, or nothing said yet: automatic downloads may start it.
    #[default]
    Idle,
    /// `POST /api/queue/start`: runs, also after a restart.
    Started,
    /// `POST /api/queue/stop`: holds until the next start, even for automatic downloads.
    Stopped,
    /// `POST /api/queue/pause`: as stopped, shown as paused.
    Paused,
}

/// Everything the queue keeps.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueueSnapshot {
    pub items: Vec<QueueItem>,
    pub memory: Vec<(EpisodeKey, Remembered)>,
    pub run_state: RunState,
}

/// One change to the queue, applied in one transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueueChange {
    /// Items written (inserted or replaced, by id).
    pub put: Vec<QueueItem>,
    /// Items deleted.
    pub remove: Vec<ItemId>,
    /// Episodes remembered (replacing what was remembered of them).
    pub remember: Vec<(EpisodeKey, Remembered)>,
    /// Episodes forgotten.
    pub forget: Vec<EpisodeKey>,
    /// A new run state.
    pub run_state: Option<RunState>,
}

impl QueueChange {
    /// A change that writes these items.
    pub fn put(items: Vec<QueueItem>) -> Self {
        Self {
            put: items,
            ..Self::default()
        }
    }

    /// True when the change changes nothing.
    pub fn is_empty(&self) -> bool {
        self.put.is_empty()
            && self.remove.is_empty()
            && self.remember.is_empty()
            && self.forget.is_empty()
            && self.run_state.is_none()
    }
}

/// The queue's durable store.
///
/// # Errors
/// [`StoreError`] when the database fails.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait QueueStore: Send + Sync {
    /// Everything the queue keeps.
    async fn load(&self) -> Result<QueueSnapshot, StoreError>;

    /// Applies a change in one transaction: all of it or nothing.
    async fn apply(&self, change: QueueChange) -> Result<(), StoreError>;
}
