//! Configuration backup names: plain file names only, so a name from a URL can never reach
//! outside the backup folder.

/// The name of a configuration backup: a plain file name of letters, digits, `.`, `-` and `_`
/// ending in `.json`, with no path separator, no `..` and no NUL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BackupName(String);

/// Why a backup name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid backup name: use 1 to 128 letters, digits, '.', '-' or '_' (no path)")]
pub struct InvalidBackupName;

impl BackupName {
    /// Checks a name from a URL; `.json` is appended when missing.
    pub fn parse(raw: &str) -> Result<Self, InvalidBackupName> {
        let plain = !raw.is_empty()
            && raw.len() <= 128
            && !raw.starts_with('.')
            && !raw.contains("..")
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if !plain {
            return Err(InvalidBackupName);
        }
        if raw.ends_with(".json") {
            Ok(Self(raw.to_owned()))
        } else {
            Ok(Self(format!("{raw}.json")))
        }
    }

    /// The automatic name at a time: `config_backup_YYYYMMDD_HHMMSS.json`.
    pub fn at(time: chrono::DateTime<chrono::Utc>) -> Self {
        Self(time.format("config_backup_%Y%m%d_%H%M%S.json").to_string())
    }

    /// When an automatic backup was made, read from its name; `None` for a name a user chose.
    pub fn automatic_time(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let stamp = self
            .0
            .strip_prefix("config_backup_")?
            .strip_suffix(".json")?;
        chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d_%H%M%S")
            .ok()
            .map(|t| t.and_utc())
    }

    /// The file name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod backup_name_tests {
    use super::*;

    #[test]
    fn traversal_and_separators_are_refused() {
        for bad in [
            "../config.json",
            "a/b.json",
            "a\\b",
            "..",
            ".hidden",
            "a\0b",
            "",
            "x..json",
            "%2e%2e",
        ] {
            assert!(BackupName::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn json_is_appended_to_a_custom_name() {
        assert_eq!(
            BackupName::parse("before-upgrade").unwrap().as_str(),
            "before-upgrade.json"
        );
        assert_eq!(BackupName::parse("b_1.json").unwrap().as_str(), "b_1.json");
    }

    #[test]
    fn the_time_of_an_automatic_backup_is_read_back_from_its_name() {
        let t = chrono::DateTime::from_timestamp(1_765_616_490, 0).unwrap();
        assert_eq!(BackupName::at(t).automatic_time(), Some(t));
        assert_eq!(
            BackupName::parse("before-upgrade")
                .unwrap()
                .automatic_time(),
            None
        );
        assert_eq!(
            BackupName::parse("config_backup_2025.json")
                .unwrap()
                .automatic_time(),
            None
        );
    }

    #[test]
    fn automatic_names_carry_the_time() {
        let t = chrono::DateTime::from_timestamp(1_765_616_490, 0).unwrap();
        assert_eq!(
            BackupName::at(t).as_str(),
            "config_backup_20251213_090130.json"
        );
    }
}
