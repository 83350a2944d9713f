//! [`QueueStore`] on redb: queue items by id, the episode memory by episode key, and the run
//! state. A change is one write transaction, so a crash never leaves half of it. Items are
//! kept as [`QueueRecord`]s.

use async_trait::async_trait;
use redb::ReadableTable;

use super::queue_record::QueueRecord;
use super::tables::{QUEUE_ITEMS, QUEUE_MEMORY, QUEUE_META};
use super::{OrUnavailable, Store, decode, encode};
use crate::domain::queue::{EpisodeKey, QueueItem, Remembered};
use crate::ports::queue::{QueueChange, QueueSnapshot, RunState};
use crate::ports::{QueueStore, StoreError};

const RUN_STATE: &str = "run_state";

#[async_trait]
impl QueueStore for Store {
    async fn load(&self) -> Result<QueueSnapshot, StoreError> {
        self.read(|txn| {
            let items_table = txn.open_table(QUEUE_ITEMS).or_unavailable()?;
            let mut items = Vec::new();
            for entry in items_table.iter().or_unavailable()? {
                let (_, value) = entry.or_unavailable()?;
                items.push(QueueItem::from(decode::<QueueRecord>(value.value())?));
            }
            let memory_table = txn.open_table(QUEUE_MEMORY).or_unavailable()?;
            let mut memory = Vec::new();
            for entry in memory_table.iter().or_unavailable()? {
                let (key, value) = entry.or_unavailable()?;
                let Some(episode) = EpisodeKey::parse(key.value()) else {
                    return Err(StoreError::Corrupt(format!(
                        "queue memory key {:?}",
                        key.value()
                    )));
                };
                memory.push((episode, decode::<Remembered>(value.value())?));
            }
            let meta = txn.open_table(QUEUE_META).or_unavailable()?;
            let run_state = match meta.get(RUN_STATE).or_unavailable()? {
                Some(v) => decode::<RunState>(v.value())?,
                None => RunState::default(),
            };
            Ok(QueueSnapshot {
                items,
                memory,
                run_state,
            })
        })
        .await
    }

    async fn apply(&self, change: QueueChange) -> Result<(), StoreError> {
        if change.is_empty() {
            return Ok(());
        }
        self.write(move |txn| {
            let mut items = txn.open_table(QUEUE_ITEMS).or_unavailable()?;
            for id in &change.remove {
                items.remove(id.to_string().as_str()).or_unavailable()?;
            }
            for item in &change.put {
                let record = encode(&QueueRecord::from(item))?;
                items
                    .insert(item.id().to_string().as_str(), record.as_slice())
                    .or_unavailable()?;
            }
            drop(items);
            let mut memory = txn.open_table(QUEUE_MEMORY).or_unavailable()?;
            for key in &change.forget {
                memory.remove(key.to_key().as_str()).or_unavailable()?;
            }
            for (key, remembered) in &change.remember {
                memory
                    .insert(key.to_key().as_str(), encode(remembered)?.as_slice())
                    .or_unavailable()?;
            }
            drop(memory);
            if let Some(state) = change.run_state {
                let mut meta = txn.open_table(QUEUE_META).or_unavailable()?;
                meta.insert(RUN_STATE, encode(&state)?.as_slice())
                    .or_unavailable()?;
            }
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::episode::EpisodeId;
    use crate::domain::queue::{NewItem, Origin, Priority};
    use crate::domain::series::SeriesKey;

    fn item(episode: u32) -> QueueItem {
        QueueItem::new(
            NewItem {
                series: SeriesKey::parse("dr-stone").unwrap(),
                folder: "Dr. Stone (2019)".into(),
                series_name: "Dr. Stone".into(),
                episode: EpisodeId::new(1, episode),
                title: Some(format!("Episode {episode}")),
                priority: Priority::High,
                origin: Origin::User,
            },
            i64::from(episode),
            Utc::now(),
        )
    }

    #[tokio::test]
    async fn items_memory_and_run_state_are_read_back() {
        let store = Store::in_memory().unwrap();
        assert_eq!(store.load().await.unwrap(), QueueSnapshot::default());
        let (a, b) = (item(1), item(2));
        let key = a.episode_key();
        store
            .apply(QueueChange {
                put: vec![a.clone(), b.clone()],
                remember: vec![(key.clone(), Remembered::AutoQueued)],
                run_state: Some(RunState::Started),
                ..QueueChange::default()
            })
            .await
            .unwrap();
        let mut loaded = store.load().await.unwrap();
        loaded.items.sort_by_key(QueueItem::position);
        assert_eq!(loaded.items, vec![a.clone(), b.clone()]);
        assert_eq!(loaded.memory, vec![(key.clone(), Remembered::AutoQueued)]);
        assert_eq!(loaded.run_state, RunState::Started);

        store
            .apply(QueueChange {
                remove: vec![a.id()],
                remember: vec![(key.clone(), Remembered::RemovedByUser)],
                ..QueueChange::default()
            })
            .await
            .unwrap();
        let loaded = store.load().await.unwrap();
        assert_eq!(loaded.items, vec![b]);
        assert_eq!(
            loaded.memory,
            vec![(key.clone(), Remembered::RemovedByUser)]
        );
        store
            .apply(QueueChange {
                forget: vec![key],
                ..QueueChange::default()
            })
            .await
            .unwrap();
        assert!(store.load().await.unwrap().memory.is_empty());
    }
}
