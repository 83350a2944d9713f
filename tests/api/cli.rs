//! The command line as a user types it: the server's flags stand before or after `serve`, or
//! without it, and each one applies (here `--sto-url`, the last one added).

use std::process::Command;

use serde_json::{Value, json};

use crate::helpers::PASSWORD;
use crate::support::fake_site::FakeSite;
use crate::support::process::{ServerProcess, spawn_command};

/// Starts the binary with `args`, sets it up with s.to on, and answers what a search on s.to
/// alone finds (keys).
async fn sto_keys(args: &[&str]) -> Vec<String> {
    let (data, anime) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut command = Command::new(env!("CARGO_BIN_EXE_aniworld"));
    command
        .args(args)
        .arg("--data-dir")
        .arg(data.path())
        .arg("--anime-dir")
        .arg(anime.path());
    let mut server = spawn_command(command, "info");
    let base = server.base.clone();
    let client = reqwest::Client::new();
    server.setup(PASSWORD).await;
    let token = server.login(PASSWORD).await;
    let on = client
        .put(format!("{base}/api/config"))
        .bearer_auth(&token)
        .json(&json!({ "provider": { "sto_enabled": true } }))
        .send()
        .await
        .unwrap();
    assert_eq!(on.status(), 200);
    let found: Value = client
        .get(format!("{base}/api/anime/search?query=grey&site=s.to"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let _ = server.child.kill();
    let _ = server.child.wait();
    found
        .as_array()
        .unwrap_or_else(|| panic!("{args:?}: {found}"))
        .iter()
        .map(|s| s["key"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_servers_flags_apply_before_or_after_serve_or_without_it() {
    let site = FakeSite::builder().sto_standard_catalogue().spawn().await;
    let (sto, main) = (site.sto_base_url(), site.base_url());
    let flags = [
        "--port",
        "0",
        "--rate-limit",
        "0",
        "--provider-url",
        main,
        "--sto-url",
        sto,
    ];
    let before: Vec<&str> = flags.iter().copied().chain(["serve"]).collect();
    let after: Vec<&str> = ["serve"].into_iter().chain(flags).collect();
    for args in [&before[..], &after[..], &flags[..]] {
        assert_eq!(sto_keys(args).await, ["sto:greys-anatomy"], "{args:?}");
    }
}

/// Reads `provider.flaresolverr_url` from the configuration `server` answers.
async fn flaresolverr_url(server: &ServerProcess) -> Value {
    let config: Value = reqwest::Client::new()
        .get(format!("{}/api/config", server.base))
        .bearer_auth(server.login(PASSWORD).await)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    config["provider"]["flaresolverr_url"].clone()
}

#[tokio::test]
async fn flaresolverr_url_from_the_environment_is_written_to_the_settings_and_checked() {
    let data = tempfile::tempdir().unwrap();
    let start = |url: &str| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_aniworld"));
        command
            .args(["--port", "0", "--provider-url", "http://127.0.0.1:9"])
            .arg("--data-dir")
            .arg(data.path())
            .env("ANIWORLD_FLARESOLVERR_URL", url);
        command
    };
    let mut server = spawn_command(start("http://flaresolverr:8191"), "info");
    server.setup(PASSWORD).await;
    assert_eq!(flaresolverr_url(&server).await, "http://flaresolverr:8191");
    let _ = server.child.kill();
    let _ = server.child.wait();

    // a value the settings would refuse stops the start, naming the flag, and changes nothing
    let out = start("ftp://flaresolverr").output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("--flaresolverr-url: must be an http"),
        "{said}"
    );
    let config = std::fs::read_to_string(data.path().join("config.json")).unwrap();
    assert!(config.contains("http://flaresolverr:8191"), "{config}");

    // an empty value clears it
    let mut server = spawn_command(start(""), "info");
    assert_eq!(flaresolverr_url(&server).await, Value::Null);
    let _ = server.child.kill();
    let _ = server.child.wait();
}
