//! The bodies of API.md section 7: the quick answer and the detailed checks.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::types::Example;

/// The quick answer.
#[derive(Debug, Object)]
#[oai(example)]
pub struct Health {
    /// `healthy`.
    pub status: String,
    pub timestamp: DateTime<Utc>,
    pub version: String,
}

/// The database check.
#[derive(Debug, Object)]
pub struct DatabaseCheck {
    pub status: String,
    pub connection_time_ms: f64,
    pub message: String,
}

/// The folder checks.
#[derive(Debug, Object)]
pub struct FilesystemCheck {
    pub status: String,
    pub data_dir_writable: bool,
    pub logs_dir_writable: bool,
}

/// Machine figures.
#[derive(Debug, Object)]
pub struct SystemCheck {
    pub cpu_percent: f64,
    pub memory_percent: f64,
    pub memory_available_mb: f64,
    pub disk_percent: f64,
    pub disk_free_mb: f64,
    /// Seconds since the server started.
    pub uptime_seconds: f64,
}

/// Failed attempts by kind.
#[derive(Debug, Default, Object)]
pub struct FailuresByKind {
    /// The page did not hold what the extractor looks for ("page layout not recognised").
    pub layout: u64,
    /// Bot protection asked for a browser.
    pub challenge: u64,
    /// The site refused the product (403, 429 or 503 without a challenge page): it does not
    /// take it for a browser; FlareSolverr (`provider.flaresolverr_url`) is the remedy.
    pub refused: u64,
    /// An unexpected HTTP status (404, 5xx, an expired signed URL).
    pub http_status: u64,
    /// No answer in time.
    pub timeout: u64,
    /// Connection failures, truncated transfers, unusable media.
    pub other: u64,
}

/// How a catalogue site has been doing.
#[derive(Debug, Object)]
pub struct CatalogueCheck {
    /// `healthy` (a recent request succeeded), `failing` (every recent request failed),
    /// `resting` (its play links rest after a browser challenge), `off` (the site is switched
    /// off) or `unknown` (no request in the last day).
    pub status: String,
    /// The site (`aniworld.to`, `s.to`).
    pub site: String,
    /// Whether the site is asked at all (s.to only with `provider.sto_enabled`).
    pub enabled: bool,
    /// Seconds its play links still rest after a browser challenge (s.to).
    #[oai(nullable)]
    pub resting_seconds: Option<u64>,
    /// Whether the latest request was refused (the site did not take the product for a
    /// browser).
    pub refused: bool,
    /// What to do about a refusal, while the latest request was refused.
    #[oai(nullable)]
    pub remedy: Option<String>,
    pub attempts: u64,
    pub successes: u64,
    pub failures: FailuresByKind,
    #[oai(nullable)]
    pub last_success: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub last_error: Option<String>,
    #[oai(nullable)]
    pub last_error_at: Option<DateTime<Utc>>,
}

/// How one hoster has been doing; counts are kept across restarts.
#[derive(Debug, Object)]
pub struct HosterCheck {
    /// `healthy` (a recent attempt succeeded), `failing` (every recent attempt failed),
    /// `resting` (after a browser challenge) or `unknown` (no attempt in the last day).
    pub status: String,
    pub attempts: u64,
    pub successes: u64,
    pub failures: FailuresByKind,
    #[oai(nullable)]
    pub last_success: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub last_error: Option<String>,
    #[oai(nullable)]
    pub last_error_at: Option<DateTime<Utc>>,
    /// Resting after a browser challenge: not asked until the rest ends.
    pub resting: bool,
    /// Seconds left of the rest.
    #[oai(nullable)]
    pub resting_seconds: Option<u64>,
}

/// The browser the product presents itself as to the catalogue and the hosters.
#[derive(Debug, Object)]
pub struct IdentityCheck {
    /// The User-Agent sent (where FlareSolverr cleared a host, that host gets the solver's).
    pub user_agent: String,
    /// The TLS handshake's model: `BoringSSL as Chrome 156`.
    pub tls: String,
    /// The HTTP versions offered by ALPN, in order.
    pub alpn: Vec<String>,
    /// Whether a DNS-over-HTTPS endpoint does the lookups.
    pub dns_over_https: bool,
}

/// All checks.
#[derive(Debug, Object)]
pub struct Dependencies {
    pub identity: IdentityCheck,
    pub database: DatabaseCheck,
    pub filesystem: FilesystemCheck,
    pub system: SystemCheck,
    /// aniworld.to (as `catalogues["aniworld.to"]`).
    pub catalogue: CatalogueCheck,
    /// Every site, keyed by its name (`aniworld.to`, `s.to`), each counted on its own.
    pub catalogues: BTreeMap<String, CatalogueCheck>,
    /// Keyed by hoster name (`VOE`, `Filemoon`, ...).
    pub hosters: BTreeMap<String, HosterCheck>,
}

/// The detailed answer.
#[derive(Debug, Object)]
#[oai(example)]
pub struct DetailedHealth {
    /// `healthy`; `degraded` when the database or a folder fails, or when the catalogue or a
    /// hoster failed on every recent attempt.
    pub status: String,
    pub timestamp: DateTime<Utc>,
    pub version: String,
    pub dependencies: Dependencies,
    pub startup_time: DateTime<Utc>,
}

impl Example for Health {
    fn example() -> Self {
        Self {
            status: "healthy".into(),
            timestamp: example_time(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

impl Example for DetailedHealth {
    fn example() -> Self {
        let failures = || FailuresByKind {
            layout: 0,
            challenge: 0,
            refused: 0,
            http_status: 1,
            timeout: 0,
            other: 0,
        };
        Self {
            status: "healthy".into(),
            timestamp: example_time(),
            version: env!("CARGO_PKG_VERSION").into(),
            dependencies: Dependencies {
                database: DatabaseCheck {
                    status: "healthy".into(),
                    connection_time_ms: 1.5,
                    message: "Database connection successful".into(),
                },
                filesystem: FilesystemCheck {
                    status: "healthy".into(),
                    data_dir_writable: true,
                    logs_dir_writable: true,
                },
                system: SystemCheck {
                    cpu_percent: 25.0,
                    memory_percent: 45.0,
                    memory_available_mb: 8192.0,
                    disk_percent: 60.0,
                    disk_free_mb: 102_400.0,
                    uptime_seconds: 86_400.0,
                },
                identity: IdentityCheck {
                    user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36".into(),
                    tls: "BoringSSL as Chrome 156".into(),
                    alpn: vec!["h2".into(), "http/1.1".into()],
                    dns_over_https: false,
                },
                catalogue: example_catalogue(),
                catalogues: BTreeMap::from([
                    ("aniworld.to".to_owned(), example_catalogue()),
                    (
                        "s.to".to_owned(),
                        CatalogueCheck {
                            status: "off".into(),
                            site: "s.to".into(),
                            enabled: false,
                            attempts: 0,
                            successes: 0,
                            failures: FailuresByKind::default(),
                            last_success: None,
                            last_error: None,
                            last_error_at: None,
                            ..example_catalogue()
                        },
                    ),
                ]),
                hosters: BTreeMap::from([(
                    "VOE".to_owned(),
                    HosterCheck {
                        status: "healthy".into(),
                        attempts: 40,
                        successes: 39,
                        failures: failures(),
                        last_success: Some(example_time()),
                        last_error: None,
                        last_error_at: None,
                        resting: false,
                        resting_seconds: None,
                    },
                )]),
            },
            startup_time: example_time(),
        }
    }
}

fn example_catalogue() -> CatalogueCheck {
    CatalogueCheck {
        status: "healthy".into(),
        site: "aniworld.to".into(),
        enabled: true,
        resting_seconds: None,
        refused: false,
        remedy: None,
        attempts: 120,
        successes: 119,
        failures: FailuresByKind {
            http_status: 1,
            ..FailuresByKind::default()
        },
        last_success: Some(example_time()),
        last_error: Some("HTTP 503".into()),
        last_error_at: Some(example_time()),
    }
}

fn example_time() -> DateTime<Utc> {
    DateTime::from_timestamp(1_765_621_800, 0).unwrap_or_default()
}
