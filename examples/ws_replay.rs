//! Replay figures for `benches/ws_replay.sh`: fills the server's buffer of recent events with
//! `POST /api/queue/start` and `/stop` (each publishes two events: started or stopped, and a
//! `queue_status`), reads the server's `VmRSS` (`--pid`) and `/ws/status`'s `replay_buffer`
//! empty, full, and after `--rounds` more buffers' worth (it must not grow), then reconnects
//! `--runs` times with `since` just below the oldest kept event and times, from the start of
//! the handshake, until the replay's closing `system_info` arrives.
//!
//! ```sh
//! cargo run --profile bench-tools --example ws_replay -- --server http://127.0.0.1:8000 \
//!   --token "$TOKEN" --pid "$SERVER_PID"
//! ```
//!
//! Prints one JSON line.

use std::time::Instant;

use clap::Parser;
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

#[derive(Parser)]
struct Args {
    /// The server's base URL, `http://host:port`.
    #[arg(long)]
    server: String,
    /// A valid access token.
    #[arg(long)]
    token: String,
    /// The server's process id, for its memory.
    #[arg(long)]
    pid: u32,
    /// Buffers' worth of events published after the first one fills.
    #[arg(long, default_value_t = 2)]
    rounds: u32,
    #[arg(long, default_value_t = 5)]
    runs: u32,
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn buffer(client: &reqwest::Client, server: &str) -> Value {
    let status: Value = client
        .get(format!("{server}/ws/status"))
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("JSON status");
    status["replay_buffer"].clone()
}

/// Publishes at least `events` events.
async fn publish(client: &reqwest::Client, args: &Args, events: u64) {
    for i in 0..events.div_ceil(2) {
        let what = if i % 2 == 0 { "start" } else { "stop" };
        let r = client
            .post(format!("{}/api/queue/{what}", args.server))
            .bearer_auth(&args.token)
            .json(&json!({}))
            .send()
            .await
            .expect("command");
        assert!(r.status().is_success(), "{what}: {}", r.status());
    }
}

/// Seconds from the handshake to the end of the replay, and the events replayed.
async fn replay(args: &Args, since: u64) -> (f64, u64) {
    let ws = args.server.replacen("http", "ws", 1);
    let url = format!(
        "{ws}/ws/connect?token={}&since={since}&rooms=downloads",
        args.token
    );
    let started = Instant::now();
    let (mut socket, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("handshake");
    let mut events = 0;
    while let Some(Ok(message)) = socket.next().await {
        let Message::Text(text) = message else {
            continue;
        };
        let m: Value = serde_json::from_str(&text).expect("JSON message");
        if m["seq"].is_u64() {
            events += 1;
        } else if m["type"] == "system_info" && m["data"]["replayed"].is_u64() {
            assert_eq!(
                m["data"]["replayed"], events,
                "every replayed event arrived"
            );
            return (started.elapsed().as_secs_f64(), events);
        } else if m["data"]["missed"] == true {
            panic!("the buffer no longer had since={since}");
        }
    }
    panic!("closed before the replay ended");
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let client = reqwest::Client::new();
    publish(&client, &args, 20).await;
    let empty = (rss_kib(args.pid), buffer(&client, &args.server).await);
    let max = empty.1["max_events"].as_u64().expect("max_events");
    publish(&client, &args, max).await;
    let full = (rss_kib(args.pid), buffer(&client, &args.server).await);
    publish(&client, &args, max * u64::from(args.rounds)).await;
    let after = (rss_kib(args.pid), buffer(&client, &args.server).await);

    let mut runs = Vec::new();
    for _ in 0..args.runs {
        let since = after.1["oldest_seq"].as_u64().expect("oldest_seq") - 1;
        runs.push(replay(&args, since).await);
    }
    let mut rates: Vec<f64> = runs.iter().map(|(s, n)| *n as f64 / s).collect();
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!(
        "{}",
        json!({
            "buffer_empty": empty.1,
            "buffer_full": full.1,
            "buffer_after_more": after.1,
            "rss_kib_empty": empty.0,
            "rss_kib_full": full.0,
            "rss_kib_after_more": after.0,
            "rss_growth_kib_to_full": full.0 as i64 - empty.0 as i64,
            "replays": runs.iter().map(|(s, n)| json!({ "secs": s, "events": n })).collect::<Vec<_>>(),
            "events_per_sec_median": median.round(),
            "events_per_sec_best": rates.last().map(|r| r.round()),
        })
    );
}
