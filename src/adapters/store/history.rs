//! The activity history in redb: one record per entry, keyed by its id (the event's sequence
//! number), so newest first is a reverse walk of the table.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use redb::ReadableTable;

use super::tables::HISTORY;
use super::{OrUnavailable, Store, decode, encode};
use crate::domain::history::{HistoryEntry, HistoryFilter};
use crate::ports::StoreError;
use crate::ports::history::{HistoryPage, HistoryStore};

#[async_trait]
impl HistoryStore for Store {
    async fn append(&self, entries: Vec<HistoryEntry>) -> Result<(), StoreError> {
        let rows = entries
            .iter()
            .map(|e| Ok((e.id, encode(e)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.write(move |txn| {
            let mut table = txn.open_table(HISTORY).or_unavailable()?;
            for (id, bytes) in &rows {
                table.insert(*id, bytes.as_slice()).or_unavailable()?;
            }
            Ok(())
        })
        .await
    }

    async fn history(
        &self,
        filter: HistoryFilter,
        offset: u64,
        limit: u64,
    ) -> Result<HistoryPage, StoreError> {
        self.read(move |txn| {
            let table = txn.open_table(HISTORY).or_unavailable()?;
            let mut page = HistoryPage::default();
            for row in table.iter().or_unavailable()?.rev() {
                let (_, value) = row.or_unavailable()?;
                let entry: HistoryEntry = decode(value.value())?;
                if !filter.keeps(&entry) {
                    continue;
                }
                if page.total >= offset && (page.entries.len() as u64) < limit {
                    page.entries.push(entry);
                }
                page.total += 1;
            }
            Ok(page)
        })
        .await
    }

    async fn prune_history(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.write(move |txn| {
            let mut table = txn.open_table(HISTORY).or_unavailable()?;
            let mut old = Vec::new();
            for row in table.iter().or_unavailable()? {
                let (key, value) = row.or_unavailable()?;
                let entry: HistoryEntry = decode(value.value())?;
                // Ids grow with time: the first entry young enough ends the walk.
                if entry.at >= before {
                    break;
                }
                old.push(key.value());
            }
            for key in &old {
                table.remove(key).or_unavailable()?;
            }
            Ok(old.len() as u64)
        })
        .await
    }
}
