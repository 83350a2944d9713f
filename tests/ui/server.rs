//! The server under test: the release binary as a child process on a free loopback port,
//! with its own temp data and anime dirs. `ANIWORLD_UI_SERVER` names another binary (e.g. a
//! debug build while working on the UI); otherwise the release binary is built first
//! (`cargo build --release`, a no-op when it is up to date).

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

/// A running server.
pub struct Server {
    pub base: String,
    pub anime_dir: TempDir,
    pub data_dir: TempDir,
    _child: Child,
}

/// The binary the tests run: `ANIWORLD_UI_SERVER`, or the release build.
pub fn server_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Some(path) = std::env::var_os("ANIWORLD_UI_SERVER") {
            return PathBuf::from(path);
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args(["build", "--release", "--bin", "aniworld"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build --release failed");
        // <target>/debug/aniworld → <target>/release/aniworld
        let debug = PathBuf::from(env!("CARGO_BIN_EXE_aniworld"));
        let target = debug.parent().and_then(|p| p.parent()).expect("target dir");
        target.join("release").join("aniworld")
    })
}

/// Starts the server against the catalogue at `provider_url` (s.to left at its default).
pub async fn spawn_server(provider_url: &str) -> Server {
    spawn_server_with_sto(provider_url, None).await
}

/// Starts the server against the catalogue at `provider_url` and, with `sto_url`, the second
/// site s.to at that base (`--sto-url`; s.to stays off until `provider.sto_enabled` is set).
pub async fn spawn_server_with_sto(provider_url: &str, sto_url: Option<&str>) -> Server {
    let data_dir = tempfile::tempdir().expect("temp data dir");
    let anime_dir = tempfile::tempdir().expect("temp anime dir");
    // The server's output, for reading after a failure; removed with the data dir.
    let log = data_dir.path().join("server.log");
    println!("server log: {}", log.display());
    let mut command = Command::new(server_binary());
    command
        .arg("serve")
        .args(["--host", "127.0.0.1", "--port", "0"])
        .arg("--data-dir")
        .arg(data_dir.path())
        .args(["--provider-url", provider_url]);
    if let Some(url) = sto_url {
        command.args(["--sto-url", url]);
    }
    let mut child = command
        // One browser driven at machine speed through every page at two sizes makes more
        // API calls a minute than the default 60 per client address allows; the limit itself
        // is tested in tests/api/limits.rs.
        .args(["--rate-limit", "600"])
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the server binary starts");
    // the log goes to stderr
    let stderr = child.stderr.take().expect("piped stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut file = tokio::fs::File::create(&log).await.expect("log file");
    let started = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.expect("server output") {
            let line = strip_ansi(&line);
            file.write_all(format!("{line}\n").as_bytes()).await.ok();
            if let Some(at) = line.find("listening on http://") {
                return Some(line[at + "listening on ".len()..].trim().to_owned());
            }
        }
        None
    })
    .await;
    let base = match started {
        Ok(Some(base)) => base,
        other => panic!("the server did not say where it listens: {other:?}"),
    };
    // Keep draining the output into the log, so the server never blocks on a full pipe.
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            let _ = file
                .write_all(format!("{}\n", strip_ansi(&line)).as_bytes())
                .await;
        }
    });
    Server {
        base,
        anime_dir,
        data_dir,
        _child: child,
    }
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Server {
    /// The absolute URL of a path on the server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}
