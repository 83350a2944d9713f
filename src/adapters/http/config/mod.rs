//! API.md section 5: configuration, validation and backups.
//!
//! `dto.rs` holds the configuration document's schema, `body.rs` the request bodies of a
//! change and a validation, `answers.rs` the small answers (verdicts, backups, directory).

mod answers;
mod body;
mod dto;

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;

use self::answers::{
    BackupCreated, BackupEntry, DirectoryRequest, DirectoryUpdated, Message, ValidationResult,
};
use self::body::{ConfigDocument, ConfigPatch};
use self::dto::ConfigDto;
use crate::adapters::http::ApiTags;
use crate::adapters::http::error::{ApiError, Code, issue_lines};
use crate::adapters::http::json_body::JsonBytes;
use crate::adapters::http::outcomes::{
    INVALID, MALFORMED, Reply, STORAGE, TOO_LARGE, UNAUTHORIZED, outcomes, reply,
};
use crate::adapters::http::security::AdminAuth;
use crate::app::App;
use crate::app::config::ConfigError;
use crate::app::library::LibraryError;
use crate::domain::config::{AppConfig, Settings};

/// Configuration endpoints. The configuration is answered by serialising the domain document,
/// which has exactly the shape `ConfigDto` documents (it is also what config.json holds; a
/// test in `dto.rs` compares the two).
pub struct ConfigApi;

outcomes!(ReadConfig: "The configuration in force", [UNAUTHORIZED]);
outcomes!(UpdateConfig(ConfigError): "The configuration now in force", [MALFORMED, UNAUTHORIZED, TOO_LARGE, INVALID, STORAGE]);
outcomes!(ValidateConfig: "The verdict: valid, or the problems found", [MALFORMED, UNAUTHORIZED, TOO_LARGE, INVALID]);
outcomes!(ListBackups(ConfigError): "The backups, newest first", [UNAUTHORIZED]);
outcomes!(CreateBackup(ConfigError): "The backup made", [
    (Code::BadRequest, "The name is not a plain file name"),
    UNAUTHORIZED,
    (Code::Conflict, "A backup of that name exists"),
    STORAGE,
]);
outcomes!(RestoreBackup(ConfigError): "The configuration now in force", [
    (Code::BadRequest, "The name is not a plain file name"),
    UNAUTHORIZED,
    (Code::NotFound, "No backup of that name"),
    (Code::Validation, "The backup is not a valid configuration"),
    STORAGE,
]);
outcomes!(DeleteBackup(ConfigError): "The backup was deleted", [
    (Code::BadRequest, "The name is not a plain file name"),
    UNAUTHORIZED,
    (Code::NotFound, "No backup of that name"),
    STORAGE,
]);
outcomes!(SetDirectory(LibraryError): "The directory in use and the series found there", [
    (Code::BadRequest, "Malformed JSON, or the directory is missing, not a directory or not usable"),
    UNAUTHORIZED,
    TOO_LARGE,
    (Code::Validation, "Validation error: a missing or ill-typed field, or a relative path"),
    STORAGE,
]);

#[OpenApi(tag = "ApiTags::Configuration")]
impl ConfigApi {
    /// Read the configuration
    ///
    /// The configuration in force, as config.json holds it. `anime_directory`, `logging.file`,
    /// `logging.max_bytes`, `downloads.bandwidth_limit_kbps` and `provider.flaresolverr_url`
    /// are null while unset.
    #[oai(path = "/api/config", method = "get")]
    async fn get(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<JsonBytes<ConfigDto>, ReadConfig> {
        reply(JsonBytes::of(&AppConfig::from(&*app.config.current()))?)
    }

    /// Change the configuration
    ///
    /// A JSON merge patch (RFC 7396): name only what changes, nested sections included;
    /// `null` resets a field to its default. The result is validated as a whole (422 lists
    /// every problem in `details.messages`, and nothing changes; unknown fields are refused),
    /// backed up first when `backup.enabled`, and applied at once: log level and scheduler
    /// interval take effect without a restart. `data_dir` cannot be changed. Answers the
    /// configuration now in force.
    #[oai(path = "/api/config", method = "put")]
    async fn update(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        patch: Json<ConfigPatch>,
    ) -> Reply<JsonBytes<ConfigDto>, UpdateConfig> {
        if !patch.0.0.is_object() {
            return Err(ApiError::validation("The body must be a JSON object").into());
        }
        let updated = app
            .config
            .update(|current| current.patched(&patch.0.0))
            .await?;
        reply(JsonBytes::of(&AppConfig::from(&*updated))?)
    }

    /// Validate a configuration
    ///
    /// Checks a whole configuration document (fields left out take their defaults) without
    /// applying it. A document with problems is still a 200: `valid` is false and `errors`
    /// has one line per problem.
    #[oai(path = "/api/config/validate", method = "post")]
    async fn validate(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        doc: Json<ConfigDocument>,
    ) -> Reply<Json<ValidationResult>, ValidateConfig> {
        let data_dir = app.config.current().data_dir.clone();
        let issues = Settings::from_json(doc.0.0, &data_dir)
            .err()
            .unwrap_or_default();
        reply(Json(ValidationResult {
            valid: issues.is_empty(),
            errors: issue_lines(&issues),
        }))
    }

    /// List backups
    ///
    /// The configuration backups in the backup folder, newest first.
    #[oai(path = "/api/config/backups", method = "get")]
    async fn list_backups(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<Vec<BackupEntry>>, ListBackups> {
        let list = app.config.list_backups().await?;
        reply(Json(
            list.into_iter()
                .map(|b| BackupEntry {
                    name: b.name,
                    size: b.size,
                    created: b.created,
                })
                .collect(),
        ))
    }

    /// Create a backup
    ///
    /// Backs up the configuration in force. Without `name` the backup is named after the
    /// time (`config_backup_YYYYMMDD_HHMMSS.json`) and deleted after `backup.keep_days`;
    /// named backups are kept.
    #[oai(path = "/api/config/backups", method = "post")]
    async fn create_backup(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        /// A custom name: letters, digits, `-`, `_` and `.`; `.json` is added when missing.
        name: Query<Option<String>>,
    ) -> Reply<Json<BackupCreated>, CreateBackup> {
        let made = app.config.create_backup(name.0.as_deref()).await?;
        reply(Json(BackupCreated {
            name: made.name,
            message: "Backup created successfully".into(),
        }))
    }

    /// Restore a backup
    ///
    /// Makes a backup the configuration in force (validated as a `PUT` would be) and answers
    /// it.
    #[oai(path = "/api/config/backups/:backup_name/restore", method = "post")]
    async fn restore_backup(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        /// The backup's file name, as listed.
        backup_name: Path<String>,
    ) -> Reply<JsonBytes<ConfigDto>, RestoreBackup> {
        let restored = app.config.restore_backup(&backup_name.0).await?;
        reply(JsonBytes::of(&AppConfig::from(&*restored))?)
    }

    /// Delete a backup
    ///
    /// Deletes one backup file.
    #[oai(path = "/api/config/backups/:backup_name", method = "delete")]
    async fn delete_backup(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        /// The backup's file name, as listed.
        backup_name: Path<String>,
    ) -> Reply<Json<Message>, DeleteBackup> {
        let name = app.config.delete_backup(&backup_name.0).await?;
        reply(Json(Message {
            message: format!("Backup '{name}' deleted successfully"),
        }))
    }

    /// Switch the library directory
    ///
    /// Makes another directory the anime library (stored as `anime_directory`). The series
    /// list is rebuilt from the `aniworld.json` sidecars found in its folders; the files
    /// themselves are not moved.
    #[oai(path = "/api/config/directory", method = "post")]
    async fn set_directory(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        body: Json<DirectoryRequest>,
    ) -> Reply<Json<DirectoryUpdated>, SetDirectory> {
        let synced = app.library.switch_directory(&body.0.directory).await?;
        reply(Json(DirectoryUpdated {
            message: "Anime directory updated successfully".into(),
            synced_series: synced as u64,
        }))
    }
}
