//! Automatic downloads (CONTRACT.md section 5, `scheduler.auto_download`) and recovery at
//! start-up: items found downloading go back to pending with their partial file, partial
//! files no item owns are deleted, and the queue runs again if the user had started it.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Weak};

use async_trait::async_trait;

use super::{Inner, QueueService, worker};
use crate::app::library::MissingEpisodesHook;
use crate::domain::library_view::ListedSeries;
use crate::domain::queue::{NewItem, Origin, Priority, QueueItem, Remembered, Status};
use crate::lock::MutexRecover;
use crate::ports::StoreError;
use crate::ports::queue::{QueueChange, QueueSnapshot, RunState};

impl QueueService {
    /// Takes the stored queue into memory; interrupted downloads become pending again.
    pub(super) async fn recover(&self, snapshot: QueueSnapshot) -> Result<(), StoreError> {
        let (mut interrupted, mut cancelled) = (Vec::new(), Vec::new());
        for item in &snapshot.items {
            match item.status() {
                Status::Downloading => {
                    let mut item = item.clone();
                    match item.interrupt() {
                        Ok(()) => interrupted.push(item),
                        Err(e) => tracing::warn!(error = %e, "an interrupted download"),
                    }
                }
                // Removed while downloading, and the server stopped before it was gone.
                Status::Cancelled => cancelled.push(item.id()),
                _ => {}
            }
        }
        if !interrupted.is_empty() {
            tracing::info!(count = interrupted.len(), "resuming interrupted downloads");
        }
        let auto = self.inner.deps.config.current().scheduler.auto_download;
        let running = match snapshot.run_state {
            RunState::Started => true,
            RunState::Idle => auto,
            RunState::Stopped | RunState::Paused => false,
        };
        {
            let mut state = self.state();
            state.items = snapshot.items.into_iter().map(|i| (i.id(), i)).collect();
            state.memory = snapshot.memory.into_iter().collect();
            state.run_state = snapshot.run_state;
            state.running = running;
        }
        let ops = self.ops().await;
        self.commit(
            &ops,
            QueueChange {
                put: interrupted,
                remove: cancelled,
                ..QueueChange::default()
            },
            |_| {},
        )
        .await
    }

    /// Starts the workers' supervisor, in the background, after deleting the partial files
    /// that no queue item owns (left by items removed while the server was down, or by a
    /// crash). The clean-up comes first, so it can never take a file a worker has just
    /// begun.
    pub fn start_workers(&self) {
        let this = self.clone();
        let task = tokio::spawn(async move {
            this.delete_orphaned_parts().await;
            this.supervise().await;
        });
        *self.inner.supervisor.lock_or_recover() = Some(task);
    }

    async fn delete_orphaned_parts(&self) {
        let Ok(root) = self.inner.deps.library.directory() else {
            return;
        };
        let owned: HashSet<PathBuf> = self
            .state()
            .items
            .values()
            .filter(|i| i.status().is_queued())
            .flat_map(|i| worker::part_paths(&root, i))
            .collect();
        let files = &self.inner.deps.files;
        let found = match files.partial_files(root.clone()).await {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(error = %e, "could not look for orphaned partial files");
                return;
            }
        };
        for part in found.into_iter().filter(|p| !owned.contains(p)) {
            tracing::info!(path = %part.display(), "deleting a partial file no queue item owns");
            if let Err(e) = files.discard(part).await {
                tracing::warn!(error = %e, "could not delete an orphaned partial file");
            }
        }
    }
}

/// A series' missing episodes that automatic downloads should queue: not queued or
/// completed already, and never auto-queued or removed by the user before.
fn wanted<'a>(
    series: &'a ListedSeries,
    skip: &'a HashSet<crate::domain::queue::EpisodeKey>,
) -> impl Iterator<Item = NewItem> + 'a {
    let record = &series.record;
    series
        .missing
        .ids()
        .filter(move |ep| {
            !skip.contains(&crate::domain::queue::EpisodeKey::new(
                record.series.key.clone(),
                *ep,
            ))
        })
        .map(move |episode| NewItem {
            series: record.series.key.clone(),
            folder: record.series.folder.to_string(),
            series_name: record.series.name.clone(),
            episode,
            title: None,
            priority: Priority::Normal,
            origin: Origin::Auto,
        })
}

/// The library's hook into the queue. It holds the queue weakly: the queue holds the
/// library, and a strong reference back would keep both (and the database) alive for ever.
struct AutoQueue(Weak<Inner>);

#[async_trait]
impl MissingEpisodesHook for AutoQueue {
    async fn missing_found(&self, series: Vec<Arc<ListedSeries>>) {
        if let Some(inner) = self.0.upgrade() {
            QueueService { inner }.queue_missing(series).await;
        }
    }

    async fn upgrades_wanted(&self, series: Vec<Arc<ListedSeries>>) {
        if let Some(inner) = self.0.upgrade() {
            QueueService { inner }.queue_upgrades(series).await;
        }
    }
}

impl QueueService {
    /// The hook the library calls when a job learns of missing episodes.
    pub fn missing_episodes_hook(&self) -> Arc<dyn MissingEpisodesHook> {
        Arc::new(AutoQueue(Arc::downgrade(&self.inner)))
    }

    /// Queues newly missing episodes when `scheduler.auto_download` is on.
    async fn queue_missing(&self, series: Vec<Arc<ListedSeries>>) {
        if !self.inner.deps.config.current().scheduler.auto_download {
            return;
        }
        let now = self.inner.deps.clock.now();
        let ops = self.ops().await;
        let (skip, mut position, run_state, was_running) = {
            let state = self.state();
            let mut skip: HashSet<_> = state.memory.keys().cloned().collect();
            let held = [Status::Pending, Status::Downloading, Status::Completed];
            skip.extend(state.episodes_in(&held));
            (skip, state.next_position(), state.run_state, state.running)
        };
        let mut items = Vec::new();
        for s in &series {
            for new in wanted(s, &skip) {
                items.push(QueueItem::new(new, position, now));
                position += 1;
            }
        }
        if items.is_empty() {
            return;
        }
        let remember = items
            .iter()
            .map(|i| (i.episode_key(), Remembered::AutoQueued))
            .collect();
        let queued = self
            .queue_by_itself(items, remember, run_state, was_running, ops)
            .await;
        if queued > 0 {
            tracing::info!(count = queued, "queued missing episodes automatically");
        }
    }

    /// Stores items the product queued by itself and starts the queue, unless the user
    /// stopped or paused it; answers how many were queued (0 when the store failed).
    pub(super) async fn queue_by_itself(
        &self,
        items: Vec<QueueItem>,
        remember: Vec<(crate::domain::queue::EpisodeKey, Remembered)>,
        run_state: RunState,
        was_running: bool,
        ops: super::Ops<'_>,
    ) -> usize {
        let start = matches!(run_state, RunState::Idle | RunState::Started);
        let change = QueueChange {
            put: items.clone(),
            remember,
            ..QueueChange::default()
        };
        if let Err(e) = self
            .commit(&ops, change, |state| state.running |= start)
            .await
        {
            tracing::error!(error = %e, "items could not be queued");
            return 0;
        }
        drop(ops);
        self.announce_added(&items);
        self.announce_running(was_running, was_running || start);
        items.len()
    }
}
