//! Health use cases: a quick liveness answer and a detailed report with a real database
//! round trip, folder write checks, machine figures and how the catalogue site and each
//! hoster have been doing (CONTRACT.md section 7).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};

use super::media::MediaResolver;
use super::sites::Sites;
use crate::domain::catalogue::BrowserIdentity;
use crate::domain::provider_health::{SourceHealth, SourceState};
use crate::domain::site::Site;
use crate::ports::health::Source;
use crate::ports::host::HostMetrics;
use crate::ports::{AuthStore, Clock, HostProbe};

/// The database part of the detailed report.
#[derive(Debug, Clone)]
pub struct DatabaseHealth {
    pub healthy: bool,
    pub connection_time_ms: f64,
    pub message: String,
}

/// How one outside source is doing.
#[derive(Debug, Clone)]
pub struct SourceReport {
    pub health: SourceHealth,
    pub state: SourceState,
    /// Seconds the hoster (or a site's play links) still rests after a browser challenge.
    pub resting_seconds: Option<u64>,
}

/// How one catalogue site is doing.
#[derive(Debug, Clone)]
pub struct SiteReport {
    pub site: Site,
    /// Whether the site is asked at all (s.to only while `provider.sto_enabled` is on).
    pub enabled: bool,
    pub report: SourceReport,
}

/// The detailed health report.
#[derive(Debug, Clone)]
pub struct HealthReport {
    /// The server itself works: database and folders.
    pub healthy: bool,
    /// Some outside source fails on every recent attempt (the server still works).
    pub degraded: bool,
    /// aniworld.to, the first site.
    pub catalogue: SourceReport,
    /// Every site, aniworld.to first.
    pub sites: Vec<SiteReport>,
    /// Every hoster we have an extractor for, in the order of the extractors.
    pub hosters: Vec<(String, SourceReport)>,
    pub timestamp: DateTime<Utc>,
    pub startup_time: DateTime<Utc>,
    pub uptime_seconds: f64,
    pub database: DatabaseHealth,
    pub data_dir_writable: bool,
    pub logs_dir_writable: bool,
    pub system: HostMetrics,
    /// The browser the outgoing requests look like.
    pub identity: BrowserIdentity,
}

/// Health use cases.
pub struct HealthService {
    store: Arc<dyn AuthStore>,
    host: Arc<dyn HostProbe>,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    started: DateTime<Utc>,
    media: Arc<MediaResolver>,
    identity: BrowserIdentity,
    /// Which sites are on; without it, aniworld.to alone.
    sites: Option<Arc<Sites>>,
}

impl HealthService {
    /// A service reporting on `data_dir` (and its `logs` folder), started now.
    pub fn new(
        store: Arc<dyn AuthStore>,
        host: Arc<dyn HostProbe>,
        clock: Arc<dyn Clock>,
        data_dir: PathBuf,
        media: Arc<MediaResolver>,
    ) -> Self {
        let started = clock.now();
        Self {
            store,
            host,
            clock,
            data_dir,
            started,
            media,
            identity: BrowserIdentity::default(),
            sites: None,
        }
    }

    /// Reports on every site of `sites`, saying which are on.
    #[must_use]
    pub fn with_sites(mut self, sites: Arc<Sites>) -> Self {
        self.sites = Some(sites);
        self
    }

    /// Names the browser identity of the outgoing requests in the report.
    #[must_use]
    pub fn with_identity(mut self, identity: BrowserIdentity) -> Self {
        self.identity = identity;
        self
    }

    /// The scoreboard entry of one source.
    fn source(&self, source: &Source) -> SourceReport {
        let scores = self.media.health();
        let resting_seconds = match source {
            Source::Hoster(name) => self.media.resting(name).map(|d| d.as_secs().max(1)),
            Source::Catalogue(site) => self.media.site_resting(*site).map(|d| d.as_secs().max(1)),
        };
        SourceReport {
            health: scores.get(source),
            state: scores.source_state(source),
            resting_seconds,
        }
    }

    /// The product version.
    pub fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    /// When the server started.
    pub fn started(&self) -> DateTime<Utc> {
        self.started
    }

    /// Now, for the quick answer.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Checks the database, the folders and the machine.
    pub async fn report(&self) -> HealthReport {
        let began = Instant::now();
        let ping = self.store.ping().await;
        let connection_time_ms = (began.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0;
        let database = match ping {
            Ok(()) => DatabaseHealth {
                healthy: true,
                connection_time_ms,
                message: "Database connection successful".into(),
            },
            Err(e) => {
                tracing::error!(error = %e, "database health check failed");
                DatabaseHealth {
                    healthy: false,
                    connection_time_ms,
                    message: "Database check failed".into(),
                }
            }
        };
        let (data_dir_writable, logs_dir_writable, system) = tokio::join!(
            self.host.writable(self.data_dir.clone()),
            self.host.writable(self.data_dir.join("logs")),
            self.host.metrics(self.data_dir.clone()),
        );
        let now = self.clock.now();
        let catalogue = self.source(&Source::Catalogue(Site::Aniworld));
        let sites: Vec<SiteReport> = Site::ALL
            .into_iter()
            .map(|site| SiteReport {
                site,
                enabled: self
                    .sites
                    .as_ref()
                    .map_or(site == Site::Aniworld, |s| s.enabled(site)),
                report: self.source(&Source::Catalogue(site)),
            })
            .collect();
        let hosters: Vec<(String, SourceReport)> = self
            .media
            .hoster_names()
            .into_iter()
            .map(|name| {
                let report = self.source(&Source::Hoster(name.clone()));
                (name, report)
            })
            .collect();
        let degraded = sites
            .iter()
            .filter(|s| s.enabled)
            .map(|s| &s.report)
            .chain(hosters.iter().map(|(_, r)| r))
            .any(|r| r.state == SourceState::Failing);
        HealthReport {
            identity: self.identity.clone(),
            healthy: database.healthy && data_dir_writable && logs_dir_writable,
            degraded,
            catalogue,
            sites,
            hosters,
            timestamp: now,
            startup_time: self.started,
            uptime_seconds: (now - self.started).num_milliseconds().max(0) as f64 / 1000.0,
            database,
            data_dir_writable,
            logs_dir_writable,
            system,
        }
    }
}
