//! The configuration document as the API shows it: a schema-documented mirror of
//! [`AppConfig`], converted from the domain value.

use poem_openapi::Object;
use poem_openapi::types::Example;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::domain::config::AppConfig;

/// The whole configuration (API.md section 5, CONTRACT.md section 2).
#[derive(Debug, Object)]
#[oai(example)]
#[oai(rename = "Config")]
pub struct ConfigDto {
    pub name: String,
    /// The data dir in use (read-only; `--data-dir`).
    #[oai(read_only)]
    pub data_dir: String,
    /// The anime library root.
    #[oai(nullable)]
    pub anime_directory: Option<String>,
    pub scheduler: SchedulerDto,
    pub logging: LoggingDto,
    pub backup: BackupDto,
    pub downloads: DownloadsDto,
    pub provider: ProviderDto,
    pub security: SecurityDto,
    pub history: HistoryDto,
    pub metadata: MetadataDto,
    /// Free-form settings kept for clients.
    pub other: BTreeMap<String, Value>,
}

/// The periodic library rescan.
#[derive(Debug, Object)]
#[oai(rename = "SchedulerSection")]
pub struct SchedulerDto {
    pub enabled: bool,
    /// Minutes between rescans, 1 to 10080.
    pub interval_minutes: u32,
    /// Queue newly missing episodes after a scheduled scan.
    pub auto_download: bool,
}

/// Log level and optional rotating log file.
#[derive(Debug, Object)]
#[oai(rename = "LoggingSection")]
pub struct LoggingDto {
    /// DEBUG, INFO, WARNING, ERROR or CRITICAL.
    pub level: String,
    /// Log file relative to the data dir.
    #[oai(nullable)]
    pub file: Option<String>,
    /// Rotate the file at this size.
    #[oai(nullable)]
    pub max_bytes: Option<u64>,
    /// Rotated files kept.
    pub backup_count: u32,
}

/// Configuration backups.
#[derive(Debug, Object)]
#[oai(rename = "BackupSection")]
pub struct BackupDto {
    /// Back up the configuration before every change.
    pub enabled: bool,
    /// Backup folder, relative to the data dir.
    pub path: String,
    /// Automatic backups older than this many days are deleted (named ones are kept).
    pub keep_days: u32,
}

/// Download preferences.
#[derive(Debug, Object)]
#[oai(rename = "DownloadsSection")]
pub struct DownloadsDto {
    /// In order of preference, of "German Dub", "German Sub", "English Sub" and "English Dub".
    pub preferred_languages: Vec<String>,
    /// In order, e.g. VOE, Filemoon, Vidmoly, Doodstream, Vidoza, Streamtape.
    pub preferred_hosters: Vec<String>,
    /// 1 to 8.
    pub parallel_downloads: u32,
    /// HLS segments fetched at once, 1 to 32.
    pub segment_concurrency: u32,
    /// Retries of a failed download, 0 to 10.
    pub retries: u32,
    /// KiB/s; none is unlimited.
    #[oai(nullable)]
    pub bandwidth_limit_kbps: Option<u64>,
    /// Remux HLS downloads to MP4 where ffmpeg is installed.
    pub remux_to_mp4: bool,
    /// Seconds between two resolves on one hoster, 0 to 60.
    pub hoster_pause_seconds: u32,
    /// Within one language, try hosters whose recent attempts all failed after the others.
    pub adaptive_hoster_order: bool,
    /// Where Sonarr's downloads (through the qBittorrent API) go: an absolute path, or one
    /// relative to the data dir; null is `<data-dir>/arr-downloads`.
    #[oai(nullable)]
    pub arr_path: Option<String>,
}

/// The activity history (`GET /api/history`).
#[derive(Debug, Object)]
pub struct HistoryDto {
    /// Entries older than this many days are deleted, 1 to 3650 (default 90).
    pub keep_days: u32,
}

/// Files beside the episodes for media servers (Kodi, Jellyfin, Plex, Emby).
#[derive(Debug, Object)]
pub struct MetadataDto {
    /// Write `tvshow.nfo` and `poster.jpg` into each series folder (default false). Files
    /// the product did not write are never replaced.
    pub nfo: bool,
}

/// Who may call the API from a browser page of another site.
#[derive(Debug, Object)]
pub struct SecurityDto {
    /// Origins (`https://dash.example:8443`) whose pages may call the API (CORS); empty by
    /// default: only the server's own pages can.
    pub allowed_origins: Vec<String>,
    /// Reverse proxies (addresses or networks, `10.0.0.0/8`) whose `X-Forwarded-For` is
    /// believed for rate limits and the login lockout; empty by default.
    pub trusted_proxies: Vec<String>,
}

/// Catalogue-site settings.
#[derive(Debug, Object)]
#[oai(rename = "ProviderSection")]
pub struct ProviderDto {
    /// Deadline of one request, 1 to 300 seconds.
    pub timeout_seconds: u32,
    /// Cache lifetime of series and season pages, 0 to 1440 minutes.
    pub cache_minutes: u32,
    /// FlareSolverr URL (e.g. `http://localhost:8191`) used for pages behind a browser
    /// challenge; null when none is run.
    #[oai(nullable)]
    pub flaresolverr_url: Option<String>,
    /// Hours between two full refreshes of every series, 1 to 168; the scheduled runs
    /// between them read the site's new-episodes page and refresh only the series it names.
    pub full_refresh_hours: u32,
    /// Other base URLs of each site, keyed by site (`aniworld.to`, `s.to`), tried in order
    /// when the main base fails to resolve, connect or answer; a plain list in a change is
    /// taken as aniworld.to's. Empty by default.
    pub mirrors: std::collections::BTreeMap<String, Vec<String>>,
    /// DNS-over-HTTPS endpoint (RFC 8484, e.g. `https://cloudflare-dns.com/dns-query`) for
    /// every outgoing lookup; null uses the system's resolver.
    #[oai(nullable)]
    pub dns_over_https: Option<String>,
    /// Whether the second site, s.to (serienstream.to), is searched and read; off by
    /// default, applied at once.
    pub sto_enabled: bool,
    /// s.to's base URL (default `https://serienstream.to`); the `--sto-url` flag wins. A
    /// change applies at the next start.
    pub sto_url: String,
    /// Seconds left between two of s.to's play links, 0 to 60 (default 5): s.to challenges
    /// clients that open many in a row. After a challenge s.to rests 30, then 60 minutes,
    /// while aniworld.to goes on.
    pub sto_pause_seconds: u32,
}

impl From<&AppConfig> for ConfigDto {
    fn from(c: &AppConfig) -> Self {
        let (s, l, b, d, p) = (
            &c.scheduler,
            &c.logging,
            &c.backup,
            &c.downloads,
            &c.provider,
        );
        Self {
            name: c.name.clone(),
            data_dir: c.data_dir.clone(),
            anime_directory: c.anime_directory.clone(),
            scheduler: SchedulerDto {
                enabled: s.enabled,
                interval_minutes: s.interval_minutes,
                auto_download: s.auto_download,
            },
            logging: LoggingDto {
                level: l.level.clone(),
                file: l.file.clone(),
                max_bytes: l.max_bytes,
                backup_count: l.backup_count,
            },
            backup: BackupDto {
                enabled: b.enabled,
                path: b.path.clone(),
                keep_days: b.keep_days,
            },
            downloads: DownloadsDto {
                preferred_languages: d.preferred_languages.clone(),
                preferred_hosters: d.preferred_hosters.clone(),
                parallel_downloads: d.parallel_downloads,
                segment_concurrency: d.segment_concurrency,
                retries: d.retries,
                bandwidth_limit_kbps: d.bandwidth_limit_kbps,
                hoster_pause_seconds: d.hoster_pause_seconds,
                remux_to_mp4: d.remux_to_mp4,
                adaptive_hoster_order: d.adaptive_hoster_order,
                arr_path: d.arr_path.clone(),
            },
            provider: ProviderDto {
                timeout_seconds: p.timeout_seconds,
                cache_minutes: p.cache_minutes,
                flaresolverr_url: p.flaresolverr_url.clone(),
                full_refresh_hours: p.full_refresh_hours,
                mirrors: p.mirrors.clone(),
                dns_over_https: p.dns_over_https.clone(),
                sto_enabled: p.sto_enabled,
                sto_url: p.sto_url.clone(),
                sto_pause_seconds: p.sto_pause_seconds,
            },
            security: SecurityDto {
                allowed_origins: c.security.allowed_origins.clone(),
                trusted_proxies: c.security.trusted_proxies.clone(),
            },
            history: HistoryDto {
                keep_days: c.history.keep_days,
            },
            metadata: MetadataDto {
                nfo: c.metadata.nfo,
            },
            other: c.other.clone().into_iter().collect(),
        }
    }
}

impl Example for ConfigDto {
    fn example() -> Self {
        Self::from(&AppConfig {
            data_dir: "/var/lib/aniworld".into(),
            ..AppConfig::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem_openapi::types::ToJSON;

    #[test]
    fn the_documented_shape_is_the_domain_documents_shape() {
        let mut config = AppConfig {
            anime_directory: Some("/srv/anime".into()),
            ..AppConfig::default()
        };
        config.logging.file = Some("logs/a.log".into());
        config
            .other
            .insert("theme".into(), serde_json::json!("dark"));
        let documented = ConfigDto::from(&config).to_json().unwrap();
        assert_eq!(documented, serde_json::to_value(&config).unwrap());
    }
}
