//! API.md section 7: health checks.

use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_without_a_token_under_both_prefixes() {
    let app = spawn_app().await;
    for path in ["/health", "/api/health"] {
        let body: Value = app.get(path, None).await.json().await.unwrap();
        assert_eq!(body["status"], "healthy");
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        assert!(
            body["timestamp"]
                .as_str()
                .unwrap()
                .parse::<chrono::DateTime<chrono::Utc>>()
                .is_ok()
        );
    }
}

#[tokio::test]
async fn detailed_health_checks_the_database_folders_and_machine() {
    let app = spawn_app().await;
    for path in ["/health/detailed", "/api/health/detailed"] {
        let r: Value = app.get(path, None).await.json().await.unwrap();
        assert_eq!(r["status"], "healthy", "{r}");
        let deps = &r["dependencies"];
        assert_eq!(deps["database"]["status"], "healthy");
        assert!(deps["database"]["connection_time_ms"].as_f64().unwrap() > 0.0);
        assert_eq!(deps["filesystem"]["data_dir_writable"], true);
        assert_eq!(deps["filesystem"]["logs_dir_writable"], true);
        assert!(deps["system"]["memory_available_mb"].as_f64().unwrap() > 0.0);
        assert!(deps["system"]["disk_free_mb"].as_f64().unwrap() > 0.0);
        assert!(deps["system"]["uptime_seconds"].as_f64().unwrap() >= 0.0);
        assert!(r["startup_time"].as_str().is_some());
    }
}

#[tokio::test]
async fn detailed_health_reports_a_logs_folder_that_cannot_be_written() {
    let app = spawn_app().await;
    let logs = app.data_dir.path().join("logs");
    std::fs::remove_dir_all(&logs).unwrap();
    std::fs::write(&logs, b"a file where the folder should be").unwrap();
    let r: Value = app
        .get("/health/detailed", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["dependencies"]["filesystem"]["logs_dir_writable"], false);
    assert_eq!(r["status"], "degraded");
}

#[tokio::test]
async fn hoster_health_counts_each_attempt_and_survives_a_restart() {
    use crate::queue::{command, enqueue, ids, queue_app, set_downloads, wait_for_item};
    use crate::support::fake_site::FakeHoster;
    use serde_json::json;

    let (app, site, token) = queue_app(&["VOE", "Vidoza"]).await;
    let voe = site
        .links("attack-on-titan", 1, 3)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Voe && l.link.language == 1)
        .unwrap();
    let embed_path = voe
        .embed_url()
        .trim_start_matches(site.base_url())
        .to_owned();
    site.serve_html(&embed_path, crate::search::CHALLENGE_PAGE);
    set_downloads(
        &app,
        &token,
        json!({ "preferred_languages": ["German Dub"] }),
    )
    .await;
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 3)], "NORMAL").await).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    assert_eq!(done["hoster"], "Vidoza", "{done}");

    let r: Value = app
        .get("/health/detailed", None)
        .await
        .json()
        .await
        .unwrap();
    let hosters = &r["dependencies"]["hosters"];
    let voe = &hosters["VOE"];
    assert_eq!(voe["attempts"], 1, "{voe}");
    assert_eq!(voe["successes"], 0, "{voe}");
    assert_eq!(voe["failures"]["challenge"], 1, "{voe}");
    assert_eq!(voe["status"], "resting", "{voe}");
    assert_eq!(voe["resting"], true, "{voe}");
    assert!(voe["resting_seconds"].as_u64().unwrap() > 0, "{voe}");
    let error = voe["last_error"].as_str().unwrap();
    assert!(error.contains("asks for a browser challenge"), "{error}");
    assert!(voe["last_error_at"].as_str().is_some(), "{voe}");
    let vidoza = &hosters["Vidoza"];
    assert_eq!(
        (vidoza["attempts"].as_u64(), vidoza["successes"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(vidoza["status"], "healthy", "{vidoza}");
    assert!(vidoza["last_success"].as_str().is_some(), "{vidoza}");
    assert_eq!(hosters["Filemoon"]["status"], "unknown", "{hosters}");
    assert_eq!(hosters["Filemoon"]["attempts"], 0);
    let catalogue = &r["dependencies"]["catalogue"];
    assert_eq!(catalogue["status"], "healthy", "{catalogue}");
    assert!(catalogue["attempts"].as_u64().unwrap() >= 2, "{catalogue}");
    assert!(catalogue["last_success"].as_str().is_some(), "{catalogue}");
    assert_eq!(
        r["status"], "degraded",
        "every recent VOE attempt failed, though the server works"
    );

    let app = app.restart().await;
    let r: Value = app
        .get("/health/detailed", None)
        .await
        .json()
        .await
        .unwrap();
    let hosters = &r["dependencies"]["hosters"];
    assert_eq!(hosters["VOE"]["attempts"], 1, "{hosters}");
    assert_eq!(hosters["VOE"]["failures"]["challenge"], 1, "{hosters}");
    assert_eq!(hosters["VOE"]["status"], "failing", "{hosters}");
    assert_eq!(
        hosters["VOE"]["resting"], false,
        "rests end with the process"
    );
    assert_eq!(hosters["Vidoza"]["successes"], 1, "{hosters}");
    assert_eq!(r["status"], "degraded");
}
