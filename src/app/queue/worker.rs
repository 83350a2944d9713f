//! One queue item's life in a worker: started, downloaded (`attempt`), then settled: the
//! episode marked present and the item completed; or, when every hoster failed, retried
//! after a backoff up to the configured count, then failed with an error naming each hoster
//! tried, its language and why; or, when the server stops, left pending with its place kept.

use std::path::{Path, PathBuf};

use tokio_util::sync::CancellationToken;

use super::{QueueService, Updated, download_ref};
use crate::domain::catalogue::{Language, MediaKind};
use crate::domain::episode::episode_file_path;
use crate::domain::event::EventKind;
use crate::domain::queue::{
    ItemId, Partial, QueueItem, Status, TransitionError, mib, retry_backoff,
};
use crate::ports::StoreError;

/// How a download ended.
pub(super) enum Ending {
    /// The file is in the library.
    Done {
        file: String,
        bytes: u64,
        hoster: String,
        language: Language,
    },
    /// The server is stopping: the item goes on from `partial` at the next start.
    Interrupted,
    /// The user removed the item.
    Removed,
    /// This attempt failed.
    Failed { error: String, retryable: bool },
    /// Every link's hoster rests after a challenge: try again once the first rest ends.
    HostersResting { error: String, seconds: u64 },
}

/// The file extension a download of this kind gets.
fn extension(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Direct => "mp4",
        MediaKind::Hls => "ts",
    }
}

/// Where an item's file of this kind goes, under its root ([`QueueService::root_of`]): the
/// series folder's episode name, or for a release Sonarr grabbed `<title>/<title>.<ext>`.
pub(super) fn target_path(root: &Path, item: &QueueItem, kind: MediaKind) -> PathBuf {
    if let Some(grab) = item.grab() {
        let file = format!("{}.{}", grab.title, extension(kind));
        return root.join(&grab.title).join(file);
    }
    root.join(item.folder()).join(episode_file_path(
        item.folder(),
        item.episode(),
        extension(kind),
    ))
}

pub(super) fn part_of(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

pub(super) fn kind_of(partial: &Partial) -> MediaKind {
    match partial {
        Partial::Direct { .. } => MediaKind::Direct,
        Partial::Hls { .. } => MediaKind::Hls,
    }
}

/// The partial files an item owns: the one its checkpoint describes.
pub(super) fn part_paths(root: &Path, item: &QueueItem) -> Vec<PathBuf> {
    item.partial()
        .iter()
        .map(|p| part_of(&target_path(root, item, kind_of(p))))
        .collect()
}

impl QueueService {
    /// The folder an item's file goes under: the anime directory, or for a release Sonarr
    /// grabbed the `arr` folder (`downloads.arr_path`). `None` while no anime directory is
    /// set.
    pub(super) fn root_of(&self, item: &QueueItem) -> Option<PathBuf> {
        if item.grab().is_some() {
            return Some(self.inner.deps.config.current().arr_dir());
        }
        self.inner.deps.library.directory().ok()
    }

    /// Runs one item to its end; `cancel` fires on shutdown or when the item is removed.
    pub(super) async fn work(&self, id: ItemId, cancel: CancellationToken) {
        let now = self.inner.deps.clock.now();
        let item = match self.update(id, |i| i.start(now)).await {
            Ok(Updated::Done(item)) => item,
            Ok(Updated::Refused(refused)) => {
                tracing::debug!(item = %id, %refused, "not started");
                return;
            }
            Ok(Updated::Gone) => return,
            Err(e) => {
                tracing::error!(error = %e, "could not start a download");
                self.halt(&e);
                return;
            }
        };
        self.publish_status();
        let ending = self.download(&item, &cancel).await;
        if let Err(e) = self.settle(&item, ending).await {
            tracing::error!(error = %e, item = %id, "could not record the end of a download");
            self.halt(&e);
            self.unrecorded(id);
        }
        self.publish_status();
    }

    /// Records how a download ended. A transition the item refuses (it was changed meanwhile)
    /// writes nothing and announces nothing.
    pub(super) async fn settle(&self, item: &QueueItem, ending: Ending) -> Result<(), StoreError> {
        let id = item.id();
        let now = self.inner.deps.clock.now();
        let refused = match ending {
            Ending::Done {
                file,
                bytes,
                hoster,
                language,
            } => return self.completed(item, file, bytes, hoster, language).await,
            Ending::Removed => return Ok(()),
            Ending::Interrupted => self.update(id, QueueItem::interrupt).await?,
            Ending::HostersResting { error, seconds } => {
                let until = now + chrono::Duration::seconds(seconds as i64);
                tracing::info!(item = %id, seconds, "every hoster of this episode rests; waiting");
                self.update(id, |i| i.wait_for_hosters(error, until))
                    .await?
            }
            Ending::Failed { error, retryable } => {
                return self.failed(item, error, retryable).await;
            }
        };
        if let Updated::Refused(e) = refused {
            tracing::warn!(item = %id, error = %e, "the end of a download was not recorded");
        }
        Ok(())
    }

    /// The file is in the library: the episode is marked present, then the item completed.
    async fn completed(
        &self,
        item: &QueueItem,
        file: String,
        bytes: u64,
        hoster: String,
        language: Language,
    ) -> Result<(), StoreError> {
        let id = item.id();
        let now = self.inner.deps.clock.now();
        // The library first: once the item reads completed, the episode is no longer missing.
        // (The file is there, whatever becomes of the item.) A release Sonarr grabbed is
        // Sonarr's to import: the library's episode stays missing.
        let library = &self.inner.deps.library;
        if item.grab().is_none()
            && let Err(e) = library
                .mark_downloaded(item.series(), item.episode(), language)
                .await
        {
            tracing::error!(error = %e, "could not mark a downloaded episode present");
        }
        let done = self
            .update(id, |i| {
                i.complete(file.clone(), now)?;
                i.note_source(hoster.clone(), language, None);
                Ok::<_, TransitionError>(())
            })
            .await?;
        match done {
            Updated::Done(_) => {}
            Updated::Refused(e) => {
                tracing::warn!(item = %id, error = %e, "a finished download was not recorded");
                return Ok(());
            }
            Updated::Gone => {
                tracing::info!(item = %id, "a removed item finished downloading first");
                return Ok(());
            }
        }
        if let Some(from) = item.upgrade_from() {
            self.publish(EventKind::SystemInfo {
                message: format!(
                    "Upgraded {} {} from {} to {}",
                    item.series_name(),
                    item.episode().tag(),
                    from.name(),
                    language.name()
                ),
            });
        }
        let duration_ms = item
            .started_at()
            .map_or(0, |at| (now - at).num_milliseconds().max(0) as u64);
        self.publish(EventKind::DownloadComplete {
            item: download_ref(item),
            file,
            size_mb: mib(bytes as f64),
            hoster: Some(hoster),
            language: Some(language.name().to_owned()),
            size_bytes: bytes,
            duration_ms,
            upgraded_from: item.upgrade_from().map(|l| l.name().to_owned()),
            origin: super::origin_name(item.origin()).to_owned(),
        });
        Ok(())
    }

    /// This attempt failed: retried after a backoff while retries are left, else failed for
    /// good and its partial files deleted.
    async fn failed(
        &self,
        item: &QueueItem,
        error: String,
        retryable: bool,
    ) -> Result<(), StoreError> {
        let id = item.id();
        let now = self.inner.deps.clock.now();
        let retries = self.inner.deps.config.current().downloads.retries;
        let updated = self
            .update(id, |i| {
                if retryable && i.auto_retries() < retries {
                    let wait = retry_backoff(i.auto_retries() + 1);
                    i.retry_later(error.clone(), now + wait)
                } else {
                    i.fail(error.clone(), now)
                }
            })
            .await?;
        let updated = match updated {
            Updated::Done(updated) => updated,
            Updated::Refused(e) => {
                tracing::warn!(item = %id, error = %e, "a failed download was not recorded");
                return Ok(());
            }
            Updated::Gone => return Ok(()),
        };
        let will_retry = updated.status() == Status::Pending;
        if !will_retry {
            self.discard_parts(&updated).await;
        }
        tracing::warn!(item = %id, error = %error, will_retry, "download failed");
        self.publish(EventKind::DownloadFailed {
            item: download_ref(item),
            error,
            retry_count: updated.retry_count(),
            will_retry,
        });
        Ok(())
    }

    pub(super) async fn discard_parts(&self, item: &QueueItem) {
        let Some(root) = self.root_of(item) else {
            return;
        };
        for kind in [MediaKind::Direct, MediaKind::Hls] {
            let part = part_of(&target_path(&root, item, kind));
            if let Err(e) = self.inner.deps.files.discard(part).await {
                tracing::warn!(error = %e, "could not delete a partial file");
            }
        }
    }

    pub(super) fn removed(&self, id: ItemId) -> bool {
        !self.state().items.contains_key(&id)
    }

    /// How a download stopped by its cancel token ends: removed by the user, or stopped
    /// with the server (to go on at the next start).
    pub(super) fn stopped(&self, id: ItemId) -> Ending {
        if self.removed(id) {
            Ending::Removed
        } else {
            Ending::Interrupted
        }
    }
}
