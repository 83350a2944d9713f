//! The settings in force: the configuration document parsed once into types. The core reads
//! these; the document ([`AppConfig`]) is only read and written at the edges, and each
//! setting converts back to it unchanged.

use serde_json::{Map, Value};

use super::document::{
    AppConfig, BackupConfig, DownloadConfig, HistoryConfig, LoggingConfig, MetadataConfig,
    ProviderConfig, SchedulerConfig, SecurityConfig,
};
use super::mirrors::SiteMirrors;
use super::values::{AbsoluteDir, DataDirPath, Languages, LogLevel};
use crate::domain::catalogue::Language;
use crate::domain::forwarded::TrustedProxies;

/// The whole configuration, every value checked. Built with `Settings::try_from(document)`,
/// which reports every rule the document breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// 1 to 100 characters.
    pub name: String,
    /// The data dir in use; read-only, set by `--data-dir`.
    pub data_dir: String,
    /// The anime library root, where one is set.
    pub anime_directory: Option<AbsoluteDir>,
    pub scheduler: Scheduler,
    pub logging: Logging,
    pub backup: Backup,
    pub downloads: Downloads,
    pub provider: Provider,
    pub security: Security,
    /// Days the activity history keeps, 1 to 3650.
    pub history_keep_days: u32,
    /// Whether `tvshow.nfo` and `poster.jpg` are written beside the episodes.
    pub metadata_nfo: bool,
    /// Free-form settings kept for clients.
    pub other: Map<String, Value>,
}

/// The periodic library rescan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduler {
    pub enabled: bool,
    /// Minutes between two rescans, 1 to 10080 (a week).
    pub interval_minutes: u32,
    /// Queue newly missing episodes after a scheduled scan.
    pub auto_download: bool,
}

/// Log level and the optional rotating log file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logging {
    pub level: LogLevel,
    /// Log file inside the data dir; none logs to standard error only.
    pub file: Option<DataDirPath>,
    /// Rotate the log file when it reaches this size, at least 1024.
    pub max_bytes: Option<u64>,
    /// Rotated files kept, at most 100.
    pub backup_count: u32,
}

/// Where configuration backups live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// Back up the configuration before every change.
    pub enabled: bool,
    /// Backup folder inside the data dir.
    pub path: DataDirPath,
    /// Automatic backups older than this many days (1 to 3650) are deleted.
    pub keep_days: u32,
}

/// How episodes are downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloads {
    /// Languages in order of preference.
    pub preferred_languages: Languages,
    /// Hoster names in order of preference: one or more, each 1 to 50 characters.
    pub preferred_hosters: Vec<String>,
    /// Downloads running at once, 1 to 8.
    pub parallel_downloads: u32,
    /// HLS segments fetched at once, 1 to 32.
    pub segment_concurrency: u32,
    /// Retries of a failed download, 0 to 10.
    pub retries: u32,
    /// Bandwidth cap in KiB/s, positive; none is unlimited.
    pub bandwidth_limit_kbps: Option<u64>,
    /// Remux HLS downloads to MP4 where ffmpeg is on the PATH.
    pub remux_to_mp4: bool,
    /// Seconds left between two resolves on one hoster, 0 to 60.
    pub hoster_pause_seconds: u32,
    /// Within one language, try hosters whose recent attempts all failed after the others.
    pub adaptive_hoster_order: bool,
    /// Where Sonarr's downloads go, as configured (absolute, or relative to the data dir);
    /// see [`Settings::arr_dir`].
    pub arr_path: Option<String>,
}

/// How the catalogue site is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// Deadline of one request, 1 to 300 seconds.
    pub timeout_seconds: u32,
    /// How long series and season pages are cached, 0 to 1440 minutes.
    pub cache_minutes: u32,
    /// A FlareSolverr instance, an http(s) URL.
    pub flaresolverr_url: Option<String>,
    /// Hours between two full refreshes of every series' episodes, 1 to 168.
    pub full_refresh_hours: u32,
    /// Other base URLs of each known site, at most 10 each.
    pub mirrors: SiteMirrors,
    /// A DNS-over-HTTPS endpoint, an http(s) URL.
    pub dns_over_https: Option<String>,
    /// Whether s.to is searched and read.
    pub sto_enabled: bool,
    /// s.to's base URL, an http(s) URL.
    pub sto_url: String,
    /// Seconds between two of s.to's play links, 0 to 60.
    pub sto_pause_seconds: u32,
}

/// Who may call the API from a browser page of another site, and whose `X-Forwarded-For` is
/// believed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Security {
    /// Origins (`https://dash.example:8443`) whose pages may call the API, at most 50.
    pub allowed_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
}

impl Settings {
    /// The preferred languages, most wanted first.
    pub fn languages(&self) -> Vec<Language> {
        self.downloads.preferred_languages.order().to_vec()
    }

    /// The folder Sonarr's downloads go to (`downloads.arr_path`): as configured when
    /// absolute, else inside the data dir; `<data-dir>/arr-downloads` when not set.
    pub fn arr_dir(&self) -> std::path::PathBuf {
        let data_dir = std::path::Path::new(&self.data_dir);
        match self.downloads.arr_path.as_deref() {
            None => data_dir.join("arr-downloads"),
            Some(path) => data_dir.join(path),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::try_from(AppConfig::default()).expect("the default configuration is valid")
    }
}

impl From<&Settings> for AppConfig {
    fn from(s: &Settings) -> Self {
        let (l, b, d, p) = (&s.logging, &s.backup, &s.downloads, &s.provider);
        Self {
            name: s.name.clone(),
            data_dir: s.data_dir.clone(),
            anime_directory: s.anime_directory.as_ref().map(|d| d.as_str().to_owned()),
            scheduler: SchedulerConfig {
                enabled: s.scheduler.enabled,
                interval_minutes: s.scheduler.interval_minutes,
                auto_download: s.scheduler.auto_download,
            },
            logging: LoggingConfig {
                level: l.level.as_str().to_owned(),
                file: l.file.as_ref().map(|f| f.as_str().to_owned()),
                max_bytes: l.max_bytes,
                backup_count: l.backup_count,
            },
            backup: BackupConfig {
                enabled: b.enabled,
                path: b.path.as_str().to_owned(),
                keep_days: b.keep_days,
            },
            downloads: DownloadConfig {
                preferred_languages: d.preferred_languages.names().to_vec(),
                preferred_hosters: d.preferred_hosters.clone(),
                parallel_downloads: d.parallel_downloads,
                segment_concurrency: d.segment_concurrency,
                retries: d.retries,
                bandwidth_limit_kbps: d.bandwidth_limit_kbps,
                remux_to_mp4: d.remux_to_mp4,
                hoster_pause_seconds: d.hoster_pause_seconds,
                adaptive_hoster_order: d.adaptive_hoster_order,
                arr_path: d.arr_path.clone(),
            },
            provider: ProviderConfig {
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
            history: HistoryConfig {
                keep_days: s.history_keep_days,
            },
            metadata: MetadataConfig {
                nfo: s.metadata_nfo,
            },
            security: SecurityConfig {
                allowed_origins: s.security.allowed_origins.clone(),
                trusted_proxies: s.security.trusted_proxies.names().to_vec(),
            },
            other: s.other.clone(),
        }
    }
}
