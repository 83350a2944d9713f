//! Health use cases: a quick liveness answer and a detailed report with a real database
//! round trip, folder write checks and machine figures.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::ports::host::HostMetrics;
use crate::ports::{AuthStore, Clock, HostProbe};

/// The database part of the detailed report.
#[derive(Debug, Clone)]
pub struct DatabaseHealth {
    pub healthy: bool,
    pub connection_time_ms: f64,
    pub message: String,
}

/// The detailed health report.
#[derive(Debug, Clone)]
pub struct HealthReport {
    pub healthy: bool,
    pub timestamp: DateTime<Utc>,
    pub startup_time: DateTime<Utc>,
    pub uptime_seconds: f64,
    pub database: DatabaseHealth,
    pub data_dir_writable: bool,
    pub logs_dir_writable: bool,
    pub system: HostMetrics,
}

/// Health use cases.
pub struct HealthService {
    store: Arc<dyn AuthStore>,
    host: Arc<dyn HostProbe>,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    started: DateTime<Utc>,
}

impl HealthService {
    /// A service reporting on `data_dir` (and its `logs` folder), started now.
    pub fn new(
        store: Arc<dyn AuthStore>,
        host: Arc<dyn HostProbe>,
        clock: Arc<dyn Clock>,
        data_dir: PathBuf,
    ) -> Self {
        let started = clock.now();
        Self {
            store,
            host,
            clock,
            data_dir,
            started,
        }
    }

    /// The product version.
    pub fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
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
        HealthReport {
            healthy: database.healthy && data_dir_writable && logs_dir_writable,
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
