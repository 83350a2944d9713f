//! [`HealthStore`] on redb: one JSON record per source.

use async_trait::async_trait;
use redb::ReadableTable;

use super::tables::PROVIDER_HEALTH;
use super::{OrUnavailable, Store, decode, encode};
use crate::domain::provider_health::SourceHealth;
use crate::ports::health::Source;
use crate::ports::{HealthStore, StoreError};

#[async_trait]
impl HealthStore for Store {
    async fn load_health(&self) -> Result<Vec<(Source, SourceHealth)>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(PROVIDER_HEALTH).or_unavailable()?;
            let mut records = Vec::new();
            for entry in table.iter().or_unavailable()? {
                let (key, value) = entry.or_unavailable()?;
                // A record of a source a later build knows is left alone, not an error.
                if let Some(source) = Source::parse(key.value()) {
                    records.push((source, decode(value.value())?));
                }
            }
            Ok(records)
        })
        .await
    }

    async fn save_health(&self, source: Source, health: SourceHealth) -> Result<(), StoreError> {
        let bytes = encode(&health)?;
        self.write(move |txn| {
            let mut table = txn.open_table(PROVIDER_HEALTH).or_unavailable()?;
            table
                .insert(source.key().as_str(), bytes.as_slice())
                .or_unavailable()?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::provider_health::FailureKind;
    use crate::domain::site::Site;

    #[tokio::test]
    async fn records_survive_reopening_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aniworld.redb");
        let mut voe = SourceHealth::default();
        voe.failure(
            FailureKind::Challenge,
            "voe.sx asks".into(),
            chrono::Utc::now(),
        );
        {
            let store = Store::open(&path).unwrap();
            store
                .save_health(Source::Hoster("VOE".into()), voe.clone())
                .await
                .unwrap();
            store
                .save_health(Source::Catalogue(Site::Aniworld), SourceHealth::default())
                .await
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let mut records = store.load_health().await.unwrap();
        records.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            records,
            vec![
                (Source::Catalogue(Site::Aniworld), SourceHealth::default()),
                (Source::Hoster("VOE".into()), voe)
            ]
        );
    }
}
