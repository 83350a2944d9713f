//! A `config.json` corrupted by hand (issue 11): the server still starts, on the default
//! configuration, keeps the broken file aside, says so with the last good backup to restore,
//! and restoring that backup brings the settings back.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_corrupted_config_starts_on_defaults_and_offers_the_last_good_backup() {
    let mut app = spawn_app().await;
    let token = app.login().await;
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "scheduler": { "interval_minutes": 30 } })),
        )
        .await;
    assert_eq!(r.status(), 200);
    let made: Value = app
        .post("/api/config/backups", Some(&token), json!(null))
        .await
        .json()
        .await
        .unwrap();
    let backup = made["name"].as_str().unwrap().to_owned();
    app.stop().await;

    let config = app.data_dir.path().join("config.json");
    let broken = b"{\"scheduler\": {\"interval_minutes\": 30,,, oops";
    std::fs::write(&config, broken).unwrap();
    let app = app.restart().await;
    let token = app.token().await;
    let c: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["scheduler"]["interval_minutes"], 60, "the defaults: {c}");
    let kept: Vec<String> = std::fs::read_dir(app.data_dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("config.json.corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1, "the broken file is kept aside");
    assert_eq!(
        std::fs::read(app.data_dir.path().join(&kept[0])).unwrap(),
        broken
    );
    let message = app.startup_notices().join("\n");
    assert!(
        message.contains("config.json could not be used"),
        "{message}"
    );
    assert!(message.contains(&kept[0]), "{message}");
    assert!(
        message.contains(&format!("POST /api/config/backups/{backup}/restore")),
        "{message}"
    );

    let r = app
        .post(
            &format!("/api/config/backups/{backup}/restore"),
            Some(&token),
            json!(null),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let c: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["scheduler"]["interval_minutes"], 30, "restored: {c}");
}
