//! The configuration use cases with a real config file in a temp dir.

use super::*;
use crate::adapters::clock::SystemClock;
use crate::adapters::store::config_file::ConfigFile;
use serde_json::json;

async fn backup_names(config: &ConfigService) -> Vec<String> {
    let list = config.list_backups().await.unwrap();
    list.into_iter().map(|b| b.name).collect()
}

async fn service(dir: &std::path::Path) -> ConfigService {
    ConfigService::load(
        Arc::new(ConfigFile::new(dir)),
        Arc::new(SystemClock),
        "/data".into(),
        None,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn an_update_is_stored_and_seen_by_subscribers() {
    let dir = tempfile::tempdir().unwrap();
    let config = service(dir.path()).await;
    let mut changes = config.subscribe();
    config
        .update(|c| c.patched(&json!({"scheduler": {"interval_minutes": 5}})))
        .await
        .unwrap();
    assert!(changes.has_changed().unwrap());
    assert_eq!(changes.borrow_and_update().scheduler.interval_minutes, 5);
    assert_eq!(
        service(dir.path())
            .await
            .current()
            .scheduler
            .interval_minutes,
        5
    );
}

#[tokio::test]
async fn an_invalid_update_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = service(dir.path()).await;
    let err = config
        .update(|c| c.patched(&json!({"scheduler": {"interval_minutes": 0}, "data_dir": "/x"})))
        .await
        .unwrap_err();
    let ConfigError::Invalid(issues) = err else {
        panic!("expected Invalid")
    };
    let fields: Vec<_> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(fields, ["scheduler.interval_minutes", "data_dir"]);
    assert_eq!(config.current().scheduler.interval_minutes, 60);
}

#[tokio::test]
async fn a_restored_backup_replaces_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let config = service(dir.path()).await;
    config.create_backup(Some("before")).await.unwrap();
    config
        .update(|c| c.patched(&json!({"name": "Changed"})))
        .await
        .unwrap();
    assert_eq!(
        config.restore_backup("before.json").await.unwrap().name,
        "Aniworld"
    );
    assert!(matches!(
        config.restore_backup("../config.json").await,
        Err(ConfigError::InvalidBackupName)
    ));
}

#[tokio::test]
async fn with_backups_enabled_each_change_keeps_the_previous_version_for_keep_days() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(crate::adapters::clock::ManualClock::new(chrono::Utc::now()));
    let config = ConfigService::load(
        Arc::new(ConfigFile::new(dir.path())),
        clock.clone(),
        "/data".into(),
        None,
    )
    .await
    .unwrap();
    config.create_backup(Some("mine")).await.unwrap();
    config
        .update(|c| c.patched(&json!({"backup": {"enabled": true, "keep_days": 2}})))
        .await
        .unwrap();
    // Turning backups on backs up nothing: they were off before this change.
    assert_eq!(config.list_backups().await.unwrap().len(), 1);
    config
        .update(|c| c.patched(&json!({"name": "First"})))
        .await
        .unwrap();
    let names = backup_names(&config).await;
    assert_eq!(names.len(), 2, "{names:?}");
    let automatic = names
        .iter()
        .find(|n| n.starts_with("config_backup_"))
        .unwrap()
        .clone();
    assert_eq!(
        config.restore_backup(&automatic).await.unwrap().name,
        "Aniworld"
    );

    clock.advance(chrono::Duration::days(3));
    config
        .update(|c| c.patched(&json!({"name": "Later"})))
        .await
        .unwrap();
    let names = backup_names(&config).await;
    assert!(
        !names.contains(&automatic),
        "expired automatic backup is gone: {names:?}"
    );
    assert!(
        names.contains(&"mine.json".to_owned()),
        "a named backup is kept: {names:?}"
    );
    assert_eq!(names.len(), 2, "{names:?}");
}

#[tokio::test]
async fn the_api_directory_wins_over_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = ConfigService::load(
        Arc::new(ConfigFile::new(dir.path())),
        Arc::new(SystemClock),
        "/d".into(),
        Some("/cli".into()),
    )
    .await
    .unwrap();
    assert_eq!(config.anime_dir(), Some(PathBuf::from("/cli")));
    config.set_anime_directory("/api".into()).await.unwrap();
    assert_eq!(config.anime_dir(), Some(PathBuf::from("/api")));
}
