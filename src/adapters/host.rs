//! Machine figures from sysinfo, and folder write checks, behind [`HostProbe`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use sysinfo::{Disks, System};

use crate::lock::MutexRecover;
use crate::ports::HostProbe;
use crate::ports::host::HostMetrics;

/// Keeps one `System` so CPU usage is measured between two consecutive health checks.
#[derive(Clone, Default)]
pub struct SysinfoProbe {
    system: Arc<Mutex<Option<System>>>,
}

impl SysinfoProbe {
    /// A probe; the first CPU figure is taken on the first call.
    pub fn new() -> Self {
        Self::default()
    }
}

fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        (part / whole * 1000.0).round() / 10.0
    } else {
        0.0
    }
}

const MIB: f64 = 1024.0 * 1024.0;

fn measure(slot: &Mutex<Option<System>>, dir: &Path) -> HostMetrics {
    let mut guard = slot.lock_or_recover();
    if guard.is_none() {
        *guard = System::new().ok();
    }
    let Some(system) = guard.as_mut() else {
        return HostMetrics::default();
    };
    system.refresh_cpu_usage();
    system.refresh_memory();
    let (total, available) = (
        system.total_memory() as f64,
        system.available_memory() as f64,
    );
    let mut metrics = HostMetrics {
        cpu_percent: f64::from(system.global_cpu_usage()).clamp(0.0, 100.0),
        memory_percent: percent(total - available, total),
        memory_available_mb: (available / MIB).round(),
        ..HostMetrics::default()
    };
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if let Ok(disks) = Disks::new_with_refreshed_list() {
        // The disk holding the folder is the one with the longest mount point above it.
        if let Some(disk) = disks
            .iter()
            .filter(|d| dir.starts_with(d.mount_point()))
            .max_by_key(|d| d.mount_point().as_os_str().len())
        {
            let (total, free) = (disk.total_space() as f64, disk.available_space() as f64);
            metrics.disk_percent = percent(total - free, total);
            metrics.disk_free_mb = (free / MIB).round();
        }
    }
    metrics
}

fn can_write(dir: &Path) -> bool {
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let probe = dir.join(format!(".write-check-{}", uuid::Uuid::new_v4()));
    let ok = std::fs::write(&probe, b"ok").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

#[async_trait]
impl HostProbe for SysinfoProbe {
    async fn metrics(&self, dir: PathBuf) -> HostMetrics {
        let slot = self.system.clone();
        tokio::task::spawn_blocking(move || measure(&slot, &dir))
            .await
            .unwrap_or_default()
    }

    async fn writable(&self, dir: PathBuf) -> bool {
        tokio::task::spawn_blocking(move || can_write(&dir))
            .await
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_temp_dir_is_writable_and_reports_its_disk() {
        let dir = tempfile::tempdir().unwrap();
        let probe = SysinfoProbe::new();
        assert!(probe.writable(dir.path().join("logs")).await);
        let m = probe.metrics(dir.path().to_path_buf()).await;
        assert!(m.memory_available_mb > 0.0);
        assert!((0.0..=100.0).contains(&m.memory_percent));
        assert!(m.disk_free_mb > 0.0);
    }

    #[tokio::test]
    async fn a_folder_under_a_file_is_not_writable() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"x").unwrap();
        assert!(!SysinfoProbe::new().writable(dir.path().join("f/sub")).await);
    }
}
