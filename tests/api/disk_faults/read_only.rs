//! The data dir's file system turns read-only while the server runs.
//!
//! The simulation: the data dir is an ext4 file system in a loop device, and
//! `mount -o remount,abort` makes the kernel do what it does when ext4 meets an error with
//! `errors=remount-ro` (the usual way a data disk "turns read-only"): the journal is
//! aborted and every write fails with EROFS at once, through files already open too (the
//! redb file), not only new opens and renames. Reads go on. Checked on this machine: a plain
//! `mount -o remount,ro` is refused (EBUSY) while the server holds the database open for
//! writing, a read-only bind mount over the folder leaves open files writable, and
//! `blockdev --setro` only warns once the file system is mounted; there is no device mapper.
//! Repair is what an administrator does: stop the server, unmount, `e2fsck`, mount again, and
//! start it (redb refuses every call after a failed write until it is opened again).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_error};
use crate::support::eventually::eventually;
use crate::support::fake_site::{FakeHoster, FakeLink, FakeMedia, FakeSeries, FakeSite};
use crate::support::mounts::Ext4;
use crate::support::process::{ServerProcess, spawn_server};

const BINARY: &str = env!("CARGO_BIN_EXE_aniworld");
const MIB: u64 = 1024 * 1024;

/// The server binary, killed when the test ends however it ends.
struct Server(ServerProcess);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.child.kill();
        let _ = self.0.child.wait();
    }
}

/// Requests to one server with the session's token.
struct Api {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Api {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request sent")
    }

    async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let r = self.call(method, path, body).await;
        let status = r.status();
        let text = r.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn login(base: &str) -> Self {
        let mut api = Self {
            http: reqwest::Client::new(),
            base: base.to_owned(),
            token: None,
        };
        let body = json!({ "password": PASSWORD });
        let session = api.ok(Method::POST, "/api/auth/login", Some(body)).await;
        api.token = Some(session["access_token"].as_str().unwrap().to_owned());
        api
    }

    /// The queue's items, whatever their section.
    async fn items(&self) -> (Value, Vec<Value>) {
        let s = self.ok(Method::GET, "/api/queue/status", None).await;
        (s.clone(), crate::queue::all_items(&s))
    }

    /// Polls the queue until `done` holds for its status and items (30 s at most).
    async fn wait(&self, what: &str, done: impl Fn(&Value, &[Value]) -> bool) -> Vec<Value> {
        let what = format!("timed out waiting for {what}");
        eventually(Duration::from_secs(30), &what, async || {
            let (s, items) = self.items().await;
            if done(&s, &items) { Ok(items) } else { Err(s) }
        })
        .await
    }
}

/// Dr. Stone with two episodes: S01E01 a slow 4 MiB MP4, S01E02 a small one.
async fn site() -> (FakeSite, u64) {
    let mut series = FakeSeries::new("dr-stone", "Dr. Stone")
        .year(2019)
        .season(1, &[1, 2]);
    series.episode_mut(1, 1).unwrap().links =
        vec![FakeLink::new(FakeHoster::Vidoza, 1).media(FakeMedia::Mp4 { size: 4 * MIB })];
    let site = FakeSite::builder().series(series).spawn().await;
    let id = site.links("dr-stone", 1, 1)[0].link.id;
    site.throttle_media(id, 512 * 1024);
    (site, id)
}

fn episode(n: u32) -> Value {
    json!({ "serie_id": "dr-stone", "episodes": [{ "season": 1, "episode": n }] })
}

/// Starts the server on `data`, sets it up and starts downloading S01E01.
async fn downloading(data: &Path, anime: &Path, site: &FakeSite) -> (Server, Api) {
    let server = Server(spawn_server(BINARY, data, anime, site.base_url()));
    let setup = json!({ "master_password": PASSWORD });
    let r = reqwest::Client::new()
        .post(format!("{}/api/auth/setup", server.0.base))
        .json(&setup)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let api = Api::login(&server.0.base).await;
    let link = json!({ "link": site.url("/anime/stream/dr-stone") });
    api.ok(Method::POST, "/api/anime/add", Some(link)).await;
    let hosters = json!({ "downloads": { "preferred_hosters": ["Vidoza"] } });
    api.ok(Method::PUT, "/api/config", Some(hosters)).await;
    api.ok(Method::POST, "/api/queue/add", Some(episode(1)))
        .await;
    api.ok(Method::POST, "/api/queue/start", Some(json!({})))
        .await;
    // Past the first checkpoints (they come about once a second).
    api.wait("1.5 MiB downloaded", |_, items| {
        items
            .first()
            .is_some_and(|i| i["progress"]["downloaded_mb"].as_f64().unwrap_or(0.0) >= 1.5)
    })
    .await;
    (server, api)
}

#[tokio::test]
async fn a_data_dir_turning_read_only_refuses_writes_with_503_keeps_reads_stops_the_queue_and_loses_nothing()
 {
    if !super::root() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let anime = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let mut disk = Ext4::mount(&root.path().join("data.img"), &data, 32);
    let (site, link_id) = site().await;
    let (mut server, api) = downloading(&data, anime.path(), &site).await;
    let config_file = std::fs::read(data.join("config.json")).unwrap();
    let config = api.ok(Method::GET, "/api/config", None).await;

    disk.turn_read_only();
    let logged = server.0.log.lock().unwrap().len();
    let patch = json!({ "scheduler": { "interval_minutes": 77 } });
    let r = api.call(Method::PUT, "/api/config", Some(patch)).await;
    let body = assert_error(r, 503, "STORAGE_ERROR").await;
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("{}", data.join("config.json").display())),
        "{message}"
    );
    assert!(message.contains("Read-only file system"), "{message}");
    assert!(
        std::fs::read(data.join("config.json")).unwrap() == config_file,
        "file unchanged"
    );
    assert_eq!(
        api.ok(Method::GET, "/api/config", None).await,
        config,
        "config in force unchanged"
    );
    let r = api
        .call(Method::POST, "/api/queue/add", Some(episode(2)))
        .await;
    let body = assert_error(r, 503, "STORAGE_ERROR").await;
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("aniworld.redb"), "{message}");
    assert!(message.contains("Read-only file system"), "{message}");

    // Reads go on.
    assert_eq!(api.call(Method::GET, "/health", None).await.status(), 200);
    let list = api.ok(Method::GET, "/api/anime", None).await;
    assert!(list.to_string().contains("dr-stone"), "{list}");
    let health = api.ok(Method::GET, "/health/detailed", None).await;
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(
        health["dependencies"]["database"]["status"], "unhealthy",
        "{health}"
    );
    assert_eq!(
        health["dependencies"]["filesystem"]["data_dir_writable"],
        false
    );
    // The download stops at its next checkpoint instead of going on unrecorded, and the
    // queue takes nothing more: it does not start the item again and again.
    let items = api
        .wait("the queue stopped", |s, items| {
            s["status"]["is_running"] == false
                && items.len() == 1
                && items[0]["status"] == "pending"
        })
        .await;
    assert_eq!(items[0]["episode"]["episode"], 1, "{items:?}");

    let stopping = Instant::now();
    let pid = server.0.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let exit = server.0.child.wait().unwrap();
    assert!(
        stopping.elapsed() < Duration::from_secs(10),
        "{:?}",
        stopping.elapsed()
    );
    assert!(
        exit.success(),
        "exit code 0 on a read-only disk, got {exit}"
    );

    // A few lines say what failed; a queue starting its item again and again would write
    // one for every attempt.
    let log = server.0.log.lock().unwrap()[logged..].to_vec();
    let complaints = log
        .iter()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
        .count();
    assert!(
        complaints < 20,
        "{complaints} warnings and errors: {log:#?}"
    );
    // The repair needs every file on the disk closed: the server let go of everything.
    disk.repair();
    assert!(std::fs::read(data.join("config.json")).unwrap() == config_file);
    site.unthrottle_media(link_id);
    let _again = Server(spawn_server(BINARY, &data, anime.path(), site.base_url()));
    let api = Api::login(&_again.0.base).await;
    assert_eq!(api.ok(Method::GET, "/api/config", None).await, config);
    let items = api
        .wait("the download completed", |_, items| {
            items.iter().any(|i| i["status"] == "completed")
        })
        .await;
    assert_eq!(items.len(), 1, "S01E01 kept, S01E02 never added: {items:?}");
    let file = anime.path().join(items[0]["file"].as_str().unwrap());
    let expected = site.links("dr-stone", 1, 1).remove(0).expected_bytes();
    assert!(std::fs::read(file).unwrap() == expected, "byte-exact");
    let media = format!("/media/{link_id}/video.mp4");
    let range = site
        .last_headers(&media)
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == "range");
    assert!(
        range.is_some(),
        "resumed from the partial file with a Range request"
    );
    let patch = json!({ "scheduler": { "interval_minutes": 77 } });
    api.ok(Method::PUT, "/api/config", Some(patch)).await;
}
