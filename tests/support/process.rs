//! The server binary as a child process on loopback, as a user starts it: a free port, the
//! given data and anime dirs and catalogue URL, no rate limit. Its URL is read from the log
//! line "listening on http://…" on standard error.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A server process and the URL it listens on.
pub struct ServerProcess {
    pub child: Child,
    pub base: String,
    /// Every line it wrote to standard error so far.
    pub log: Arc<Mutex<Vec<String>>>,
}

/// Starts `binary` and waits (30 s at most) until it says where it listens.
pub fn spawn_server(binary: &str, data: &Path, anime: &Path, provider: &str) -> ServerProcess {
    spawn_server_logging(binary, data, anime, provider, "info")
}

/// As [`spawn_server`], logging at `level` (a `RUST_LOG` filter).
pub fn spawn_server_logging(
    binary: &str,
    data: &Path,
    anime: &Path,
    provider: &str,
    level: &str,
) -> ServerProcess {
    spawn_server_with(binary, data, anime, provider, level, &[])
}

/// As [`spawn_server_logging`], with more arguments (`--sto-url <base>`).
pub fn spawn_server_with(
    binary: &str,
    data: &Path,
    anime: &Path,
    provider: &str,
    level: &str,
    more: &[&str],
) -> ServerProcess {
    spawn_command(server_command(binary, data, anime, provider, more), level)
}

/// The command line [`spawn_server_with`] starts, for a caller that adds to it (its
/// environment) before [`spawn_command`].
pub fn server_command(
    binary: &str,
    data: &Path,
    anime: &Path,
    provider: &str,
    more: &[&str],
) -> Command {
    let mut command = Command::new(binary);
    command
        .args(["serve", "--port", "0", "--rate-limit", "0"])
        .args(more)
        .arg("--data-dir")
        .arg(data)
        .arg("--anime-dir")
        .arg(anime)
        .args(["--provider-url", provider]);
    command
}

/// Starts a prepared command line of the server binary (flags in any order) and waits (30 s at
/// most) until it says where it listens.
pub fn spawn_command(mut command: Command, level: &str) -> ServerProcess {
    let mut child = command
        .env("RUST_LOG", level)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    let stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    let log = Arc::new(Mutex::new(Vec::new()));
    let lines = log.clone();
    // Reads the log to its end, so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            lines.lock().expect("log poisoned").push(line.clone());
            if let Some(at) = line.find("listening on http://") {
                let url: String = line[at + "listening on ".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || ":/.".contains(*c))
                    .collect();
                let _ = tx.send(url);
            }
        }
    });
    let base = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the server logs its URL");
    ServerProcess { child, base, log }
}

impl ServerProcess {
    /// Sets the master password (`POST /api/auth/setup`), asserting the 201.
    pub async fn setup(&self, password: &str) {
        let r = reqwest::Client::new()
            .post(format!("{}/api/auth/setup", self.base))
            .json(&serde_json::json!({ "master_password": password }))
            .send()
            .await
            .expect("setup answers");
        assert_eq!(r.status(), 201, "setup");
    }

    /// A session token for `password` (`POST /api/auth/login`).
    pub async fn login(&self, password: &str) -> String {
        let login: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/api/auth/login", self.base))
            .json(&serde_json::json!({ "password": password }))
            .send()
            .await
            .expect("login answers")
            .json()
            .await
            .expect("login's JSON");
        login["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {login}"))
            .to_owned()
    }
}
