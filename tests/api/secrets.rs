//! No secret in the logs (issue 11): a whole session against the real binary, logging at
//! DEBUG to standard error and to a log file, with a login, a wrong password, calls with
//! the token (in a header and in the WebSocket URL) and a logout. Neither log holds the
//! password, the wrong one or the token.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;

use crate::helpers::PASSWORD;
use crate::support::fake_site::FakeSite;
use crate::support::process::spawn_server_logging;

const WRONG: &str = "Wr0ng!Passw0rd-xyz";

#[tokio::test]
async fn a_full_session_logs_neither_the_password_nor_the_token() {
    let site = FakeSite::standard().await;
    let (data, anime) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut server = spawn_server_logging(
        env!("CARGO_BIN_EXE_aniworld"),
        data.path(),
        anime.path(),
        site.base_url(),
        "debug",
    );
    let base = server.base.clone();
    let client = reqwest::Client::new();
    server.setup(PASSWORD).await;
    let r = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "password": WRONG }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let token = server.login(PASSWORD).await;
    let r = client
        .put(format!("{base}/api/config"))
        .bearer_auth(&token)
        .json(&json!({ "logging": { "level": "DEBUG", "file": "aniworld.log" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for path in [
        "/api/config",
        "/api/queue/status",
        "/api/anime/status",
        "/api/auth/status",
    ] {
        let r = client
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
    let ws_url = format!(
        "{}/ws/connect?token={token}",
        base.replace("http://", "ws://")
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(ws_url).await.unwrap();
    let hello = tokio::time::timeout(Duration::from_secs(5), ws.next()).await;
    assert!(hello.is_ok(), "the socket greets");
    drop(ws);
    let r = client
        .post(format!("{base}/api/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A graceful stop, so the log file is flushed.
    let pid = server.child.id().to_string();
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    assert!(stopped.unwrap().success());
    server.child.wait().unwrap();
    let files = crate::queue::walk(data.path());

    let stderr = server.log.lock().unwrap().join("\n");
    let file = std::fs::read_to_string(data.path().join("aniworld.log")).unwrap_or_default();
    assert!(
        stderr.contains("/api/queue/status"),
        "the access log ran at DEBUG"
    );
    assert!(
        file.contains("/api/queue/status"),
        "the log file was written: {files:?}"
    );
    let signature = token.rsplit('.').next().unwrap();
    for (name, log) in [("stderr", &stderr), ("the log file", &file)] {
        for secret in [PASSWORD, WRONG, token.as_str(), signature] {
            assert!(
                !log.contains(secret),
                "{name} holds a secret ({} chars)",
                secret.len()
            );
        }
    }
}
