//! Logging: tracing to standard error and, when `logging.file` is set, to a size-rotated
//! file in the data dir. Level and file follow the configuration live.
//!
//! Nothing here logs request bodies or headers; the access log (see the HTTP middleware)
//! names method, path, status, latency and request id only, so no password, hash, token or
//! secret reaches a log line.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::lock::MutexRecover;
use file_rotate::compression::Compression;
use file_rotate::suffix::AppendCount;
use file_rotate::{ContentLimit, FileRotate};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::{EnvFilter, prelude::*, reload};

/// What the configuration says about logging, with the file resolved in the data dir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSettings {
    /// A tracing level: `trace`, `debug`, `info`, `warn` or `error`.
    pub level: String,
    pub file: Option<PathBuf>,
    pub max_bytes: Option<u64>,
    pub backup_count: u32,
}

/// The open log file and the settings it was opened with.
type OpenFile = Arc<Mutex<Option<(LogSettings, FileRotate<AppendCount>)>>>;

/// The log file writer; swapped when the configuration changes.
#[derive(Clone, Default)]
pub struct LogFile {
    file: OpenFile,
}

/// Rotation size when the configuration gives none.
const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

impl LogFile {
    /// Opens, reopens or closes the file to match `settings`.
    pub fn apply(&self, settings: &LogSettings) {
        let mut slot = self.file.lock_or_recover();
        if slot
            .as_ref()
            .is_some_and(|(current, _)| current == settings)
        {
            return;
        }
        *slot = settings.file.as_ref().and_then(|path| {
            std::fs::create_dir_all(path.parent()?).ok()?;
            let limit = settings.max_bytes.unwrap_or(DEFAULT_MAX_BYTES).max(1024) as usize;
            let writer = FileRotate::new(
                path,
                AppendCount::new(settings.backup_count as usize),
                ContentLimit::BytesSurpassed(limit),
                Compression::None,
                None,
            );
            Some((settings.clone(), writer))
        });
    }
}

/// One write of a log line to the file, if one is open.
pub struct LogFileWriter(OpenFile);

impl Write for LogFileWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.lock_or_recover().as_mut() {
            Some((_, file)) => file.write(buf),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.lock_or_recover().as_mut() {
            Some((_, file)) => file.flush(),
            None => Ok(()),
        }
    }
}

impl<'a> MakeWriter<'a> for LogFile {
    type Writer = LogFileWriter;
    fn make_writer(&'a self) -> Self::Writer {
        LogFileWriter(self.file.clone())
    }
}

/// Installs the global subscriber and returns the function that applies new settings.
/// `RUST_LOG`, when set, wins over the configured level: it is the operator's override.
pub fn install() -> Arc<dyn Fn(&LogSettings) + Send + Sync> {
    let env = std::env::var("RUST_LOG").ok();
    let (filter, handle) = reload::Layer::new(EnvFilter::new(env.as_deref().unwrap_or("info")));
    let file = LogFile::default();
    tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(file.clone()),
        )
        .init();
    Arc::new(move |settings: &LogSettings| {
        if env.is_none() {
            let _ = handle.modify(|f| *f = EnvFilter::new(&settings.level));
        }
        file.apply(settings);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_rotates_and_keeps_the_configured_count() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs/aniworld.log");
        let file = LogFile::default();
        file.apply(&LogSettings {
            level: "info".into(),
            file: Some(path.clone()),
            max_bytes: Some(1024),
            backup_count: 2,
        });
        let mut writer = file.make_writer();
        for _ in 0..40 {
            writer.write_all(&[b'x'; 100]).unwrap();
            writer.write_all(b"\n").unwrap();
        }
        writer.flush().unwrap();
        assert!(path.exists());
        assert!(dir.path().join("logs/aniworld.log.1").exists());
        assert!(dir.path().join("logs/aniworld.log.2").exists());
        assert!(!dir.path().join("logs/aniworld.log.3").exists());
        assert!(std::fs::metadata(&path).unwrap().len() <= 1024 + 101);
    }

    #[test]
    fn without_a_file_lines_are_dropped_quietly() {
        let file = LogFile::default();
        file.apply(&LogSettings {
            level: "info".into(),
            file: None,
            max_bytes: None,
            backup_count: 3,
        });
        assert_eq!(file.make_writer().write(b"line\n").unwrap(), 5);
    }
}
