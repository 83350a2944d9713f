//! The queue in memory: its items, what it remembers of episodes, whether it runs, which
//! items workers own; and what is computed from them (the status view, the status event,
//! the next position).

use std::collections::{HashMap, HashSet};

use tokio_util::sync::CancellationToken;

use super::{QueueError, QueueView};
use crate::domain::event::EventKind;
use crate::domain::queue::{EpisodeKey, ItemId, QueueItem, QueueStatistics, Remembered, Status};
use crate::ports::queue::RunState;

/// The queue in memory. A std mutex: held only for short, non-async work.
#[derive(Default)]
pub(super) struct State {
    pub(super) items: HashMap<ItemId, QueueItem>,
    pub(super) memory: HashMap<EpisodeKey, Remembered>,
    pub(super) run_state: RunState,
    /// Whether workers take new items.
    pub(super) running: bool,
    /// Items a worker owns, with the token that cancels its transfer.
    pub(super) active: HashMap<ItemId, CancellationToken>,
}

impl State {
    /// The position after every item's: new items go to the end of their priority.
    pub(super) fn next_position(&self) -> i64 {
        self.items
            .values()
            .map(|i| i.position() + 1)
            .max()
            .unwrap_or(0)
    }

    /// The items with these ids, each once, in the order first listed.
    ///
    /// # Errors
    /// [`QueueError::NotFound`] for the first id not in the queue.
    pub(super) fn items_by_id(&self, ids: &[ItemId]) -> Result<Vec<QueueItem>, QueueError> {
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        for id in ids {
            let item = self
                .items
                .get(id)
                .ok_or_else(|| QueueError::NotFound(id.to_string()))?;
            if seen.insert(*id) {
                found.push(item.clone());
            }
        }
        Ok(found)
    }

    /// The episodes of the library's items in one of `statuses` (Sonarr's releases are
    /// downloaded apart from the library, and hold no episode of it).
    pub(super) fn episodes_in(&self, statuses: &[Status]) -> HashSet<EpisodeKey> {
        self.items
            .values()
            .filter(|i| i.grab().is_none() && statuses.contains(&i.status()))
            .map(QueueItem::episode_key)
            .collect()
    }

    pub(super) fn view(&self) -> QueueView {
        let mut by_status: HashMap<Status, Vec<QueueItem>> = HashMap::new();
        for item in self.items.values() {
            by_status
                .entry(item.status())
                .or_default()
                .push(item.clone());
        }
        let mut take = |s: Status| by_status.remove(&s).unwrap_or_default();
        let mut pending = take(Status::Pending);
        pending.sort_by(crate::domain::queue::queue_order);
        let mut active = take(Status::Downloading);
        active.sort_by_key(|i| i.started_at());
        let mut completed = take(Status::Completed);
        completed.sort_by_key(|i| i.completed_at());
        let mut failed = take(Status::Failed);
        failed.sort_by_key(|i| i.completed_at());
        QueueView {
            is_running: self.running,
            is_paused: self.run_state == RunState::Paused,
            statistics: QueueStatistics::of(self.items.values()),
            active,
            pending,
            completed,
            failed,
        }
    }

    pub(super) fn status_event(&self) -> EventKind {
        let count = |s: Status| self.items.values().filter(|i| i.status() == s).count() as u64;
        EventKind::QueueStatus {
            is_running: self.running,
            is_paused: self.run_state == RunState::Paused,
            pending: count(Status::Pending),
            active: count(Status::Downloading),
            completed: count(Status::Completed),
            failed: count(Status::Failed),
        }
    }
}
