//! Where the configuration document and its backups are kept.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::config::{AppConfig, BackupName};

/// Why reading or writing configuration failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigStoreError {
    /// No backup of that name exists.
    #[error("backup not found")]
    BackupNotFound,
    /// A backup of that name exists already.
    #[error("a backup of that name exists already")]
    BackupExists,
    /// A stored document is not a valid configuration.
    #[error("stored configuration is unreadable: {0}")]
    Unreadable(String),
    /// The file system refused a read or write: the file and the system's reason, e.g.
    /// "…/config.json: Read-only file system (os error 30)". The user's to fix.
    #[error("the configuration's files cannot be read or written: {0}")]
    Io(String),
    /// Something that should not happen (a backup folder outside the data dir, a task that
    /// panicked).
    #[error("configuration storage failed: {0}")]
    Internal(String),
}

/// A configuration backup as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub name: String,
    pub size: u64,
    pub created: DateTime<Utc>,
}

/// `config.json` and the backup folder. Paths given are relative to the data dir.
///
/// # Errors
/// As listed on [`ConfigStoreError`]: `BackupNotFound` and `BackupExists` are the caller's
/// mistakes, `Unreadable`, `Io` and `Internal` are not.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait ConfigStore: Send + Sync {
    /// The stored configuration, `None` before the first save.
    async fn load(&self) -> Result<Option<AppConfig>, ConfigStoreError>;

    /// Replaces the stored configuration atomically (temp file, fsync, rename).
    async fn save(&self, config: &AppConfig) -> Result<(), ConfigStoreError>;

    /// Moves an unreadable `config.json` aside, keeping it for the user, as
    /// `config.json.corrupt-<YYYYMMDD_HHMMSS>`; answers that name.
    async fn set_aside(&self, at: DateTime<Utc>) -> Result<String, ConfigStoreError>;

    /// Writes `config` as a backup named `name` into `folder`.
    async fn create_backup(
        &self,
        folder: String,
        name: BackupName,
        config: &AppConfig,
    ) -> Result<BackupInfo, ConfigStoreError>;

    /// The backups in `folder`, newest first.
    async fn list_backups(&self, folder: String) -> Result<Vec<BackupInfo>, ConfigStoreError>;

    /// The configuration held by a backup.
    async fn read_backup(
        &self,
        folder: String,
        name: BackupName,
    ) -> Result<AppConfig, ConfigStoreError>;

    /// Deletes a backup.
    async fn delete_backup(&self, folder: String, name: BackupName)
    -> Result<(), ConfigStoreError>;
}
