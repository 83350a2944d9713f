//! The rules of a configuration: validation by field, paths that must stay in the data dir,
//! log level names and the JSON merge patch used for partial updates.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

use super::AppConfig;
use super::urls::{is_http_url, is_origin};
use crate::domain::catalogue::Language;

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
            d.hoster_pause_seconds <= 60,
            "downloads.hoster_pause_seconds",
            "must be between 0 and 60",
        );
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
        check(
            p.flaresolverr_url.as_deref().is_none_or(is_http_url),
            "provider.flaresolverr_url",
            "must be an http:// or https:// URL, e.g. http://localhost:8191",
        );
        check(
            super::mirrors::valid(&p.mirrors),
            "provider.mirrors",
            "must list http:// or https:// base URLs per site (aniworld.to, s.to), at most 10 each",
        );
        check(
            p.dns_over_https.as_deref().is_none_or(is_http_url),
            "provider.dns_over_https",
            "must be an http:// or https:// URL, e.g. https://cloudflare-dns.com/dns-query",
        );
        check(
            (1..=168).contains(&p.full_refresh_hours),
            "provider.full_refresh_hours",
            "must be between 1 and 168",
        );
        check(
            self.security.allowed_origins.len() <= 50
                && self.security.allowed_origins.iter().all(|o| is_origin(o)),
            "security.allowed_origins",
            "must list origins like https://dash.example:8443 (scheme, host, optional port; no path)",
        );
        check(
            self.security.trusted_proxies.len() <= 50
                && self
                    .security
                    .trusted_proxies
                    .iter()
                    .all(|p| crate::domain::forwarded::parse_net(p).is_some()),
            "security.trusted_proxies",
            "must list IP addresses or networks like 10.0.0.0/8",
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
    fn the_flaresolverr_url_must_be_an_http_url() {
        for good in [
            "http://localhost:8191",
            "https://solver.lan/",
            "http://10.0.0.2:8191",
        ] {
            let mut c = AppConfig::default();
            c.provider.flaresolverr_url = Some(good.into());
            assert_eq!(c.validate(), vec![], "{good}");
        }
        for bad in [
            "localhost:8191",
            "ftp://x",
            "http://",
            "http:///x",
            "http://a b",
            "",
        ] {
            let mut c = AppConfig::default();
            c.provider.flaresolverr_url = Some(bad.into());
            let fields: Vec<_> = c.validate().into_iter().map(|i| i.field).collect();
            assert_eq!(fields, ["provider.flaresolverr_url"], "{bad}");
        }
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
