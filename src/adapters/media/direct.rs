//! A direct file (MP4): one GET, resumed with `Range: bytes=<offset>-` from a checkpoint or
//! after a cut connection, verified against `Content-Length` (or the `Content-Range` total).
//!
//! The same URL is asked again with `Range` a few times when the connection breaks; a 403 or
//! 410 then (or on a resumed request) means the signed URL expired, and the caller resolves
//! the episode again and goes on from the checkpoint in the error.

use super::part_file::PartFile;
use super::progress::{self, Progress};
use super::session::{Failure, RETRIES, Session, backoff};
use crate::adapters::fetch::Response;
use crate::domain::catalogue::MediaKind;
use crate::domain::queue::Partial;
use crate::ports::media::{FetchError, Transfer, Transferred};

/// One download of a direct file into its partial file.
struct Download<'a> {
    session: Session<'a>,
    url: &'a str,
    file: PartFile,
    progress: Progress,
    /// The file's full size, once an answer (or the checkpoint) told it.
    total: Option<u64>,
    /// Whether the transfer got somewhere: a checkpoint to resume or a success answer.
    began: bool,
    /// Whether the last failure was a body cut short (rather than no answer at all).
    cut: bool,
}

/// What an answer to a (possibly ranged) request means.
enum Opened {
    /// Read this body from the file's current end on.
    Body(Box<Response>),
    /// The file already holds every byte.
    Complete,
    /// The server does not continue where the file ends: throw the bytes away and ask again.
    StartOver,
}

/// Fetches `transfer` as a direct file.
pub async fn fetch(
    session: Session<'_>,
    transfer: &Transfer,
    progress: Progress,
) -> Result<Transferred, FetchError> {
    let mut file = PartFile::open(&transfer.part_path).await?;
    let (keep, total) = match transfer.resume {
        Some(Partial::Direct { bytes, total }) if bytes > 0 && file.len() >= bytes => {
            (bytes, total)
        }
        _ => (0, None),
    };
    // Bytes past the checkpoint were never confirmed flushed.
    file.keep(keep).await?;
    let mut download = Download {
        session,
        url: &transfer.source.url,
        file,
        progress,
        total,
        began: keep > 0,
        cut: false,
    };
    match download.run().await {
        Ok(()) => download.finish().await,
        Err(failure) => Err(download.stop(failure).await),
    }
}

impl Download<'_> {
    /// Requests and reads until the file is complete; cut connections are resumed.
    async fn run(&mut self) -> Result<(), Failure> {
        let mut fruitless = 0;
        loop {
            let before = self.file.len();
            self.cut = false;
            let outcome = match self.open().await {
                Ok(Opened::Complete) => return Ok(()),
                Ok(Opened::StartOver) => {
                    self.file.keep(0).await?;
                    self.total = None;
                    continue;
                }
                Ok(Opened::Body(response)) => {
                    self.cut = true;
                    self.read(response).await
                }
                Err(failure) => Err(failure),
            };
            let failure = match outcome {
                Ok(()) if self.total.is_none_or(|t| self.file.len() == t) => return Ok(()),
                Ok(()) if self.total.is_some_and(|t| self.file.len() > t) => {
                    return Err(Failure::Unusable(
                        "the server sent more bytes than it announced".into(),
                    ));
                }
                // The body ended early: the connection was cut.
                Ok(()) => Failure::Transport("the body ended early".into()),
                Err(failure) => failure,
            };
            // Only a transfer that is under way goes on with the same URL; a first request
            // that fails is the caller's to retry (with its own backoff) or to give up.
            if !(self.began && failure.is_transient()) {
                return Err(failure);
            }
            fruitless = if self.file.len() > before {
                0
            } else {
                fruitless + 1
            };
            if fruitless > RETRIES {
                return Err(failure);
            }
            self.session
                .pause(backoff(fruitless.saturating_sub(1)))
                .await?;
        }
    }

    /// Asks for the bytes from the file's current end on and reads what the answer means.
    async fn open(&mut self) -> Result<Opened, Failure> {
        let offset = self.file.len();
        let response = self
            .session
            .get(self.url, (offset > 0).then_some(offset))
            .await?;
        let status = response.status.as_u16();
        let content_range = response
            .headers
            .get(http::header::CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(ContentRange::parse);
        match status {
            200 => {
                if offset > 0 {
                    self.file.keep(0).await?;
                }
                self.total = response.content_length();
            }
            206 => {
                // The range must start where the file ends, in a file of the size known.
                let Some(range) = content_range.filter(|r| {
                    r.start == Some(offset)
                        && !matches!((self.total, r.total), (Some(a), Some(b)) if a != b)
                }) else {
                    return if offset > 0 {
                        Ok(Opened::StartOver)
                    } else {
                        Err(Failure::Unusable(
                            "a part of the file where the whole was asked for".into(),
                        ))
                    };
                };
                self.total = range
                    .total
                    .or_else(|| response.content_length().map(|n| offset + n));
            }
            416 if offset > 0 => {
                let complete = content_range.and_then(|r| r.total) == Some(offset);
                return Ok(if complete {
                    self.total = Some(offset);
                    Opened::Complete
                } else {
                    Opened::StartOver
                });
            }
            _ => return Err(Failure::Status(status)),
        }
        self.began = true;
        Ok(Opened::Body(Box::new(response)))
    }

    /// Reads a body to its end, writing and checkpointing as it goes.
    async fn read(&mut self, mut response: Box<Response>) -> Result<(), Failure> {
        while let Some(chunk) = self.session.chunk(&mut response).await? {
            let n = chunk.len() as u64;
            self.file.write(chunk).await?;
            let now = progress::direct(self.file.len(), self.total);
            if let Some(at) = self.file.flushed()? {
                self.progress.synced(now, at);
            } else if self.progress.wrote(n, 0) {
                self.file.sync_behind(self.checkpoint()).await?;
                self.progress.flushing();
            } else {
                self.progress.report(now);
            }
            if self.session.cancel.is_cancelled() {
                return Err(Failure::Cancelled);
            }
        }
        Ok(())
    }

    fn checkpoint(&self) -> Partial {
        Partial::Direct {
            bytes: self.file.len(),
            total: self.total,
        }
    }

    /// Flushes, checks the size and tells the end.
    async fn finish(mut self) -> Result<Transferred, FetchError> {
        self.file.sync().await?;
        let bytes = self.file.size_on_disk().await?;
        if let Some(expected) = self.total.filter(|&t| t != bytes) {
            return Err(FetchError::Truncated {
                expected,
                got: bytes,
            });
        }
        let done = progress::direct(bytes, Some(bytes));
        self.progress.synced(done, self.checkpoint());
        Ok(Transferred {
            bytes,
            kind: MediaKind::Direct,
        })
    }

    /// Flushes what arrived and turns `failure` into the port's error, with the checkpoint
    /// the partial file now holds.
    async fn stop(mut self, failure: Failure) -> FetchError {
        if let Failure::Disk(reason) = failure {
            return FetchError::Disk(reason);
        }
        if let Err(e) = self.file.sync().await {
            return e.into();
        }
        match (failure, self.total) {
            // Cut short again and again: say how far it got.
            (Failure::Transport(_) | Failure::Timeout, Some(expected)) if self.cut => {
                FetchError::Truncated {
                    expected,
                    got: self.file.len(),
                }
            }
            (failure, _) => failure.into_fetch_error(self.began, Some(self.checkpoint())),
        }
    }
}

/// A `Content-Range: bytes <start>-<end>/<total>` header; `*` parts are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ContentRange {
    start: Option<u64>,
    total: Option<u64>,
}

impl ContentRange {
    fn parse(text: &str) -> Option<Self> {
        let spec = text.trim().strip_prefix("bytes")?.trim_start();
        let (range, total) = spec.split_once('/')?;
        let start = match range.trim() {
            "*" => None,
            r => Some(r.split_once('-')?.0.trim().parse().ok()?),
        };
        let total = match total.trim() {
            "*" => None,
            t => Some(t.parse().ok()?),
        };
        Some(Self { start, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_headers_give_the_start_and_the_total_where_known() {
        let parse = ContentRange::parse;
        let range = |start, total| Some(ContentRange { start, total });
        assert_eq!(parse("bytes 100-999/1000"), range(Some(100), Some(1000)));
        assert_eq!(parse("bytes 0-9/*"), range(Some(0), None));
        assert_eq!(parse("bytes */1000"), range(None, Some(1000)));
        assert_eq!(parse("items 0-9/10"), None);
        assert_eq!(parse("bytes x-9/10"), None);
    }
}
