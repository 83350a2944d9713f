//! Where the configuration and its backups are kept. The core hands over and gets back
//! [`Settings`]; the document they are written as is the adapter's.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::config::{BackupName, ConfigIssue, Settings};

/// Why reading or writing configuration failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigStoreError {
    /// No backup of that name exists.
    #[error("backup not found")]
    BackupNotFound,
    /// A backup of that name exists already.
    #[error("a backup of that name exists already")]
    BackupExists,
    /// A stored document cannot be read as a configuration (not JSON, an unknown field).
    #[error("stored configuration is unreadable: {0}")]
    Unreadable(String),
    /// A stored document reads, but breaks these rules.
    #[error("stored configuration is invalid: {}", issue_list(.0))]
    Invalid(Vec<ConfigIssue>),
    /// The file system refused a read or write: the file and the system's reason, e.g.
    /// "…/config.json: Read-only file system (os error 30)". The user's to fix.
    #[error("the configuration's files cannot be read or written: {0}")]
    Io(String),
    /// Something that should not happen (a backup folder outside the data dir, a task that
    /// panicked).
    #[error("configuration storage failed: {0}")]
    Internal(String),
}

/// The rules a document breaks, as one line: `field: message; …`.
pub fn issue_list(issues: &[ConfigIssue]) -> String {
    issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The configuration as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// The settings, with the data dir the file names.
    pub settings: Settings,
    /// Whether the document read is exactly the one saving these settings writes (a field
    /// left out counts as its default).
    pub as_written: bool,
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
    async fn load(&self) -> Result<Option<Stored>, ConfigStoreError>;

    /// Replaces the stored configuration atomically (temp file, fsync, rename).
    async fn save(&self, config: &Settings) -> Result<(), ConfigStoreError>;

    /// Moves an unreadable `config.json` aside, keeping it for the user, as
    /// `config.json.corrupt-<YYYYMMDD_HHMMSS>`; answers that name.
    async fn set_aside(&self, at: DateTime<Utc>) -> Result<String, ConfigStoreError>;

    /// Writes `config` as a backup named `name` into `folder`.
    async fn create_backup(
        &self,
        folder: String,
        name: BackupName,
        config: &Settings,
    ) -> Result<BackupInfo, ConfigStoreError>;

    /// The backups in `folder`, newest first.
    async fn list_backups(&self, folder: String) -> Result<Vec<BackupInfo>, ConfigStoreError>;

    /// The configuration held by a backup (with the data dir it names).
    async fn read_backup(
        &self,
        folder: String,
        name: BackupName,
    ) -> Result<Settings, ConfigStoreError>;

    /// Deletes a backup.
    async fn delete_backup(&self, folder: String, name: BackupName)
    -> Result<(), ConfigStoreError>;
}
