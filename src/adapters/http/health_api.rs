//! API.md section 7: health checks, served under `/health` and `/api/health`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::ApiTags;
use crate::app::App;
use crate::app::health::{HealthReport, SourceReport};
use crate::domain::provider_health::{FailureCounts, SourceState};

/// Health endpoints.
pub struct HealthApi;

/// The quick answer.
#[derive(Debug, Object)]
struct Health {
    /// `healthy`.
    status: String,
    timestamp: DateTime<Utc>,
    version: String,
}

/// The database check.
#[derive(Debug, Object)]
struct DatabaseCheck {
    status: String,
    connection_time_ms: f64,
    message: String,
}

/// The folder checks.
#[derive(Debug, Object)]
struct FilesystemCheck {
    status: String,
    data_dir_writable: bool,
    logs_dir_writable: bool,
}

/// Machine figures.
#[derive(Debug, Object)]
struct SystemCheck {
    cpu_percent: f64,
    memory_percent: f64,
    memory_available_mb: f64,
    disk_percent: f64,
    disk_free_mb: f64,
    /// Seconds since the server started.
    uptime_seconds: f64,
}

/// Failed attempts by kind.
#[derive(Debug, Object)]
struct FailuresByKind {
    /// The page did not hold what the extractor looks for ("page layout not recognised").
    layout: u64,
    /// Bot protection asked for a browser.
    challenge: u64,
    /// An unexpected HTTP status (404, 5xx, an expired signed URL).
    http_status: u64,
    /// No answer in time.
    timeout: u64,
    /// Connection failures, truncated transfers, unusable media.
    other: u64,
}

/// How the catalogue site has been doing.
#[derive(Debug, Object)]
struct CatalogueCheck {
    /// `healthy` (a recent request succeeded), `failing` (every recent request failed) or
    /// `unknown` (no request in the last day).
    status: String,
    attempts: u64,
    successes: u64,
    failures: FailuresByKind,
    last_success: Option<DateTime<Utc>>,
    last_error: Option<String>,
    last_error_at: Option<DateTime<Utc>>,
}

/// How one hoster has been doing; counts are kept across restarts.
#[derive(Debug, Object)]
struct HosterCheck {
    /// `healthy` (a recent attempt succeeded), `failing` (every recent attempt failed),
    /// `resting` (after a browser challenge) or `unknown` (no attempt in the last day).
    status: String,
    attempts: u64,
    successes: u64,
    failures: FailuresByKind,
    last_success: Option<DateTime<Utc>>,
    last_error: Option<String>,
    last_error_at: Option<DateTime<Utc>>,
    /// Resting after a browser challenge: not asked until the rest ends.
    resting: bool,
    /// Seconds left of the rest.
    resting_seconds: Option<u64>,
}

/// All checks.
#[derive(Debug, Object)]
struct Dependencies {
    database: DatabaseCheck,
    filesystem: FilesystemCheck,
    system: SystemCheck,
    catalogue: CatalogueCheck,
    /// Keyed by hoster name (`VOE`, `Filemoon`, ...).
    hosters: BTreeMap<String, HosterCheck>,
}

/// The detailed answer.
#[derive(Debug, Object)]
struct DetailedHealth {
    /// `healthy`; `degraded` when the database or a folder fails, or when the catalogue or a
    /// hoster failed on every recent attempt.
    status: String,
    timestamp: DateTime<Utc>,
    version: String,
    dependencies: Dependencies,
    startup_time: DateTime<Utc>,
}

fn word(ok: bool) -> String {
    if ok { "healthy" } else { "unhealthy" }.into()
}

fn failures(f: &FailureCounts) -> FailuresByKind {
    FailuresByKind {
        layout: f.layout,
        challenge: f.challenge,
        http_status: f.http_status,
        timeout: f.timeout,
        other: f.other,
    }
}

fn state_word(state: SourceState) -> &'static str {
    match state {
        SourceState::Unknown => "unknown",
        SourceState::Working => "healthy",
        SourceState::Failing => "failing",
    }
}

fn catalogue(r: SourceReport) -> CatalogueCheck {
    let h = r.health;
    CatalogueCheck {
        status: state_word(r.state).into(),
        attempts: h.attempts,
        successes: h.successes,
        failures: failures(&h.failures),
        last_success: h.last_success_at,
        last_error: h.last_error,
        last_error_at: h.last_error_at,
    }
}

fn hoster(r: SourceReport) -> HosterCheck {
    let h = r.health;
    let status = if r.resting_seconds.is_some() {
        "resting"
    } else {
        state_word(r.state)
    };
    HosterCheck {
        status: status.into(),
        attempts: h.attempts,
        successes: h.successes,
        failures: failures(&h.failures),
        last_success: h.last_success_at,
        last_error: h.last_error,
        last_error_at: h.last_error_at,
        resting: r.resting_seconds.is_some(),
        resting_seconds: r.resting_seconds,
    }
}

fn detailed(r: HealthReport, version: &str) -> DetailedHealth {
    let fs_ok = r.data_dir_writable && r.logs_dir_writable;
    DetailedHealth {
        status: if r.healthy && !r.degraded {
            "healthy"
        } else {
            "degraded"
        }
        .into(),
        timestamp: r.timestamp,
        version: version.into(),
        dependencies: Dependencies {
            database: DatabaseCheck {
                status: word(r.database.healthy),
                connection_time_ms: r.database.connection_time_ms,
                message: r.database.message,
            },
            filesystem: FilesystemCheck {
                status: word(fs_ok),
                data_dir_writable: r.data_dir_writable,
                logs_dir_writable: r.logs_dir_writable,
            },
            system: SystemCheck {
                cpu_percent: r.system.cpu_percent,
                memory_percent: r.system.memory_percent,
                memory_available_mb: r.system.memory_available_mb,
                disk_percent: r.system.disk_percent,
                disk_free_mb: r.system.disk_free_mb,
                uptime_seconds: r.uptime_seconds,
            },
            catalogue: catalogue(r.catalogue),
            hosters: r
                .hosters
                .into_iter()
                .map(|(name, report)| (name, hoster(report)))
                .collect(),
        },
        startup_time: r.startup_time,
    }
}

impl HealthApi {
    fn quick(app: &App) -> Json<Health> {
        Json(Health {
            status: "healthy".into(),
            timestamp: app.health.now(),
            version: app.health.version().into(),
        })
    }

    async fn full(app: &App) -> Json<DetailedHealth> {
        Json(detailed(app.health.report().await, app.health.version()))
    }
}

#[OpenApi(tag = "ApiTags::Health")]
impl HealthApi {
    /// Liveness: answers as soon as the server accepts requests.
    #[oai(path = "/health", method = "get")]
    async fn health(&self, app: Data<&Arc<App>>) -> Json<Health> {
        Self::quick(&app)
    }

    /// Database round trip, writable folders, machine figures, and how the catalogue site
    /// and each hoster have been doing.
    #[oai(path = "/health/detailed", method = "get")]
    async fn health_detailed(&self, app: Data<&Arc<App>>) -> Json<DetailedHealth> {
        Self::full(&app).await
    }

    /// Liveness, under the API prefix.
    #[oai(path = "/api/health", method = "get")]
    async fn api_health(&self, app: Data<&Arc<App>>) -> Json<Health> {
        Self::quick(&app)
    }

    /// Detailed health, under the API prefix.
    #[oai(path = "/api/health/detailed", method = "get")]
    async fn api_health_detailed(&self, app: Data<&Arc<App>>) -> Json<DetailedHealth> {
        Self::full(&app).await
    }
}
