//! API.md section 5 and 6: configuration round trip, validation, backups, scheduler config.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, spawn_app};

async fn put(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.request(reqwest::Method::PUT, "/api/config", Some(token), Some(body))
        .await
}

#[tokio::test]
async fn the_default_configuration_has_every_section() {
    let app = spawn_app().await;
    let token = app.login().await;
    let c: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["name"], "Aniworld");
    assert_eq!(
        c["scheduler"],
        json!({ "enabled": true, "interval_minutes": 60, "auto_download": false })
    );
    assert_eq!(c["logging"]["level"], "INFO");
    assert_eq!(c["backup"]["keep_days"], 30);
    assert_eq!(
        c["downloads"]["preferred_languages"],
        json!(["German Dub", "German Sub", "English Sub"])
    );
    assert_eq!(
        c["downloads"]["preferred_hosters"],
        json!([
            "VOE",
            "Filemoon",
            "Vidmoly",
            "Doodstream",
            "Vidoza",
            "Streamtape",
            "Vidara",
            "Vidavaca",
            "Luluvdo"
        ])
    );
    assert_eq!(c["downloads"]["parallel_downloads"], 1);
    assert_eq!(c["downloads"]["retries"], 3);
    assert_eq!(c["provider"]["timeout_seconds"], 15);
    assert_eq!(c["provider"]["flaresolverr_url"], Value::Null);
    assert_eq!(c["provider"]["full_refresh_hours"], 24);
    assert_eq!(c["downloads"]["adaptive_hoster_order"], false);
    assert_eq!(c["other"], json!({}));
    let data_dir = app.data_dir.path().canonicalize().unwrap();
    assert_eq!(c["data_dir"], json!(data_dir));
}

#[tokio::test]
async fn a_partial_update_survives_a_restart() {
    let app = spawn_app().await;
    let token = app.login().await;
    let r = put(&app, &token, json!({ "scheduler": { "interval_minutes": 30 }, "logging": { "level": "DEBUG" }, "other": { "theme": "dark" } })).await;
    assert_eq!(r.status(), 200);
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["scheduler"]["interval_minutes"], 30);
    assert_eq!(
        c["scheduler"]["enabled"], true,
        "fields not named keep their value"
    );
    assert_eq!(c["logging"]["level"], "DEBUG");

    let app = app.restart().await;
    let token = app.token().await;
    let c: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["scheduler"]["interval_minutes"], 30);
    assert_eq!(c["logging"]["level"], "DEBUG");
    assert_eq!(c["other"]["theme"], "dark");
    let on_disk: Value =
        serde_json::from_slice(&std::fs::read(app.data_dir.path().join("config.json")).unwrap())
            .unwrap();
    assert_eq!(on_disk["scheduler"]["interval_minutes"], 30);
}

#[tokio::test]
async fn an_invalid_update_is_422_and_changes_nothing() {
    let app = spawn_app().await;
    let token = app.login().await;
    let before = std::fs::read(app.data_dir.path().join("config.json")).unwrap();
    for bad in [
        json!({ "scheduler": { "interval_minutes": 0 } }),
        json!({ "logging": { "level": "LOUD" } }),
        json!({ "scheduler": { "interval_minutes": "often" } }),
        json!({ "unknown_section": {} }),
        json!({ "backup": { "path": "../../etc" } }),
        json!({ "data_dir": "/elsewhere" }),
        json!({ "downloads": { "preferred_languages": ["Klingon"] } }),
        json!({ "provider": { "flaresolverr_url": "localhost:8191" } }),
        json!({ "provider": { "full_refresh_hours": 0 } }),
        json!({ "downloads": { "adaptive_hoster_order": "yes" } }),
        json!(["not", "an", "object"]),
    ] {
        assert_error(
            put(&app, &token, bad.clone()).await,
            422,
            "VALIDATION_ERROR",
        )
        .await;
    }
    assert_eq!(
        std::fs::read(app.data_dir.path().join("config.json")).unwrap(),
        before
    );
    let body = assert_error(
        put(
            &app,
            &token,
            json!({ "scheduler": { "interval_minutes": 0 } }),
        )
        .await,
        422,
        "VALIDATION_ERROR",
    )
    .await;
    assert_eq!(
        body["details"]["errors"][0]["field"],
        "scheduler.interval_minutes"
    );
}

#[tokio::test]
async fn validate_reports_problems_without_applying() {
    let app = spawn_app().await;
    let token = app.login().await;
    let mut c: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let ok: Value = app
        .post("/api/config/validate", Some(&token), c.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ok, json!({ "valid": true, "errors": [] }));
    c["scheduler"]["interval_minutes"] = json!(0);
    c["provider"]["timeout_seconds"] = json!(1000);
    let bad: Value = app
        .post("/api/config/validate", Some(&token), c)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bad["valid"], false);
    let errors = bad["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{bad}");
    assert!(
        errors[0]
            .as_str()
            .unwrap()
            .starts_with("scheduler.interval_minutes")
    );
    let current: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["scheduler"]["interval_minutes"], 60);
}

#[tokio::test]
async fn backups_are_created_listed_restored_and_deleted() {
    let app = spawn_app().await;
    let token = app.login().await;
    let made: Value = app
        .post("/api/config/backups", Some(&token), json!(null))
        .await
        .json()
        .await
        .unwrap();
    let auto_name = made["name"].as_str().unwrap().to_owned();
    assert!(
        auto_name.starts_with("config_backup_") && auto_name.ends_with(".json"),
        "{auto_name}"
    );
    assert_eq!(made["message"], "Backup created successfully");

    let r = app
        .post(
            "/api/config/backups?name=before-change",
            Some(&token),
            json!(null),
        )
        .await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["name"],
        "before-change.json"
    );
    assert_error(
        app.post(
            "/api/config/backups?name=before-change",
            Some(&token),
            json!(null),
        )
        .await,
        409,
        "CONFLICT_ERROR",
    )
    .await;

    let list: Value = app
        .get("/api/config/backups", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"before-change.json") && names.contains(&auto_name.as_str()),
        "{list}"
    );
    assert!(list[0]["size"].as_u64().unwrap() > 100);
    assert!(
        list[0]["created"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .is_ok()
    );

    put(&app, &token, json!({ "name": "Changed" })).await;
    let restored: Value = app
        .post(
            "/api/config/backups/before-change.json/restore",
            Some(&token),
            json!(null),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(restored["name"], "Aniworld");
    let current: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["name"], "Aniworld");

    let r = app
        .request(
            reqwest::Method::DELETE,
            "/api/config/backups/before-change.json",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["message"],
        "Backup 'before-change.json' deleted successfully"
    );
    assert_error(
        app.post(
            "/api/config/backups/before-change.json/restore",
            Some(&token),
            json!(null),
        )
        .await,
        404,
        "NOT_FOUND_ERROR",
    )
    .await;
}

#[tokio::test]
async fn restoring_a_backup_that_is_no_configuration_is_a_422_and_changes_nothing() {
    let app = spawn_app().await;
    let token = app.login().await;
    let backups = app.data_dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(backups.join("cut-short.json"), br#"{"name": "Half"#).unwrap();
    std::fs::write(
        backups.join("broken-rule.json"),
        br#"{"name": "Broken", "scheduler": {"interval_minutes": 0}}"#,
    )
    .unwrap();
    let config_before = std::fs::read(app.data_dir.path().join("config.json")).unwrap();
    for (name, field) in [
        ("cut-short.json", ""),
        ("broken-rule.json", "scheduler.interval_minutes"),
    ] {
        let r = app
            .post(
                &format!("/api/config/backups/{name}/restore"),
                Some(&token),
                json!(null),
            )
            .await;
        let body = assert_error(r, 422, "VALIDATION_ERROR").await;
        assert_eq!(
            body["details"]["errors"][0]["field"], field,
            "{name}: {body}"
        );
    }
    let config_after = std::fs::read(app.data_dir.path().join("config.json")).unwrap();
    assert_eq!(config_before, config_after);
}

#[tokio::test]
async fn backup_names_that_leave_the_backup_folder_are_400_and_touch_nothing() {
    let app = spawn_app().await;
    let token = app.login().await;
    let config_before = std::fs::read(app.data_dir.path().join("config.json")).unwrap();
    for name in [
        "..%2Fconfig.json",
        "..%2F..%2Fetc%2Fpasswd",
        "a%00b.json",
        "..%5Cconfig.json",
        ".hidden",
        "%2Fetc%2Fpasswd",
    ] {
        let restore = app
            .post(
                &format!("/api/config/backups/{name}/restore"),
                Some(&token),
                json!(null),
            )
            .await;
        assert_error(restore, 400, "BAD_REQUEST").await;
        let delete = app
            .request(
                reqwest::Method::DELETE,
                &format!("/api/config/backups/{name}"),
                Some(&token),
                None,
            )
            .await;
        assert_error(delete, 400, "BAD_REQUEST").await;
    }
    for name in ["..%2Fescape", "a%2Fb"] {
        assert_error(
            app.post(
                &format!("/api/config/backups?name={name}"),
                Some(&token),
                json!(null),
            )
            .await,
            400,
            "BAD_REQUEST",
        )
        .await;
    }
    assert_eq!(
        std::fs::read(app.data_dir.path().join("config.json")).unwrap(),
        config_before
    );
    assert!(!app.data_dir.path().join("escape.json").exists());
}

#[tokio::test]
async fn scheduler_config_is_read_and_updated_through_its_own_endpoint() {
    let app = spawn_app().await;
    let token = app.login().await;
    let s: Value = app
        .get("/api/scheduler/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["enabled"], true);
    assert_eq!(s["interval_minutes"], 60);
    let s: Value = app
        .post(
            "/api/scheduler/config",
            Some(&token),
            json!({ "enabled": false, "interval_minutes": 15 }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (s["enabled"].clone(), s["interval_minutes"].clone()),
        (json!(false), json!(15))
    );
    let c: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["scheduler"]["interval_minutes"], 15);
    for bad in [
        json!({ "interval_minutes": 0 }),
        json!({ "interval_minutes": -5 }),
        json!({ "enabled": "yes" }),
    ] {
        assert_error(
            app.post("/api/scheduler/config", Some(&token), bad).await,
            422,
            "VALIDATION_ERROR",
        )
        .await;
    }
}
