//! Where the activity history is kept.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreError;
use crate::domain::history::{HistoryEntry, HistoryFilter};

/// One page of entries, newest first, and how many the filter keeps in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    pub total: u64,
}

#[async_trait]
pub trait HistoryStore: Send + Sync {
    /// Keeps entries, in one write (an entry of the same id is replaced).
    async fn append(&self, entries: Vec<HistoryEntry>) -> Result<(), StoreError>;

    /// The entries `filter` keeps, newest first, `limit` of them after skipping `offset`.
    async fn history(
        &self,
        filter: HistoryFilter,
        offset: u64,
        limit: u64,
    ) -> Result<HistoryPage, StoreError>;

    /// Deletes the entries from before `before`; answers how many.
    async fn prune_history(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;
}
