//! The tests' fake catalogue site set up for the queue and download benchmarks
//! (`benches/downloads.sh`, `benches/queue_api.sh`, `benches/ws_fanout.sh`):
//!
//! - `bench-media`: S01E01 has one Vidoza link to a generated MP4 of `--mp4-mib` MiB, S01E02
//!   one Vidmoly link to an unencrypted HLS stream of `--hls-segments` segments of
//!   `--segment-bytes` bytes;
//! - `bench-big`: `--big-episodes` episodes with the standard links, in `--big-seasons`
//!   seasons (default 10,000 in 10 seasons: one season page of 10,000 episodes is 9.4 MiB of
//!   the fake site's HTML, more than the 8 MiB the product's catalogue reads of a page);
//! - `series-1` … `series-<--library-series>` (none by default): one season of
//!   `--library-episodes` episodes with the standard links each, as `examples/fake_site.rs`
//!   serves them, for a library known by its sidecars (`benches/soak.sh`).
//!
//! ```sh
//! cargo run --profile bench-tools --example bench_site -- --segment-latency-ms 20
//! ```
//!
//! Catalogue pages (`/anime/...`, `/ajax/search`) are the fake site's own, passed through
//! unchanged from an inner fake site. Redirects, embed pages and media of the `bench-media`
//! links are answered here, from bytes generated once at start-up with the fake site's
//! generators (`tests/support/fake_site/media.rs`), so a 1 GiB file costs the site no more than
//! a copy into the socket and the site does not become the bottleneck. The latency is added
//! to media segment requests only (`/media/<id>/<variant>/seg-<n>.ts`), not to pages and
//! playlists. `GET /bench/stats` tells how many segment requests came and the most that were
//! in flight at once; `POST /bench/reset` zeroes both.
//!
//! With `--mp4-file PATH --mp4-redirect URL`, the MP4 is written to PATH and its media URL
//! answers 302 to URL, so that a server that is not ours (nginx or Python's `http.server`
//! serving PATH at URL) sends the bytes; the JSON's `mp4.url` is then URL. A file of the
//! right size already at PATH is used as it is.
//!
//! Prints one JSON line with the URLs the scripts need once the media is ready, then serves
//! until killed.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clap::Parser;
use poem::http::{StatusCode, header};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{Body, Endpoint, Request, Response, Server};
use serde_json::json;
use support::fake_site::hosters::{embed_page, embed_path, media_url};
use support::fake_site::media::{
    BEST_VARIANT, hls_key, master_playlist, media_playlist, mp4_bytes, parse_range, segment_served,
};
use support::fake_site::voe;
use support::fake_site::{
    FakeEpisode, FakeHoster, FakeLink, FakeMedia, FakeSeason, FakeSeries, FakeSite,
};

#[derive(Parser)]
struct Args {
    /// Size of the MP4 of bench-media S01E01, in MiB.
    #[arg(long, default_value_t = 1024)]
    mp4_mib: u64,
    /// Segments of the HLS stream of bench-media S01E02.
    #[arg(long, default_value_t = 500)]
    hls_segments: u32,
    /// Bytes per segment (a multiple of 188, the MPEG-TS packet size).
    #[arg(long, default_value_t = 188 * 1000)]
    segment_bytes: usize,
    /// Added before answering each media segment request.
    #[arg(long, default_value_t = 20)]
    segment_latency_ms: u64,
    /// Episodes of bench-big, all seasons together.
    #[arg(long, default_value_t = 10_000)]
    big_episodes: u32,
    /// Seasons bench-big's episodes are spread over (the first ones get the larger share).
    #[arg(long, default_value_t = 10)]
    big_seasons: u32,
    /// Series `series-1` … `series-<n>` besides the bench series.
    #[arg(long, default_value_t = 0)]
    library_series: u32,
    /// Episodes of each of those series, in one season.
    #[arg(long, default_value_t = 12)]
    library_episodes: u32,
    /// Writes the MP4 to this file (for another server to send).
    #[arg(long)]
    mp4_file: Option<std::path::PathBuf>,
    /// The MP4's media URL redirects here (another server sending `--mp4-file`).
    #[arg(long)]
    mp4_redirect: Option<String>,
}

/// Media answered by the front, by link id.
enum Served {
    Mp4(&'static [u8]),
    /// Sent by another server, at this URL.
    Elsewhere(String),
    Hls {
        media: FakeMedia,
        /// The best variant's segments as served.
        segments: Vec<&'static [u8]>,
    },
}

struct Front {
    base: String,
    inner: String,
    client: reqwest::Client,
    links: HashMap<u64, FakeLink>,
    served: HashMap<u64, Served>,
    latency: Duration,
    segment_requests: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// Counts one segment request in flight while it lives.
struct InFlight<'a>(&'a Front);

impl<'a> InFlight<'a> {
    fn enter(front: &'a Front) -> Self {
        front.segment_requests.fetch_add(1, Ordering::Relaxed);
        let now = front.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        front.max_in_flight.fetch_max(now, Ordering::SeqCst);
        Self(front)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn status(code: StatusCode) -> Response {
    Response::builder().status(code).finish()
}

fn typed(content_type: &str, body: impl Into<Body>) -> Response {
    Response::builder().content_type(content_type).body(body)
}

impl Front {
    /// Passes a catalogue request through to the inner fake site.
    async fn pass(&self, mut req: Request) -> Response {
        let path = req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let mut forward = self
            .client
            .request(req.method().clone(), format!("{}{path}", self.inner));
        for (name, value) in req.headers() {
            if name != header::HOST {
                forward = forward.header(name, value);
            }
        }
        let body = req.take_body().into_vec().await.unwrap_or_default();
        let Ok(answer) = forward.body(body).send().await else {
            return status(StatusCode::BAD_GATEWAY);
        };
        let mut out = Response::builder().status(answer.status());
        for (name, value) in answer.headers() {
            if name != header::CONTENT_LENGTH && name != header::TRANSFER_ENCODING {
                out = out.header(name, value);
            }
        }
        match answer.bytes().await {
            Ok(bytes) => out.body(bytes),
            Err(_) => status(StatusCode::BAD_GATEWAY),
        }
    }

    async fn media(&self, id: u64, rest: &[&str], req: &Request) -> Option<Response> {
        const PLAYLIST: &str = "application/vnd.apple.mpegurl";
        match (rest, self.served.get(&id)?) {
            (["video.mp4"], Served::Mp4(bytes)) => Some(mp4(bytes, req.header("Range"))),
            (["video.mp4"], Served::Elsewhere(url)) => Some(
                Response::builder()
                    .status(StatusCode::FOUND)
                    .header(header::LOCATION, url.as_str())
                    .finish(),
            ),
            (["master.m3u8"], Served::Hls { .. }) => {
                Some(typed(PLAYLIST, master_playlist(&self.base, id, "")))
            }
            ([variant, "index.m3u8"], Served::Hls { media, .. }) => {
                media_playlist(&self.base, id, variant, *media, "").map(|t| typed(PLAYLIST, t))
            }
            ([_, "key.bin"], Served::Hls { .. }) => {
                Some(typed("application/octet-stream", hls_key(id).to_vec()))
            }
            ([variant, segment], Served::Hls { media, segments }) => {
                let index: u32 = segment
                    .strip_prefix("seg-")?
                    .strip_suffix(".ts")?
                    .parse()
                    .ok()?;
                let _counted = InFlight::enter(self);
                if !self.latency.is_zero() {
                    tokio::time::sleep(self.latency).await;
                }
                if *variant == BEST_VARIANT {
                    let bytes: &'static [u8] = segments.get(index as usize).copied()?;
                    Some(typed("video/mp2t", bytes))
                } else {
                    segment_served(id, variant, index, *media).map(|b| typed("video/mp2t", b))
                }
            }
            _ => None,
        }
    }
}

/// 200 with the whole file, 206 for a `Range`, 416 past the end; the bytes are not copied.
fn mp4(bytes: &'static [u8], range: Option<&str>) -> Response {
    let size = bytes.len() as u64;
    let Some(range) = range else {
        return Response::builder()
            .content_type("video/mp4")
            .header(header::ACCEPT_RANGES, "bytes")
            .body(bytes);
    };
    match parse_range(range, size) {
        Some(r) => Response::builder()
            .status(StatusCode::PARTIAL_CONTENT)
            .content_type("video/mp4")
            .header(header::ACCEPT_RANGES, "bytes")
            .header(
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{size}", r.start, r.end - 1),
            )
            .body(&bytes[r.start as usize..r.end as usize]),
        None => Response::builder()
            .status(StatusCode::RANGE_NOT_SATISFIABLE)
            .header(header::CONTENT_RANGE, format!("bytes */{size}"))
            .finish(),
    }
}

impl Endpoint for Front {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        let path = req.uri().path().to_owned();
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let link = |id: &str| id.parse::<u64>().ok().and_then(|id| self.links.get(&id));
        let not_found = || status(StatusCode::NOT_FOUND);
        Ok(match parts.as_slice() {
            ["bench", "stats"] => typed(
                "application/json",
                json!({
                    "segment_requests": self.segment_requests.load(Ordering::SeqCst),
                    "segment_max_in_flight": self.max_in_flight.load(Ordering::SeqCst),
                })
                .to_string(),
            ),
            ["bench", "reset"] => {
                self.segment_requests.store(0, Ordering::SeqCst);
                self.max_in_flight.store(0, Ordering::SeqCst);
                status(StatusCode::NO_CONTENT)
            }
            ["redirect", id] => match link(id) {
                Some(link) => Response::builder()
                    .status(StatusCode::FOUND)
                    .header(
                        header::LOCATION,
                        format!("{}{}", self.base, embed_path(link)),
                    )
                    .finish(),
                None => self.pass(req).await,
            },
            ["hoster", _, kind, id] => match (link(id), *kind) {
                (Some(link), "e") => embed_page(&self.base, link, 0)
                    .map_or_else(not_found, |p| typed("text/html; charset=utf-8", p)),
                (Some(link), kind @ ("t" | "p")) if link.hoster == FakeHoster::Voe => {
                    voe::hop_page(&self.base, link, kind, req.uri().query(), 0)
                        .map_or_else(not_found, |p| typed("text/html; charset=utf-8", p))
                }
                (Some(_), _) => not_found(),
                (None, _) => self.pass(req).await,
            },
            ["media", id, rest @ ..] => match id.parse::<u64>() {
                Ok(id) if self.served.contains_key(&id) => {
                    self.media(id, rest, &req).await.unwrap_or_else(not_found)
                }
                _ => self.pass(req).await,
            },
            _ => self.pass(req).await,
        })
    }
}

/// The MP4 of link `id`, generated on both cores and kept for the life of the process.
fn generate_mp4(id: u64, size: u64) -> &'static [u8] {
    const PIECE: u64 = 32 * 1024 * 1024;
    let mut file = vec![0u8; size as usize];
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per = (size.div_ceil(threads as u64)).div_ceil(PIECE) * PIECE;
    std::thread::scope(|scope| {
        for (n, part) in file.chunks_mut(per.max(1) as usize).enumerate() {
            scope.spawn(move || {
                let start = n as u64 * per;
                for (k, piece) in part.chunks_mut(PIECE as usize).enumerate() {
                    let from = start + k as u64 * PIECE;
                    piece.copy_from_slice(&mp4_bytes(id, from..from + piece.len() as u64));
                }
            });
        }
    });
    Box::leak(file.into_boxed_slice())
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let mp4_size = args.mp4_mib * 1024 * 1024;
    let hls = FakeMedia::Hls {
        segments: args.hls_segments,
        segment_bytes: args.segment_bytes,
        encrypted: false,
    };
    let one = |hoster, media| FakeLink::new(hoster, 1).media(media);
    let mut media_season = FakeSeason {
        number: 1,
        episodes: Vec::new(),
    };
    for (number, link) in [
        (
            1,
            one(FakeHoster::Vidoza, FakeMedia::Mp4 { size: mp4_size }),
        ),
        (2, one(FakeHoster::Vidmoly, hls)),
    ] {
        media_season
            .episodes
            .push(FakeEpisode::new(number).links(vec![link]));
    }
    let mut big = FakeSeries::new("bench-big", "Bench Big").year(2024);
    let per_season = args.big_episodes.div_ceil(args.big_seasons.max(1));
    let mut big_seasons = Vec::new();
    let mut left = args.big_episodes;
    for season in 1..=args.big_seasons {
        let count = per_season.min(left);
        if count == 0 {
            break;
        }
        left -= count;
        big = big.season(season, &(1..=count).collect::<Vec<u32>>());
        big_seasons.push([season, count]);
    }
    let mut builder = FakeSite::builder()
        .series(
            FakeSeries::new("bench-media", "Bench Media")
                .year(2024)
                .with_season(media_season),
        )
        .series(big);
    let library_episodes: Vec<u32> = (1..=args.library_episodes).collect();
    for i in 1..=args.library_series {
        builder = builder.series(
            FakeSeries::new(&format!("series-{i}"), &format!("Series {i}"))
                .year(2020)
                .season(1, &library_episodes),
        );
    }
    let inner = builder.spawn().await;

    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .expect("the bench site binds a local port");
    let addr = *acceptor.local_addr()[0]
        .as_socket_addr()
        .expect("a TCP listener has a socket address");
    let base = format!("http://{addr}");

    let mp4_link = inner.links("bench-media", 1, 1).remove(0).link;
    let hls_link = inner.links("bench-media", 1, 2).remove(0).link;
    let (mp4_id, hls_id) = (mp4_link.id, hls_link.id);
    // A file left by an earlier run for another server to send is used again.
    let kept = args.mp4_redirect.is_some()
        && args
            .mp4_file
            .as_ref()
            .is_some_and(|p| std::fs::metadata(p).is_ok_and(|m| m.len() == mp4_size));
    let size = if kept { 0 } else { mp4_size };
    let file = tokio::task::spawn_blocking(move || generate_mp4(mp4_id, size))
        .await
        .expect("the MP4 is generated");
    let segments: Vec<&'static [u8]> = (0..args.hls_segments)
        .map(|i| {
            let bytes = segment_served(hls_id, BEST_VARIANT, i, hls).expect("a segment");
            &*Box::leak(bytes.into_boxed_slice())
        })
        .collect();
    let segment_urls: Vec<String> = (0..args.hls_segments)
        .map(|i| format!("{base}/media/{hls_id}/{BEST_VARIANT}/seg-{i}.ts"))
        .collect();

    let mut served = HashMap::new();
    if let Some(path) = args.mp4_file.as_ref().filter(|_| !kept) {
        std::fs::write(path, file).expect("the MP4 file is written");
    }
    let mp4_url = match &args.mp4_redirect {
        Some(url) => {
            served.insert(mp4_id, Served::Elsewhere(url.clone()));
            url.clone()
        }
        None => {
            served.insert(mp4_id, Served::Mp4(file));
            media_url(&base, &mp4_link, 0)
        }
    };
    served.insert(
        hls_id,
        Served::Hls {
            media: hls,
            segments,
        },
    );
    let info = json!({
        "base": base,
        "media_series": "bench-media",
        "big_series": "bench-big",
        "big_episodes": args.big_episodes,
        "big_seasons": big_seasons,
        "mp4": { "season": 1, "episode": 1, "url": mp4_url, "bytes": mp4_size },
        "hls": {
            "season": 1,
            "episode": 2,
            "url": media_url(&base, &hls_link, 0),
            "segments": segment_urls,
            "segment_bytes": args.segment_bytes,
            "bytes": args.segment_bytes as u64 * u64::from(args.hls_segments),
            "segment_latency_ms": args.segment_latency_ms,
        },
    });
    let links = [mp4_link, hls_link]
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let front = Front {
        base,
        inner: inner.base_url().to_owned(),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client"),
        links,
        served,
        latency: Duration::from_millis(args.segment_latency_ms),
        segment_requests: AtomicUsize::new(0),
        in_flight: AtomicUsize::new(0),
        max_in_flight: AtomicUsize::new(0),
    };
    let server = Server::new_with_acceptor(acceptor).run(front);
    println!("{info}");
    let _ = server.await;
}
