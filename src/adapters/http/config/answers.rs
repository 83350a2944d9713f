//! The small bodies of API.md section 5: validation verdicts, backups, the library
//! directory and plain messages.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::types::Example;

/// The outcome of validating a configuration.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ValidationResult {
    pub valid: bool,
    /// One line per problem: `field: message`.
    pub errors: Vec<String>,
}

/// A configuration backup.
#[derive(Debug, Object)]
#[oai(example)]
pub struct BackupEntry {
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    pub created: DateTime<Utc>,
}

/// A created backup.
#[derive(Debug, Object)]
#[oai(example)]
pub struct BackupCreated {
    pub name: String,
    pub message: String,
}

/// A new library directory.
#[derive(Debug, Object)]
#[oai(example)]
pub struct DirectoryRequest {
    /// An absolute path to an existing directory.
    pub directory: String,
}

/// The library directory was switched.
#[derive(Debug, Object)]
#[oai(example)]
pub struct DirectoryUpdated {
    pub message: String,
    /// Series found through their `aniworld.json` sidecars.
    pub synced_series: u64,
}

/// A plain message.
#[derive(Debug, Object)]
#[oai(example)]
pub struct Message {
    pub message: String,
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

impl Example for BackupCreated {
    fn example() -> Self {
        Self {
            name: "config_backup_20251213_090130.json".into(),
            message: "Backup created successfully".into(),
        }
    }
}

impl Example for DirectoryRequest {
    fn example() -> Self {
        Self {
            directory: "/srv/anime".into(),
        }
    }
}

impl Example for DirectoryUpdated {
    fn example() -> Self {
        Self {
            message: "Anime directory updated successfully".into(),
            synced_series: 15,
        }
    }
}

impl Example for Message {
    fn example() -> Self {
        Self {
            message: "Backup 'config_backup_20251213.json' deleted successfully".into(),
        }
    }
}
