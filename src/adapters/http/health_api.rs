//! API.md section 7: health checks, served under `/health` and `/api/health`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::ApiTags;
use crate::app::App;
use crate::app::health::HealthReport;

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

/// All checks.
#[derive(Debug, Object)]
struct Dependencies {
    database: DatabaseCheck,
    filesystem: FilesystemCheck,
    system: SystemCheck,
}

/// The detailed answer.
#[derive(Debug, Object)]
struct DetailedHealth {
    /// `healthy` or `degraded`.
    status: String,
    timestamp: DateTime<Utc>,
    version: String,
    dependencies: Dependencies,
    startup_time: DateTime<Utc>,
}

fn word(ok: bool) -> String {
    if ok { "healthy" } else { "unhealthy" }.into()
}

fn detailed(r: HealthReport, version: &str) -> DetailedHealth {
    let fs_ok = r.data_dir_writable && r.logs_dir_writable;
    DetailedHealth {
        status: if r.healthy { "healthy" } else { "degraded" }.into(),
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

    /// Database round trip, writable folders and machine figures.
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
