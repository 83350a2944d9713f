//! One transfer of an item from a resolved source into `<final name>.part`, and what its
//! end means: the finished file remuxed where asked and renamed to its final name, an
//! expired URL to resolve again, a stop, a disk that cannot be written, or the link's
//! failure. Checkpoints a transfer reports are stored here too.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use super::worker::{Ending, kind_of, part_of, target_path};
use super::{QueueService, Updated};
use crate::app::media::{AttemptOutcome, LinkFailure};
use crate::domain::catalogue::{HosterLink, MediaSource};
use crate::domain::queue::{ItemId, Origin, Partial, QueueItem};
use crate::ports::media::{Cancel, FetchError, Transfer, Transferred};

/// The queue's cancel tokens are what the fetcher waits on.
#[async_trait::async_trait]
impl Cancel for CancellationToken {
    fn is_cancelled(&self) -> bool {
        CancellationToken::is_cancelled(self)
    }

    async fn cancelled(&self) {
        CancellationToken::cancelled(self).await;
    }
}

/// How one transfer ended: with the attempt's end (or this link's failure), or with an
/// expired URL to resolve again.
pub(super) enum TransferEnd {
    Ended(Result<Ending, LinkFailure>),
    Expired,
}

/// The item fails for good: a file that cannot be written fails on every hoster alike.
fn cannot_write(reason: impl std::fmt::Display) -> Ending {
    Ending::Failed {
        error: format!("cannot write the file: {reason}"),
        retryable: false,
    }
}

impl QueueService {
    /// One transfer of a resolved source into the partial file, and what its end means.
    pub(super) async fn transfer(
        &self,
        item: &QueueItem,
        link: &HosterLink,
        root: &Path,
        source: &MediaSource,
        partial: &mut Option<Partial>,
        cancel: &CancellationToken,
    ) -> TransferEnd {
        let deps = &self.inner.deps;
        let target = target_path(root, item, source.kind);
        let part = part_of(&target);
        if partial.is_some_and(|p| kind_of(&p) != source.kind) {
            *partial = None;
            self.discard_parts(item).await;
        }
        if let Err(e) = deps.files.prepare(part.clone()).await {
            return TransferEnd::Ended(Ok(cannot_write(e)));
        }
        let watch = self.watch_transfer(item);
        let transfer = Transfer {
            source: source.clone(),
            part_path: part.clone(),
            resume: *partial,
            segment_concurrency: deps.config.current().downloads.segment_concurrency.max(1)
                as usize,
        };
        let fetched = deps
            .fetcher
            .fetch(transfer, watch.sink.clone(), Arc::new(cancel.clone()))
            .await;
        watch.end().await;
        let ending = match fetched {
            Ok(done) => Ok(self.finish(item, link, root, part, target, done).await),
            Err(FetchError::Expired { at, status }) => {
                tracing::info!(item = %item.id(), status, "media URL expired; resolving the episode again");
                *partial = at;
                self.record_checkpoint(item.id(), at).await;
                return TransferEnd::Expired;
            }
            Err(FetchError::Cancelled { at }) => {
                *partial = at;
                if self.removed(item.id()) {
                    self.discard(part).await;
                    return TransferEnd::Ended(Ok(Ending::Removed));
                }
                self.record_checkpoint(item.id(), at).await;
                Ok(Ending::Interrupted)
            }
            Err(FetchError::Disk(reason)) => {
                self.discard(part).await;
                Ok(cannot_write(reason))
            }
            Err(other) => {
                *partial = None;
                self.record_checkpoint(item.id(), None).await;
                self.discard(part).await;
                Err(LinkFailure::from(AttemptOutcome::Transfer(other)).read_by(&source.hoster))
            }
        };
        TransferEnd::Ended(ending)
    }

    /// A transferred file: remuxed where asked, moved to its final name, the file it upgrades
    /// replaced.
    async fn finish(
        &self,
        item: &QueueItem,
        link: &HosterLink,
        root: &Path,
        part: PathBuf,
        target: PathBuf,
        done: Transferred,
    ) -> Ending {
        let deps = &self.inner.deps;
        let (part, target) = self.remuxed(item, root, part, target, done.kind).await;
        if let Err(e) = deps.files.finish(part, target.clone()).await {
            return cannot_write(e);
        }
        if item.origin() == Origin::Upgrade {
            self.replaced(item, root, &target).await;
        }
        let file = target
            .strip_prefix(root)
            .unwrap_or(&target)
            .to_string_lossy()
            .into_owned();
        deps.media.downloaded(&link.hoster).await;
        Ending::Done {
            file,
            bytes: done.bytes,
            hoster: link.hoster.clone(),
            language: link.language,
        }
    }

    /// Deletes a partial file; a failure is logged (the next attempt starts it over).
    async fn discard(&self, part: PathBuf) {
        if let Err(e) = self.inner.deps.files.discard(part).await {
            tracing::warn!(error = %e, "could not delete a partial file");
        }
    }

    /// Stores where a transfer can go on from. A store that cannot be written stops the
    /// queue (going on would write bytes no checkpoint records); an item that has moved on
    /// meanwhile keeps its state.
    pub(super) async fn record_checkpoint(&self, id: ItemId, at: Option<Partial>) -> bool {
        match self.update(id, |i| i.checkpoint(at)).await {
            Ok(Updated::Done(_) | Updated::Gone) => true,
            Ok(Updated::Refused(e)) => {
                tracing::debug!(item = %id, error = %e, "checkpoint not recorded");
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not store a download checkpoint");
                self.halt(&e);
                false
            }
        }
    }
}
