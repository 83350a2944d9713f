//! The figures of the second-site issue, measured on the release binary:
//!
//! 1. search latency with both sites on against one site: aniworld.to answering after
//!    `--aniworld-ms`, s.to after `--sto-ms`; the merged search should cost no more than the
//!    slower site (the median of `--searches` searches each);
//! 2. requests to s.to for one scheduled run on a library of `--series` s.to series of
//!    `--seasons` seasons: a run between two full refreshes (each series' page and latest
//!    season) against a full refresh (every season page).
//!
//! The fake sites run in this process; the server is the binary given with `--bin`.
//!
//! ```sh
//! cargo build --release && cargo run --profile bench-tools --example sto_figures -- \
//!     --bin target/release/aniworld --series 200
//! ```

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};
use support::fake_site::sto::STO_SUGGEST_PATH;
use support::fake_site::{FakeSeries, FakeSite, Fault, FeedEntry};
use support::process::{ServerProcess, spawn_server_with};

#[derive(Parser)]
struct Args {
    /// The server binary.
    #[arg(long, default_value = "target/release/aniworld")]
    bin: String,
    /// s.to series in the library.
    #[arg(long, default_value_t = 200)]
    series: u32,
    /// Seasons per series (each with 12 episodes).
    #[arg(long, default_value_t = 4)]
    seasons: u32,
    /// Searches timed per setting.
    #[arg(long, default_value_t = 25)]
    searches: usize,
    /// aniworld.to's search answers after this long.
    #[arg(long, default_value_t = 120)]
    aniworld_ms: u64,
    /// s.to's search answers after this long.
    #[arg(long, default_value_t = 200)]
    sto_ms: u64,
}

const PASSWORD: &str = "Figures-2026!";

struct Server {
    process: ServerProcess,
    http: reqwest::Client,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.child.kill();
        let _ = self.process.child.wait();
    }
}

impl Server {
    async fn start(
        bin: &str,
        site: &FakeSite,
        data: &std::path::Path,
        anime: &std::path::Path,
    ) -> Self {
        let process = spawn_server_with(
            bin,
            data,
            anime,
            site.base_url(),
            "info",
            &["--sto-url", site.sto_base_url()],
        );
        let mut server = Self {
            process,
            http: reqwest::Client::new(),
            token: String::new(),
        };
        server
            .call(
                "POST",
                "/api/auth/setup",
                json!({ "master_password": PASSWORD }),
            )
            .await;
        let login = server
            .call("POST", "/api/auth/login", json!({ "password": PASSWORD }))
            .await;
        server.token = login["access_token"].as_str().expect("token").to_owned();
        let config = json!({ "provider": { "sto_enabled": true, "cache_minutes": 0 },
            "scheduler": { "enabled": false } });
        server.call("PUT", "/api/config", config).await;
        server
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.process.base));
        if !self.token.is_empty() {
            request = request.bearer_auth(&self.token);
        }
        if !body.is_null() {
            request = request.json(&body);
        }
        let answer = request.send().await.expect("the server answers");
        answer.json().await.unwrap_or(Value::Null)
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

    async fn scheduled_run(&self) {
        self.job("/api/scheduler/trigger-rescan").await;
        self.job("/api/anime/rescan").await;
    }

    /// The median time of `n` searches of `query`.
    async fn median_search(&self, query: &str, n: usize) -> Duration {
        let mut times = Vec::with_capacity(n);
        for _ in 0..n {
            let began = Instant::now();
            let found = self
                .call("GET", &format!("/api/anime/search?{query}"), Value::Null)
                .await;
            times.push(began.elapsed());
            assert!(found.as_array().is_some_and(|a| !a.is_empty()), "{found}");
        }
        times.sort();
        times[n / 2]
    }
}

async fn search_latency(args: &Args) {
    let site = FakeSite::builder()
        .standard_catalogue()
        .sto_series(FakeSeries::new("attack-on-titan", "Attack on Titan: Live").season(1, &[1]))
        .spawn()
        .await;
    site.slow("/ajax/search", Duration::from_millis(args.aniworld_ms));
    site.sto_fault(
        STO_SUGGEST_PATH,
        Fault::Slow(Duration::from_millis(args.sto_ms)),
        None,
    );
    let (data, anime) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let server = Server::start(&args.bin, &site, data.path(), anime.path()).await;
    let n = args.searches;
    let aniworld = server
        .median_search("query=attack&site=aniworld.to", n)
        .await;
    let sto = server.median_search("query=attack&site=s.to", n).await;
    let both = server.median_search("query=attack", n).await;
    let slower = aniworld.max(sto);
    println!(
        "search, median of {n}: aniworld.to alone {:.0} ms, s.to alone {:.0} ms, both {:.0} ms \
         (both / slower site = {:.2})",
        aniworld.as_secs_f64() * 1000.0,
        sto.as_secs_f64() * 1000.0,
        both.as_secs_f64() * 1000.0,
        both.as_secs_f64() / slower.as_secs_f64()
    );
}

async fn requests_per_run(args: &Args) {
    let episodes: Vec<u32> = (1..=12).collect();
    let mut builder = FakeSite::builder();
    for i in 1..=args.series {
        let mut series = FakeSeries::new(&format!("show-{i}"), &format!("Show {i}")).year(2020);
        for s in 1..=args.seasons {
            series = series.season(s, &episodes);
        }
        builder = builder.sto_series(series);
    }
    let site = builder.spawn().await;
    let anime = tempfile::tempdir().expect("anime dir");
    for i in 1..=args.series {
        let dir = anime.path().join(format!("Show {i} (2020)"));
        std::fs::create_dir_all(&dir).expect("series folder");
        let sidecar = json!({ "key": format!("sto:show-{i}"), "name": format!("Show {i}"),
            "site": "s.to", "link": site.sto_url(&format!("/serie/show-{i}")) });
        std::fs::write(dir.join("aniworld.json"), sidecar.to_string()).expect("sidecar");
    }
    let data = tempfile::tempdir().expect("data dir");
    let server = Server::start(&args.bin, &site, data.path(), anime.path()).await;
    // The start-up scan looks every series up once (all its seasons); let it finish.
    server.job("/api/anime/rescan").await;
    server.job("/api/anime/rescan").await;
    let looked_up: usize = site.sto_request_log().iter().map(|(_, n)| n).sum();

    // A run between two full refreshes: aniworld.to's new-episodes page (read as well) names
    // one series, not in this library.
    site.publish_new_episodes(vec![FeedEntry::new("one-piece", "One Piece", 21, 1100, 1)]);
    site.sto_reset_counts();
    let began = Instant::now();
    server.scheduled_run().await;
    let light: usize = site.sto_request_log().iter().map(|(_, n)| n).sum();
    let light_time = began.elapsed();
    println!(
        "scheduled run, {} s.to series x {} seasons: {light} requests to s.to in {:.2} s \
         (adding them all read {looked_up} pages: a full refresh's worth)",
        args.series,
        args.seasons,
        light_time.as_secs_f64()
    );
    println!(
        "ratio: full / scheduled = {:.1}x the requests",
        looked_up as f64 / light.max(1) as f64
    );
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    search_latency(&args).await;
    requests_per_run(&args).await;
}
