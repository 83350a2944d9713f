//! The download queue's use cases and its workers (API.md section 4, CONTRACT.md section 5).
//!
//! [`QueueService`] keeps the queue in memory, mirrored from the [`QueueStore`]: every change
//! is written to the store first (one transaction) and then to memory, under one async lock,
//! so the two never disagree and a crash loses nothing that was answered. Progress is the
//! exception: it changes many times a second and lives in memory, except for the resume
//! checkpoints a transfer reports after flushing its file.
//!
//! - this file: the service, its state and errors, the status view;
//! - `add` and `ops`: what the API asks: add; remove, clear, reorder, retry, start, stop;
//! - `supervisor`: the one task that hands ready items to workers, `parallel_downloads` at
//!   a time;
//! - `worker`: one item's life: started, downloaded, settled (completed, retried, failed);
//! - `attempt`: the links tried in order, each resolved and transferred;
//! - `transfer`: one transfer into the partial file, and the finished file renamed;
//! - `remux`: an HLS download copied into MP4 where the user asked for it;
//! - `state`: the queue in memory and the views computed from it;
//! - `progress`: turning a transfer's progress into item progress and throttled events;
//! - `auto`: automatic downloads and recovery at start-up;
//! - `halt`: stopping the queue when its store cannot be written.
//! - `upgrade`: better languages of files on disk, queued as upgrades.

mod add;
mod attempt;
mod auto;
mod grab;
mod halt;
mod ops;
mod progress;
mod remux;
mod state;
mod supervisor;
#[cfg(test)]
mod tests;
mod transfer;
mod upgrade;
mod worker;

use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

use super::config::ConfigService;
use super::library::LibraryService;
use super::media::MediaResolver;
use crate::domain::event::{DownloadRef, EventKind};
use crate::domain::queue::{ItemId, QueueItem, QueueStatistics};
use crate::lock::MutexRecover;
use crate::ports::queue::QueueChange;
use crate::ports::{Clock, DownloadFiles, EventBus, MediaFetcher, QueueStore, Remuxer, StoreError};
use state::State;

pub use add::{AddEpisode, AddOutcome, AddRequest, FailedEpisode};

/// Why a queue use case failed; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// No item with this id (or the id is not a UUID).
    #[error("no queue item {0}")]
    NotFound(String),
    /// The request is malformed: the field and what is wrong with it.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// No library directory is set, so there is nowhere to download to.
    #[error("no anime directory is set; set one with POST /api/config/directory")]
    NoDirectory,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl QueueError {
    fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

/// The queue as `GET /api/queue/status` shows it.
#[derive(Debug, Clone)]
pub struct QueueView {
    pub is_running: bool,
    pub is_paused: bool,
    pub active: Vec<QueueItem>,
    /// In the order workers will take them.
    pub pending: Vec<QueueItem>,
    pub completed: Vec<QueueItem>,
    pub failed: Vec<QueueItem>,
    pub statistics: QueueStatistics,
}

/// What the queue is built from.
pub struct QueueDeps {
    pub store: Arc<dyn QueueStore>,
    pub library: LibraryService,
    pub media: Arc<MediaResolver>,
    pub fetcher: Arc<dyn MediaFetcher>,
    pub files: Arc<dyn DownloadFiles>,
    /// MPEG-TS → MP4, where ffmpeg is installed and `downloads.remux_to_mp4` asks for it.
    pub remuxer: Arc<dyn Remuxer>,
    pub events: Arc<dyn EventBus>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<ConfigService>,
}

/// The queue's use cases; a cheap-to-clone handle.
#[derive(Clone)]
pub struct QueueService {
    inner: Arc<Inner>,
}

struct Inner {
    deps: QueueDeps,
    state: Mutex<State>,
    /// Serialises every change (store, then memory). Never held by readers.
    ops: tokio::sync::Mutex<()>,
    /// Wakes the supervisor: something became ready, a worker ended, the queue started.
    wake: tokio::sync::Notify,
    /// Cancelled on shutdown: the supervisor stops, workers stop at a safe point.
    shutdown: CancellationToken,
    supervisor: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

/// The right to change the queue (store, then memory): held while a change is written.
/// [`QueueService::commit`] asks for it; readers never take it.
struct Ops<'a> {
    _guard: tokio::sync::MutexGuard<'a, ()>,
}

/// What [`QueueService::update`] did.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "a return value, matched at once; boxing would allocate on every change"
)]
enum Updated<E> {
    /// The change was written; the item as it is now.
    Done(QueueItem),
    /// The item refused the change (a transition its state does not allow); nothing was
    /// written.
    Refused(E),
    /// The item is no longer in the queue.
    Gone,
}

/// The event form of an item's identity.
/// Who queued an item, as events and the API name it.
pub fn origin_name(origin: crate::domain::queue::Origin) -> &'static str {
    use crate::domain::queue::Origin;
    match origin {
        Origin::User => "user",
        Origin::Auto => "auto",
        Origin::Upgrade => "upgrade",
        Origin::Arr => "arr",
    }
}

fn download_ref(item: &QueueItem) -> DownloadRef {
    DownloadRef {
        download_id: item.id().to_string(),
        key: item.series().to_string(),
        folder: item.folder().to_owned(),
        series_name: item.series_name().to_owned(),
        season: item.episode().season,
        episode: item.episode().episode,
    }
}

impl QueueService {
    /// Loads the queue from the store and recovers from a stop or crash: items found
    /// downloading go back to pending with their partial file. Workers start with
    /// [`QueueService::start_workers`].
    ///
    /// # Errors
    /// [`StoreError`] when the store cannot be read or written.
    pub async fn open(deps: QueueDeps) -> Result<Self, StoreError> {
        let snapshot = deps.store.load().await?;
        let service = Self {
            inner: Arc::new(Inner {
                deps,
                state: Mutex::new(State::default()),
                ops: tokio::sync::Mutex::new(()),
                wake: tokio::sync::Notify::new(),
                shutdown: CancellationToken::new(),
                supervisor: Mutex::new(None),
            }),
        };
        service.recover(snapshot).await?;
        Ok(service)
    }

    /// The queue now.
    pub fn status(&self) -> QueueView {
        self.state().view()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner.state.lock_or_recover()
    }

    /// Takes the right to change the queue: every change goes through [`QueueService::commit`],
    /// which asks for the [`Ops`] this answers, so changes are serialised by the type system,
    /// not by a comment.
    async fn ops(&self) -> Ops<'_> {
        Ops {
            _guard: self.inner.ops.lock().await,
        }
    }

    /// The right to change the queue now, if no change is under way.
    fn try_ops(&self) -> Option<Ops<'_>> {
        self.inner.ops.try_lock().ok().map(|g| Ops { _guard: g })
    }

    /// Writes a change to the store, then applies it and `then` to the state in memory.
    async fn commit(
        &self,
        _ops: &Ops<'_>,
        change: QueueChange,
        then: impl FnOnce(&mut State),
    ) -> Result<(), StoreError> {
        let put = change.put.clone();
        let remove = change.remove.clone();
        let remember = change.remember.clone();
        let forget = change.forget.clone();
        let run_state = change.run_state;
        self.inner.deps.store.apply(change).await?;
        let mut state = self.state();
        for id in &remove {
            state.items.remove(id);
        }
        for item in put {
            state.items.insert(item.id(), item);
        }
        for key in &forget {
            state.memory.remove(key);
        }
        for (key, r) in remember {
            state.memory.insert(key, r);
        }
        if let Some(r) = run_state {
            state.run_state = r;
        }
        then(&mut state);
        Ok(())
    }

    /// Changes one item (if it is still in the queue) durably; answers the new item, or the
    /// item unchanged with the reason when `change` refused (then nothing is written).
    async fn update<E>(
        &self,
        id: ItemId,
        change: impl FnOnce(&mut QueueItem) -> Result<(), E>,
    ) -> Result<Updated<E>, StoreError> {
        let ops = self.ops().await;
        let Some(mut item) = self.state().items.get(&id).cloned() else {
            return Ok(Updated::Gone);
        };
        if let Err(refused) = change(&mut item) {
            return Ok(Updated::Refused(refused));
        }
        self.commit(&ops, QueueChange::put(vec![item.clone()]), |_| {})
            .await?;
        Ok(Updated::Done(item))
    }

    fn publish(&self, kind: EventKind) {
        self.inner.deps.events.publish(kind);
    }

    fn publish_status(&self) {
        let event = self.state().status_event();
        self.publish(event);
    }

    /// Stops the workers at a safe point and waits (at most `within`) until they have
    /// recorded where they stopped.
    pub async fn shutdown(&self, within: std::time::Duration) {
        self.inner.shutdown.cancel();
        let task = self.inner.supervisor.lock_or_recover().take();
        if let Some(task) = task
            && tokio::time::timeout(within, task).await.is_err()
        {
            tracing::warn!("queue workers did not stop in time");
        }
    }
}
