//! Configuration use cases: read, partially update (applied live), validate, back up and
//! restore, and set the anime directory.
//!
//! The current settings are held in a `watch` channel: readers take a cheap `Arc` snapshot,
//! and the scheduler and the log filter subscribe to changes. Documents (`config.json`, a
//! backup, a request's body) are parsed into [`Settings`] here, once, as they come in.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::lock::RwLockRecover;
use serde_json::Value;
use tokio::sync::{Mutex, watch};

mod recovery;

pub use recovery::Recovery;

use crate::domain::config::{AppConfig, BackupName, ConfigIssue, Settings, merge_patch};
use crate::ports::config::{BackupInfo, ConfigStoreError};
use crate::ports::{Clock, ConfigStore};

/// Why a configuration use case failed.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The resulting configuration breaks these rules; nothing was changed.
    #[error("invalid configuration")]
    Invalid(Vec<ConfigIssue>),
    /// The backup name is not a plain file name.
    #[error("invalid backup name: use letters, digits, '.', '-' or '_' and no path")]
    InvalidBackupName,
    /// No backup of that name exists.
    #[error("backup '{0}' not found")]
    BackupNotFound(String),
    /// A backup of that name exists already.
    #[error("backup '{0}' exists already")]
    BackupExists(String),
    /// The file system refused a read or write (a read-only or full disk): the file and the
    /// system's reason. Nothing was changed.
    #[error("the configuration's files cannot be read or written: {0}")]
    Io(String),
    /// Storage failed unexpectedly.
    #[error("configuration storage failed: {0}")]
    Storage(String),
}

impl From<ConfigStoreError> for ConfigError {
    fn from(e: ConfigStoreError) -> Self {
        match e {
            ConfigStoreError::Io(reason) => Self::Io(reason),
            other => Self::Storage(other.to_string()),
        }
    }
}

/// Configuration use cases.
pub struct ConfigService {
    store: Arc<dyn ConfigStore>,
    clock: Arc<dyn Clock>,
    data_dir: String,
    /// `--anime-dir`; wins over the configured directory until the directory is changed
    /// through the API.
    anime_dir_override: RwLock<Option<PathBuf>>,
    current: watch::Sender<Arc<Settings>>,
    /// Serialises read-modify-write cycles so two updates cannot lose each other's changes.
    writing: Mutex<()>,
    /// How an unusable `config.json` was dealt with at start-up, if it was.
    recovery: Option<Recovery>,
}

impl ConfigService {
    /// Loads `config.json`, or writes the defaults on first start. `data_dir` is shown in the
    /// document as the data dir in use.
    pub async fn load(
        store: Arc<dyn ConfigStore>,
        clock: Arc<dyn Clock>,
        data_dir: String,
        anime_dir_override: Option<PathBuf>,
    ) -> Result<Self, ConfigError> {
        let loaded = match store.load().await {
            Ok(stored) => {
                let mut config = stored.clone().unwrap_or_default();
                config.data_dir = data_dir.clone();
                match Settings::try_from(config) {
                    Ok(settings) => Ok((stored, settings)),
                    Err(issues) => {
                        let list: Vec<String> = issues
                            .iter()
                            .map(|i| format!("{}: {}", i.field, i.message))
                            .collect();
                        Err(list.join("; "))
                    }
                }
            }
            Err(ConfigStoreError::Unreadable(reason)) => Err(reason),
            Err(e) => return Err(e.into()),
        };
        let (stored, config, recovery) = match loaded {
            Ok((stored, config)) => (stored, config, None),
            Err(reason) => {
                let recovery = recovery::recover(&*store, &*clock, &data_dir, reason).await;
                tracing::error!("{}", recovery.message());
                (None, recovery::defaults(&data_dir), Some(recovery))
            }
        };
        let document = AppConfig::from(&config);
        if stored.as_ref() != Some(&document) {
            store.save(&document).await?;
        }
        Ok(Self {
            store,
            clock,
            data_dir,
            anime_dir_override: RwLock::new(anime_dir_override),
            current: watch::channel(Arc::new(config)).0,
            writing: Mutex::new(()),
            recovery,
        })
    }

    /// How an unusable `config.json` was dealt with at start-up, if it was.
    pub fn recovery(&self) -> Option<&Recovery> {
        self.recovery.as_ref()
    }

    /// The settings in force.
    pub fn current(&self) -> Arc<Settings> {
        self.current.borrow().clone()
    }

    /// A receiver that sees every change.
    pub fn subscribe(&self) -> watch::Receiver<Arc<Settings>> {
        self.current.subscribe()
    }

    /// The anime directory in force: `--anime-dir`, else the configured one.
    pub fn anime_dir(&self) -> Option<PathBuf> {
        let forced = self.anime_dir_override.read_or_recover().clone();
        forced.or_else(|| {
            let current = self.current();
            current
                .anime_directory
                .as_ref()
                .map(|d| d.path().to_path_buf())
        })
    }

    /// Applies a JSON merge patch, validates the result and stores it.
    pub async fn update(&self, patch: &Value) -> Result<Arc<Settings>, ConfigError> {
        let _guard = self.writing.lock().await;
        let mut doc = serde_json::to_value(AppConfig::from(&*self.current()))
            .map_err(|e| ConfigError::Storage(e.to_string()))?;
        merge_patch(&mut doc, patch);
        let config = self.check(doc)?;
        self.commit(config).await
    }

    /// The problems a full configuration document has; empty when it is valid.
    pub fn validate(&self, doc: &Value) -> Vec<ConfigIssue> {
        match self.check(doc.clone()) {
            Ok(_) => vec![],
            Err(ConfigError::Invalid(issues)) => issues,
            Err(e) => vec![ConfigIssue {
                field: String::new(),
                message: e.to_string(),
            }],
        }
    }

    /// Parses a document into settings; the data dir is read-only.
    fn check(&self, doc: Value) -> Result<Settings, ConfigError> {
        let config: AppConfig = serde_json::from_value(doc).map_err(|e| {
            ConfigError::Invalid(vec![ConfigIssue {
                field: String::new(),
                message: e.to_string(),
            }])
        })?;
        let data_dir_kept = config.data_dir == self.data_dir;
        let (settings, mut issues) = match Settings::try_from(config) {
            Ok(settings) => (Some(settings), vec![]),
            Err(issues) => (None, issues),
        };
        if !data_dir_kept {
            issues.push(ConfigIssue {
                field: "data_dir".into(),
                message: "is read-only: start the server with --data-dir to change it".into(),
            });
        }
        match settings {
            Some(settings) if issues.is_empty() => Ok(settings),
            _ => Err(ConfigError::Invalid(issues)),
        }
    }

    async fn commit(&self, config: Settings) -> Result<Arc<Settings>, ConfigError> {
        let previous = self.current();
        if previous.backup.enabled && *previous != config {
            self.automatic_backup(&previous).await;
        }
        self.store.save(&AppConfig::from(&config)).await?;
        let config = Arc::new(config);
        self.current.send_replace(config.clone());
        Ok(config)
    }

    /// With `backup.enabled`, every change first backs up the configuration it replaces, and
    /// automatic backups older than `backup.keep_days` are deleted (backups a user named are
    /// kept). A failure here is logged and does not stop the change.
    async fn automatic_backup(&self, previous: &Settings) {
        let now = self.clock.now();
        let folder = previous.backup.path.as_str().to_owned();
        let document = AppConfig::from(previous);
        match self
            .store
            .create_backup(folder.clone(), BackupName::at(now), &document)
            .await
        {
            Ok(_) | Err(ConfigStoreError::BackupExists) => {}
            Err(e) => tracing::warn!(error = %e, "automatic configuration backup failed"),
        }
        let oldest = now - chrono::Duration::days(i64::from(previous.backup.keep_days));
        let Ok(backups) = self.store.list_backups(folder.clone()).await else {
            return;
        };
        let expired = backups
            .iter()
            .filter_map(|b| BackupName::parse(&b.name).ok())
            .filter(|name| name.automatic_time().is_some_and(|t| t < oldest));
        for name in expired {
            if let Err(e) = self.store.delete_backup(folder.clone(), name).await {
                tracing::warn!(error = %e, "expired configuration backup not deleted");
            }
        }
    }

    /// Sets the anime directory (it then wins over `--anime-dir`).
    pub async fn set_anime_directory(&self, dir: PathBuf) -> Result<Arc<Settings>, ConfigError> {
        let text = dir.to_string_lossy().into_owned();
        let updated = self
            .update(&serde_json::json!({ "anime_directory": text }))
            .await?;
        *self.anime_dir_override.write_or_recover() = None;
        Ok(updated)
    }

    /// Backs up the configuration in force, under `name` or a time-stamped name.
    pub async fn create_backup(&self, name: Option<&str>) -> Result<BackupInfo, ConfigError> {
        let name = match name {
            Some(n) => BackupName::parse(n).map_err(|_| ConfigError::InvalidBackupName)?,
            None => BackupName::at(self.clock.now()),
        };
        let config = self.current();
        let folder = config.backup.path.as_str().to_owned();
        self.store
            .create_backup(folder, name.clone(), &AppConfig::from(&*config))
            .await
            .map_err(|e| backup_error(e, &name))
    }

    /// The backups, newest first.
    pub async fn list_backups(&self) -> Result<Vec<BackupInfo>, ConfigError> {
        Ok(self
            .store
            .list_backups(self.current().backup.path.as_str().to_owned())
            .await?)
    }

    /// Makes a backup the configuration in force (validated first; the data dir stays).
    pub async fn restore_backup(&self, name: &str) -> Result<Arc<Settings>, ConfigError> {
        let name = BackupName::parse(name).map_err(|_| ConfigError::InvalidBackupName)?;
        let _guard = self.writing.lock().await;
        let folder = self.current().backup.path.as_str().to_owned();
        let mut restored = self
            .store
            .read_backup(folder, name.clone())
            .await
            .map_err(|e| backup_error(e, &name))?;
        restored.data_dir = self.data_dir.clone();
        let doc =
            serde_json::to_value(&restored).map_err(|e| ConfigError::Storage(e.to_string()))?;
        let config = self.check(doc)?;
        self.commit(config).await
    }

    /// Deletes a backup.
    pub async fn delete_backup(&self, name: &str) -> Result<String, ConfigError> {
        let name = BackupName::parse(name).map_err(|_| ConfigError::InvalidBackupName)?;
        self.store
            .delete_backup(self.current().backup.path.as_str().to_owned(), name.clone())
            .await
            .map_err(|e| backup_error(e, &name))?;
        Ok(name.as_str().to_owned())
    }
}

fn backup_error(e: ConfigStoreError, name: &BackupName) -> ConfigError {
    match e {
        ConfigStoreError::BackupNotFound => ConfigError::BackupNotFound(name.as_str().to_owned()),
        ConfigStoreError::BackupExists => ConfigError::BackupExists(name.as_str().to_owned()),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests;
