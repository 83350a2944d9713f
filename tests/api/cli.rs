//! The command line as a user types it: the server's flags stand before or after `serve`, or
//! without it, and each one applies (here `--sto-url`, the last one added).

use std::process::Command;

use serde_json::{Value, json};

use crate::helpers::PASSWORD;
use crate::support::fake_site::FakeSite;
use crate::support::process::spawn_command;

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
    let setup = client
        .post(format!("{base}/api/auth/setup"))
        .json(&json!({ "master_password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(setup.status(), 201);
    let login: Value = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap();
    let on = client
        .put(format!("{base}/api/config"))
        .bearer_auth(token)
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
