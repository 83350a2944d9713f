//! [`HttpMediaFetcher`] against the fake site's media, byte for byte: direct files
//! ([`direct`]: Range resume, cut connections, expired signatures), HLS ([`hls`]: variants,
//! AES-128, concurrency, expiry) and what holds for both ([`control`]: cancellation, the
//! bandwidth limit, disk errors).

mod control;
mod direct;
mod hls;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aniworld::adapters::fetch::Fetcher;
use aniworld::adapters::media::HttpMediaFetcher;
use aniworld::domain::catalogue::{MediaKind, MediaSource};
use aniworld::domain::queue::Partial;
use aniworld::ports::media::{
    FetchError, MediaFetcher, ProgressSink, Transfer, TransferProgress, Transferred,
};
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;

use crate::support::eventually::poll_within;
use crate::support::fake_site::{
    FakeEpisode, FakeHoster, FakeLink, FakeLinkInfo, FakeMedia, FakeSeason, FakeSeries, FakeSite,
    FakeSiteBuilder,
};

/// The User-Agent the tests' media sources carry, unlike the client's default one.
const AGENT: &str = "aniworld-transfer-test/1.0";

/// A site serving one episode with `links`, and those links as the site numbered them.
async fn site_with(links: Vec<FakeLink>) -> (FakeSite, Vec<FakeLinkInfo>) {
    site_from(FakeSite::builder(), links).await
}

/// [`site_with`] on a builder the test prepared (latency, ...).
async fn site_from(
    builder: FakeSiteBuilder,
    links: Vec<FakeLink>,
) -> (FakeSite, Vec<FakeLinkInfo>) {
    let episode = FakeEpisode::new(1).links(links);
    let series = FakeSeries::new("transfer-test", "Transfer Test").with_season(FakeSeason {
        number: 1,
        episodes: vec![episode],
    });
    let site = builder.series(series).spawn().await;
    let links = site.links("transfer-test", 1, 1);
    (site, links)
}

/// An MP4 link of `size` bytes.
fn mp4(size: u64) -> FakeLink {
    FakeLink::new(FakeHoster::Vidoza, 1).media(FakeMedia::Mp4 { size })
}

/// An HLS link of `segments` segments of `segment_bytes`, AES-128 encrypted when `encrypted`.
fn hls(segments: u32, segment_bytes: usize, encrypted: bool) -> FakeLink {
    FakeLink::new(FakeHoster::Voe, 1).media(FakeMedia::Hls {
        segments,
        segment_bytes,
        encrypted,
    })
}

/// A fetcher on a fresh shared client with a 10 s timeout.
fn fetcher() -> HttpMediaFetcher {
    HttpMediaFetcher::new(Fetcher::new(Duration::from_secs(10), 1 << 20).unwrap())
}

/// The link's media as a hoster extractor would give it: its URL now, the embed page as
/// `Referer` and [`AGENT`].
fn source(link: &FakeLinkInfo) -> MediaSource {
    let kind = match link.link.media {
        FakeMedia::Mp4 { .. } => MediaKind::Direct,
        FakeMedia::Hls { .. } => MediaKind::Hls,
    };
    MediaSource {
        url: link.media_url(),
        kind,
        headers: vec![
            ("Referer".into(), link.embed_url()),
            ("User-Agent".into(), AGENT.into()),
        ],
        hoster: link.link.hoster.name().into(),
    }
}

/// A transfer of `source` into `part`, 3 segments at once.
fn transfer(source: MediaSource, part: &Path, resume: Option<Partial>) -> Transfer {
    Transfer {
        source,
        part_path: part.to_owned(),
        resume,
        segment_concurrency: 3,
    }
}

/// A temp dir and the partial file's path inside it.
fn part_file() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("Transfer Test - S01E01.part");
    (dir, part)
}

/// Every progress report of a transfer.
#[derive(Clone, Default)]
struct Reports(Arc<Mutex<Vec<TransferProgress>>>);

impl Reports {
    fn sink(&self) -> ProgressSink {
        let seen = Arc::clone(&self.0);
        Arc::new(move |p| seen.lock().unwrap().push(p))
    }

    fn all(&self) -> Vec<TransferProgress> {
        self.0.lock().unwrap().clone()
    }

    /// Waits until a report tells of at least `bytes` bytes; false after `within`.
    async fn wait_for_bytes(&self, bytes: u64, within: Duration) -> bool {
        let reached = async || self.all().iter().any(|p| p.bytes >= bytes);
        poll_within(within, reached).await.is_ok()
    }
}

/// Runs one transfer to its end with a fresh cancel token.
async fn run(fetcher: &HttpMediaFetcher, transfer: Transfer) -> Result<Transferred, FetchError> {
    fetcher
        .fetch(
            transfer,
            Reports::default().sink(),
            std::sync::Arc::new(CancellationToken::new()),
        )
        .await
}

/// A header of the last request for `path`.
fn header(site: &FakeSite, path: &str, name: &str) -> Option<String> {
    site.last_headers(path)?
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// The path (without query) of a link's MP4 file or of segment `index` of its best variant.
fn mp4_path(link: &FakeLinkInfo) -> String {
    format!("/media/{}/video.mp4", link.link.id)
}

fn segment_path(link: &FakeLinkInfo, index: u32) -> String {
    format!("/media/{}/high/seg-{index}.ts", link.link.id)
}

/// Asserts the file at `path` holds exactly `expected` (without printing megabytes).
fn assert_file(path: &Path, expected: &[u8]) {
    let got = std::fs::read(path).unwrap();
    assert_eq!(got.len(), expected.len(), "file size");
    let first_difference = got.iter().zip(expected).position(|(a, b)| a != b);
    assert_eq!(first_difference, None, "first differing byte");
}
