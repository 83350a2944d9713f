//! Where the library directory is configured. The library reads it on every use (so a
//! change applies at once) and stores a new one after a directory switch.

use std::path::PathBuf;

use async_trait::async_trait;

use crate::app::config::{ConfigError, ConfigService};
use crate::lock::RwLockRecover;

/// The configured library directory.
#[async_trait]
pub trait DirectorySetting: Send + Sync {
    /// The directory in force, where one is set.
    fn directory(&self) -> Option<PathBuf>;

    /// Stores a new directory in the configuration.
    ///
    /// # Errors
    /// The configuration's error when it cannot be saved.
    async fn set_directory(&self, dir: PathBuf) -> Result<(), ConfigError>;
}

#[async_trait]
impl DirectorySetting for ConfigService {
    fn directory(&self) -> Option<PathBuf> {
        self.anime_dir()
    }

    async fn set_directory(&self, dir: PathBuf) -> Result<(), ConfigError> {
        self.set_anime_directory(dir).await.map(|_| ())
    }
}

/// A directory setting held in memory, for tests and tools.
#[derive(Debug, Default)]
pub struct FixedDirectory(std::sync::RwLock<Option<PathBuf>>);

impl FixedDirectory {
    /// A setting holding `dir`.
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self(std::sync::RwLock::new(dir))
    }
}

#[async_trait]
impl DirectorySetting for FixedDirectory {
    fn directory(&self) -> Option<PathBuf> {
        self.0.read_or_recover().clone()
    }

    async fn set_directory(&self, dir: PathBuf) -> Result<(), ConfigError> {
        *self.0.write_or_recover() = Some(dir);
        Ok(())
    }
}
