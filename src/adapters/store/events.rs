//! [`SeqStore`] on redb: the event bus's high-water mark, one number in the `meta` table.

use async_trait::async_trait;
use redb::ReadableTable;

use super::tables::META;
use super::{OrUnavailable, Store};
use crate::ports::{SeqStore, StoreError};

/// The highest event sequence number reserved, in [`META`].
const EVENT_SEQ_RESERVED: &str = "event_seq_reserved";

#[async_trait]
impl SeqStore for Store {
    async fn reserved_seq(&self) -> Result<u64, StoreError> {
        self.read(|txn| {
            let meta = txn.open_table(META).or_unavailable()?;
            let value = meta.get(EVENT_SEQ_RESERVED).or_unavailable()?;
            Ok(value.map_or(0, |v| v.value()))
        })
        .await
    }

    async fn reserve_seq(&self, upto: u64) -> Result<(), StoreError> {
        self.write(move |txn| {
            let mut meta = txn.open_table(META).or_unavailable()?;
            let now = meta
                .get(EVENT_SEQ_RESERVED)
                .or_unavailable()?
                .map_or(0, |v| v.value());
            if upto > now {
                meta.insert(EVENT_SEQ_RESERVED, upto).or_unavailable()?;
            }
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_mark_survives_reopening_and_never_goes_down() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aniworld.redb");
        {
            let store = Store::open(&path).unwrap();
            assert_eq!(store.reserved_seq().await.unwrap(), 0);
            store.reserve_seq(8192).await.unwrap();
            store.reserve_seq(4096).await.unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.reserved_seq().await.unwrap(), 8192);
    }
}
