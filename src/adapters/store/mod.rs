//! The embedded store: one redb file in the data dir behind the storage ports, and
//! `config.json` behind [`crate::ports::ConfigStore`].
//!
//! Every transaction runs in `spawn_blocking`; no redb guard ever crosses an `.await`.
//! Values are JSON bytes, so a field added later reads old records with its serde default.

mod auth;
pub mod config_file;
mod events;
mod health;
mod queue;
mod series;
mod tables;

use std::path::Path;
use std::sync::Arc;

use redb::{Database, ReadTransaction, ReadableDatabase, WriteTransaction};

use crate::ports::StoreError;

pub use tables::SCHEMA_VERSION;

/// A cheap-to-clone handle on the database.
#[derive(Clone)]
pub struct Store {
    db: Arc<Database>,
}

impl Store {
    /// Opens (or creates) the database file, creates every table and migrates old schemas.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let db = Database::create(path).map_err(|e| unavailable(redb::Error::from(e)))?;
        Self::prepare(db)
    }

    /// A database in memory, for fast adapter tests.
    pub fn in_memory() -> Result<Self, StoreError> {
        let db = Database::builder()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .map_err(|e| unavailable(redb::Error::from(e)))?;
        Self::prepare(db)
    }

    fn prepare(db: Database) -> Result<Self, StoreError> {
        let txn = db.begin_write().map_err(|e| unavailable(e.into()))?;
        tables::create_and_migrate(&txn)?;
        txn.commit().map_err(|e| unavailable(e.into()))?;
        Ok(Self { db: Arc::new(db) })
    }

    /// Runs a read transaction off the async workers.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&ReadTransaction) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let txn = db.begin_read().map_err(|e| unavailable(e.into()))?;
            f(&txn)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("store task failed: {e}")))?
    }

    /// Runs a write transaction off the async workers and commits it when `f` succeeds.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&WriteTransaction) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let txn = db.begin_write().map_err(|e| unavailable(e.into()))?;
            let out = f(&txn)?;
            txn.commit().map_err(|e| unavailable(e.into()))?;
            Ok(out)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("store task failed: {e}")))?
    }
}

/// Any redb failure, as the port's error.
pub(crate) fn unavailable(e: redb::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
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
