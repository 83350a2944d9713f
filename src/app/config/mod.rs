//! Configuration use cases: read, change (applied live), back up and restore, and set the
//! anime directory.
//!
//! The current settings are held in a `watch` channel: readers take a cheap `Arc` snapshot,
//! and the scheduler and the log filter subscribe to changes. Documents (`config.json`, a
//! backup, a request's body) are parsed into [`Settings`] at the edge that reads them, once;
//! the use cases here see only settings.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::lock::RwLockRecover;
use tokio::sync::{Mutex, watch};

mod recovery;

pub use recovery::Recovery;

use crate::domain::config::{AbsoluteDir, BackupName, ConfigIssue, Settings};
use crate::ports::config::{BackupInfo, ConfigStoreError, issue_list};
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
            ConfigStoreError::Invalid(issues) => Self::Invalid(issues),
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
            Ok(Some(stored)) => Ok(Some(stored)),
            Ok(None) => Ok(None),
            Err(ConfigStoreError::Unreadable(reason)) => Err(reason),
            Err(ConfigStoreError::Invalid(issues)) => Err(issue_list(&issues)),
            Err(e) => return Err(e.into()),
        };
        let (config, save, recovery) = match loaded {
            Ok(Some(stored)) => {
                let save = !stored.as_written || stored.settings.data_dir != data_dir;
                let config = Settings {
                    data_dir: data_dir.clone(),
                    ..stored.settings
                };
                (config, save, None)
            }
            Ok(None) => (recovery::defaults(&data_dir), true, None),
            Err(reason) => {
                let recovery = recovery::recover(&*store, &*clock, reason).await;
                tracing::error!("{}", recovery.message());
                (recovery::defaults(&data_dir), true, Some(recovery))
            }
        };
        if save {
            store.save(&config).await?;
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

    /// Changes the settings: `change` makes the new settings from those in force (as a
    /// request's patch or document is parsed, at the edge) or names the rules they break;
    /// the result is stored and applied live. Changes are made one at a time, so two cannot
    /// lose each other's work.
    pub async fn update(
        &self,
        change: impl FnOnce(&Settings) -> Result<Settings, Vec<ConfigIssue>>,
    ) -> Result<Arc<Settings>, ConfigError> {
        let _guard = self.writing.lock().await;
        let current = self.current();
        let mut config = change(&current).map_err(ConfigError::Invalid)?;
        // The data dir is the server's (`--data-dir`), never a document's.
        config.data_dir.clone_from(&self.data_dir);
        self.commit(config).await
    }

    async fn commit(&self, config: Settings) -> Result<Arc<Settings>, ConfigError> {
        let previous = self.current();
        if previous.backup.enabled && *previous != config {
            self.automatic_backup(&previous).await;
        }
        self.store.save(&config).await?;
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
        match self
            .store
            .create_backup(folder.clone(), BackupName::at(now), previous)
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
            .update(|current| {
                let directory = AbsoluteDir::try_from(text).map_err(|e| {
                    vec![ConfigIssue {
                        field: "anime_directory".into(),
                        message: e.0.into(),
                    }]
                })?;
                Ok(Settings {
                    anime_directory: Some(directory),
                    ..current.clone()
                })
            })
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
            .create_backup(folder, name.clone(), &config)
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
        restored.data_dir.clone_from(&self.data_dir);
        self.commit(restored).await
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
        // A backup that does not read as a configuration is the user's to fix, not ours.
        ConfigStoreError::Unreadable(reason) => {
            ConfigError::Invalid(vec![ConfigIssue::whole(reason)])
        }
        other => other.into(),
    }
}

#[cfg(test)]
mod tests;
