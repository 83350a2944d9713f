//! The figures of the hosters issue, measured on the release binary (`benches/provider.sh`):
//!
//! 1. requests to the catalogue for one scheduled run on a library of `--series` series:
//!    with the new-episodes page naming `--feed` of them, vs a full refresh (the page gone);
//! 2. the time a hoster attempt takes to fail on a challenge page vs on a page that never
//!    answers (the provider timeout, default 15 s), each an episode queued with retries 0.
//!
//! The fake site runs in this process (its request counts and faults at hand); the server is
//! the binary given with `--bin`, a child process on a fresh data dir.
//!
//! ```sh
//! cargo build --release && cargo run --profile bench-tools --example provider_figures -- \
//!     --bin target/release/aniworld --series 500 --feed 10
//! ```

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};
use support::fake_site::{CHALLENGE_PAGE, FakeHoster, FakeLink, FakeSeries, FakeSite, FeedEntry};
use support::process::{ServerProcess, spawn_server};

#[derive(Parser)]
struct Args {
    /// The server binary.
    #[arg(long, default_value = "target/release/aniworld")]
    bin: String,
    /// Series in the library.
    #[arg(long, default_value_t = 500)]
    series: u32,
    /// Series the new-episodes page names.
    #[arg(long, default_value_t = 10)]
    feed: u32,
    /// Seasons per series (each with 12 episodes).
    #[arg(long, default_value_t = 2)]
    seasons: u32,
}

const PASSWORD: &str = "Figures-2026!";

struct Server {
    child: Child,
    url: String,
    http: reqwest::Client,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    async fn start(bin: &str, data: &Path, anime: &Path, provider: &str) -> Self {
        let ServerProcess {
            child, base: url, ..
        } = spawn_server(bin, data, anime, provider);
        let http = reqwest::Client::new();
        let mut server = Self {
            child,
            url,
            http,
            token: String::new(),
        };
        let setup = server
            .call(
                "POST",
                "/api/auth/setup",
                json!({ "master_password": PASSWORD }),
            )
            .await;
        assert_eq!(setup["status"], "ok", "{setup}");
        let login = server
            .call("POST", "/api/auth/login", json!({ "password": PASSWORD }))
            .await;
        server.token = login["access_token"].as_str().expect("token").to_owned();
        server
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if !self.token.is_empty() {
            request = request.bearer_auth(&self.token);
        }
        if !body.is_null() {
            request = request.json(&body);
        }
        request
            .send()
            .await
            .expect("the server answers")
            .json()
            .await
            .unwrap_or(Value::Null)
    }

    /// Asks for a library job until one starts (the one before it has ended then).
    async fn job(&self, path: &str) {
        loop {
            let r = self.call("POST", path, json!({})).await;
            if r["message"] == "Rescan started successfully" {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The scheduler's run, triggered and waited for.
    async fn scheduled_run(&self) {
        self.job("/api/scheduler/trigger-rescan").await;
        self.job("/api/anime/rescan").await;
    }
}

/// The catalogue's requests since the last reset: every path but the hosters' and media's.
fn catalogue_requests(site: &FakeSite) -> usize {
    site.request_log()
        .into_iter()
        .filter(|(path, _)| !path.starts_with("/hoster/") && !path.starts_with("/media/"))
        .map(|(_, n)| n)
        .sum()
}

async fn requests_per_run(args: &Args) {
    let episodes: Vec<u32> = (1..=12).collect();
    let mut builder = FakeSite::builder();
    for i in 1..=args.series {
        let mut series = FakeSeries::new(&format!("series-{i}"), &format!("Series {i}")).year(2020);
        for s in 1..=args.seasons {
            series = series.season(s, &episodes);
        }
        builder = builder.series(series);
    }
    let site = builder.spawn().await;
    let anime = tempfile::tempdir().expect("anime dir");
    for i in 1..=args.series {
        let dir = anime.path().join(format!("Series {i} (2020)"));
        std::fs::create_dir_all(&dir).expect("series folder");
        let sidecar = json!({ "key": format!("series-{i}"), "name": format!("Series {i}"),
            "site": "aniworld.to", "link": site.url(&format!("/anime/stream/series-{i}")) });
        std::fs::write(dir.join("aniworld.json"), sidecar.to_string()).expect("sidecar");
    }
    let data = tempfile::tempdir().expect("data dir");
    let server = Server::start(&args.bin, data.path(), anime.path(), site.base_url()).await;
    let config = json!({ "provider": { "cache_minutes": 0 }, "scheduler": { "enabled": false } });
    server.call("PUT", "/api/config", config).await;
    // The start-up scan looks every series up once; let it finish.
    server.job("/api/anime/rescan").await;
    server.job("/api/anime/rescan").await;

    let feed = (1..=args.feed)
        .map(|i| FeedEntry::new(&format!("series-{i}"), &format!("Series {i}"), 1, 12, 3))
        .collect();
    site.publish_new_episodes(feed);
    site.reset_counts();
    let began = Instant::now();
    server.scheduled_run().await;
    let with_feed = (catalogue_requests(&site), began.elapsed());

    site.publish_new_episodes(Vec::new());
    site.reset_counts();
    let began = Instant::now();
    server.scheduled_run().await;
    let full = (catalogue_requests(&site), began.elapsed());

    println!(
        "scheduled run, {} series x {} seasons, feed naming {}: {} requests in {:.2} s",
        args.series,
        args.seasons,
        args.feed,
        with_feed.0,
        with_feed.1.as_secs_f64()
    );
    println!(
        "scheduled run, full refresh (page without entries): {} requests in {:.2} s",
        full.0,
        full.1.as_secs_f64()
    );
    println!(
        "ratio: full / feed = {:.1}x the requests",
        full.0 as f64 / with_feed.0.max(1) as f64
    );
}

/// Seconds from queueing the one episode to its failure.
async fn time_to_fail(server: &Server) -> f64 {
    let add = json!({ "serie_id": "dr-stone", "serie_folder": "Dr. Stone (2019)", "serie_name": "Dr. Stone",
        "episodes": [{ "season": 1, "episode": 1 }], "priority": "NORMAL" });
    let began = Instant::now();
    let added = server.call("POST", "/api/queue/add", add).await;
    let id = added["added_items"][0]
        .as_str()
        .expect("item id")
        .to_owned();
    loop {
        let status = server.call("GET", "/api/queue/status", Value::Null).await;
        let failed = status["status"]["failed_downloads"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|i| i["id"] == id.as_str());
        if failed {
            return began.elapsed().as_secs_f64();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn challenge_vs_timeout(args: &Args) {
    let mut dr_stone = FakeSeries::new("dr-stone", "Dr. Stone")
        .year(2019)
        .season(1, &[1]);
    if let Some(e) = dr_stone.episode_mut(1, 1) {
        e.links = vec![FakeLink::new(FakeHoster::Voe, 1)];
    }
    let site = FakeSite::builder().series(dr_stone).spawn().await;
    let embed = site.links("dr-stone", 1, 1)[0].embed_url();
    let embed_path = embed.trim_start_matches(site.base_url()).to_owned();
    let (anime, data) = (
        tempfile::tempdir().expect("anime"),
        tempfile::tempdir().expect("data"),
    );
    let server = Server::start(&args.bin, data.path(), anime.path(), site.base_url()).await;
    let link = site.url("/anime/stream/dr-stone");
    server
        .call("POST", "/api/anime/add", json!({ "link": link }))
        .await;
    let config = json!({ "downloads": { "retries": 0, "preferred_hosters": ["VOE"] } });
    server.call("PUT", "/api/config", config).await;
    server.call("POST", "/api/queue/start", json!({})).await;

    site.serve_html(&embed_path, CHALLENGE_PAGE);
    let challenged = time_to_fail(&server).await;
    // A fresh server: the first one lets VOE rest after the challenge.
    drop(server);
    let data = tempfile::tempdir().expect("data");
    let server = Server::start(&args.bin, data.path(), anime.path(), site.base_url()).await;
    server
        .call("POST", "/api/anime/add", json!({ "link": link }))
        .await;
    server
        .call(
            "PUT",
            "/api/config",
            json!({ "downloads": { "retries": 0, "preferred_hosters": ["VOE"] } }),
        )
        .await;
    server.call("POST", "/api/queue/start", json!({})).await;
    site.clear_faults(&embed_path);
    site.hang(&embed_path);
    let hung = time_to_fail(&server).await;
    println!("hoster attempt failing on a challenge page: {challenged:.3} s");
    println!(
        "hoster attempt failing on a page that never answers: {hung:.3} s (provider timeout 15 s)"
    );
    println!(
        "ratio: timeout / challenge = {:.0}x",
        hung / challenged.max(0.001)
    );
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    requests_per_run(&args).await;
    challenge_vs_timeout(&args).await;
}
