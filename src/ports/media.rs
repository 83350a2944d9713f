//! Media transfers: a resolved media source to a `.part` file on disk (`MediaFetcher`), and
//! the file operations around it (`DownloadFiles`): the final rename, deleting partial files
//! and finding partial files nobody owns.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::catalogue::{MediaKind, MediaSource};
use crate::domain::queue::Partial;

/// One transfer to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// Where to fetch from, with the headers every media, playlist, key and segment request
    /// must send.
    pub source: MediaSource,
    /// The partial file to write (`<final name>.part`); its folder exists.
    pub part_path: PathBuf,
    /// Where an earlier transfer of this episode stopped. The fetcher keeps the first
    /// `bytes` of the partial file and goes on from there when the new source is the same
    /// media (the same size, or the same number of segments); otherwise it starts over.
    pub resume: Option<Partial>,
    /// HLS segments fetched at once, at least 1.
    pub segment_concurrency: usize,
}

/// How far a transfer is; told a few times a second at most.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransferProgress {
    /// Bytes written to the partial file so far.
    pub bytes: u64,
    /// The file's size: `Content-Length` for a file, extrapolated from the segments so far
    /// for HLS.
    pub total_bytes: Option<u64>,
    /// 0.0 to 1.0 (HLS: segments written of all segments).
    pub fraction: f64,
    /// Set when the bytes counted here were flushed to disk: a point to resume from.
    pub checkpoint: Option<Partial>,
}

/// Told of a transfer's progress, from the transfer's task; must return quickly.
pub type ProgressSink = Arc<dyn Fn(TransferProgress) + Send + Sync>;

/// A finished transfer: the partial file is complete, verified and flushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transferred {
    pub bytes: u64,
    /// What was fetched: a direct file (kept as `.mp4`) or HLS (an MPEG-TS file, `.ts`).
    pub kind: MediaKind,
}

/// Why a transfer stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The media URL, playlist or a segment answered 403 or 410 after the transfer had
    /// begun: signed URLs expire. Resolve the episode again and go on from `at`.
    #[error("media URL expired (HTTP {status})")]
    Expired { status: u16, at: Option<Partial> },
    /// The media server answered 404.
    #[error("media not found (HTTP 404)")]
    NotFound,
    /// Another unexpected HTTP status (403 on the very first request counts here).
    #[error("media server answered HTTP {0}")]
    Status(u16),
    /// No answer in time.
    #[error("media server timed out")]
    Timeout,
    /// Fewer bytes (or segments) arrived than announced, even after resuming.
    #[error("truncated transfer ({got} of {expected} bytes)")]
    Truncated { expected: u64, got: u64 },
    /// Connection refused, reset, TLS, DNS.
    #[error("media server unreachable: {0}")]
    Transport(String),
    /// The media is not something we can download: not a playlist, an unsupported key,
    /// an empty playlist.
    #[error("media not usable: {0}")]
    Unusable(String),
    /// The partial file could not be written: disk full, permission denied. Another hoster
    /// would not help.
    #[error("cannot write the file: {0}")]
    Disk(String),
    /// The cancel token fired; the partial file holds what `at` says.
    #[error("transfer cancelled")]
    Cancelled { at: Option<Partial> },
}

/// A transfer's stop signal: fired on shutdown or when the user removes the item. The
/// fetcher asks it between chunks and waits on it beside every request.
#[async_trait]
pub trait Cancel: Send + Sync + std::fmt::Debug {
    /// Whether it fired.
    fn is_cancelled(&self) -> bool;
    /// Completes once it fires.
    async fn cancelled(&self);
}

/// Transfers media into a partial file.
///
/// # Errors
/// As [`FetchError`] lists. On every error the partial file is left as it is (it holds at
/// least what the last checkpoint says); deleting it is the caller's choice.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait MediaFetcher: Send + Sync {
    /// Fetches `transfer.source` into `transfer.part_path`, telling `progress` as it goes,
    /// until it is complete (then flushed with fsync and verified against `Content-Length`
    /// or the segment count) or `cancel` fires (then it stops at the next safe point).
    async fn fetch(
        &self,
        transfer: Transfer,
        progress: ProgressSink,
        cancel: Arc<dyn Cancel>,
    ) -> Result<Transferred, FetchError>;
}

/// Why a file operation around a download failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct DownloadFileError {
    pub path: String,
    pub reason: String,
}

/// Files of downloads inside the library directory.
///
/// # Errors
/// [`DownloadFileError`] naming the path and the system's reason.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait DownloadFiles: Send + Sync {
    /// Creates the folder a partial file goes in.
    async fn prepare(&self, part: PathBuf) -> Result<(), DownloadFileError>;

    /// Renames a complete partial file to its final name and flushes the folder, so the
    /// final name never names an incomplete file, even after a power cut.
    async fn finish(&self, part: PathBuf, target: PathBuf) -> Result<(), DownloadFileError>;

    /// Deletes a partial file; one that does not exist is fine.
    async fn discard(&self, part: PathBuf) -> Result<(), DownloadFileError>;

    /// Deletes a folder if it is empty; one that does not exist, or still holds something,
    /// is left as it is.
    async fn discard_folder(&self, folder: PathBuf) -> Result<(), DownloadFileError>;

    /// Every `*.part` file under the library directory.
    async fn partial_files(&self, root: PathBuf) -> Result<Vec<PathBuf>, DownloadFileError>;

    /// Deletes the other files of `episode` under the series folder `series_dir` (an
    /// upgrade's old copy under another name), keeping `keep`; answers what was deleted.
    async fn remove_other_copies(
        &self,
        series_dir: PathBuf,
        episode: crate::domain::episode::EpisodeId,
        keep: PathBuf,
    ) -> Result<Vec<PathBuf>, DownloadFileError>;
}

/// Turns an MPEG-TS download into an MP4 file without re-encoding (PROVIDER.md, "Media":
/// where ffmpeg is on the PATH and the configuration asks for it).
///
/// # Errors
/// A human-readable reason when the remux failed; the input is kept either way.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait Remuxer: Send + Sync {
    /// Whether remuxing can run on this machine.
    fn available(&self) -> bool;

    /// Copies the streams of the MPEG-TS file `from` into an MP4 container at `to`, flushed
    /// to disk. `from` is left as it is.
    async fn remux(&self, from: PathBuf, to: PathBuf) -> Result<(), String>;
}
