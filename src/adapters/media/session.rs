//! The requests of one transfer: every one carries the media source's headers, waits at most
//! the idle timeout for each answer and each chunk (a large file may take hours, but a
//! silent server is dead), stops at once when the transfer is cancelled, and reads through
//! the shared bandwidth limit.

use std::future::Future;
use std::time::Duration;

use super::limiter::BandwidthLimit;
use crate::adapters::fetch::{HttpError, Response};
use crate::domain::queue::Partial;
use crate::ports::media::{Cancel, FetchError};

/// Why a request of a transfer did not give what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The server answered this non-success status.
    Status(u16),
    /// No answer, or no next chunk, within the idle timeout.
    Timeout,
    /// Connection refused, reset or cut, TLS, DNS.
    Transport(String),
    /// The answer arrived but cannot be used (not a playlist, a bad key, a body too large).
    Unusable(String),
    /// The partial file could not be written (the path and the system's reason).
    Disk(String),
    /// The transfer's cancel token fired.
    Cancelled,
}

impl Failure {
    /// Whether trying the same request again soon may help: timeouts, cut connections,
    /// 429 and server errors.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Timeout | Self::Transport(_))
            || matches!(self, Self::Status(s) if *s == 429 || *s >= 500)
    }

    /// The port's error. `began` says whether the transfer had already got somewhere (a
    /// success answer, or a checkpoint to resume from): only then is a 403 or 410 an expired
    /// signed URL rather than a refusal.
    pub fn into_fetch_error(self, began: bool, at: Option<Partial>) -> FetchError {
        match self {
            Self::Status(404) => FetchError::NotFound,
            Self::Status(status @ (403 | 410)) if began => FetchError::Expired { status, at },
            Self::Status(status) => FetchError::Status(status),
            Self::Timeout => FetchError::Timeout,
            Self::Transport(reason) => FetchError::Transport(reason),
            Self::Unusable(reason) => FetchError::Unusable(reason),
            Self::Disk(reason) => FetchError::Disk(reason),
            Self::Cancelled => FetchError::Cancelled { at },
        }
    }
}

fn transport(e: HttpError) -> Failure {
    match e {
        HttpError::Timeout => Failure::Timeout,
        // The transport keeps URLs (and their signatures) out of its messages.
        HttpError::Transport(why) => Failure::Transport(why),
    }
}

/// What every request of one transfer shares.
#[derive(Debug, Clone, Copy)]
pub struct Session<'a> {
    /// The shared client (with the clearances FlareSolverr handed back).
    pub fetcher: &'a crate::adapters::fetch::Fetcher,
    /// The media source's headers (`Referer`, `User-Agent`, ...), sent on every request.
    pub headers: &'a [(String, String)],
    /// The longest wait for an answer or for the next chunk of a body.
    pub idle: Duration,
    pub limit: &'a BandwidthLimit,
    pub cancel: &'a dyn Cancel,
}

impl Session<'_> {
    /// Awaits `step` within the idle timeout, unless the transfer is cancelled first.
    async fn guarded<T>(
        &self,
        step: impl Future<Output = Result<T, HttpError>>,
    ) -> Result<T, Failure> {
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => Err(Failure::Cancelled),
            answer = tokio::time::timeout(self.idle, step) => match answer {
                Err(_) => Err(Failure::Timeout),
                Ok(answer) => answer.map_err(transport),
            },
        }
    }

    /// Sends a GET (from byte `from` on, when given) and returns the answer whatever its
    /// status; its body is still to be read.
    pub async fn get(&self, url: &str, from: Option<u64>) -> Result<Response, Failure> {
        // The fetcher asks for the bytes as stored (`identity`): sizes and ranges count them.
        self.guarded(self.fetcher.media(url, self.headers, from))
            .await
    }

    /// The next chunk of a body (`None` at its end), read through the bandwidth limit.
    pub async fn chunk(&self, response: &mut Response) -> Result<Option<bytes::Bytes>, Failure> {
        let chunk = self.guarded(response.chunk()).await?;
        if let Some(bytes) = &chunk {
            let wait = self.limit.take(bytes.as_ref().len() as u64);
            if !wait.is_zero() {
                // A new limit forgives the rest of the wait: it may have been priced at a
                // rate that no longer holds.
                let changed = self.limit.changed();
                tokio::select! {
                    biased;
                    () = self.cancel.cancelled() => return Err(Failure::Cancelled),
                    () = changed => {}
                    () = tokio::time::sleep(wait) => {}
                }
            }
        }
        Ok(chunk)
    }

    /// GETs a whole body of at most `cap` bytes: the final URL (after redirects) and the bytes.
    pub async fn body(&self, url: &str, cap: usize) -> Result<(String, Vec<u8>), Failure> {
        let mut response = self.get(url, None).await?;
        let status = response.status;
        if !status.is_success() {
            return Err(Failure::Status(status.as_u16()));
        }
        let final_url = response.url.to_string();
        let mut body =
            Vec::with_capacity(response.content_length().unwrap_or(0).min(cap as u64) as usize);
        while let Some(chunk) = self.chunk(&mut response).await? {
            if body.len() + chunk.len() > cap {
                return Err(Failure::Unusable(format!(
                    "an answer larger than {cap} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((final_url, body))
    }

    /// [`Session::body`], tried again after a short backoff when it fails transiently.
    pub async fn body_with_retries(
        &self,
        url: &str,
        cap: usize,
    ) -> Result<(String, Vec<u8>), Failure> {
        let mut attempt = 0;
        loop {
            match self.body(url, cap).await {
                Err(failure) if failure.is_transient() && attempt < RETRIES => {
                    self.pause(backoff(attempt)).await?;
                    attempt += 1;
                }
                done => return done,
            }
        }
    }

    /// Sleeps for `wait`, unless the transfer is cancelled first.
    pub async fn pause(&self, wait: Duration) -> Result<(), Failure> {
        if wait.is_zero() {
            return Ok(());
        }
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => Err(Failure::Cancelled),
            () = tokio::time::sleep(wait) => Ok(()),
        }
    }
}

/// How often a request that failed transiently is tried again.
pub const RETRIES: u32 = 3;

/// The wait before retry `attempt` (0-based): 200 ms, 400 ms, 800 ms.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(200 << attempt.min(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_403_is_an_expired_signature_only_once_the_transfer_began() {
        let at = Some(Partial::Direct {
            bytes: 10,
            total: None,
        });
        assert_eq!(
            Failure::Status(403).into_fetch_error(true, at),
            FetchError::Expired { status: 403, at }
        );
        assert_eq!(
            Failure::Status(410).into_fetch_error(true, at),
            FetchError::Expired { status: 410, at }
        );
        assert_eq!(
            Failure::Status(403).into_fetch_error(false, None),
            FetchError::Status(403)
        );
        assert_eq!(
            Failure::Status(404).into_fetch_error(true, at),
            FetchError::NotFound
        );
    }

    #[test]
    fn only_timeouts_cut_connections_429_and_server_errors_are_tried_again() {
        assert!(Failure::Timeout.is_transient());
        assert!(Failure::Transport("reset".into()).is_transient());
        assert!(Failure::Status(503).is_transient());
        assert!(Failure::Status(429).is_transient());
        assert!(!Failure::Status(403).is_transient());
        assert!(!Failure::Unusable("html".into()).is_transient());
        assert!(!Failure::Cancelled.is_transient());
        assert_eq!(backoff(0), Duration::from_millis(200));
        assert_eq!(backoff(2), Duration::from_millis(800));
    }
}
