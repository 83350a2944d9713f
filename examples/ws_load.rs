//! WebSocket fan-out load for `benches/ws_fanout.sh`: opens `--clients` connections to
//! `/ws/connect?token=<jwt>`, has each join the `downloads` room, then publishes events by
//! sending `--rate` `POST /api/queue/reorder` a second for `--secs` seconds (alternating the
//! order of the `--items`; each reorder publishes exactly one `queue_status`), and counts
//! the `queue_status` messages every client receives.
//!
//! ```sh
//! cargo run --profile bench-tools --example ws_load -- --server http://127.0.0.1:8000 \
//!   --token "$TOKEN" --items "$ID1,$ID2" --pid "$SERVER_PID"
//! ```
//!
//! Prints one JSON line: events published (reorders answered 200), messages expected
//! (events × clients) and received, the delivery ratio, `dropped` counts the server reported
//! in `system_info` notices, delivery latency (receive time − the event's `timestamp`) and the
//! CPU time of the server (`--pid`, utime + stime from `/proc/<pid>/stat`) and of this
//! process over the publishing window, as % of one core, and the server's `VmRSS` at the end
//! of the window (every client still connected).
//!
//! With `--listen` (`benches/soak.sh`) it publishes nothing: the clients count every message
//! the server sends them for `--secs` seconds (by type; latency from each event's
//! `timestamp`), and the summary adds the connections that ended before the window did
//! (`disconnects`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

#[derive(Parser)]
struct Args {
    /// The server's base URL, `http://host:port`.
    #[arg(long)]
    server: String,
    /// A valid access token.
    #[arg(long)]
    token: String,
    /// Pending queue item ids to reorder, comma-separated (at least two unless `--listen`).
    #[arg(long, value_delimiter = ',')]
    items: Vec<String>,
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Events (reorders) per second.
    #[arg(long, default_value_t = 10)]
    rate: u32,
    #[arg(long, default_value_t = 60)]
    secs: u32,
    /// The server's process id, for its CPU time.
    #[arg(long)]
    pid: Option<u32>,
    /// Connections being opened at once.
    #[arg(long, default_value_t = 50)]
    connect_concurrency: usize,
    /// How long after the last event the clients keep reading.
    #[arg(long, default_value_t = 3)]
    grace_secs: u64,
    /// Publish nothing; count every message received during `--secs` seconds.
    #[arg(long)]
    listen: bool,
}

/// What every client adds to.
struct Tally {
    counting: AtomicBool,
    ready: AtomicUsize,
    failed: AtomicUsize,
    received: AtomicU64,
    dropped: AtomicU64,
    /// Joined connections that ended before `stop`.
    disconnected: AtomicUsize,
    /// Messages counted, by type.
    by_type: Mutex<BTreeMap<String, u64>>,
    /// Delivery latency in ms, one bucket per ms up to 10 s (the last holds the rest).
    latency: Vec<AtomicU64>,
}

impl Tally {
    fn percentile(&self, p: f64) -> Option<usize> {
        let counts: Vec<u64> = self
            .latency
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .collect();
        let total: u64 = counts.iter().sum();
        if total == 0 {
            return None;
        }
        let want = ((total as f64) * p).ceil().max(1.0) as u64;
        let mut seen = 0;
        counts.iter().position(|&c| {
            seen += c;
            seen >= want
        })
    }
}

/// utime + stime of a process, in clock ticks (USER_HZ, 100 a second on Linux).
fn cpu_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Fields after the command name start at field 3 (state); utime is 14, stime 15.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// The resident set of a process in MiB (`VmRSS`).
fn rss_mib(pid: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kib / 1024.0 * 10.0).round() / 10.0)
}

/// One client: connect, join, then count `queue_status` messages (every message when
/// `listen`) until `stop`.
async fn client(
    url: String,
    tally: Arc<Tally>,
    gate: Arc<Semaphore>,
    stop: CancellationToken,
    listen: bool,
) {
    // Held until the client has joined, so only so many connections are being opened at once.
    let mut permit = Some(gate.acquire_owned().await.expect("the gate stays open"));
    let Ok((socket, _)) = tokio_tungstenite::connect_async(url.as_str()).await else {
        tally.failed.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let (mut sink, mut stream) = socket.split();
    let join = json!({"action": "join", "data": {"room": "downloads"}}).to_string();
    if sink.send(Message::text(join)).await.is_err() {
        tally.failed.fetch_add(1, Ordering::Relaxed);
        return;
    }
    let mut joined = false;
    loop {
        let next = tokio::select! {
            () = stop.cancelled() => break,
            next = stream.next() => next,
        };
        let Some(Ok(message)) = next else {
            if joined {
                tally.disconnected.fetch_add(1, Ordering::Relaxed);
            }
            break;
        };
        let Message::Text(text) = message else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<Value>(text.as_str()) else {
            continue;
        };
        let kind = value["type"].as_str().unwrap_or_default();
        if kind == "system_info" {
            if !joined && value["data"]["room"] == "downloads" {
                joined = true;
                tally.ready.fetch_add(1, Ordering::SeqCst);
                permit.take();
                continue;
            }
            if let Some(n) = value["data"]["dropped"].as_u64() {
                tally.dropped.fetch_add(n, Ordering::Relaxed);
            }
        }
        let counted = listen || kind == "queue_status";
        if !counted || !tally.counting.load(Ordering::SeqCst) {
            continue;
        }
        tally.received.fetch_add(1, Ordering::Relaxed);
        if listen {
            let mut by_type = tally.by_type.lock().expect("not poisoned");
            *by_type.entry(kind.to_owned()).or_default() += 1;
        }
        let at = value["timestamp"]
            .as_str()
            .and_then(|t| t.parse::<DateTime<Utc>>().ok());
        if let Some(at) = at {
            let ms = (Utc::now() - at).num_milliseconds().clamp(0, 10_000) as usize;
            tally.latency[ms].fetch_add(1, Ordering::Relaxed);
        }
    }
    let _ = sink.close().await;
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    assert!(
        args.listen || args.items.len() >= 2,
        "--items needs at least two ids"
    );
    let ws = format!(
        "{}/ws/connect?token={}",
        args.server.replacen("http", "ws", 1),
        args.token
    );
    let tally = Arc::new(Tally {
        counting: AtomicBool::new(false),
        ready: AtomicUsize::new(0),
        failed: AtomicUsize::new(0),
        received: AtomicU64::new(0),
        dropped: AtomicU64::new(0),
        disconnected: AtomicUsize::new(0),
        by_type: Mutex::new(BTreeMap::new()),
        latency: (0..=10_000).map(|_| AtomicU64::new(0)).collect(),
    });
    let stop = CancellationToken::new();
    let gate = Arc::new(Semaphore::new(args.connect_concurrency));
    let connect_start = Instant::now();
    let clients: Vec<_> = (0..args.clients)
        .map(|_| {
            tokio::spawn(client(
                ws.clone(),
                Arc::clone(&tally),
                Arc::clone(&gate),
                stop.clone(),
                args.listen,
            ))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while tally.ready.load(Ordering::SeqCst) + tally.failed.load(Ordering::SeqCst) < args.clients
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let connect_secs = connect_start.elapsed().as_secs_f64();
    let ready = tally.ready.load(Ordering::SeqCst);
    // Let the last joins settle before anything is counted.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let http = reqwest::Client::new();
    let reorder_url = format!("{}/api/queue/reorder", args.server);
    let pid = args.pid.map(|p| p.to_string());
    let server_before = pid.as_deref().and_then(cpu_ticks);
    let own_before = cpu_ticks("self");
    tally.counting.store(true, Ordering::SeqCst);
    let started = Instant::now();
    let mut requests = Vec::new();
    if args.listen {
        tokio::time::sleep(Duration::from_secs(args.secs.into())).await;
    }
    let rate = if args.listen { 0 } else { args.rate };
    let mut tick = tokio::time::interval(Duration::from_secs(1) / rate.max(1));
    for n in 0..rate * args.secs {
        tick.tick().await;
        let mut ids = args.items.clone();
        if n % 2 == 1 {
            ids.reverse();
        }
        let request = http
            .post(&reorder_url)
            .bearer_auth(&args.token)
            .json(&json!({ "item_ids": ids }))
            .send();
        requests.push(tokio::spawn(async move {
            let t0 = Instant::now();
            let ok = matches!(request.await, Ok(r) if r.status().is_success());
            (ok, t0.elapsed())
        }));
    }
    let mut published = 0u64;
    let mut slowest = Duration::ZERO;
    for request in requests {
        if let Ok((ok, took)) = request.await {
            published += u64::from(ok);
            slowest = slowest.max(took);
        }
    }
    let window = started.elapsed().as_secs_f64();
    let server_after = pid.as_deref().and_then(cpu_ticks);
    let own_after = cpu_ticks("self");
    let server_rss = pid.as_deref().and_then(rss_mib);
    tokio::time::sleep(Duration::from_secs(args.grace_secs)).await;
    stop.cancel();
    for c in clients {
        let _ = c.await;
    }

    let received = tally.received.load(Ordering::Relaxed);
    let expected = published * ready as u64;
    let percent = |before: Option<u64>, after: Option<u64>| {
        before
            .zip(after)
            .map(|(b, a)| (a - b) as f64 / 100.0 / window * 100.0)
    };
    let summary = json!({
        "clients": args.clients,
        "joined": ready,
        "connect_failed": tally.failed.load(Ordering::Relaxed),
        "connect_secs": (connect_secs * 100.0).round() / 100.0,
        "window_secs": (window * 100.0).round() / 100.0,
        "events_published": published,
        "events_per_sec": (published as f64 / window * 10.0).round() / 10.0,
        "slowest_reorder_ms": slowest.as_millis() as u64,
        "messages_expected": expected,
        "messages_received": received,
        "delivery_ratio": if expected == 0 { 0.0 } else { received as f64 / expected as f64 },
        "dropped_reported": tally.dropped.load(Ordering::Relaxed),
        "disconnects": tally.disconnected.load(Ordering::Relaxed),
        "messages_by_type": *tally.by_type.lock().expect("not poisoned"),
        "latency_ms_p50": tally.percentile(0.50),
        "latency_ms_p99": tally.percentile(0.99),
        "latency_ms_max": tally.percentile(1.0),
        "server_cpu_percent_of_one_core": percent(server_before, server_after),
        "load_client_cpu_percent_of_one_core": percent(own_before, own_after),
        "server_rss_mib_connected": server_rss,
    });
    println!("{summary}");
}
