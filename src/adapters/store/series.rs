//! [`SeriesStore`] on redb: one table of series by key, and the last series number in `meta`.
//! Series numbers are never reused, so a `db_id` once shown keeps meaning one series.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};

use super::tables::{LAST_FULL_REFRESH, LAST_SERIES_ID, META, SERIES};
use super::{OrUnavailable, Store, decode, encode};
use crate::domain::library::LibrarySeries;
use crate::domain::series::SeriesKey;
use crate::ports::{SeriesStore, StoreError};

#[async_trait]
impl SeriesStore for Store {
    async fn all(&self) -> Result<Vec<LibrarySeries>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(SERIES).or_unavailable()?;
            let mut out = Vec::with_capacity(table.len().or_unavailable()? as usize);
            for entry in table.iter().or_unavailable()? {
                let (_, value) = entry.or_unavailable()?;
                out.push(decode(value.value())?);
            }
            Ok(out)
        })
        .await
    }

    async fn add_new(&self, series: Vec<LibrarySeries>) -> Result<Vec<LibrarySeries>, StoreError> {
        self.write(move |txn| {
            let mut ids = SeriesIds::open(txn)?;
            let mut table = txn.open_table(SERIES).or_unavailable()?;
            let mut added = Vec::with_capacity(series.len());
            for mut record in series {
                let key = record.series.key.as_str().to_owned();
                if table.get(key.as_str()).or_unavailable()?.is_some() {
                    continue;
                }
                record.id = ids.next();
                table
                    .insert(key.as_str(), encode(&record)?.as_slice())
                    .or_unavailable()?;
                added.push(record);
            }
            drop(table);
            ids.close(txn)?;
            Ok(added)
        })
        .await
    }

    async fn save(&self, series: Vec<LibrarySeries>) -> Result<(), StoreError> {
        self.write(move |txn| {
            let mut table = txn.open_table(SERIES).or_unavailable()?;
            for record in &series {
                table
                    .insert(record.series.key.as_str(), encode(record)?.as_slice())
                    .or_unavailable()?;
            }
            Ok(())
        })
        .await
    }

    async fn remove(&self, key: SeriesKey) -> Result<bool, StoreError> {
        self.write(move |txn| {
            let mut table = txn.open_table(SERIES).or_unavailable()?;
            Ok(table.remove(key.as_str()).or_unavailable()?.is_some())
        })
        .await
    }

    async fn replace_all(
        &self,
        series: Vec<LibrarySeries>,
    ) -> Result<Vec<LibrarySeries>, StoreError> {
        self.write(move |txn| {
            let mut ids = SeriesIds::open(txn)?;
            let mut table = txn.open_table(SERIES).or_unavailable()?;
            let mut old = std::collections::HashMap::new();
            for entry in table.iter().or_unavailable()? {
                let (key, value) = entry.or_unavailable()?;
                let record: LibrarySeries = decode(value.value())?;
                old.insert(key.value().to_owned(), record.id);
            }
            table.retain(|_, _| false).or_unavailable()?;
            let mut stored = Vec::with_capacity(series.len());
            for mut record in series {
                let key = record.series.key.as_str();
                record.id = match old.get(key) {
                    Some(id) => *id,
                    None => ids.next(),
                };
                table
                    .insert(key, encode(&record)?.as_slice())
                    .or_unavailable()?;
                stored.push(record);
            }
            drop(table);
            ids.close(txn)?;
            Ok(stored)
        })
        .await
    }

    async fn last_full_refresh(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.read(|txn| {
            let meta = txn.open_table(META).or_unavailable()?;
            let secs = meta
                .get(LAST_FULL_REFRESH)
                .or_unavailable()?
                .map(|v| v.value());
            Ok(secs
                .and_then(|s| i64::try_from(s).ok())
                .and_then(|s| DateTime::from_timestamp(s, 0)))
        })
        .await
    }

    async fn set_last_full_refresh(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        let secs = u64::try_from(at.timestamp()).unwrap_or(0);
        self.write(move |txn| {
            let mut meta = txn.open_table(META).or_unavailable()?;
            meta.insert(LAST_FULL_REFRESH, secs).or_unavailable()?;
            Ok(())
        })
        .await
    }
}

/// The series-number counter inside one write transaction.
struct SeriesIds {
    last: u64,
}

impl SeriesIds {
    fn open(txn: &WriteTransaction) -> Result<Self, StoreError> {
        let meta = txn.open_table(META).or_unavailable()?;
        let last = meta
            .get(LAST_SERIES_ID)
            .or_unavailable()?
            .map_or(0, |v| v.value());
        Ok(Self { last })
    }

    fn next(&mut self) -> u64 {
        self.last += 1;
        self.last
    }

    fn close(self, txn: &WriteTransaction) -> Result<(), StoreError> {
        let mut meta = txn.open_table(META).or_unavailable()?;
        meta.insert(LAST_SERIES_ID, self.last).or_unavailable()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::episode::EpisodeId;
    use crate::domain::series::{FolderName, Series};

    fn record(key: &str) -> LibrarySeries {
        let mut r = LibrarySeries::new(Series {
            key: SeriesKey::parse(key).unwrap(),
            name: key.to_uppercase(),
            site: "aniworld.to".into(),
            link: format!("https://aniworld.to/anime/stream/{key}"),
            folder: FolderName::sanitise(key).unwrap(),
        });
        r.available = Some([EpisodeId::new(1, 1), EpisodeId::new(0, 1)].into());
        r
    }

    #[tokio::test]
    async fn added_series_get_increasing_numbers_and_duplicates_are_left_out() {
        let store = Store::in_memory().unwrap();
        let added = store.add_new(vec![record("a"), record("b")]).await.unwrap();
        assert_eq!(added.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 2]);
        let again = store.add_new(vec![record("a"), record("c")]).await.unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!((again[0].series.key.as_str(), again[0].id), ("c", 3));
        assert_eq!(store.all().await.unwrap().len(), 3);
    }

    #[tokio::test]
    async fn saved_changes_are_read_back() {
        let store = Store::in_memory().unwrap();
        let mut a = store.add_new(vec![record("a")]).await.unwrap().remove(0);
        a.present.insert(EpisodeId::new(1, 1));
        store.save(vec![a.clone()]).await.unwrap();
        assert_eq!(store.all().await.unwrap(), vec![a]);
    }

    #[tokio::test]
    async fn replacing_the_library_keeps_known_numbers_and_drops_the_rest() {
        let store = Store::in_memory().unwrap();
        store.add_new(vec![record("a"), record("b")]).await.unwrap();
        let stored = store
            .replace_all(vec![record("b"), record("z")])
            .await
            .unwrap();
        let ids: Vec<_> = stored
            .iter()
            .map(|r| (r.series.key.as_str(), r.id))
            .collect();
        assert_eq!(ids, [("b", 2), ("z", 3)]);
        let mut keys: Vec<_> = store
            .all()
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        keys.sort();
        assert_eq!(keys, [2, 3]);
    }

    #[tokio::test]
    async fn series_metadata_is_stored_and_read_back() {
        use crate::domain::series_metadata::{CoverUrl, Fsk, ImdbId, Names, SeriesMetadata};
        let store = Store::in_memory().unwrap();
        let mut a = record("a");
        a.metadata = SeriesMetadata {
            cover: CoverUrl::parse("https://aniworld.to/public/img/cover/a_220x330.png").ok(),
            alternative_titles: Names::distinct(["Ä & B", "A2"]),
            last_year: Some(2023),
            genres: Names::distinct(["Action", "Drama"]),
            fsk: Fsk::parse("12").ok(),
            imdb: ImdbId::parse("tt2560140").ok(),
        };
        let added = store.add_new(vec![a]).await.unwrap().remove(0);
        assert!(added.metadata.imdb.is_some() && added.metadata.cover.is_some());
        assert_eq!(store.all().await.unwrap(), vec![added]);
    }

    /// The bytes a build before series metadata wrote for a series: they still read back,
    /// with no metadata, and the rest of the record intact.
    #[tokio::test]
    async fn a_record_stored_before_series_metadata_still_reads_back() {
        let old = br#"{"id":7,"series":{"key":"a","name":"A","site":"aniworld.to","link":"https://aniworld.to/anime/stream/a","folder":"a"},"description":"Titans.","year":2013,"available":[{"season":0,"episode":1},{"season":1,"episode":1}],"present":[{"season":1,"episode":1}],"policy":{"monitored":true,"languages":["German Sub"],"upgrade":false},"files":{"1-1":"German Sub"},"upgrades_tried":{}}"#;
        let record: LibrarySeries = decode(old).unwrap();
        assert_eq!((record.id, record.series.key.as_str()), (7, "a"));
        assert_eq!(
            (record.description.as_deref(), record.year),
            (Some("Titans."), Some(2013))
        );
        assert_eq!(
            record.missing().ids().collect::<Vec<_>>(),
            [EpisodeId::new(0, 1)]
        );
        assert_eq!(record.metadata, Default::default());
        let store = Store::in_memory().unwrap();
        store
            .write(move |txn| {
                let mut table = txn.open_table(SERIES).or_unavailable()?;
                table.insert("a", old.as_slice()).or_unavailable()?;
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(store.all().await.unwrap(), vec![record]);
    }

    #[tokio::test]
    async fn numbers_are_not_reused_after_a_removal() {
        let store = Store::in_memory().unwrap();
        store.add_new(vec![record("a")]).await.unwrap();
        assert!(store.remove(SeriesKey::parse("a").unwrap()).await.unwrap());
        assert!(!store.remove(SeriesKey::parse("a").unwrap()).await.unwrap());
        assert_eq!(store.add_new(vec![record("a")]).await.unwrap()[0].id, 2);
    }
}
