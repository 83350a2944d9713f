//! Media transfers over HTTP: [`HttpMediaFetcher`] turns a resolved media source into a
//! `.part` file, a direct file (`direct`) or an HLS stream (`hls`), and never writes anything
//! but that partial file.
//!
//! - `session`: the requests of one transfer (headers, idle timeout, cancellation, limit);
//! - `limiter`: the bandwidth limit all transfers share;
//! - `part_file`: the partial file (keep up to a checkpoint, append, fsync);
//! - `progress`: when to fsync and when to tell the progress sink;
//! - `remux`: MPEG-TS to MP4 with ffmpeg, where it is installed.
//!
//! It uses the shared client of [`Fetcher`] but not its per-request deadline: a large file
//! takes as long as it takes, so the configured timeout bounds each wait for an answer or
//! for the next chunk instead.

mod direct;
mod hls;
mod limiter;
mod part_file;
mod progress;
mod remux;
mod session;

use std::sync::Arc;

use async_trait::async_trait;

use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::MediaKind;
use crate::ports::media::{Cancel, FetchError, MediaFetcher, ProgressSink, Transfer, Transferred};

pub use remux::FfmpegRemuxer;

use limiter::BandwidthLimit;
use progress::Progress;
use session::Session;

/// Downloads media with the shared HTTP client; cheap to clone, and every clone shares the
/// bandwidth limit.
#[derive(Debug, Clone)]
pub struct HttpMediaFetcher {
    fetcher: Fetcher,
    limit: Arc<BandwidthLimit>,
}

impl HttpMediaFetcher {
    /// A fetcher on `fetcher`'s client; its (live) timeout bounds each wait for the server.
    /// No bandwidth limit until [`HttpMediaFetcher::set_bandwidth_limit`] sets one.
    pub fn new(fetcher: Fetcher) -> Self {
        Self {
            fetcher,
            limit: Arc::default(),
        }
    }

    /// Limits all transfers together to `kib_per_second` KiB a second (`None` or 0: no
    /// limit). Running transfers follow the new limit from their next read on.
    pub fn set_bandwidth_limit(&self, kib_per_second: Option<u64>) {
        self.limit.set(kib_per_second);
    }
}

#[async_trait]
impl MediaFetcher for HttpMediaFetcher {
    async fn fetch(
        &self,
        transfer: Transfer,
        progress: ProgressSink,
        cancel: Arc<dyn Cancel>,
    ) -> Result<Transferred, FetchError> {
        let session = Session {
            fetcher: &self.fetcher,
            headers: &transfer.source.headers,
            idle: self.fetcher.timeout(),
            limit: &self.limit,
            cancel: &*cancel,
        };
        let progress = Progress::new(progress);
        match transfer.source.kind {
            MediaKind::Direct => direct::fetch(session, &transfer, progress).await,
            MediaKind::Hls => hls::fetch(session, &transfer, progress).await,
        }
    }
}
