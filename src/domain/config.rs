//! The configuration document (API.md section 5, CONTRACT.md section 2) and its validation.
//!
//! The document is stored as `config.json` in the data dir. Relative paths in it are relative
//! to the data dir, and no path may point outside it: a request must never make the server
//! write elsewhere.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::catalogue::Language;

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppConfig {
    pub name: String,
    /// The data dir in use; read-only, set by `--data-dir`.
    pub data_dir: String,
    /// The anime library root, where one is set.
    pub anime_directory: Option<String>,
    pub scheduler: SchedulerConfig,
    pub logging: LoggingConfig,
    pub backup: BackupConfig,
    pub downloads: DownloadConfig,
    pub provider: ProviderConfig,
    /// Free-form settings kept for clients.
    pub other: Map<String, Value>,
}

/// The periodic library rescan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SchedulerConfig {
    pub enabled: bool,
    /// Minutes between two rescans, 1 to 10080 (a week).
    pub interval_minutes: u32,
    /// Queue newly missing episodes after a scheduled scan.
    pub auto_download: bool,
}

/// Log level and the optional rotating log file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoggingConfig {
    /// DEBUG, INFO, WARNING, ERROR or CRITICAL (TRACE too).
    pub level: String,
    /// Log file, relative to the data dir; none logs to standard error only.
    pub file: Option<String>,
    /// Rotate the log file when it reaches this size.
    pub max_bytes: Option<u64>,
    /// Rotated files kept.
    pub backup_count: u32,
}

/// Where configuration backups live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupConfig {
    pub enabled: bool,
    /// Backup folder, relative to the data dir (or absolute inside it).
    pub path: String,
    pub keep_days: u32,
}

/// How episodes are downloaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DownloadConfig {
    /// Languages in order of preference: "German Dub", "German Sub", "English Sub".
    pub preferred_languages: Vec<String>,
    /// Hoster names in order of preference.
    pub preferred_hosters: Vec<String>,
    /// Downloads running at once, 1 to 8.
    pub parallel_downloads: u32,
    /// HLS segments fetched at once, 1 to 32.
    pub segment_concurrency: u32,
    /// Retries of a failed download, 0 to 10.
    pub retries: u32,
    /// Bandwidth cap in KiB/s; none is unlimited.
    pub bandwidth_limit_kbps: Option<u64>,
    /// Remux HLS downloads to MP4 where ffmpeg is on the PATH.
    pub remux_to_mp4: bool,
}

/// How the catalogue site is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderConfig {
    /// Deadline of one request (and of work a user waits for), 1 to 300 seconds.
    pub timeout_seconds: u32,
    /// How long series and season pages are cached, 0 to 1440 minutes.
    pub cache_minutes: u32,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            name: "Aniworld".into(),
            data_dir: "data".into(),
            anime_directory: None,
            scheduler: SchedulerConfig::default(),
            logging: LoggingConfig::default(),
            backup: BackupConfig::default(),
            downloads: DownloadConfig::default(),
            provider: ProviderConfig::default(),
            other: Map::new(),
        }
    }
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            interval_minutes: 60,
            auto_download: false,
        }
    }
}

impl Default for LoggingConfig {
    fn default() -> Self {
        Self {
            level: "INFO".into(),
            file: None,
            max_bytes: None,
            backup_count: 3,
        }
    }
}

impl Default for BackupConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            path: "backups".into(),
            keep_days: 30,
        }
    }
}

impl Default for DownloadConfig {
    fn default() -> Self {
        Self {
            preferred_languages: ["German Dub", "German Sub", "English Sub"]
                .map(String::from)
                .into(),
            preferred_hosters: ["VOE", "Vidoza", "Vidmoly", "Streamtape"]
                .map(String::from)
                .into(),
            parallel_downloads: 1,
            segment_concurrency: 4,
            retries: 3,
            bandwidth_limit_kbps: None,
            remux_to_mp4: false,
        }
    }
}

impl Default for ProviderConfig {
    fn default() -> Self {
        Self {
            timeout_seconds: 15,
            cache_minutes: 10,
        }
    }
}

/// One reason a configuration is invalid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigIssue {
    /// Dotted path of the field, e.g. `scheduler.interval_minutes`.
    pub field: String,
    pub message: String,
}

impl ConfigIssue {
    fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Log levels accepted, as the tracing level they mean.
pub fn tracing_level(level: &str) -> Option<&'static str> {
    match level.to_ascii_uppercase().as_str() {
        "TRACE" => Some("trace"),
        "DEBUG" => Some("debug"),
        "INFO" => Some("info"),
        "WARNING" | "WARN" => Some("warn"),
        "ERROR" | "CRITICAL" => Some("error"),
        _ => None,
    }
}

impl AppConfig {
    /// Every rule the configuration breaks; empty when it is valid.
    pub fn validate(&self) -> Vec<ConfigIssue> {
        let mut issues = Vec::new();
        let mut check = |ok: bool, field: &str, message: &str| {
            if !ok {
                issues.push(ConfigIssue::new(field, message));
            }
        };
        check(
            !self.name.trim().is_empty() && self.name.len() <= 100,
            "name",
            "must be 1 to 100 characters",
        );
        let s = &self.scheduler;
        check(
            (1..=10080).contains(&s.interval_minutes),
            "scheduler.interval_minutes",
            "must be between 1 and 10080",
        );
        let l = &self.logging;
        check(
            tracing_level(&l.level).is_some(),
            "logging.level",
            "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
        );
        check(
            l.max_bytes.is_none_or(|m| m >= 1024),
            "logging.max_bytes",
            "must be at least 1024 when set",
        );
        check(
            l.backup_count <= 100,
            "logging.backup_count",
            "must be at most 100",
        );
        check(
            l.file
                .as_deref()
                .is_none_or(|f| relative_inside(f).is_some()),
            "logging.file",
            "must be a relative path inside the data directory",
        );
        let b = &self.backup;
        check(
            relative_inside(&b.path).is_some(),
            "backup.path",
            "must be a relative path inside the data directory",
        );
        check(
            (1..=3650).contains(&b.keep_days),
            "backup.keep_days",
            "must be between 1 and 3650",
        );
        let d = &self.downloads;
        check(
            !d.preferred_languages.is_empty()
                && d.preferred_languages
                    .iter()
                    .all(|l| Language::from_name(l).is_some()),
            "downloads.preferred_languages",
            "must list one or more of German Dub, German Sub, English Sub",
        );
        check(
            !d.preferred_hosters.is_empty()
                && d.preferred_hosters
                    .iter()
                    .all(|h| !h.trim().is_empty() && h.len() <= 50),
            "downloads.preferred_hosters",
            "must list one or more hoster names",
        );
        check(
            (1..=8).contains(&d.parallel_downloads),
            "downloads.parallel_downloads",
            "must be between 1 and 8",
        );
        check(
            (1..=32).contains(&d.segment_concurrency),
            "downloads.segment_concurrency",
            "must be between 1 and 32",
        );
        check(d.retries <= 10, "downloads.retries", "must be at most 10");
        check(
            d.bandwidth_limit_kbps.is_none_or(|k| k >= 1),
            "downloads.bandwidth_limit_kbps",
            "must be positive when set",
        );
        let p = &self.provider;
        check(
            (1..=300).contains(&p.timeout_seconds),
            "provider.timeout_seconds",
            "must be between 1 and 300",
        );
        check(
            p.cache_minutes <= 1440,
            "provider.cache_minutes",
            "must be at most 1440",
        );
        if let Some(dir) = &self.anime_directory {
            check(
                Path::new(dir).is_absolute() && !dir.contains('\0'),
                "anime_directory",
                "must be an absolute path",
            );
        }
        issues
    }

    /// The preferred languages, parsed; unknown names are skipped.
    pub fn languages(&self) -> Vec<Language> {
        self.downloads
            .preferred_languages
            .iter()
            .filter_map(|l| Language::from_name(l))
            .collect()
    }
}

/// A path relative to the data dir that stays inside it: no root, no `..`, no NUL.
pub fn relative_inside(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.contains('\0') {
        return None;
    }
    let p = Path::new(path);
    p.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        .then(|| p.to_path_buf())
}

/// Applies a JSON merge patch (RFC 7396): objects merge field by field, `null` clears a field,
/// anything else replaces it.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch_fields) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let fields = target.as_object_mut().expect("made an object above");
    for (name, value) in patch_fields {
        if value.is_null() {
            fields.insert(name.clone(), Value::Null);
        } else {
            merge_patch(fields.entry(name.clone()).or_insert(Value::Null), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(AppConfig::default().validate(), vec![]);
    }

    #[test]
    fn out_of_range_values_are_each_reported_by_field() {
        let mut c = AppConfig::default();
        c.scheduler.interval_minutes = 0;
        c.logging.level = "LOUD".into();
        c.downloads.preferred_languages = vec!["Klingon".into()];
        let fields: Vec<_> = c.validate().into_iter().map(|i| i.field).collect();
        assert_eq!(
            fields,
            [
                "scheduler.interval_minutes",
                "logging.level",
                "downloads.preferred_languages"
            ]
        );
    }

    #[test]
    fn paths_leaving_the_data_dir_are_rejected() {
        for bad in ["../x", "/etc", "a/../../b", ""] {
            assert!(relative_inside(bad).is_none(), "{bad}");
        }
        assert!(relative_inside("logs/app.log").is_some());
        let mut c = AppConfig::default();
        c.backup.path = "/tmp/elsewhere".into();
        assert_eq!(c.validate()[0].field, "backup.path");
    }

    #[test]
    fn a_merge_patch_changes_only_what_it_names() {
        let mut doc = serde_json::to_value(AppConfig::default()).unwrap();
        merge_patch(
            &mut doc,
            &json!({"scheduler": {"interval_minutes": 30}, "logging": {"file": "logs/a.log"}}),
        );
        let c: AppConfig = serde_json::from_value(doc).unwrap();
        assert_eq!(c.scheduler.interval_minutes, 30);
        assert!(c.scheduler.enabled);
        assert_eq!(c.logging.file.as_deref(), Some("logs/a.log"));
        assert_eq!(c.logging.level, "INFO");
    }

    #[test]
    fn null_in_a_patch_clears_an_optional_field() {
        let mut c = AppConfig::default();
        c.logging.file = Some("a.log".into());
        let mut doc = serde_json::to_value(c).unwrap();
        merge_patch(&mut doc, &json!({"logging": {"file": null}}));
        let c: AppConfig = serde_json::from_value(doc).unwrap();
        assert_eq!(c.logging.file, None);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let r: Result<AppConfig, _> =
            serde_json::from_value(json!({"scheduler": {"intervall": 3}}));
        assert!(r.is_err());
    }
}

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
    fn automatic_names_carry_the_time() {
        let t = chrono::DateTime::from_timestamp(1_765_616_490, 0).unwrap();
        assert_eq!(
            BackupName::at(t).as_str(),
            "config_backup_20251213_090130.json"
        );
    }
}
