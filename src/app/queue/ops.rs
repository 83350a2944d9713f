//! What else the API asks of the queue: remove items, clear a section, reorder, retry failed
//! items, start and stop. Each checks the whole request first and changes nothing when any
//! part of it is wrong.

use std::collections::HashSet;

use super::{QueueError, QueueService, download_ref};
use crate::domain::event::EventKind;
use crate::domain::queue::{ItemId, QueueItem, Remembered, ReorderError, Status, reorder};
use crate::ports::queue::{QueueChange, RunState};

impl QueueService {
    /// Removes items; a downloading one is cancelled and its partial file deleted. The
    /// removal is remembered, so automatic downloads do not queue the episode again.
    ///
    /// # Errors
    /// [`QueueError::NotFound`] when any id is unknown (then nothing is removed),
    /// [`QueueError::Invalid`] for an empty list, [`QueueError::Store`].
    pub async fn remove(&self, ids: &[ItemId]) -> Result<usize, QueueError> {
        if ids.is_empty() {
            return Err(QueueError::invalid(
                "item_ids",
                "must name at least one item",
            ));
        }
        let ops = self.ops().await;
        let items = self.state().items_by_id(ids)?;
        self.remove_items(&ops, items).await
    }

    /// Removes every item in `status` (completed, failed or pending); answers how many.
    ///
    /// # Errors
    /// [`QueueError::Store`].
    pub async fn clear(&self, status: Status) -> Result<usize, QueueError> {
        let ops = self.ops().await;
        let items: Vec<QueueItem> = self
            .state()
            .items
            .values()
            .filter(|i| i.status() == status)
            .cloned()
            .collect();
        self.remove_items(&ops, items).await
    }

    /// Removes items, cancelling running transfers.
    pub(super) async fn remove_items(
        &self,
        ops: &super::Ops<'_>,
        items: Vec<QueueItem>,
    ) -> Result<usize, QueueError> {
        if items.is_empty() {
            return Ok(0);
        }
        // Finished items are history: clearing them says nothing about the episode. A user
        // removing a waiting or running item says "not this one".
        let remember = items
            .iter()
            .filter(|i| i.status().is_queued() && i.grab().is_none())
            .map(|i| (i.episode_key(), Remembered::RemovedByUser))
            .collect();
        let change = QueueChange {
            remove: items.iter().map(|i| i.id()).collect(),
            remember,
            ..QueueChange::default()
        };
        let mut cancelled = HashSet::new();
        self.commit(ops, change, |state| {
            for item in &items {
                if let Some(token) = state.active.get(&item.id()) {
                    token.cancel();
                    cancelled.insert(item.id());
                }
            }
        })
        .await?;
        for item in &items {
            let status = if cancelled.contains(&item.id()) {
                Status::Cancelled
            } else {
                item.status()
            };
            self.publish(EventKind::DownloadRemoved {
                item: download_ref(item),
                status: status.name().to_owned(),
            });
        }
        self.publish_status();
        Ok(items.len())
    }

    /// Puts the listed pending items first, in that order; answers how many were moved.
    ///
    /// # Errors
    /// [`QueueError::NotFound`] for an unknown id, [`QueueError::Invalid`] for an empty
    /// list or a repeated id, [`QueueError::Store`].
    pub async fn reorder(&self, ids: &[ItemId]) -> Result<usize, QueueError> {
        let ops = self.ops().await;
        let items: Vec<QueueItem> = self.state().items.values().cloned().collect();
        let (changed, count) = reorder(&items, ids).map_err(|e| match e {
            ReorderError::Unknown(id) => QueueError::NotFound(id.to_string()),
            other => QueueError::invalid("item_ids", other.to_string()),
        })?;
        self.commit(&ops, QueueChange::put(changed), |_| {}).await?;
        drop(ops);
        self.publish_status();
        Ok(count)
    }

    /// Puts failed items back in the queue (all of them when `ids` is empty); answers the
    /// ids retried. Listed items that are not failed are left as they are.
    ///
    /// # Errors
    /// [`QueueError::NotFound`] for an unknown id, [`QueueError::Store`].
    pub async fn retry(&self, ids: &[ItemId]) -> Result<Vec<ItemId>, QueueError> {
        let ops = self.ops().await;
        let chosen = if ids.is_empty() {
            self.state().items.values().cloned().collect()
        } else {
            self.state().items_by_id(ids)?
        };
        let retried: Vec<QueueItem> = chosen
            .into_iter()
            .filter_map(|mut i| i.retry_by_user().is_ok().then_some(i))
            .collect();
        let ids: Vec<ItemId> = retried.iter().map(|i| i.id()).collect();
        self.commit(&ops, QueueChange::put(retried), |_| {}).await?;
        drop(ops);
        if !ids.is_empty() {
            self.publish_status();
            self.inner.wake.notify_one();
        }
        Ok(ids)
    }

    /// Starts taking items, now and after restarts, until the user stops or pauses.
    ///
    /// # Errors
    /// [`QueueError::Store`].
    pub async fn start(&self) -> Result<(), QueueError> {
        self.set_running(RunState::Started).await
    }

    /// Stops taking new items (running downloads finish), until the next start.
    ///
    /// # Errors
    /// [`QueueError::Store`].
    pub async fn stop(&self) -> Result<(), QueueError> {
        self.set_running(RunState::Stopped).await
    }

    /// As [`QueueService::stop`], shown as paused.
    ///
    /// # Errors
    /// [`QueueError::Store`].
    pub async fn pause(&self) -> Result<(), QueueError> {
        self.set_running(RunState::Paused).await
    }

    pub(super) async fn set_running(&self, run_state: RunState) -> Result<(), QueueError> {
        let ops = self.ops().await;
        let running = run_state == RunState::Started;
        let was_running = self.state().running;
        let change = QueueChange {
            run_state: Some(run_state),
            ..QueueChange::default()
        };
        self.commit(&ops, change, |state| state.running = running)
            .await?;
        drop(ops);
        self.announce_running(was_running, running);
        Ok(())
    }

    /// Publishes `queue_started`/`queue_stopped` when the running state changed.
    pub(super) fn announce_running(&self, was_running: bool, running: bool) {
        if running && !was_running {
            self.publish(EventKind::QueueStarted {
                message: "Queue processing started".into(),
            });
            self.inner.wake.notify_one();
        } else if !running && was_running {
            self.publish(EventKind::QueueStopped {
                message: "Queue processing stopped (current download will continue)".into(),
            });
        }
        self.publish_status();
    }
}
