//! The machine the server runs on, for the detailed health check.

use std::path::PathBuf;

use async_trait::async_trait;

/// Figures about the machine; `None` where the platform does not tell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostMetrics {
    pub cpu_percent: f64,
    pub memory_percent: f64,
    pub memory_available_mb: f64,
    pub disk_percent: f64,
    pub disk_free_mb: f64,
}

/// Reads machine figures and checks folders.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait HostProbe: Send + Sync {
    /// CPU, memory and the disk holding `dir`.
    async fn metrics(&self, dir: PathBuf) -> HostMetrics;

    /// Whether a file can be created in `dir` (created if missing) and removed again.
    async fn writable(&self, dir: PathBuf) -> bool;
}
