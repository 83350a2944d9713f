//! API.md section 5: configuration, validation and backups.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{Object, OpenApi};
use serde_json::{Value, json};

use super::ApiTags;
use super::anime_api::library_error;
use super::config_dto::ConfigDto;
use super::error::ApiError;
use super::json_body::JsonBytes;
use super::security::BearerAuth;
use crate::app::App;
use crate::app::config::ConfigError;
use crate::domain::config::ConfigIssue;

/// Configuration endpoints. The configuration is answered by serialising the domain document,
/// which has exactly the shape `ConfigDto` documents (it is also what config.json holds; a
/// test in `config_dto.rs` compares the two).
pub struct ConfigApi;

/// The outcome of validating a configuration.
#[derive(Debug, Object)]
#[oai(example)]
struct ValidationResult {
    valid: bool,
    /// One line per problem: `field: message`.
    errors: Vec<String>,
}

/// A configuration backup.
#[derive(Debug, Object)]
#[oai(example)]
struct BackupEntry {
    name: String,
    /// Size in bytes.
    size: u64,
    created: DateTime<Utc>,
}

/// A created backup.
#[derive(Debug, Object)]
struct BackupCreated {
    name: String,
    message: String,
}

/// A new library directory.
#[derive(Debug, Object)]
struct DirectoryRequest {
    /// An absolute path to an existing directory.
    directory: String,
}

/// The library directory was switched.
#[derive(Debug, Object)]
struct DirectoryUpdated {
    message: String,
    /// Series found through their `aniworld.json` sidecars.
    synced_series: u64,
}

/// A plain message.
#[derive(Debug, Object)]
struct Message {
    message: String,
}

fn issue_lines(issues: &[ConfigIssue]) -> Vec<String> {
    issues
        .iter()
        .map(|i| {
            if i.field.is_empty() {
                i.message.clone()
            } else {
                format!("{}: {}", i.field, i.message)
            }
        })
        .collect()
}

/// Maps configuration failures to API errors.
pub fn config_error(e: ConfigError) -> ApiError {
    match e {
        ConfigError::Invalid(issues) => ApiError::validation("Configuration is invalid")
            .with_details(json!({ "errors": issues, "messages": issue_lines(&issues) })),
        ConfigError::InvalidBackupName => ApiError::bad_request(e.to_string()),
        ConfigError::BackupNotFound(_) => ApiError::not_found(e.to_string()),
        ConfigError::BackupExists(_) => ApiError::conflict(e.to_string()),
        ConfigError::Storage(cause) => ApiError::internal(cause),
    }
}

#[OpenApi(tag = "ApiTags::Configuration")]
impl ConfigApi {
    /// The configuration in force.
    #[oai(path = "/api/config", method = "get")]
    async fn get(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
    ) -> Result<JsonBytes<ConfigDto>, ApiError> {
        JsonBytes::of(&*app.config.current())
    }

    /// Change part of the configuration (a JSON merge patch: name only what changes).
    /// Applied at once: log level and scheduler interval take effect without a restart.
    #[oai(path = "/api/config", method = "put")]
    async fn update(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
        patch: Json<Value>,
    ) -> Result<JsonBytes<ConfigDto>, ApiError> {
        if !patch.0.is_object() {
            return Err(ApiError::validation("The body must be a JSON object"));
        }
        let updated = app.config.update(&patch.0).await.map_err(config_error)?;
        JsonBytes::of(&*updated)
    }

    /// Validate a full configuration document without applying it.
    #[oai(path = "/api/config/validate", method = "post")]
    async fn validate(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
        doc: Json<Value>,
    ) -> Json<ValidationResult> {
        let issues = app.config.validate(&doc.0);
        Json(ValidationResult {
            valid: issues.is_empty(),
            errors: issue_lines(&issues),
        })
    }

    /// The configuration backups, newest first.
    #[oai(path = "/api/config/backups", method = "get")]
    async fn list_backups(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
    ) -> Result<Json<Vec<BackupEntry>>, ApiError> {
        let list = app.config.list_backups().await.map_err(config_error)?;
        Ok(Json(
            list.into_iter()
                .map(|b| BackupEntry {
                    name: b.name,
                    size: b.size,
                    created: b.created,
                })
                .collect(),
        ))
    }

    /// Back up the configuration in force, optionally under a custom name.
    #[oai(path = "/api/config/backups", method = "post")]
    async fn create_backup(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
        name: Query<Option<String>>,
    ) -> Result<Json<BackupCreated>, ApiError> {
        let made = app
            .config
            .create_backup(name.0.as_deref())
            .await
            .map_err(config_error)?;
        Ok(Json(BackupCreated {
            name: made.name,
            message: "Backup created successfully".into(),
        }))
    }

    /// Make a backup the configuration in force.
    #[oai(path = "/api/config/backups/:backup_name/restore", method = "post")]
    async fn restore_backup(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
        backup_name: Path<String>,
    ) -> Result<JsonBytes<ConfigDto>, ApiError> {
        let restored = app
            .config
            .restore_backup(&backup_name.0)
            .await
            .map_err(config_error)?;
        JsonBytes::of(&*restored)
    }

    /// Delete a backup.
    #[oai(path = "/api/config/backups/:backup_name", method = "delete")]
    async fn delete_backup(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
        backup_name: Path<String>,
    ) -> Result<Json<Message>, ApiError> {
        let name = app
            .config
            .delete_backup(&backup_name.0)
            .await
            .map_err(config_error)?;
        Ok(Json(Message {
            message: format!("Backup '{name}' deleted successfully"),
        }))
    }

    /// Switch the library to another directory; the series list is rebuilt from the
    /// `aniworld.json` sidecars found there.
    #[oai(path = "/api/config/directory", method = "post")]
    async fn set_directory(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
        body: Json<DirectoryRequest>,
    ) -> Result<Json<DirectoryUpdated>, ApiError> {
        let synced = app
            .library
            .switch_directory(&body.0.directory)
            .await
            .map_err(library_error)?;
        Ok(Json(DirectoryUpdated {
            message: "Anime directory updated successfully".into(),
            synced_series: synced as u64,
        }))
    }
}

impl Example for ValidationResult {
    fn example() -> Self {
        Self {
            valid: false,
            errors: vec!["scheduler.interval_minutes: must be between 1 and 10080".into()],
        }
    }
}

impl Example for BackupEntry {
    fn example() -> Self {
        Self {
            name: "config_backup_20251213_090130.json".into(),
            size: 1024,
            created: DateTime::from_timestamp(1_765_616_490, 0).unwrap_or_default(),
        }
    }
}
