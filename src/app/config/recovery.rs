//! Starting on a `config.json` that cannot be used (corrupted by hand, cut short): the server
//! still starts, on the default configuration, with the broken file kept aside and a clear
//! message that names the last good backup to restore (CONTRACT.md section 2, issue 11).

use crate::domain::config::{BackupName, Settings};
use crate::ports::{Clock, ConfigStore};

/// What happened to an unusable `config.json` at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// Why the file could not be used.
    pub reason: String,
    /// The name it was kept under in the data dir, where moving it worked.
    pub kept_as: Option<String>,
    /// The newest backup that reads as a valid configuration.
    pub last_good_backup: Option<String>,
}

impl Recovery {
    /// The message for the log and the event bus.
    pub fn message(&self) -> String {
        let kept = self.kept_as.as_deref().map_or_else(
            || " (it could not be moved aside)".to_owned(),
            |name| format!("; it was kept as {name}"),
        );
        let offer = self.last_good_backup.as_deref().map_or_else(
            || "No good backup was found.".to_owned(),
            |name| {
                format!(
                    "The last good backup is {name}: restore it with POST /api/config/backups/{name}/restore."
                )
            },
        );
        format!(
            "config.json could not be used ({}){kept}. The server started with the default configuration. {offer}",
            self.reason
        )
    }
}

/// Sets the unusable file aside and looks for the newest backup that is a valid
/// configuration (in the default backup folder: the file that named another is unreadable).
pub(super) async fn recover(
    store: &dyn ConfigStore,
    clock: &dyn Clock,
    reason: String,
) -> Recovery {
    let kept_as = match store.set_aside(clock.now()).await {
        Ok(name) => Some(name),
        Err(e) => {
            tracing::error!(error = %e, "could not move the unusable config.json aside");
            None
        }
    };
    let folder = Settings::default().backup.path.as_str().to_owned();
    let mut last_good_backup = None;
    for backup in store.list_backups(folder.clone()).await.unwrap_or_default() {
        let Ok(name) = BackupName::parse(&backup.name) else {
            continue;
        };
        // The store reads a backup only as a valid configuration.
        if store.read_backup(folder.clone(), name).await.is_ok() {
            last_good_backup = Some(backup.name);
            break;
        }
    }
    Recovery {
        reason,
        kept_as,
        last_good_backup,
    }
}

/// The configuration to start on after a recovery.
pub(super) fn defaults(data_dir: &str) -> Settings {
    Settings {
        data_dir: data_dir.to_owned(),
        ..Settings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_says_what_happened_and_what_to_restore() {
        let r = Recovery {
            reason: "expected value at line 1 column 1".into(),
            kept_as: Some("config.json.corrupt-20261201_120000".into()),
            last_good_backup: Some("config_backup_20261130_080000.json".into()),
        };
        let m = r.message();
        assert!(
            m.contains("config.json could not be used (expected value"),
            "{m}"
        );
        assert!(
            m.contains("kept as config.json.corrupt-20261201_120000"),
            "{m}"
        );
        assert!(m.contains("default configuration"), "{m}");
        assert!(
            m.contains("POST /api/config/backups/config_backup_20261130_080000.json/restore"),
            "{m}"
        );
        let none = Recovery {
            last_good_backup: None,
            ..r
        };
        assert!(none.message().contains("No good backup was found."));
    }
}
