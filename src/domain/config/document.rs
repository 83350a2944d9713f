//! The configuration document: the JSON shape of `config.json` and of the API's
//! configuration body, with its defaults. It is read and written only at the edges (the
//! file store and the HTTP API); everything else uses the [`Settings`](super::Settings)
//! parsed from it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::mirrors;

/// s.to's base URL unless configured otherwise (PROVIDER.md: `s.to` is the retired name).
pub const STO_URL: &str = "https://serienstream.to";

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
    #[serde(default)]
    pub security: SecurityConfig,
    #[serde(default)]
    pub history: HistoryConfig,
    #[serde(default)]
    pub metadata: MetadataConfig,
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
    /// Back up the configuration before every change.
    pub enabled: bool,
    /// Backup folder, relative to the data dir.
    pub path: String,
    /// Automatic backups older than this many days are deleted (named ones are kept).
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
    /// Seconds left between two resolves on one hoster, 0 to 60 (hosters challenge clients
    /// that resolve many episodes in a row).
    pub hoster_pause_seconds: u32,
    /// Within one language, try hosters whose recent attempts all failed after the others.
    pub adaptive_hoster_order: bool,
    /// Where Sonarr's downloads (the qBittorrent API's) go: an absolute path, or one relative
    /// to the data dir; none is `<data-dir>/arr-downloads`.
    pub arr_path: Option<String>,
}

/// How the catalogue site is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderConfig {
    /// Deadline of one request (and of work a user waits for), 1 to 300 seconds.
    pub timeout_seconds: u32,
    /// How long series and season pages are cached, 0 to 1440 minutes.
    pub cache_minutes: u32,
    /// A FlareSolverr instance (`http://host:8191`) that fetches pages behind a browser
    /// challenge; none leaves challenged pages failing over to the next hoster.
    pub flaresolverr_url: Option<String>,
    /// Hours between two full refreshes of every series' episodes, 1 to 168; the scheduled
    /// runs between them read the site's new-episodes page and refresh only the series it
    /// names.
    pub full_refresh_hours: u32,
    /// Other base URLs of each site (`{"aniworld.to": ["https://aniworld.cc"]}`), tried in
    /// order when the main base fails to resolve, connect or answer. A plain list is taken as
    /// aniworld.to's.
    #[serde(deserialize_with = "mirrors::per_site")]
    pub mirrors: mirrors::SiteMirrors,
    /// A DNS-over-HTTPS endpoint (RFC 8484, e.g. `https://cloudflare-dns.com/dns-query`)
    /// every outgoing lookup goes to; none uses the system's resolver.
    pub dns_over_https: Option<String>,
    /// Whether the second site, s.to (serienstream.to), is searched and read; off by default.
    pub sto_enabled: bool,
    /// s.to's base URL; `--sto-url` wins over it.
    pub sto_url: String,
    /// Seconds left between two of s.to's play links, 0 to 60: s.to challenges clients that
    /// open many in a row.
    pub sto_pause_seconds: u32,
}

/// Who may call the API from a browser page of another site.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    /// Origins (`https://dash.example:8443`) whose pages may call the API (CORS); none by
    /// default, so only the server's own pages can.
    pub allowed_origins: Vec<String>,
    /// Reverse proxies (addresses or networks, `10.0.0.0/8`) whose `X-Forwarded-For` is
    /// believed for rate limits and the login lockout; none by default.
    pub trusted_proxies: Vec<String>,
}

/// The activity history (`GET /api/history`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryConfig {
    /// Entries older than this many days are deleted, 1 to 3650.
    pub keep_days: u32,
}

/// Files beside the episodes for media servers (INTEGRATIONS.md section 7).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetadataConfig {
    /// Write `tvshow.nfo` and `poster.jpg` into each series folder (default off).
    pub nfo: bool,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        Self { keep_days: 90 }
    }
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
            security: SecurityConfig::default(),
            history: HistoryConfig::default(),
            metadata: MetadataConfig::default(),
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
            preferred_hosters: [
                "VOE",
                "Filemoon",
                "Vidmoly",
                "Doodstream",
                "Vidoza",
                "Streamtape",
                "Vidara",
                "Vidavaca",
                "Luluvdo",
            ]
            .map(String::from)
            .into(),
            parallel_downloads: 1,
            segment_concurrency: 4,
            retries: 3,
            bandwidth_limit_kbps: None,
            remux_to_mp4: false,
            hoster_pause_seconds: 0,
            adaptive_hoster_order: false,
            arr_path: None,
        }
    }
}

impl Default for ProviderConfig {
    fn default() -> Self {
        Self {
            timeout_seconds: 15,
            cache_minutes: 10,
            flaresolverr_url: None,
            full_refresh_hours: 24,
            mirrors: mirrors::SiteMirrors::new(),
            dns_over_https: None,
            sto_enabled: false,
            sto_url: STO_URL.into(),
            sto_pause_seconds: 5,
        }
    }
}
