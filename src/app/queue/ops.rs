//! What the API asks of the queue: add episodes, remove items, clear a section, reorder,
//! retry failed items, start and stop. Each checks the whole request first and changes
//! nothing when any part of it is wrong.

use std::collections::HashSet;

use super::{QueueError, QueueService, download_ref};
use crate::domain::episode::EpisodeId;
use crate::domain::event::EventKind;
use crate::domain::queue::{
    EpisodeKey, ItemId, NewItem, Origin, Priority, QueueItem, Remembered, ReorderError, Status,
    reorder,
};
use crate::ports::queue::{QueueChange, RunState};

/// Most episodes one request may add.
pub const MAX_EPISODES_PER_ADD: usize = 20_000;

/// `POST /api/queue/add`.
#[derive(Debug, Clone)]
pub struct AddRequest {
    /// The series key (or, as for `GET /api/anime/{id}`, its folder).
    pub series: String,
    /// The folder for a series that is not in the library.
    pub folder: Option<String>,
    pub name: Option<String>,
    pub episodes: Vec<AddEpisode>,
    pub priority: Priority,
}

/// One episode to add.
#[derive(Debug, Clone)]
pub struct AddEpisode {
    pub episode: EpisodeId,
    pub title: Option<String>,
}

/// An episode that was not added, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedEpisode {
    pub episode: EpisodeId,
    pub title: Option<String>,
    pub reason: String,
}

/// What an add did.
#[derive(Debug, Clone)]
pub struct AddOutcome {
    pub added: Vec<ItemId>,
    pub failed: Vec<FailedEpisode>,
}

impl QueueService {
    /// Adds episodes of one series. Episodes the catalogue does not list, episodes already
    /// pending or downloading, and repeats within the request are refused one by one; the
    /// rest are added. A series unknown to both library and catalogue refuses every episode.
    ///
    /// # Errors
    /// [`QueueError::Invalid`] for an empty or over-long episode list or series id,
    /// [`QueueError::NoDirectory`], [`QueueError::Store`].
    pub async fn add(&self, request: AddRequest) -> Result<AddOutcome, QueueError> {
        if request.series.trim().is_empty() {
            return Err(QueueError::invalid("serie_id", "must not be empty"));
        }
        if request.episodes.is_empty() || request.episodes.len() > MAX_EPISODES_PER_ADD {
            return Err(QueueError::invalid(
                "episodes",
                format!("must list 1 to {MAX_EPISODES_PER_ADD} episodes"),
            ));
        }
        let library = &self.inner.deps.library;
        library.directory().map_err(|_| QueueError::NoDirectory)?;
        let target = match library
            .download_target(&request.series, request.folder.as_deref())
            .await
        {
            Ok(target) => target,
            Err(e) => {
                let reason = format!("{e}");
                let failed = request
                    .episodes
                    .into_iter()
                    .map(|e| FailedEpisode {
                        episode: e.episode,
                        title: e.title,
                        reason: reason.clone(),
                    })
                    .collect();
                return Ok(AddOutcome {
                    added: vec![],
                    failed,
                });
            }
        };
        let now = self.inner.deps.clock.now();
        let _ops = self.inner.ops.lock().await;
        let (mut next_position, queued) = {
            let state = self.state();
            let next = state
                .items
                .values()
                .map(|i| i.position + 1)
                .max()
                .unwrap_or(0);
            let queued: HashSet<EpisodeKey> = state
                .items
                .values()
                .filter(|i| i.status.is_queued())
                .map(QueueItem::episode_key)
                .collect();
            (next, queued)
        };
        let mut seen = HashSet::new();
        let (mut items, mut failed) = (Vec::new(), Vec::new());
        for wanted in request.episodes {
            let key = EpisodeKey::new(target.key.clone(), wanted.episode);
            let refusal = if !target.available.contains(&wanted.episode) {
                Some(format!(
                    "the catalogue does not list {} of {}",
                    wanted.episode.tag(),
                    target.key
                ))
            } else if queued.contains(&key) {
                Some(format!("{} is already in the queue", wanted.episode.tag()))
            } else if !seen.insert(wanted.episode) {
                Some(format!("{} is listed twice", wanted.episode.tag()))
            } else {
                None
            };
            if let Some(reason) = refusal {
                failed.push(FailedEpisode {
                    episode: wanted.episode,
                    title: wanted.title,
                    reason,
                });
                continue;
            }
            let new = NewItem {
                series: target.key.clone(),
                folder: target.folder.to_string(),
                series_name: request
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| target.name.clone()),
                episode: wanted.episode,
                title: wanted.title.filter(|t| !t.trim().is_empty()),
                priority: request.priority,
                origin: Origin::User,
            };
            items.push(QueueItem::new(new, next_position, now));
            next_position += 1;
        }
        // The user's own add overrides an earlier "no" to automatic downloads.
        let forget = items.iter().map(QueueItem::episode_key).collect();
        let added = items.iter().map(|i| i.id).collect();
        self.commit(
            QueueChange {
                put: items.clone(),
                forget,
                ..QueueChange::default()
            },
            |_| {},
        )
        .await?;
        drop(_ops);
        self.announce_added(&items);
        Ok(AddOutcome { added, failed })
    }

    /// Publishes `download_added` for each item and the new status, and wakes the workers.
    pub(super) fn announce_added(&self, items: &[QueueItem]) {
        for item in items {
            self.publish(EventKind::DownloadAdded {
                item: download_ref(item),
                title: item.title.clone(),
                priority: item.priority.name().to_owned(),
                status: item.status.name().to_owned(),
            });
        }
        if !items.is_empty() {
            self.publish_status();
            self.inner.wake.notify_one();
        }
    }

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
        let _ops = self.inner.ops.lock().await;
        let items: Vec<QueueItem> = {
            let state = self.state();
            let mut unique = HashSet::new();
            let mut found = Vec::new();
            for id in ids {
                let item = state
                    .items
                    .get(id)
                    .ok_or_else(|| QueueError::NotFound(id.to_string()))?;
                if unique.insert(*id) {
                    found.push(item.clone());
                }
            }
            found
        };
        self.remove_items(items).await
    }

    /// Removes every item in `status` (completed, failed or pending); answers how many.
    ///
    /// # Errors
    /// [`QueueError::Store`].
    pub async fn clear(&self, status: Status) -> Result<usize, QueueError> {
        let _ops = self.inner.ops.lock().await;
        let items: Vec<QueueItem> = self
            .state()
            .items
            .values()
            .filter(|i| i.status == status)
            .cloned()
            .collect();
        self.remove_items(items).await
    }

    /// Removes items (the caller holds the `ops` lock), cancelling running transfers.
    async fn remove_items(&self, items: Vec<QueueItem>) -> Result<usize, QueueError> {
        if items.is_empty() {
            return Ok(0);
        }
        // Finished items are history: clearing them says nothing about the episode. A user
        // removing a waiting or running item says "not this one".
        let remember = items
            .iter()
            .filter(|i| i.status.is_queued())
            .map(|i| (i.episode_key(), Remembered::RemovedByUser))
            .collect();
        let change = QueueChange {
            remove: items.iter().map(|i| i.id).collect(),
            remember,
            ..QueueChange::default()
        };
        let mut cancelled = HashSet::new();
        self.commit(change, |state| {
            for item in &items {
                if let Some(token) = state.active.get(&item.id) {
                    token.cancel();
                    cancelled.insert(item.id);
                }
            }
        })
        .await?;
        for item in &items {
            let status = if cancelled.contains(&item.id) {
                Status::Cancelled
            } else {
                item.status
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
        let _ops = self.inner.ops.lock().await;
        let items: Vec<QueueItem> = self.state().items.values().cloned().collect();
        let (changed, count) = reorder(&items, ids).map_err(|e| match e {
            ReorderError::Unknown(id) => QueueError::NotFound(id.to_string()),
            other => QueueError::invalid("item_ids", other.to_string()),
        })?;
        self.commit(QueueChange::put(changed), |_| {}).await?;
        drop(_ops);
        self.publish_status();
        Ok(count)
    }

    /// Puts failed items back in the queue (all of them when `ids` is empty); answers the
    /// ids retried. Listed items that are not failed are left as they are.
    ///
    /// # Errors
    /// [`QueueError::NotFound`] for an unknown id, [`QueueError::Store`].
    pub async fn retry(&self, ids: &[ItemId]) -> Result<Vec<ItemId>, QueueError> {
        let _ops = self.inner.ops.lock().await;
        let retried: Vec<QueueItem> = {
            let state = self.state();
            let chosen: Vec<&QueueItem> = if ids.is_empty() {
                state.items.values().collect()
            } else {
                let mut chosen = Vec::new();
                for id in ids {
                    chosen.push(
                        state
                            .items
                            .get(id)
                            .ok_or_else(|| QueueError::NotFound(id.to_string()))?,
                    );
                }
                chosen
            };
            let mut unique = HashSet::new();
            chosen
                .into_iter()
                .filter(|i| i.status == Status::Failed && unique.insert(i.id))
                .map(|i| {
                    let mut i = i.clone();
                    let _ = i.retry_by_user();
                    i
                })
                .collect()
        };
        let ids: Vec<ItemId> = retried.iter().map(|i| i.id).collect();
        self.commit(QueueChange::put(retried), |_| {}).await?;
        drop(_ops);
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
        let _ops = self.inner.ops.lock().await;
        let running = run_state == RunState::Started;
        let was_running = self.state().running;
        let change = QueueChange {
            run_state: Some(run_state),
            ..QueueChange::default()
        };
        self.commit(change, |state| state.running = running).await?;
        drop(_ops);
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
