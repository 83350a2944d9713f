//! First-time setup whose configuration cannot be written: a 503 `STORAGE_ERROR` naming the
//! file, the password left unset, and a retry once the disk is fixed succeeds.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_error, spawn_app};

#[tokio::test]
async fn a_setup_whose_config_write_fails_is_a_503_and_leaves_the_password_unset() {
    let app = spawn_app().await;
    let dir = app.anime_path();
    // A directory where config.json belongs: a write that even root cannot make.
    let config = app.data_dir.path().join("config.json");
    let _ = std::fs::remove_file(&config);
    std::fs::create_dir(&config).unwrap();
    std::fs::write(config.join("in-the-way"), b"x").unwrap();
    let setup = json!({ "master_password": PASSWORD, "anime_directory": dir });

    let r = app.post("/api/auth/setup", None, setup.clone()).await;
    let body = assert_error(r, 503, "STORAGE_ERROR").await;
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("config.json") && message.contains("Is a directory"),
        "names the file and the reason: {body}"
    );
    let status: Value = app
        .get("/api/auth/status", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["configured"], false, "{status}");
    assert_error(
        app.post("/api/auth/login", None, json!({ "password": PASSWORD }))
            .await,
        400,
        "BAD_REQUEST",
    )
    .await;

    // The disk is fixed: the same setup now succeeds.
    std::fs::remove_dir_all(&config).unwrap();
    let r = app.post("/api/auth/setup", None, setup).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let token = app.token().await;
    let config: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(config["anime_directory"], json!(dir));
}
