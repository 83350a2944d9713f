//! The document parsed into [`Settings`]: every rule checked once, here, and every rule the
//! document breaks reported by field, in the document's order. The messages are the API's
//! (API.md section 5: `details.errors` of a 422).

use std::ops::RangeInclusive;

use super::document::{
    AppConfig, BackupConfig, DownloadConfig, LoggingConfig, ProviderConfig, SchedulerConfig,
    SecurityConfig,
};
use super::issue::ConfigIssue;
use super::settings::{Backup, Downloads, Logging, Provider, Scheduler, Security, Settings};
use super::urls::{is_http_url, is_origin};
use super::values::{AbsoluteDir, DataDirPath, InvalidSetting, Languages, LogLevel};
use crate::domain::forwarded::TrustedProxies;

/// The issues found so far; each check hands back its value when it passed.
#[derive(Default)]
struct Issues(Vec<ConfigIssue>);

impl Issues {
    fn take<T>(&mut self, field: &str, parsed: Result<T, InvalidSetting>) -> Option<T> {
        parsed
            .map_err(|InvalidSetting(message)| {
                self.0.push(ConfigIssue {
                    field: field.into(),
                    message: message.into(),
                });
            })
            .ok()
    }

    fn rule<T>(&mut self, field: &str, value: T, ok: bool, message: &'static str) -> Option<T> {
        self.take(field, ok.then_some(value).ok_or(InvalidSetting(message)))
    }

    fn within(
        &mut self,
        field: &str,
        value: u32,
        range: RangeInclusive<u32>,
        message: &'static str,
    ) -> Option<u32> {
        self.rule(field, value, range.contains(&value), message)
    }
}

impl TryFrom<AppConfig> for Settings {
    type Error = Vec<ConfigIssue>;

    fn try_from(doc: AppConfig) -> Result<Self, Self::Error> {
        let mut issues = Issues::default();
        let name_ok = !doc.name.trim().is_empty() && doc.name.len() <= 100;
        let name = issues.rule("name", doc.name, name_ok, "must be 1 to 100 characters");
        let scheduler = scheduler(doc.scheduler, &mut issues);
        let logging = logging(doc.logging, &mut issues);
        let backup = backup(doc.backup, &mut issues);
        let downloads = downloads(doc.downloads, &mut issues);
        let provider = provider(doc.provider, &mut issues);
        let security = security(doc.security, &mut issues);
        let history_keep_days = issues.within(
            "history.keep_days",
            doc.history.keep_days,
            1..=3650,
            "must be between 1 and 3650",
        );
        let anime_directory = issues.take(
            "anime_directory",
            doc.anime_directory.map(AbsoluteDir::try_from).transpose(),
        );
        // Every section is `Some` exactly when none of its rules was broken.
        let parsed = (
            name,
            anime_directory,
            scheduler,
            logging,
            backup,
            downloads,
            provider,
            security,
            history_keep_days,
        );
        let (
            Some(name),
            Some(anime_directory),
            Some(scheduler),
            Some(logging),
            Some(backup),
            Some(downloads),
            Some(provider),
            Some(security),
            Some(history_keep_days),
        ) = parsed
        else {
            return Err(issues.0);
        };
        Ok(Settings {
            name,
            data_dir: doc.data_dir,
            anime_directory,
            scheduler,
            logging,
            backup,
            downloads,
            provider,
            security,
            history_keep_days,
            metadata_nfo: doc.metadata.nfo,
            other: doc.other,
        })
    }
}

fn scheduler(s: SchedulerConfig, issues: &mut Issues) -> Option<Scheduler> {
    let interval_minutes = issues.within(
        "scheduler.interval_minutes",
        s.interval_minutes,
        1..=10080,
        "must be between 1 and 10080",
    );
    Some(Scheduler {
        enabled: s.enabled,
        interval_minutes: interval_minutes?,
        auto_download: s.auto_download,
    })
}

fn logging(l: LoggingConfig, issues: &mut Issues) -> Option<Logging> {
    let level = issues.take("logging.level", LogLevel::try_from(l.level));
    let max_bytes = issues.rule(
        "logging.max_bytes",
        l.max_bytes,
        l.max_bytes.is_none_or(|m| m >= 1024),
        "must be at least 1024 when set",
    );
    let backup_count = issues.rule(
        "logging.backup_count",
        l.backup_count,
        l.backup_count <= 100,
        "must be at most 100",
    );
    let file = issues.take(
        "logging.file",
        l.file.map(DataDirPath::try_from).transpose(),
    );
    Some(Logging {
        level: level?,
        file: file?,
        max_bytes: max_bytes?,
        backup_count: backup_count?,
    })
}

fn backup(b: BackupConfig, issues: &mut Issues) -> Option<Backup> {
    let path = issues.take("backup.path", DataDirPath::try_from(b.path));
    let keep_days = issues.within(
        "backup.keep_days",
        b.keep_days,
        1..=3650,
        "must be between 1 and 3650",
    );
    Some(Backup {
        enabled: b.enabled,
        path: path?,
        keep_days: keep_days?,
    })
}

fn downloads(d: DownloadConfig, issues: &mut Issues) -> Option<Downloads> {
    let preferred_languages = issues.take(
        "downloads.preferred_languages",
        Languages::try_from(d.preferred_languages),
    );
    let hosters_ok = !d.preferred_hosters.is_empty()
        && d.preferred_hosters
            .iter()
            .all(|h| !h.trim().is_empty() && h.len() <= 50);
    let preferred_hosters = issues.rule(
        "downloads.preferred_hosters",
        d.preferred_hosters,
        hosters_ok,
        "must list one or more hoster names",
    );
    let parallel_downloads = issues.within(
        "downloads.parallel_downloads",
        d.parallel_downloads,
        1..=8,
        "must be between 1 and 8",
    );
    let segment_concurrency = issues.within(
        "downloads.segment_concurrency",
        d.segment_concurrency,
        1..=32,
        "must be between 1 and 32",
    );
    let retries = issues.within("downloads.retries", d.retries, 0..=10, "must be at most 10");
    let hoster_pause_seconds = issues.within(
        "downloads.hoster_pause_seconds",
        d.hoster_pause_seconds,
        0..=60,
        "must be between 0 and 60",
    );
    let arr_path = issues.rule(
        "downloads.arr_path",
        d.arr_path.clone(),
        d.arr_path.as_deref().is_none_or(arr_path_ok),
        "must be a path of 1 to 4096 characters without `..`",
    );
    let bandwidth_limit_kbps = issues.rule(
        "downloads.bandwidth_limit_kbps",
        d.bandwidth_limit_kbps,
        d.bandwidth_limit_kbps.is_none_or(|k| k >= 1),
        "must be positive when set",
    );
    Some(Downloads {
        preferred_languages: preferred_languages?,
        preferred_hosters: preferred_hosters?,
        parallel_downloads: parallel_downloads?,
        segment_concurrency: segment_concurrency?,
        retries: retries?,
        bandwidth_limit_kbps: bandwidth_limit_kbps?,
        remux_to_mp4: d.remux_to_mp4,
        hoster_pause_seconds: hoster_pause_seconds?,
        adaptive_hoster_order: d.adaptive_hoster_order,
        arr_path: arr_path?,
    })
}

/// An `arr` folder: not empty, not absurdly long, no NUL and no `..` step.
fn arr_path_ok(path: &str) -> bool {
    !path.trim().is_empty()
        && path.len() <= 4096
        && !path.contains('\0')
        && std::path::Path::new(path)
            .components()
            .all(|c| c != std::path::Component::ParentDir)
}

fn provider(p: ProviderConfig, issues: &mut Issues) -> Option<Provider> {
    let timeout_seconds = issues.within(
        "provider.timeout_seconds",
        p.timeout_seconds,
        1..=300,
        "must be between 1 and 300",
    );
    let cache_minutes = issues.within(
        "provider.cache_minutes",
        p.cache_minutes,
        0..=1440,
        "must be at most 1440",
    );
    let solver_ok = p.flaresolverr_url.as_deref().is_none_or(is_http_url);
    let flaresolverr_url = issues.rule(
        "provider.flaresolverr_url",
        p.flaresolverr_url,
        solver_ok,
        "must be an http:// or https:// URL, e.g. http://localhost:8191",
    );
    let mirrors_ok = super::mirrors::valid(&p.mirrors);
    let mirrors = issues.rule(
        "provider.mirrors",
        p.mirrors,
        mirrors_ok,
        "must list http:// or https:// base URLs per site (aniworld.to, s.to), at most 10 each",
    );
    let doh_ok = p.dns_over_https.as_deref().is_none_or(is_http_url);
    let dns_over_https = issues.rule(
        "provider.dns_over_https",
        p.dns_over_https,
        doh_ok,
        "must be an http:// or https:// URL, e.g. https://cloudflare-dns.com/dns-query",
    );
    let sto_url_ok = is_http_url(&p.sto_url);
    let sto_url = issues.rule(
        "provider.sto_url",
        p.sto_url,
        sto_url_ok,
        "must be an http:// or https:// URL, e.g. https://serienstream.to",
    );
    let sto_pause_seconds = issues.within(
        "provider.sto_pause_seconds",
        p.sto_pause_seconds,
        0..=60,
        "must be at most 60",
    );
    let full_refresh_hours = issues.within(
        "provider.full_refresh_hours",
        p.full_refresh_hours,
        1..=168,
        "must be between 1 and 168",
    );
    Some(Provider {
        timeout_seconds: timeout_seconds?,
        cache_minutes: cache_minutes?,
        flaresolverr_url: flaresolverr_url?,
        full_refresh_hours: full_refresh_hours?,
        mirrors: mirrors?,
        dns_over_https: dns_over_https?,
        sto_enabled: p.sto_enabled,
        sto_url: sto_url?,
        sto_pause_seconds: sto_pause_seconds?,
    })
}

fn security(s: SecurityConfig, issues: &mut Issues) -> Option<Security> {
    let origins_ok =
        s.allowed_origins.len() <= 50 && s.allowed_origins.iter().all(|o| is_origin(o));
    let allowed_origins = issues.rule(
        "security.allowed_origins",
        s.allowed_origins,
        origins_ok,
        "must list origins like https://dash.example:8443 (scheme, host, optional port; no path)",
    );
    let trusted_proxies = issues.take(
        "security.trusted_proxies",
        TrustedProxies::try_from(s.trusted_proxies),
    );
    Some(Security {
        allowed_origins: allowed_origins?,
        trusted_proxies: trusted_proxies?,
    })
}

#[cfg(test)]
mod tests;
