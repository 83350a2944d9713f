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
