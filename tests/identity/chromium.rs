//! Headless Chromium (Debian's `chromium` and `chromium-driver`), as `tests/ui/browser.rs`
//! starts it: the flags a closed network needs and a fresh profile. Two ways in: a plain child
//! process pointed at one URL (enough for a ClientHello) and a chromedriver session through
//! fantoccini (to click a link). The paths, flags, chromedriver and the skip rule are
//! `tests/support/chromium.rs`, shared with the UI tests.

use std::path::Path;
use std::process::Stdio;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use tempfile::TempDir;
use tokio::process::{Child, Command};

use crate::PATIENCE;

pub use crate::support::chromium::{CHROMIUM, available};
use crate::support::chromium::{FLAGS, chromedriver};

/// The flags every Chromium here gets, German first, with the profile dir.
fn flags(profile: &Path) -> Vec<String> {
    FLAGS
        .into_iter()
        .chain(["--lang=de-DE"])
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

/// Starts chromedriver and a headless Chromium with German as its accept-language.
pub async fn session() -> Session {
    let (driver, port) = chromedriver(PATIENCE).await;
    let profile = tempfile::tempdir().expect("profile dir");
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
