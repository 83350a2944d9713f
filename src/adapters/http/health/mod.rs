//! API.md section 7: health checks, served under `/health` and `/api/health`. The answers'
//! bodies are in `dto.rs`.

mod dto;

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

use self::dto::{
    CatalogueCheck, DatabaseCheck, Dependencies, DetailedHealth, FailuresByKind, FilesystemCheck,
    Health, HosterCheck, IdentityCheck, SystemCheck,
};
use crate::adapters::http::ApiTags;
use crate::adapters::http::outcomes::{Reply, outcomes, reply};
use crate::app::App;
use crate::app::health::{HealthReport, SourceReport};
use crate::domain::provider_health::{FailureCounts, SourceState};
use crate::domain::site::Site;

/// Health endpoints.
pub struct HealthApi;

fn word(ok: bool) -> String {
    if ok { "healthy" } else { "unhealthy" }.into()
}

fn failures(f: &FailureCounts) -> FailuresByKind {
    FailuresByKind {
        layout: f.layout,
        challenge: f.challenge,
        refused: f.refused,
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

fn catalogue(site: Site, enabled: bool, r: SourceReport) -> CatalogueCheck {
    let h = r.health;
    let refused = h.refused();
    let status = if !enabled {
        "off"
    } else if r.resting_seconds.is_some() {
        "resting"
    } else {
        state_word(r.state)
    };
    CatalogueCheck {
        status: status.into(),
        site: site.name().into(),
        enabled,
        resting_seconds: r.resting_seconds,
        refused,
        remedy: refused.then(|| {
            "The site does not take the product for a browser: set provider.flaresolverr_url \
             to a FlareSolverr instance"
                .to_owned()
        }),
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

fn detailed(r: HealthReport, version: &str, dns_over_https: bool) -> DetailedHealth {
    let fs_ok = r.data_dir_writable && r.logs_dir_writable;
    let identity = IdentityCheck {
        user_agent: r.identity.user_agent.clone(),
        tls: r.identity.tls.clone(),
        alpn: r.identity.alpn.clone(),
        dns_over_https,
    };
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
            identity,
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
            catalogue: catalogue(Site::Aniworld, true, r.catalogue),
            catalogues: r
                .sites
                .into_iter()
                .map(|s| {
                    (
                        s.site.name().to_owned(),
                        catalogue(s.site, s.enabled, s.report),
                    )
                })
                .collect(),
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
        let doh = app.config.current().provider.dns_over_https.is_some();
        Json(detailed(
            app.health.report().await,
            app.health.version(),
            doh,
        ))
    }
}

outcomes!(Live: "The server is up", []);
outcomes!(Checks: "Every check's result (always 200: read `status`)", []);

#[OpenApi(tag = "ApiTags::Health")]
impl HealthApi {
    /// Liveness
    ///
    /// Answers as soon as the server accepts requests, with its version. Public.
    #[oai(path = "/health", method = "get")]
    async fn health(&self, app: Data<&Arc<App>>) -> Reply<Json<Health>, Live> {
        reply(Self::quick(&app))
    }

    /// Detailed health
    ///
    /// Database round trip, writable folders, machine figures, and how the catalogue site
    /// and each hoster have been doing (attempts, failures by kind, rests after browser
    /// challenges). `status` is `degraded` when a check fails. Public.
    #[oai(path = "/health/detailed", method = "get")]
    async fn health_detailed(&self, app: Data<&Arc<App>>) -> Reply<Json<DetailedHealth>, Checks> {
        reply(Self::full(&app).await)
    }

    /// Liveness (API prefix)
    ///
    /// As `GET /health`.
    #[oai(path = "/api/health", method = "get")]
    async fn api_health(&self, app: Data<&Arc<App>>) -> Reply<Json<Health>, Live> {
        reply(Self::quick(&app))
    }

    /// Detailed health (API prefix)
    ///
    /// As `GET /health/detailed`.
    #[oai(path = "/api/health/detailed", method = "get")]
    async fn api_health_detailed(
        &self,
        app: Data<&Arc<App>>,
    ) -> Reply<Json<DetailedHealth>, Checks> {
        reply(Self::full(&app).await)
    }
}
