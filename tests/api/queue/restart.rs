//! Crash safety with the real binary: SIGKILL mid-download, start again on the same data
//! dir, and the download resumes from its partial file to a byte-exact file; SIGTERM stops
//! within the contract's 10 seconds with the download's place kept.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::PASSWORD;
use crate::support::eventually::eventually;
use crate::support::fake_site::{FakeHoster, FakeLink, FakeMedia, FakeSite};
use crate::support::process::{ServerProcess, spawn_server};

/// The release or debug binary cargo built for these tests.
const BINARY: &str = env!("CARGO_BIN_EXE_aniworld");

pub(super) type Process = ServerProcess;

pub(super) fn spawn(data: &Path, anime: &Path, provider: &str) -> Process {
    spawn_server(BINARY, data, anime, provider)
}

async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = client.request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.expect("request sent")
}

pub(super) async fn login(client: &reqwest::Client, base: &str) -> String {
    let r = call(
        client,
        reqwest::Method::POST,
        format!("{base}/api/auth/login"),
        None,
        Some(json!({ "password": PASSWORD })),
    )
    .await;
    assert_eq!(r.status(), 200);
    r.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(super) async fn item_status(client: &reqwest::Client, base: &str, token: &str) -> Value {
    let r = call(
        client,
        reqwest::Method::GET,
        format!("{base}/api/queue/status"),
        Some(token),
        None,
    )
    .await;
    let s: Value = r.json().await.unwrap();
    super::all_items(&s)
        .into_iter()
        .next()
        .unwrap_or(Value::Null)
}

/// A site with one series whose only episode is a slow MP4 of `size` bytes.
pub(super) async fn slow_site(size: u64) -> (FakeSite, u64) {
    let link = FakeLink::new(FakeHoster::Vidoza, 1).media(FakeMedia::Mp4 { size });
    super::one_episode_site(link).await
}

/// Sets up the server, queues the episode and starts the queue.
pub(super) async fn queue_one(client: &reqwest::Client, base: &str, site: &FakeSite) -> String {
    let r = call(
        client,
        reqwest::Method::POST,
        format!("{base}/api/auth/setup"),
        None,
        Some(json!({ "master_password": PASSWORD })),
    )
    .await;
    assert_eq!(r.status(), 201);
    let token = login(client, base).await;
    let link = site.url("/anime/stream/dr-stone");
    let r = call(
        client,
        reqwest::Method::POST,
        format!("{base}/api/anime/add"),
        Some(&token),
        Some(json!({ "link": link })),
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = call(
        client,
        reqwest::Method::PUT,
        format!("{base}/api/config"),
        Some(&token),
        Some(json!({ "downloads": { "preferred_hosters": ["Vidoza"] } })),
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = call(
        client,
        reqwest::Method::POST,
        format!("{base}/api/queue/add"),
        Some(&token),
        Some(json!({ "serie_id": "dr-stone", "episodes": [{ "season": 1, "episode": 1 }] })),
    )
    .await;
    assert_eq!(r.status(), 201);
    let r = call(
        client,
        reqwest::Method::POST,
        format!("{base}/api/queue/start"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    token
}

/// The item once completed (it must never fail on the way), within a minute.
pub async fn completed(client: &reqwest::Client, base: &str, token: &str, what: &str) -> Value {
    eventually(Duration::from_secs(60), what, async || {
        let item = item_status(client, base, token).await;
        assert_ne!(item["status"], "failed", "{item}");
        if item["status"] == "completed" {
            Ok(item)
        } else {
            Err(item)
        }
    })
    .await
}

/// Waits until the item's checkpoint has passed `bytes` (the partial file holds them).
async fn wait_for_bytes(client: &reqwest::Client, base: &str, token: &str, bytes: f64) {
    eventually(Duration::from_secs(30), "no progress", async || {
        let item = item_status(client, base, token).await;
        let downloaded = item["progress"]["downloaded_mb"].as_f64().unwrap_or(0.0);
        if downloaded * 1024.0 * 1024.0 >= bytes {
            Ok(())
        } else {
            Err(item)
        }
    })
    .await;
}

#[tokio::test]
async fn a_download_killed_mid_way_resumes_after_a_restart_to_a_byte_exact_file() {
    let size = 3 * 1024 * 1024;
    let (site, link_id) = slow_site(size).await;
    site.throttle_media(link_id, 512 * 1024);
    let (data, anime) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let client = reqwest::Client::new();
    let mut server = spawn(data.path(), anime.path(), site.base_url());
    let token = queue_one(&client, &server.base, &site).await;
    // Past the first checkpoints (they come about once a second).
    wait_for_bytes(&client, &server.base, &token, 1.5 * 1024.0 * 1024.0).await;
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    site.unthrottle_media(link_id);

    let mut again = spawn(data.path(), anime.path(), site.base_url());
    let token = login(&client, &again.base).await;
    let done = completed(
        &client,
        &again.base,
        &token,
        "not completed after the restart",
    )
    .await;
    let path = anime.path().join(done["file"].as_str().unwrap());
    let link = site.links("dr-stone", 1, 1).remove(0);
    assert!(
        std::fs::read(path).unwrap() == link.expected_bytes(),
        "byte-exact after the crash"
    );
    let media = format!("/media/{link_id}/video.mp4");
    let headers = site.last_headers(&media).unwrap();
    let range = headers
        .iter()
        .find(|(k, _)| k == "range")
        .map(|(_, v)| v.clone());
    let resumed_at: u64 = range
        .expect("the restart resumed with a Range request")
        .trim_start_matches("bytes=")
        .trim_end_matches('-')
        .parse()
        .unwrap();
    assert!(
        resumed_at >= 512 * 1024,
        "resumed from the partial file, at {resumed_at}"
    );
    again.child.kill().unwrap();
    let _ = again.child.wait();
}

#[tokio::test]
async fn sigterm_stops_a_running_download_within_ten_seconds_and_keeps_its_place() {
    let (site, link_id) = slow_site(8 * 1024 * 1024).await;
    site.throttle_media(link_id, 256 * 1024);
    let (data, anime) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let client = reqwest::Client::new();
    let mut server = spawn(data.path(), anime.path(), site.base_url());
    let token = queue_one(&client, &server.base, &site).await;
    wait_for_bytes(&client, &server.base, &token, 300.0 * 1024.0).await;
    let stopping = Instant::now();
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "exit code 0, got {exit}");
    assert!(
        stopping.elapsed() < Duration::from_secs(10),
        "stopped in {:?}",
        stopping.elapsed()
    );
    let parts = super::walk(anime.path());
    assert!(
        parts
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "part")),
        "the partial file is kept: {parts:?}"
    );
}
