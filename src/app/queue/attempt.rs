//! One download attempt of an item: the episode's hoster links in language, then hoster
//! preference order; each resolved and transferred into `<final name>.part`; an expired
//! signed URL resolved again and the transfer continued from its checkpoint; a failing link
//! given up for the next; the finished file renamed to its final name.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use super::worker::{Ending, kind_of, part_of, target_path};
use super::{QueueService, Updated};
use crate::app::media::{AttemptOutcome, HosterAttempt, LinkFailure, ResolveError};
use crate::domain::catalogue::{HosterLink, MediaSource, ProviderError};
use crate::domain::queue::Origin;
use crate::domain::queue::{ItemId, Partial, QueueItem};
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

/// How often one link is resolved again after its signed URL expired mid-download.
const MAX_RESOLVES_PER_LINK: u32 = 4;

/// `work`'s answer, or `None` as soon as `cancel` fires (resolving waits on the network,
/// and a stopping server must not wait for it).
async fn until_cancelled<T>(
    cancel: &CancellationToken,
    work: impl std::future::Future<Output = T>,
) -> Option<T> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => None,
        done = work => Some(done),
    }
}

/// Whether the item's partial file (if any) came from this link's hoster and language. A
/// checkpoint without a hoster on record is tried with the first link: the fetcher itself
/// checks that the media is the same before going on.
fn wrote_partial(item: &QueueItem, link: &HosterLink) -> bool {
    item.source()
        .hoster
        .as_deref()
        .is_none_or(|h| h == link.hoster)
        && item.source().language.is_none_or(|l| l == link.language)
}

/// How one transfer ended: with the attempt's end (or this link's failure), or with an
/// expired URL to resolve again.
enum TransferEnd {
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

/// "all hosters failed: VOE (German Dub): VOE page layout not recognised; ..."
fn describe(attempts: &[HosterAttempt]) -> String {
    let tried: Vec<String> = attempts.iter().map(ToString::to_string).collect();
    format!("all hosters failed: {}", tried.join("; "))
}

impl QueueService {
    /// Tries the episode's links in order until one downloads.
    pub(super) async fn download(&self, item: &QueueItem, cancel: &CancellationToken) -> Ending {
        let deps = &self.inner.deps;
        let config = deps.config.current();
        let Ok(root) = deps.library.directory() else {
            return Ending::Failed {
                error: "no anime directory is set".into(),
                retryable: false,
            };
        };
        // An upgrade is downloaded in a better language only, never the one held.
        let languages = if item.origin() == Origin::Upgrade {
            item.upgrade_to().to_vec()
        } else {
            deps.library
                .languages_for(item.series(), &config.languages())
        };
        let hosters = &config.downloads.preferred_hosters;
        let listed = deps
            .media
            .links(item.series(), item.episode(), &languages, hosters);
        let Some(listed) = until_cancelled(cancel, listed).await else {
            return self.stopped(item.id());
        };
        let mut links = match listed {
            Ok(links) => links,
            Err(ResolveError::Catalogue(ProviderError::NotFound)) => {
                return Ending::Failed {
                    error: format!(
                        "the catalogue site no longer lists {}",
                        item.episode().tag()
                    ),
                    retryable: false,
                };
            }
            Err(e) => {
                return Ending::Failed {
                    error: e.to_string(),
                    retryable: true,
                };
            }
        };
        if links.is_empty() {
            return Ending::Failed {
                error: format!(
                    "no hoster link in the preferred languages ({}) and hosters ({})",
                    config.downloads.preferred_languages.join(", "),
                    hosters.join(", ")
                ),
                retryable: true,
            };
        }
        // A partial file is only of use with the hoster that wrote it: try that one first.
        if item.partial().is_some() {
            links.sort_by_key(|l| !wrote_partial(item, l));
        }
        let mut attempts = Vec::new();
        let mut partial = item.partial();
        for link in &links {
            if cancel.is_cancelled() {
                break;
            }
            if !wrote_partial(item, link) && partial.take().is_some() {
                self.discard_parts(item).await;
            }
            match self.try_link(item, link, &root, &mut partial, cancel).await {
                Ok(ending) => return ending,
                Err(failure) => {
                    deps.media
                        .record(&mut attempts, failure.attempt(link))
                        .await
                }
            }
        }
        if cancel.is_cancelled() {
            return self.stopped(item.id());
        }
        // Resting hosters are no fault of the item: when they are all that stood in the way,
        // it waits for the first rest to end instead of using up its retries.
        let rests: Option<Vec<u64>> = attempts
            .iter()
            .map(|a| match a.outcome {
                AttemptOutcome::Resting(secs) => Some(secs),
                _ => None,
            })
            .collect();
        if let Some(seconds) = rests.and_then(|r| r.into_iter().min()) {
            return Ending::HostersResting {
                error: describe(&attempts),
                seconds,
            };
        }
        Ending::Failed {
            error: describe(&attempts),
            retryable: true,
        }
    }

    /// One link: resolve, transfer (resolving again when the URL expires), finish. `Err` is
    /// this link's failure (a transfer's names the extractor that resolved the source); the
    /// caller goes on with the next link.
    async fn try_link(
        &self,
        item: &QueueItem,
        link: &HosterLink,
        root: &Path,
        partial: &mut Option<Partial>,
        cancel: &CancellationToken,
    ) -> Result<Ending, LinkFailure> {
        let deps = &self.inner.deps;
        let Some(resolved) = until_cancelled(cancel, deps.media.resolve_link(link)).await else {
            return Ok(self.stopped(item.id()));
        };
        let mut source = resolved?;
        self.note_source(item.id(), link, &source).await;
        for _ in 0..MAX_RESOLVES_PER_LINK {
            match self
                .transfer(item, link, root, &source, partial, cancel)
                .await
            {
                TransferEnd::Ended(ending) => return ending,
                TransferEnd::Expired => {}
            }
            let again = deps.media.resolve_link(link);
            let Some(again) = until_cancelled(cancel, again).await else {
                return Ok(self.stopped(item.id()));
            };
            source = again?;
        }
        Err(
            LinkFailure::from(AttemptOutcome::Transfer(FetchError::Expired {
                status: 403,
                at: None,
            }))
            .read_by(&source.hoster),
        )
    }

    /// One transfer of a resolved source into the partial file, and what its end means.
    async fn transfer(
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

    /// Records which hoster, language and embed page the item is downloaded from.
    async fn note_source(&self, id: ItemId, link: &HosterLink, source: &MediaSource) {
        let (hoster, language) = (link.hoster.clone(), link.language);
        let page = source
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("referer"))
            .map(|(_, v)| v.clone());
        let noted = self
            .update(id, |i| {
                i.note_source(hoster, language, page);
                Ok::<_, std::convert::Infallible>(())
            })
            .await;
        if let Err(e) = noted {
            tracing::warn!(error = %e, "could not store where a download comes from");
        }
    }
}
