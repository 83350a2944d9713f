//! The embedded store: one redb file in the data dir behind the storage ports, and
//! `config.json` behind [`crate::ports::ConfigStore`].
//!
//! Every transaction runs in `spawn_blocking`; no redb guard ever crosses an `.await`.
//! Values are JSON bytes, so a field added later reads old records with its serde default.
//!
//! A refused read or write of the file (read-only or full disk, a failing device) is
//! [`StoreError::Io`] naming the file. After one, redb answers every later call with
//! "previous I/O error" until the database is opened again; those answers repeat the first
//! reason and say that a restart is needed.

mod auth;
pub mod config_file;
mod connect;
mod events;
mod health;
mod history;
mod queue;
mod queue_record;
mod releases;
mod series;
mod tables;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use redb::{Database, ReadTransaction, ReadableDatabase, WriteTransaction};

use crate::lock::MutexRecover;
use crate::ports::StoreError;

pub use tables::SCHEMA_VERSION;

/// redb's own page cache. Its default is 1 GiB, so it kept every page ever written: after a
/// 4,000-series import and 4,000 queue adds that was the whole 20 MB file, the largest share
/// of the heap (19.5 of 74 MiB, benches/memory.sh with PROFILE=dhat). The kernel's page cache
/// keeps the file's pages anyway, outside the process; this is enough for the B-trees'
/// branch pages, and the writes of one transaction beyond half of it go to the file early.
const CACHE_BYTES: usize = 4 * 1024 * 1024;

/// A cheap-to-clone handle on the database.
#[derive(Clone)]
pub struct Store {
    db: Arc<Database>,
    io: Arc<IoFailures>,
}

/// The database file and the first I/O failure seen on it.
struct IoFailures {
    path: PathBuf,
    first: Mutex<Option<String>>,
}

impl IoFailures {
    /// Names the file in an I/O failure; a "previous I/O error" gets the first one's reason.
    fn name(&self, e: StoreError) -> StoreError {
        let StoreError::Io(reason) = e else {
            return e;
        };
        let path = self.path.display();
        let mut first = self.first.lock_or_recover();
        if reason == PREVIOUS_IO {
            let earlier = first.as_deref().unwrap_or("unknown");
            return StoreError::Io(format!(
                "{path}: an earlier write failed ({earlier}); restart the server once the data \
                 dir is writable again"
            ));
        }
        first.get_or_insert_with(|| reason.clone());
        StoreError::Io(format!("{path}: {reason}"))
    }
}

/// What [`unavailable`] makes of redb's "previous I/O error", before the file is named.
const PREVIOUS_IO: &str = "previous I/O error";

impl Store {
    /// Opens (or creates) the database file, creates every table and migrates old schemas.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let io = Arc::new(IoFailures {
            path: path.to_owned(),
            first: Mutex::new(None),
        });
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(path)
            .map_err(|e| io.name(unavailable(e.into())))?;
        Self::prepare(db, io)
    }

    /// A database in memory, for fast adapter tests.
    pub fn in_memory() -> Result<Self, StoreError> {
        let db = Database::builder()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .map_err(|e| unavailable(redb::Error::from(e)))?;
        let io = Arc::new(IoFailures {
            path: PathBuf::from("(in memory)"),
            first: Mutex::new(None),
        });
        Self::prepare(db, io)
    }

    fn prepare(db: Database, io: Arc<IoFailures>) -> Result<Self, StoreError> {
        let created = (|| {
            let txn = db.begin_write().map_err(|e| unavailable(e.into()))?;
            tables::create_and_migrate(&txn)?;
            txn.commit().map_err(|e| unavailable(e.into()))
        })();
        created.map_err(|e| io.name(e))?;
        Ok(Self {
            db: Arc::new(db),
            io,
        })
    }

    /// Runs a read transaction off the async workers.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&ReadTransaction) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.db.clone();
        let read = tokio::task::spawn_blocking(move || {
            let txn = db.begin_read().map_err(|e| unavailable(e.into()))?;
            f(&txn)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("store task failed: {e}")))?;
        read.map_err(|e| self.io.name(e))
    }

    /// Runs a write transaction off the async workers and commits it when `f` succeeds.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&WriteTransaction) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.db.clone();
        let written = tokio::task::spawn_blocking(move || {
            let txn = db.begin_write().map_err(|e| unavailable(e.into()))?;
            let out = f(&txn)?;
            txn.commit().map_err(|e| unavailable(e.into()))?;
            Ok(out)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("store task failed: {e}")))?;
        written.map_err(|e| self.io.name(e))
    }
}

/// Any redb failure, as the port's error: the file system's refusals as [`StoreError::Io`]
/// (named by [`Store::read`] and [`Store::write`]), the rest as `Unavailable`.
pub(crate) fn unavailable(e: redb::Error) -> StoreError {
    match e {
        redb::Error::Io(io) => StoreError::Io(io.to_string()),
        redb::Error::PreviousIo => StoreError::Io(PREVIOUS_IO.into()),
        other => StoreError::Unavailable(other.to_string()),
    }
}

/// Shorthand for `?` on redb results inside transactions.
pub(crate) trait OrUnavailable<T> {
    fn or_unavailable(self) -> Result<T, StoreError>;
}

impl<T, E: Into<redb::Error>> OrUnavailable<T> for Result<T, E> {
    fn or_unavailable(self) -> Result<T, StoreError> {
        self.map_err(|e| unavailable(e.into()))
    }
}

/// Encodes a stored value.
pub(crate) fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Decodes a stored value.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_write_names_the_file_and_later_ones_repeat_the_first_reason() {
        let io = IoFailures {
            path: PathBuf::from("/data/aniworld.redb"),
            first: Mutex::new(None),
        };
        let refused = std::io::Error::from_raw_os_error(30);
        let first = io.name(unavailable(redb::Error::Io(refused)));
        let StoreError::Io(first) = first else {
            panic!("an I/O error: {first:?}");
        };
        assert!(
            first.starts_with("/data/aniworld.redb: Read-only file system"),
            "{first}"
        );
        let StoreError::Io(later) = io.name(unavailable(redb::Error::PreviousIo)) else {
            panic!("still an I/O error");
        };
        assert!(
            later.contains("earlier write failed (Read-only file system"),
            "{later}"
        );
        assert!(later.contains("restart the server"), "{later}");
        let other = io.name(unavailable(redb::Error::Unsupported));
        assert!(matches!(other, StoreError::Unavailable(_)), "{other:?}");
    }
}
