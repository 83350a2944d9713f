//! Headless Chromium (Debian's `chromium` and `chromium-driver`), as `tests/ui/browser.rs`
//! starts it: the flags a closed network needs and a fresh profile. Two ways in: a plain child
//! process pointed at one URL (enough for a ClientHello) and a chromedriver session through
//! fantoccini (to click a link). Also the skip rule when Chromium is missing.

use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use tempfile::TempDir;
use tokio::process::{Child, Command};

use crate::PATIENCE;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether Chromium and chromedriver are here. When not, prints one line saying what `test`
/// skips and returns false, or fails when `CI=true`.
pub fn available(test: &str) -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test}: {missing:?} missing (CI=true): apt-get install -y chromium chromium-driver"
    );
    println!(
        "skipping {test}: {} missing; to run it: apt-get install -y chromium chromium-driver",
        missing.join(" and ")
    );
    false
}

/// The flags every Chromium here gets, with the profile dir.
fn flags(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--lang=de-DE",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

/// A Chromium child process; killed when dropped.
pub struct Process {
    _child: Child,
    _profile: TempDir,
}

/// Starts Chromium on `url` with `localhost` mapped to 127.0.0.1 and certificate errors
/// ignored; the caller awaits what it wants (a recorded hello), then drops it.
pub fn open_url(url: &str) -> Process {
    let profile = tempfile::tempdir().expect("profile dir");
    let child = Command::new(CHROMIUM)
        .args(flags(profile.path()))
        .arg("--host-resolver-rules=MAP localhost 127.0.0.1")
        .arg("--ignore-certificate-errors")
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromium starts");
    Process {
        _child: child,
        _profile: profile,
    }
}

/// A chromedriver session; chromedriver (and its Chromium) end when it drops.
pub struct Session {
    pub client: Client,
    _driver: Child,
    _profile: TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts chromedriver and a headless Chromium with German as its accept-language.
pub async fn session() -> Session {
    let port = free_port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().expect("profile dir");
    let deadline = Instant::now() + PATIENCE;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "chromedriver did not listen");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": flags(profile.path()),
            "prefs": { "intl": { "accept_languages": "de-DE,de" } },
        }),
    );
    let client = ClientBuilder::rustls()
        .expect("rustls client")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");
    Session {
        client,
        _driver: driver,
        _profile: profile,
    }
}
