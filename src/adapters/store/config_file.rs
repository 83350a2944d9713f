//! `config.json` in the data dir and its backups, behind [`ConfigStore`].
//!
//! Every write goes to a temp file in the same folder, is fsynced and then renamed over the
//! target, so a crash leaves either the old or the new document, never half of one. The
//! file holds the configuration document ([`AppConfig`]); the core sees only [`Settings`].

use std::io::Write;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::config::{AppConfig, BackupName, DataDirPath, Settings};
use crate::ports::config::{BackupInfo, ConfigStore, ConfigStoreError, Stored};

/// Config file and backups under one data dir.
pub struct ConfigFile {
    data_dir: PathBuf,
}

impl ConfigFile {
    /// The store for `<data_dir>/config.json`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
        }
    }

    fn path(&self) -> PathBuf {
        self.data_dir.join("config.json")
    }

    /// The backup folder: `folder` is relative to the data dir and was validated, but is
    /// checked again here because this is the last line before the file system.
    fn backup_dir(&self, folder: &str) -> Result<PathBuf, ConfigStoreError> {
        DataDirPath::try_from(folder)
            .map(|rel| self.data_dir.join(rel.path()))
            .map_err(|_| {
                ConfigStoreError::Internal("backup folder must stay inside the data dir".into())
            })
    }
}

/// The file system's refusal, naming the file.
fn io(path: &Path, e: &std::io::Error) -> ConfigStoreError {
    ConfigStoreError::Io(format!("{}: {e}", path.display()))
}

/// Writes `bytes` to `path` atomically: temp file, fsync, rename, fsync of the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        uuid::Uuid::new_v4()
    ));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable only once the folder is synced.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A stored document as settings, and whether it is exactly what saving them writes.
fn parse(bytes: &[u8]) -> Result<Stored, ConfigStoreError> {
    let document: AppConfig =
        serde_json::from_slice(bytes).map_err(|e| ConfigStoreError::Unreadable(e.to_string()))?;
    let settings = Settings::try_from(document.clone()).map_err(ConfigStoreError::Invalid)?;
    let as_written = AppConfig::from(&settings) == document;
    Ok(Stored {
        settings,
        as_written,
    })
}

fn render(config: &Settings) -> Result<Vec<u8>, ConfigStoreError> {
    let mut bytes = serde_json::to_vec_pretty(&AppConfig::from(config))
        .map_err(|e| ConfigStoreError::Unreadable(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn info(path: &Path) -> Option<BackupInfo> {
    let meta = std::fs::metadata(path).ok()?;
    let created = meta.created().or_else(|_| meta.modified()).ok()?;
    Some(BackupInfo {
        name: path.file_name()?.to_str()?.to_owned(),
        size: meta.len(),
        created: DateTime::<Utc>::from(created),
    })
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ConfigStoreError> + Send + 'static,
) -> Result<T, ConfigStoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ConfigStoreError::Internal(format!("config task failed: {e}")))?
}

#[async_trait]
impl ConfigStore for ConfigFile {
    async fn load(&self) -> Result<Option<Stored>, ConfigStoreError> {
        let path = self.path();
        blocking(move || match std::fs::read(&path) {
            Ok(bytes) => parse(&bytes).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&path, &e)),
        })
        .await
    }

    async fn save(&self, config: &Settings) -> Result<(), ConfigStoreError> {
        let (path, bytes) = (self.path(), render(config)?);
        blocking(move || write_atomically(&path, &bytes).map_err(|e| io(&path, &e))).await
    }

    async fn set_aside(&self, at: DateTime<Utc>) -> Result<String, ConfigStoreError> {
        let from = self.path();
        let name = format!("config.json.corrupt-{}", at.format("%Y%m%d_%H%M%S"));
        let to = self.data_dir.join(&name);
        blocking(move || {
            std::fs::rename(&from, &to)
                .map(|()| name)
                .map_err(|e| io(&from, &e))
        })
        .await
    }

    async fn create_backup(
        &self,
        folder: String,
        name: BackupName,
        config: &Settings,
    ) -> Result<BackupInfo, ConfigStoreError> {
        let path = self.backup_dir(&folder)?.join(name.as_str());
        let bytes = render(config)?;
        blocking(move || {
            if path.exists() {
                return Err(ConfigStoreError::BackupExists);
            }
            write_atomically(&path, &bytes).map_err(|e| io(&path, &e))?;
            info(&path).ok_or_else(|| {
                ConfigStoreError::Io(format!("{}: vanished after writing", path.display()))
            })
        })
        .await
    }

    async fn list_backups(&self, folder: String) -> Result<Vec<BackupInfo>, ConfigStoreError> {
        let dir = self.backup_dir(&folder)?;
        blocking(move || {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
                Err(e) => return Err(io(&dir, &e)),
            };
            let mut list: Vec<BackupInfo> = entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter(|e| {
                    e.file_name()
                        .to_str()
                        .is_some_and(|n| BackupName::parse(n).is_ok())
                })
                .filter_map(|e| info(&e.path()))
                .collect();
            list.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| b.name.cmp(&a.name)));
            Ok(list)
        })
        .await
    }

    async fn read_backup(
        &self,
        folder: String,
        name: BackupName,
    ) -> Result<Settings, ConfigStoreError> {
        let path = self.backup_dir(&folder)?.join(name.as_str());
        blocking(move || match std::fs::read(&path) {
            Ok(bytes) => parse(&bytes).map(|stored| stored.settings),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(ConfigStoreError::BackupNotFound)
            }
            Err(e) => Err(io(&path, &e)),
        })
        .await
    }

    async fn delete_backup(
        &self,
        folder: String,
        name: BackupName,
    ) -> Result<(), ConfigStoreError> {
        let path = self.backup_dir(&folder)?.join(name.as_str());
        blocking(move || match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(ConfigStoreError::BackupNotFound)
            }
            Err(e) => Err(io(&path, &e)),
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_saved_config_loads_back_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = ConfigFile::new(dir.path());
        assert_eq!(store.load().await.unwrap(), None);
        let mut c = Settings::default();
        c.scheduler.interval_minutes = 7;
        store.save(&c).await.unwrap();
        let stored = store.load().await.unwrap().unwrap();
        assert_eq!((stored.settings, stored.as_written), (c, true));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["config.json"]);
    }

    #[tokio::test]
    async fn backups_are_listed_read_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let store = ConfigFile::new(dir.path());
        let name = BackupName::parse("one").unwrap();
        let made = store
            .create_backup("backups".into(), name.clone(), &Settings::default())
            .await
            .unwrap();
        assert_eq!(made.name, "one.json");
        assert!(made.size > 100);
        assert!(matches!(
            store
                .create_backup("backups".into(), name.clone(), &Settings::default())
                .await,
            Err(ConfigStoreError::BackupExists)
        ));
        assert_eq!(
            store.list_backups("backups".into()).await.unwrap()[0].name,
            "one.json"
        );
        assert_eq!(
            store
                .read_backup("backups".into(), name.clone())
                .await
                .unwrap(),
            Settings::default()
        );
        store
            .delete_backup("backups".into(), name.clone())
            .await
            .unwrap();
        assert!(matches!(
            store.read_backup("backups".into(), name).await,
            Err(ConfigStoreError::BackupNotFound)
        ));
    }

    #[tokio::test]
    async fn a_document_lacking_fields_reads_with_their_defaults_and_a_broken_rule_as_invalid() {
        let dir = tempfile::tempdir().unwrap();
        let store = ConfigFile::new(dir.path());
        std::fs::write(dir.path().join("config.json"), br#"{"name": "Mine"}"#).unwrap();
        let stored = store.load().await.unwrap().unwrap();
        assert_eq!(stored.settings.name, "Mine");
        assert_eq!(stored.settings.scheduler, Settings::default().scheduler);
        std::fs::write(
            dir.path().join("config.json"),
            br#"{"scheduler": {"interval_minutes": 0}}"#,
        )
        .unwrap();
        let Err(ConfigStoreError::Invalid(issues)) = store.load().await else {
            panic!("a broken rule is invalid");
        };
        assert_eq!(issues[0].field, "scheduler.interval_minutes");
        std::fs::write(dir.path().join("config.json"), b"{").unwrap();
        assert!(matches!(
            store.load().await,
            Err(ConfigStoreError::Unreadable(_))
        ));
    }

    #[tokio::test]
    async fn a_refused_write_is_an_io_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("data"), b"a file, not a folder").unwrap();
        let store = ConfigFile::new(dir.path().join("data"));
        let Err(ConfigStoreError::Io(reason)) = store.save(&Settings::default()).await else {
            panic!("an I/O error");
        };
        assert!(reason.contains("data/config.json: "), "{reason}");
    }

    #[tokio::test]
    async fn a_backup_folder_outside_the_data_dir_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = ConfigFile::new(dir.path());
        assert!(store.list_backups("../elsewhere".into()).await.is_err());
    }
}
