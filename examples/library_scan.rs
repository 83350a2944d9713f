//! Scans a library directory with the real file-system adapter and prints what it found, the
//! wall time and the peak resident memory; `benches/library_scan.sh` compares it with `find`.
//!
//! Usage: `library_scan <anime-dir>`

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use aniworld::adapters::fs::LocalLibrary;
use aniworld::ports::LibraryFs;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: library_scan <anime-dir>")?;
    let started = Instant::now();
    let scan = LocalLibrary
        .scan_library(dir.into(), HashSet::new(), Arc::new(|_| {}))
        .await?;
    let elapsed = started.elapsed();
    let files: u64 = scan.folders.iter().map(|f| f.files).sum();
    println!(
        "series={} files={} problems={} scan_ms={} peak_rss_kib={}",
        scan.folders.len(),
        files,
        scan.problems.len(),
        elapsed.as_millis(),
        peak_rss_kib().unwrap_or(0)
    );
    Ok(())
}

/// `VmHWM` of this process (Linux), the peak resident set size.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
