//! One download attempt of an item: the episode's hoster links in language, then hoster
//! preference order; each resolved and transferred into `<final name>.part`; an expired
//! signed URL resolved again and the transfer continued from its checkpoint; a failing link
//! given up for the next (`transfer`: one transfer and the finished file's rename).

use std::path::Path;

use tokio_util::sync::CancellationToken;

use super::QueueService;
use super::transfer::TransferEnd;
use super::worker::Ending;
use crate::app::media::{AttemptOutcome, HosterAttempt, LinkFailure, ResolveError};
use crate::domain::catalogue::{HosterLink, MediaSource, ProviderError};
use crate::domain::queue::Origin;
use crate::domain::queue::{ItemId, Partial, QueueItem};
use crate::ports::media::FetchError;

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

/// How an attempt ends when every link failed. Resting hosters are no fault of the item:
/// when they are all that stood in the way, it waits for the first rest to end instead of
/// using up its retries.
fn all_failed(attempts: &[HosterAttempt]) -> Ending {
    let rests: Option<Vec<u64>> = attempts
        .iter()
        .map(|a| match a.outcome {
            AttemptOutcome::Resting(secs) => Some(secs),
            _ => None,
        })
        .collect();
    if let Some(seconds) = rests.and_then(|r| r.into_iter().min()) {
        return Ending::HostersResting {
            error: describe(attempts),
            seconds,
        };
    }
    Ending::Failed {
        error: describe(attempts),
        retryable: true,
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
        let Some(root) = self.root_of(item) else {
            return Ending::Failed {
                error: "no anime directory is set".into(),
                retryable: false,
            };
        };
        let mut links = match self.links_to_try(item, cancel).await {
            Ok(links) => links,
            Err(ending) => return ending,
        };
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
        all_failed(&attempts)
    }

    /// The episode's links in the languages and hosters to try, in order; or how the attempt
    /// ends when there are none (or the server stops first).
    async fn links_to_try(
        &self,
        item: &QueueItem,
        cancel: &CancellationToken,
    ) -> Result<Vec<HosterLink>, Ending> {
        let deps = &self.inner.deps;
        let config = deps.config.current();
        // An upgrade is downloaded in a better language only, never the one held; a release
        // Sonarr grabbed in its own language only.
        let languages = if let Some(grab) = item.grab() {
            vec![grab.language]
        } else if item.origin() == Origin::Upgrade {
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
            return Err(self.stopped(item.id()));
        };
        let links = match listed {
            Ok(links) => links,
            Err(ResolveError::Catalogue(ProviderError::NotFound)) => {
                return Err(Ending::Failed {
                    error: format!(
                        "the catalogue site no longer lists {}",
                        item.episode().tag()
                    ),
                    retryable: false,
                });
            }
            Err(e) => {
                return Err(Ending::Failed {
                    error: e.to_string(),
                    retryable: true,
                });
            }
        };
        if links.is_empty() {
            return Err(Ending::Failed {
                error: format!(
                    "no hoster link in the preferred languages ({}) and hosters ({})",
                    config.downloads.preferred_languages.join(", "),
                    hosters.join(", ")
                ),
                retryable: true,
            });
        }
        Ok(links)
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
