//! The releases the Torznab feed offered and qBittorrent's categories, in redb.

use std::collections::BTreeMap;

use async_trait::async_trait;
use redb::ReadableTable;

use super::tables::{ARR_CATEGORIES, RELEASES};
use super::{OrUnavailable, Store, decode, encode};
use crate::domain::release::{InfoHash, Release};
use crate::ports::{ReleaseStore, StoreError};

#[async_trait]
impl ReleaseStore for Store {
    async fn keep_releases(&self, releases: Vec<Release>) -> Result<Vec<Release>, StoreError> {
        let hashes: Vec<String> = releases.iter().map(|r| r.hash().to_string()).collect();
        let lookup = hashes.clone();
        // Most answers offer what was offered before: read first, write only what is new.
        let kept: Vec<Option<Release>> = self
            .read(move |txn| {
                let table = txn.open_table(RELEASES).or_unavailable()?;
                lookup
                    .iter()
                    .map(|h| {
                        table
                            .get(h.as_str())
                            .or_unavailable()?
                            .map(|v| decode::<Release>(v.value()))
                            .transpose()
                    })
                    .collect()
            })
            .await?;
        let fresh: Vec<(String, Vec<u8>)> = releases
            .iter()
            .zip(&hashes)
            .zip(&kept)
            .filter(|(_, k)| k.is_none())
            .map(|((r, h), _)| Ok((h.clone(), encode(r)?)))
            .collect::<Result<_, StoreError>>()?;
        if !fresh.is_empty() {
            self.write(move |txn| {
                let mut table = txn.open_table(RELEASES).or_unavailable()?;
                for (hash, bytes) in &fresh {
                    // A concurrent answer may have kept it meanwhile: the first one stays.
                    if table.get(hash.as_str()).or_unavailable()?.is_none() {
                        table
                            .insert(hash.as_str(), bytes.as_slice())
                            .or_unavailable()?;
                    }
                }
                Ok(())
            })
            .await?;
        }
        Ok(releases
            .into_iter()
            .zip(kept)
            .map(|(offered, kept)| kept.unwrap_or(offered))
            .collect())
    }

    async fn release(&self, hash: InfoHash) -> Result<Option<Release>, StoreError> {
        self.read(move |txn| {
            let table = txn.open_table(RELEASES).or_unavailable()?;
            table
                .get(hash.as_str())
                .or_unavailable()?
                .map(|v| decode(v.value()))
                .transpose()
        })
        .await
    }

    async fn recent_releases(&self, limit: usize) -> Result<Vec<Release>, StoreError> {
        self.read(move |txn| {
            let table = txn.open_table(RELEASES).or_unavailable()?;
            let mut all = Vec::new();
            for entry in table.iter().or_unavailable()? {
                let (_, v) = entry.or_unavailable()?;
                all.push(decode::<Release>(v.value())?);
            }
            all.sort_by_key(|r| std::cmp::Reverse(r.first_seen));
            all.truncate(limit);
            Ok(all)
        })
        .await
    }

    async fn categories(&self) -> Result<BTreeMap<String, String>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(ARR_CATEGORIES).or_unavailable()?;
            let mut categories = BTreeMap::new();
            for entry in table.iter().or_unavailable()? {
                let (k, v) = entry.or_unavailable()?;
                let path = String::from_utf8(v.value().to_vec())
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                categories.insert(k.value().to_owned(), path);
            }
            Ok(categories)
        })
        .await
    }

    async fn put_category(&self, name: String, save_path: String) -> Result<(), StoreError> {
        self.write(move |txn| {
            let mut table = txn.open_table(ARR_CATEGORIES).or_unavailable()?;
            table
                .insert(name.as_str(), save_path.as_bytes())
                .or_unavailable()?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::*;
    use crate::domain::catalogue::Language;
    use crate::domain::episode::EpisodeId;
    use crate::domain::series::SeriesKey;

    fn release(episode: u32, hours: i64) -> Release {
        Release {
            key: SeriesKey::parse("dr-stone").unwrap(),
            series_title: "Dr. Stone".into(),
            episode: EpisodeId::new(1, episode),
            language: Language::GermanDub,
            first_seen: Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
                + Duration::hours(hours),
        }
    }

    #[tokio::test]
    async fn a_release_offered_again_keeps_when_it_was_first_seen() {
        let store = Store::in_memory().unwrap();
        let first = store.keep_releases(vec![release(1, 0)]).await.unwrap();
        assert_eq!(first, vec![release(1, 0)]);
        let again = store
            .keep_releases(vec![release(1, 5), release(2, 5)])
            .await
            .unwrap();
        assert_eq!(again, vec![release(1, 0), release(2, 5)]);
        let found = store.release(release(2, 9).hash()).await.unwrap();
        assert_eq!(found, Some(release(2, 5)));
        let unknown = InfoHash::parse(&"0".repeat(40)).unwrap();
        assert_eq!(store.release(unknown).await.unwrap(), None);
        let recent = store.recent_releases(1).await.unwrap();
        assert_eq!(recent, vec![release(2, 5)]);
    }

    #[tokio::test]
    async fn categories_are_kept_by_name() {
        let store = Store::in_memory().unwrap();
        store
            .put_category("tv-sonarr".into(), String::new())
            .await
            .unwrap();
        store
            .put_category("anime".into(), "/x".into())
            .await
            .unwrap();
        store
            .put_category("anime".into(), "/y".into())
            .await
            .unwrap();
        let categories = store.categories().await.unwrap();
        assert_eq!(
            categories.into_iter().collect::<Vec<_>>(),
            vec![
                ("anime".into(), "/y".into()),
                ("tv-sonarr".into(), String::new())
            ]
        );
    }
}
