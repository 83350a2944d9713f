//! One queue item, from the episode page to a file in the library: the episode's hoster
//! links in language, then hoster preference order; each resolved and downloaded into
//! `<final name>.part`; an expired signed URL resolved again and the transfer continued from
//! its checkpoint; a failing hoster given up for the next; then the file renamed to its
//! final name, the episode marked present and the item completed. When every hoster fails,
//! the item is retried after a backoff, up to the configured count, then failed with an
//! error naming each hoster tried, its language and why.

use std::path::{Path, PathBuf};

use tokio_util::sync::CancellationToken;

use super::progress::MIB;
use super::{QueueService, download_ref};
use crate::app::media::{AttemptOutcome, HosterAttempt, ResolveError};
use crate::domain::catalogue::{HosterLink, Language, MediaKind, MediaSource, ProviderError};
use crate::domain::episode::episode_file_path;
use crate::domain::event::EventKind;
use crate::domain::queue::{ItemId, Partial, QueueItem, Status, retry_backoff};
use crate::ports::media::{FetchError, Transfer};

/// How often one link is resolved again after its signed URL expired mid-download.
const MAX_RESOLVES_PER_LINK: u32 = 4;

/// How a download ended.
enum Ending {
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
}

/// The file extension a download of this kind gets.
fn extension(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Direct => "mp4",
        MediaKind::Hls => "ts",
    }
}

/// Where an item's file of this kind goes.
fn target_path(root: &Path, item: &QueueItem, kind: MediaKind) -> PathBuf {
    root.join(&item.folder).join(episode_file_path(
        &item.folder,
        item.episode,
        extension(kind),
    ))
}

fn part_of(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

fn kind_of(partial: &Partial) -> MediaKind {
    match partial {
        Partial::Direct { .. } => MediaKind::Direct,
        Partial::Hls { .. } => MediaKind::Hls,
    }
}

/// The partial files an item owns: the one its checkpoint describes.
pub(super) fn part_paths(root: &Path, item: &QueueItem) -> Vec<PathBuf> {
    item.partial
        .iter()
        .map(|p| part_of(&target_path(root, item, kind_of(p))))
        .collect()
}

/// "all hosters failed: VOE (German Dub): VOE page layout not recognised; ..."
fn describe(attempts: &[HosterAttempt]) -> String {
    let tried: Vec<String> = attempts.iter().map(ToString::to_string).collect();
    format!("all hosters failed: {}", tried.join("; "))
}

impl QueueService {
    /// Runs one item to its end; `cancel` fires on shutdown or when the item is removed.
    pub(super) async fn work(&self, id: ItemId, cancel: CancellationToken) {
        let now = self.inner.deps.clock.now();
        let started = self.update(id, |i| {
            let _ = i.start(now);
        });
        let item = match started.await {
            Ok(Some(item)) if item.status == Status::Downloading => item,
            Ok(_) => return,
            Err(e) => {
                tracing::error!(error = %e, "could not start a download");
                return;
            }
        };
        self.publish_status();
        let ending = self.download(&item, &cancel).await;
        if let Err(e) = self.settle(&item, ending).await {
            tracing::error!(error = %e, item = %id, "could not record the end of a download");
        }
        self.publish_status();
    }

    /// Records how a download ended.
    async fn settle(
        &self,
        item: &QueueItem,
        ending: Ending,
    ) -> Result<(), crate::ports::StoreError> {
        let id = item.id;
        let now = self.inner.deps.clock.now();
        match ending {
            Ending::Done {
                file,
                bytes,
                hoster,
                language,
            } => {
                let done = self
                    .update(id, |i| {
                        let _ = i.complete(file.clone(), now);
                        i.hoster = Some(hoster.clone());
                        i.language = Some(language);
                    })
                    .await?;
                if let Err(e) = self
                    .inner
                    .deps
                    .library
                    .mark_present(&item.series, item.episode)
                    .await
                {
                    tracing::error!(error = %e, "could not mark a downloaded episode present");
                }
                self.publish(EventKind::DownloadComplete {
                    item: download_ref(item),
                    file,
                    size_mb: bytes as f64 / MIB,
                    hoster: Some(hoster),
                    language: Some(language.name().to_owned()),
                });
                if done.is_none() {
                    tracing::info!(item = %id, "a removed item finished downloading first");
                }
            }
            Ending::Interrupted => {
                self.update(id, |i| {
                    let _ = i.interrupt();
                })
                .await?;
            }
            Ending::Removed => {}
            Ending::Failed { error, retryable } => {
                let retries = self.inner.deps.config.current().downloads.retries;
                let updated = self
                    .update(id, |i| {
                        if retryable && i.auto_retries < retries {
                            let wait = retry_backoff(i.auto_retries + 1);
                            let _ = i.retry_later(error.clone(), now + wait);
                        } else {
                            let _ = i.fail(error.clone(), now);
                        }
                    })
                    .await?;
                let Some(updated) = updated else {
                    return Ok(());
                };
                if updated.status == Status::Failed {
                    self.discard_parts(&updated).await;
                    self.update(id, |i| i.partial = None).await?;
                }
                tracing::warn!(item = %id, error = %error, will_retry = updated.status == Status::Pending, "download failed");
                self.publish(EventKind::DownloadFailed {
                    item: download_ref(item),
                    error,
                    retry_count: updated.retry_count,
                    will_retry: updated.status == Status::Pending,
                });
            }
        }
        Ok(())
    }

    async fn discard_parts(&self, item: &QueueItem) {
        let Ok(root) = self.inner.deps.library.directory() else {
            return;
        };
        for kind in [MediaKind::Direct, MediaKind::Hls] {
            let part = part_of(&target_path(&root, item, kind));
            if let Err(e) = self.inner.deps.files.discard(part).await {
                tracing::warn!(error = %e, "could not delete a partial file");
            }
        }
    }

    fn removed(&self, id: ItemId) -> bool {
        !self.state().items.contains_key(&id)
    }

    /// Tries the episode's links in order until one downloads.
    async fn download(&self, item: &QueueItem, cancel: &CancellationToken) -> Ending {
        let deps = &self.inner.deps;
        let config = deps.config.current();
        let Ok(root) = deps.library.directory() else {
            return Ending::Failed {
                error: "no anime directory is set".into(),
                retryable: false,
            };
        };
        let languages: Vec<Language> = config
            .downloads
            .preferred_languages
            .iter()
            .filter_map(|l| Language::from_name(l))
            .collect();
        let hosters = &config.downloads.preferred_hosters;
        let mut links = match deps
            .media
            .links(&item.series, item.episode, &languages, hosters)
            .await
        {
            Ok(links) => links,
            Err(ResolveError::Catalogue(ProviderError::NotFound)) => {
                return Ending::Failed {
                    error: format!("the catalogue site no longer lists {}", item.episode.tag()),
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
        if item.partial.is_some() {
            links.sort_by_key(|l| {
                !(item.hoster.as_deref() == Some(l.hoster.as_str())
                    && item.language == Some(l.language))
            });
        }
        let mut attempts = Vec::new();
        let mut partial = item.partial;
        for link in &links {
            if cancel.is_cancelled() {
                break;
            }
            // (A checkpoint without a hoster on record is tried with the first link: the
            // fetcher itself checks that the media is the same before going on.)
            let same_source = item.hoster.as_deref().is_none_or(|h| h == link.hoster)
                && item.language.is_none_or(|l| l == link.language);
            if !same_source && partial.take().is_some() {
                self.discard_parts(item).await;
            }
            match self.try_link(item, link, &root, &mut partial, cancel).await {
                Ok(ending) => return ending,
                Err(outcome) => deps.media.record(
                    &mut attempts,
                    HosterAttempt {
                        hoster: link.hoster.clone(),
                        language: link.language,
                        outcome,
                    },
                ),
            }
        }
        if cancel.is_cancelled() {
            return if self.removed(item.id) {
                Ending::Removed
            } else {
                Ending::Interrupted
            };
        }
        Ending::Failed {
            error: describe(&attempts),
            retryable: true,
        }
    }

    /// One link: resolve, transfer (resolving again when the URL expires), finish. `Err` is
    /// this link's failure; the caller goes on with the next link.
    async fn try_link(
        &self,
        item: &QueueItem,
        link: &HosterLink,
        root: &Path,
        partial: &mut Option<Partial>,
        cancel: &CancellationToken,
    ) -> Result<Ending, AttemptOutcome> {
        let deps = &self.inner.deps;
        let mut source = deps.media.resolve_link(link).await?;
        self.note_source(item.id, link, &source).await;
        for _ in 0..MAX_RESOLVES_PER_LINK {
            let target = target_path(root, item, source.kind);
            let part = part_of(&target);
            if partial.is_some_and(|p| kind_of(&p) != source.kind) {
                *partial = None;
                self.discard_parts(item).await;
            }
            if let Err(e) = deps.files.prepare(part.clone()).await {
                return Ok(Ending::Failed {
                    error: format!("cannot write the file: {e}"),
                    retryable: false,
                });
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
                .fetch(transfer, watch.sink.clone(), cancel.clone())
                .await;
            watch.end().await;
            match fetched {
                Ok(done) => {
                    if let Err(e) = deps.files.finish(part, target.clone()).await {
                        return Ok(Ending::Failed {
                            error: format!("cannot write the file: {e}"),
                            retryable: false,
                        });
                    }
                    let file = target
                        .strip_prefix(root)
                        .unwrap_or(&target)
                        .to_string_lossy()
                        .into_owned();
                    return Ok(Ending::Done {
                        file,
                        bytes: done.bytes,
                        hoster: link.hoster.clone(),
                        language: link.language,
                    });
                }
                Err(FetchError::Expired { at, status }) => {
                    tracing::info!(item = %item.id, status, "media URL expired; resolving the episode again");
                    *partial = at;
                    let _ = self.update(item.id, |i| i.partial = at).await;
                    source = deps.media.resolve_link(link).await?;
                }
                Err(FetchError::Cancelled { at }) => {
                    *partial = at;
                    if self.removed(item.id) {
                        let _ = deps.files.discard(part).await;
                        return Ok(Ending::Removed);
                    }
                    let _ = self.update(item.id, |i| i.partial = at).await;
                    return Ok(Ending::Interrupted);
                }
                Err(FetchError::Disk(reason)) => {
                    let _ = deps.files.discard(part).await;
                    return Ok(Ending::Failed {
                        error: format!("cannot write the file: {reason}"),
                        retryable: false,
                    });
                }
                Err(other) => {
                    *partial = None;
                    let _ = self.update(item.id, |i| i.partial = None).await;
                    let _ = deps.files.discard(part).await;
                    return Err(AttemptOutcome::Transfer(other));
                }
            }
        }
        Err(AttemptOutcome::Transfer(FetchError::Status(403)))
    }

    /// Records which hoster, language and embed page the item is downloaded from.
    async fn note_source(&self, id: ItemId, link: &HosterLink, source: &MediaSource) {
        let (hoster, language) = (link.hoster.clone(), link.language);
        let page = source
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("referer"))
            .map(|(_, v)| v.clone());
        let _ = self
            .update(id, |i| {
                i.hoster = Some(hoster);
                i.language = Some(language);
                i.source_url = page.or_else(|| i.source_url.clone());
            })
            .await;
    }
}
