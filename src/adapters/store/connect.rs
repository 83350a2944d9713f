//! Connections and their outbox in redb.

use async_trait::async_trait;
use redb::ReadableTable;

use super::tables::{CONNECTIONS, OUTBOX};
use super::{OrUnavailable, Store, decode, encode};
use crate::domain::connection::Connection;
use crate::domain::notify::OutboxEntry;
use crate::ports::{ConnectionStore, StoreError};

#[async_trait]
impl ConnectionStore for Store {
    async fn connections(&self) -> Result<Vec<Connection>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(CONNECTIONS).or_unavailable()?;
            let mut all = Vec::new();
            for row in table.iter().or_unavailable()? {
                let (_, v) = row.or_unavailable()?;
                all.push(decode(v.value())?);
            }
            Ok(all)
        })
        .await
    }

    async fn put_connection(&self, connection: Connection) -> Result<(), StoreError> {
        let bytes = encode(&connection)?;
        self.write(move |txn| {
            let mut table = txn.open_table(CONNECTIONS).or_unavailable()?;
            table
                .insert(connection.id.as_str(), bytes.as_slice())
                .or_unavailable()?;
            Ok(())
        })
        .await
    }

    async fn remove_connection(&self, id: String) -> Result<bool, StoreError> {
        self.write(move |txn| {
            let mut table = txn.open_table(CONNECTIONS).or_unavailable()?;
            let found = table.remove(id.as_str()).or_unavailable()?.is_some();
            let mut outbox = txn.open_table(OUTBOX).or_unavailable()?;
            let mut waiting = Vec::new();
            for row in outbox.iter().or_unavailable()? {
                let (k, v) = row.or_unavailable()?;
                if decode::<OutboxEntry>(v.value())?.connection_id == id {
                    waiting.push(k.value());
                }
            }
            for k in waiting {
                outbox.remove(k).or_unavailable()?;
            }
            Ok(found)
        })
        .await
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(OUTBOX).or_unavailable()?;
            let mut all = Vec::new();
            for row in table.iter().or_unavailable()? {
                let (_, v) = row.or_unavailable()?;
                all.push(decode(v.value())?);
            }
            Ok(all)
        })
        .await
    }

    async fn put_outbox(&self, entries: Vec<OutboxEntry>) -> Result<(), StoreError> {
        let encoded = entries
            .iter()
            .map(|e| Ok((e.id, encode(e)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.write(move |txn| {
            let mut table = txn.open_table(OUTBOX).or_unavailable()?;
            for (id, bytes) in &encoded {
                table.insert(*id, bytes.as_slice()).or_unavailable()?;
            }
            Ok(())
        })
        .await
    }

    async fn remove_outbox(&self, ids: Vec<u64>) -> Result<(), StoreError> {
        self.write(move |txn| {
            let mut table = txn.open_table(OUTBOX).or_unavailable()?;
            for id in ids {
                table.remove(id).or_unavailable()?;
            }
            Ok(())
        })
        .await
    }
}
