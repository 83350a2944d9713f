//! Headless Chromium for the browser tests (`tests/ui`) and the identity tests
//! (`tests/identity`): where Debian puts it, the flags a closed network needs, the skip rule
//! when it is missing, and chromedriver started on a free port.

use std::process::Stdio;
use std::time::Duration;

use crate::support::eventually::eventually;
use tokio::process::{Child, Command};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Every Chromium here gets these. The network is closed: without the background flags
/// Chromium waits on fetches of its own.
pub const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

/// Whether this machine can run a browser test; if not, says so in one line and the test
/// returns (see `needs`; `CI=true` fails instead).
pub fn available() -> bool {
    let present = [CHROMIUM, CHROMEDRIVER]
        .iter()
        .all(|p| std::path::Path::new(p).exists());
    super::needs::needs(
        present,
        "chromium and chromium-driver",
        "apt-get install -y chromium chromium-driver",
    )
}

/// chromedriver on a free port, once it listens (within `patience`); it ends when dropped.
pub async fn chromedriver(patience: Duration) -> (Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts (apt-get install chromium chromium-driver)");
    let listening = async || tokio::net::TcpStream::connect(("127.0.0.1", port)).await;
    eventually(patience, "chromedriver did not listen", listening).await;
    (driver, port)
}
