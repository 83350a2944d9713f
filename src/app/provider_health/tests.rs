//! The scoreboard with the real store (a redb file) and a manual clock.

use std::sync::Arc;

use chrono::Utc;

use super::*;
use crate::adapters::clock::ManualClock;
use crate::adapters::store::Store;
use crate::domain::catalogue::ProviderError;
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;
use crate::ports::Catalogue;
use crate::ports::catalogue::MockCatalogue;

fn voe() -> Source {
    Source::Hoster("VOE".into())
}

fn challenge() -> Attempt {
    Attempt::Failed(
        FailureKind::Challenge,
        "voe.sx asks for a browser challenge".into(),
    )
}

#[tokio::test]
async fn hoster_counts_survive_reopening_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aniworld.redb");
    let clock = Arc::new(ManualClock::new(Utc::now()));
    {
        let store = Arc::new(Store::open(&path).unwrap());
        let health = ProviderHealth::open(store, clock.clone()).await.unwrap();
        health.record(voe(), Attempt::Succeeded).await;
        health.record(voe(), challenge()).await;
    }
    let store = Arc::new(Store::open(&path).unwrap());
    let health = ProviderHealth::open(store, clock.clone()).await.unwrap();
    let h = health.get(&voe());
    assert_eq!((h.attempts, h.successes, h.failures.challenge), (2, 1, 1));
    assert_eq!(
        h.last_error.as_deref(),
        Some("voe.sx asks for a browser challenge")
    );
    assert_eq!(health.source_state(&voe()), SourceState::Working);
    assert_eq!(
        health.source_state(&Source::Hoster("Vidoza".into())),
        SourceState::Unknown
    );
}

#[tokio::test]
async fn catalogue_successes_are_written_at_most_once_a_minute_but_failures_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aniworld.redb");
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let store = Arc::new(Store::open(&path).unwrap());
    let health = ProviderHealth::open(store.clone(), clock.clone())
        .await
        .unwrap();
    for _ in 0..10 {
        health
            .record(Source::Catalogue(Site::Aniworld), Attempt::Succeeded)
            .await;
    }
    let stored = |store: Arc<Store>| async move {
        store
            .load_health()
            .await
            .unwrap()
            .into_iter()
            .find(|(s, _)| *s == Source::Catalogue(Site::Aniworld))
            .map(|(_, h)| h)
            .unwrap()
    };
    assert_eq!(
        stored(store.clone()).await.attempts,
        1,
        "the first is written"
    );
    health
        .record(
            Source::Catalogue(Site::Aniworld),
            Attempt::Failed(FailureKind::Timeout, "slow".into()),
        )
        .await;
    assert_eq!(stored(store.clone()).await.attempts, 11);
    clock.advance(chrono::Duration::seconds(61));
    health
        .record(Source::Catalogue(Site::Aniworld), Attempt::Succeeded)
        .await;
    assert_eq!(stored(store.clone()).await.attempts, 12);
    assert_eq!(health.get(&Source::Catalogue(Site::Aniworld)).attempts, 12);
}

#[tokio::test]
async fn the_watched_catalogue_counts_a_404_as_the_site_answering() {
    let health = ProviderHealth::in_memory();
    let mut inner = MockCatalogue::new();
    let mut answers = vec![
        Err(ProviderError::Challenge("aniworld.to".into())),
        Err(ProviderError::NotFound),
    ];
    inner
        .expect_series()
        .times(2)
        .returning(move |_| answers.remove(0));
    let watched = WatchedCatalogue::new(Arc::new(inner), Site::Aniworld, health.clone());
    let key = SeriesKey::parse("dr-stone").unwrap();
    assert!(watched.series(&key).await.is_err());
    assert_eq!(watched.series(&key).await, Err(ProviderError::NotFound));
    let h = health.get(&Source::Catalogue(Site::Aniworld));
    assert_eq!((h.attempts, h.successes, h.failures.challenge), (2, 1, 1));
    assert_eq!(
        h.last_error.as_deref(),
        Some("aniworld.to asks for a browser challenge")
    );
}

#[tokio::test]
async fn turning_failing_and_back_is_announced_and_a_first_success_is_not() {
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let bus = Arc::new(crate::adapters::events::BroadcastBus::new(clock.clone()));
    let mut seen = bus.subscribe();
    let health = ProviderHealth::open(Arc::new(Store::in_memory().unwrap()), clock.clone())
        .await
        .unwrap();
    health.announce_on(bus.clone());
    let filemoon = Source::Hoster("Filemoon".into());
    health.record(filemoon.clone(), Attempt::Succeeded).await;
    health.record(voe(), challenge()).await;
    health.record(voe(), challenge()).await;
    health.record(voe(), Attempt::Succeeded).await;
    let mut changes = Vec::new();
    while let Some(crate::ports::events::Next::Event(e)) = seen.try_next() {
        if let EventKind::HealthChanged {
            source,
            status,
            previous,
            reason,
        } = e.kind
        {
            changes.push((source, status, previous, reason));
        }
    }
    assert_eq!(
        changes,
        vec![
            (
                "hoster:VOE".to_owned(),
                "failing".to_owned(),
                "unknown".to_owned(),
                Some("voe.sx asks for a browser challenge".to_owned())
            ),
            (
                "hoster:VOE".to_owned(),
                "healthy".to_owned(),
                "failing".to_owned(),
                None
            ),
        ]
    );
}
