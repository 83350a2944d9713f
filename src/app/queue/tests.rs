//! The queue's use cases with the real store (in memory), library and file system (temp
//! dirs), a manual clock, and mocked catalogue, hoster and media fetcher.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;

use super::worker::Ending;
use super::*;
use crate::adapters::clock::ManualClock;
use crate::adapters::events::BroadcastBus;
use crate::adapters::fs::LocalLibrary;
use crate::adapters::store::Store;
use crate::adapters::store::config_file::ConfigFile;
use crate::app::library::tests::{Fixture, fixture_with};
use crate::app::provider_health::ProviderHealth;
use crate::domain::catalogue::{EpisodeDetails, HosterLink, Language, MediaKind, MediaSource};
use crate::domain::episode::EpisodeId;
use crate::domain::queue::{EpisodeKey, NewItem, Origin, Partial, Priority, Remembered};
use crate::domain::series::SeriesKey;
use crate::ports::catalogue::{EmbedPage, MockCatalogue, MockHoster, Recognition};
use crate::ports::media::{FetchError, MockMediaFetcher, MockRemuxer, Transferred};
use crate::ports::queue::RunState;

struct Harness {
    queue: QueueService,
    library: Fixture,
    clock: Arc<ManualClock>,
    _config_dir: tempfile::TempDir,
}

/// The media side: an episode page with one VOE link; each resolve gives a new URL.
fn resolver(kind: MediaKind) -> (Arc<MediaResolver>, Arc<AtomicUsize>) {
    let mut catalogue = MockCatalogue::new();
    catalogue.expect_episode().returning(|_, id| {
        Ok(EpisodeDetails {
            id,
            title_german: None,
            title_english: None,
            languages: vec![Language::GermanDub],
            hosters: vec![HosterLink {
                site: crate::domain::site::Site::Aniworld,
                hoster: "VOE".into(),
                language: Language::GermanDub,
                redirect_url: "https://aniworld.example/redirect/1".into(),
            }],
        })
    });
    catalogue
        .expect_embed_url()
        .returning(|_| Ok("https://voe.example/e/1".into()));
    let resolves = Arc::new(AtomicUsize::new(0));
    let counted = resolves.clone();
    let mut hoster = MockHoster::new();
    hoster.expect_name().return_const("VOE".to_owned());
    hoster.expect_open().returning(|url, from| {
        Ok(EmbedPage {
            url: url.to_owned(),
            body: String::new(),
            linked_from: from.to_owned(),
        })
    });
    hoster
        .expect_recognises()
        .return_const(Recognition::Unknown);
    hoster.expect_resolve().returning(move |page| {
        let embed = page.url.as_str();
        let n = counted.fetch_add(1, Ordering::SeqCst);
        Ok(MediaSource {
            url: format!("https://cdn.example/video.mp4?sig={n}"),
            kind,
            headers: vec![("Referer".into(), embed.to_owned())],
            hoster: "VOE".into(),
        })
    });
    let media = MediaResolver::new(
        Arc::new(catalogue),
        vec![Arc::new(hoster)],
        ProviderHealth::in_memory(),
    );
    (Arc::new(media), resolves)
}

/// A remuxer for machines without ffmpeg.
fn no_remuxer() -> MockRemuxer {
    let mut r = MockRemuxer::new();
    r.expect_available().return_const(false);
    r
}

async fn harness(fetcher: MockMediaFetcher, store: Arc<Store>) -> (Harness, Arc<AtomicUsize>) {
    harness_with(fetcher, store, no_remuxer(), MediaKind::Direct).await
}

async fn harness_with(
    fetcher: MockMediaFetcher,
    store: Arc<Store>,
    remuxer: MockRemuxer,
    kind: MediaKind,
) -> (Harness, Arc<AtomicUsize>) {
    let library = fixture_with(store.clone(), None).await;
    let _ = library
        .library
        .add("https://aniworld.to/anime/stream/attack-on-titan", None)
        .await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let config_dir = tempfile::tempdir().unwrap();
    let config = ConfigService::load(
        Arc::new(ConfigFile::new(config_dir.path())),
        clock.clone(),
        config_dir.path().to_string_lossy().into_owned(),
        None,
    )
    .await
    .unwrap();
    let (media, resolves) = resolver(kind);
    let queue = QueueService::open(QueueDeps {
        store,
        library: library.library.clone(),
        media,
        fetcher: Arc::new(fetcher),
        files: Arc::new(LocalLibrary),
        remuxer: Arc::new(remuxer),
        events: Arc::new(BroadcastBus::new(clock.clone())),
        clock: clock.clone(),
        config: Arc::new(config),
    })
    .await
    .unwrap();
    let h = Harness {
        queue,
        library,
        clock,
        _config_dir: config_dir,
    };
    (h, resolves)
}

fn request(episodes: &[(u32, u32)]) -> AddRequest {
    AddRequest {
        series: "attack-on-titan".into(),
        folder: None,
        name: None,
        episodes: episodes
            .iter()
            .map(|(s, e)| AddEpisode {
                episode: EpisodeId::new(*s, *e),
                title: None,
            })
            .collect(),
        priority: Priority::Normal,
    }
}

/// Polls the queue until `done` holds (5 s at most).
async fn until(queue: &QueueService, done: impl Fn(&QueueView) -> bool) -> QueueView {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let view = queue.status();
            if done(&view) {
                return view;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the queue got there in time")
}

/// A fetcher mock that writes a complete file of `bytes` bytes.
fn finish(transfer: &crate::ports::media::Transfer, bytes: usize) -> Transferred {
    std::fs::write(&transfer.part_path, vec![7u8; bytes]).unwrap();
    Transferred {
        bytes: bytes as u64,
        kind: MediaKind::Direct,
    }
}

#[tokio::test]
async fn an_expired_url_is_resolved_again_and_the_transfer_goes_on_from_its_checkpoint() {
    let at = Partial::Direct {
        bytes: 10,
        total: Some(100),
    };
    let mut fetcher = MockMediaFetcher::new();
    let mut seq = mockall::Sequence::new();
    fetcher
        .expect_fetch()
        .times(1)
        .in_sequence(&mut seq)
        .returning(move |t, _, _| {
            assert_eq!(
                (t.resume, t.source.url.as_str()),
                (None, "https://cdn.example/video.mp4?sig=0")
            );
            Err(FetchError::Expired {
                status: 403,
                at: Some(at),
            })
        });
    fetcher
        .expect_fetch()
        .times(1)
        .in_sequence(&mut seq)
        .returning(move |t, _, _| {
            assert_eq!(t.resume, Some(at), "goes on from the checkpoint");
            assert_eq!(
                t.source.url, "https://cdn.example/video.mp4?sig=1",
                "with a fresh URL"
            );
            Ok(finish(&t, 100))
        });
    let (h, resolves) = harness(fetcher, Arc::new(Store::in_memory().unwrap())).await;
    h.queue.start_workers();
    let added = h.queue.add(request(&[(1, 1)])).await.unwrap();
    assert_eq!((added.added.len(), added.failed.len()), (1, 0));
    h.queue.start().await.unwrap();
    let view = until(&h.queue, |v| v.completed.len() == 1).await;
    let done = &view.completed[0];
    assert_eq!(done.retry_count(), 0);
    assert_eq!(
        done.file(),
        Some("Attack on Titan (2013)/Season 01/Attack on Titan (2013) - S01E01.mp4")
    );
    assert_eq!(resolves.load(Ordering::SeqCst), 2);
    let file = h.library.root.path().join(done.file().as_ref().unwrap());
    assert_eq!(std::fs::read(file).unwrap().len(), 100);
    let series = h.library.library.find("attack-on-titan").unwrap();
    assert!(
        series.record.present.contains(&EpisodeId::new(1, 1)),
        "the episode is on record"
    );
}

#[tokio::test]
async fn a_full_disk_fails_the_item_at_once_without_retries() {
    let mut fetcher = MockMediaFetcher::new();
    fetcher.expect_fetch().times(1).returning(|_, _, _| {
        Err(FetchError::Disk(
            "No space left on device (os error 28)".into(),
        ))
    });
    let (h, _) = harness(fetcher, Arc::new(Store::in_memory().unwrap())).await;
    h.queue.start_workers();
    h.queue.add(request(&[(1, 2)])).await.unwrap();
    h.queue.start().await.unwrap();
    let view = until(&h.queue, |v| v.failed.len() == 1).await;
    let failed = &view.failed[0];
    assert_eq!(failed.retry_count(), 0);
    assert!(
        failed.error().unwrap().contains("No space left on device"),
        "{failed:?}"
    );
}

#[tokio::test]
async fn a_failed_transfer_waits_for_its_backoff_before_the_next_try() {
    let tries = Arc::new(AtomicUsize::new(0));
    let counted = tries.clone();
    let mut fetcher = MockMediaFetcher::new();
    fetcher.expect_fetch().returning(move |t, _, _| {
        if counted.fetch_add(1, Ordering::SeqCst) == 0 {
            Err(FetchError::Timeout)
        } else {
            Ok(finish(&t, 5))
        }
    });
    let (h, _) = harness(fetcher, Arc::new(Store::in_memory().unwrap())).await;
    h.queue.start_workers();
    h.queue.add(request(&[(1, 3)])).await.unwrap();
    h.queue.start().await.unwrap();
    let view = until(&h.queue, |v| {
        v.pending.first().is_some_and(|i| i.retry_count() == 1)
    })
    .await;
    let waiting = &view.pending[0];
    assert_eq!(
        waiting.error(),
        Some("all hosters failed: VOE (German Dub): media server timed out")
    );
    assert_eq!(
        waiting.not_before(),
        Some(h.clock.now() + chrono::Duration::seconds(2))
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        tries.load(Ordering::SeqCst),
        1,
        "nothing happens before the backoff ends"
    );
    h.clock.advance(chrono::Duration::seconds(2));
    until(&h.queue, |v| v.completed.len() == 1).await;
}

#[tokio::test]
async fn after_a_crash_a_downloading_item_is_pending_again_and_a_started_queue_runs() {
    let store = Arc::new(Store::in_memory().unwrap());
    let mut item = QueueItem::new(
        NewItem {
            series: SeriesKey::parse("attack-on-titan").unwrap(),
            folder: "Attack on Titan (2013)".into(),
            series_name: "Attack on Titan".into(),
            episode: EpisodeId::new(0, 1),
            title: None,
            priority: Priority::High,
            origin: Origin::User,
        },
        0,
        Utc::now(),
    );
    item.start(Utc::now()).unwrap();
    item.checkpoint(Some(Partial::Direct {
        bytes: 3,
        total: Some(9),
    }))
    .unwrap();
    item.note_source("VOE".into(), Language::GermanDub, None);
    store
        .apply(QueueChange {
            put: vec![item.clone()],
            run_state: Some(RunState::Started),
            ..QueueChange::default()
        })
        .await
        .unwrap();
    let mut fetcher = MockMediaFetcher::new();
    fetcher.expect_fetch().returning(move |t, _, _| {
        assert_eq!(
            t.resume,
            Some(Partial::Direct {
                bytes: 3,
                total: Some(9)
            })
        );
        Ok(finish(&t, 9))
    });
    let (h, _) = harness(fetcher, store).await;
    let view = h.queue.status();
    assert!(view.is_running, "the user's start holds across the restart");
    assert_eq!(view.pending.len(), 1);
    assert_eq!(view.pending[0].partial(), item.partial());
    h.queue.start_workers();
    until(&h.queue, |v| v.completed.len() == 1).await;
}

#[tokio::test]
async fn unknown_episodes_are_refused_and_a_removed_item_is_remembered() {
    let (h, _) = harness(
        MockMediaFetcher::new(),
        Arc::new(Store::in_memory().unwrap()),
    )
    .await;
    let added = h.queue.add(request(&[(1, 1), (7, 7)])).await.unwrap();
    assert_eq!(added.added.len(), 1);
    assert_eq!(added.failed[0].episode, EpisodeId::new(7, 7));
    let id = added.added[0];
    assert_eq!(h.queue.remove(&[id]).await.unwrap(), 1);
    let key = EpisodeKey::new(
        SeriesKey::parse("attack-on-titan").unwrap(),
        EpisodeId::new(1, 1),
    );
    assert_eq!(
        h.queue.state().memory.get(&key),
        Some(&Remembered::RemovedByUser)
    );
    assert!(matches!(
        h.queue.remove(&[id]).await,
        Err(QueueError::NotFound(_))
    ));
    assert!(matches!(
        h.queue.add(request(&[])).await,
        Err(QueueError::Invalid {
            field: "episodes",
            ..
        })
    ));
}

/// A fetcher that writes an HLS download of 5 bytes.
fn hls_fetcher() -> MockMediaFetcher {
    let mut fetcher = MockMediaFetcher::new();
    fetcher.expect_fetch().returning(|t, _, _| {
        std::fs::write(&t.part_path, b"tsts!").unwrap();
        Ok(Transferred {
            bytes: 5,
            kind: MediaKind::Hls,
        })
    });
    fetcher
}

/// Downloads one HLS episode with `remux_to_mp4` on and `remuxer`; answers the harness and
/// the completed item's file.
async fn remuxed_download(remuxer: MockRemuxer, episode: u32) -> (Harness, String) {
    let store = Arc::new(Store::in_memory().unwrap());
    let (h, _) = harness_with(hls_fetcher(), store, remuxer, MediaKind::Hls).await;
    h.queue
        .inner
        .deps
        .config
        .update(|current| {
            let mut changed = current.clone();
            changed.downloads.remux_to_mp4 = true;
            Ok(changed)
        })
        .await
        .unwrap();
    h.queue.start_workers();
    h.queue.add(request(&[(1, episode)])).await.unwrap();
    h.queue.start().await.unwrap();
    let view = until(&h.queue, |v| v.completed.len() == 1).await;
    let file = view.completed[0].file().unwrap().to_owned();
    (h, file)
}

#[tokio::test]
async fn with_remuxing_asked_for_an_hls_download_ends_as_mp4_and_the_ts_part_goes() {
    let mut remuxer = MockRemuxer::new();
    remuxer.expect_available().return_const(true);
    remuxer.expect_remux().times(1).returning(|from, to| {
        assert!(from.to_string_lossy().ends_with(".ts.part"), "{from:?}");
        assert!(to.to_string_lossy().ends_with(".mp4.part"), "{to:?}");
        std::fs::write(&to, b"mp4!").unwrap();
        Ok(())
    });
    let (h, file) = remuxed_download(remuxer, 1).await;
    assert!(file.ends_with("S01E01.mp4"), "{file}");
    let season = h
        .library
        .root
        .path()
        .join("Attack on Titan (2013)/Season 01");
    let mut names: Vec<String> = std::fs::read_dir(season)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["Attack on Titan (2013) - S01E01.mp4"]);
}

#[tokio::test]
async fn a_failed_remux_keeps_the_mpeg_ts_file() {
    let mut remuxer = MockRemuxer::new();
    remuxer.expect_available().return_const(true);
    remuxer
        .expect_remux()
        .returning(|_, _| Err("ffmpeg failed (exit status: 1): Invalid data".into()));
    let (h, file) = remuxed_download(remuxer, 2).await;
    assert!(file.ends_with("S01E02.ts"), "{file}");
    let kept = std::fs::read(h.library.root.path().join(file)).unwrap();
    assert_eq!(kept, b"tsts!");
}

#[tokio::test]
async fn a_completion_the_item_refuses_changes_nothing_and_announces_nothing() {
    let store = Arc::new(Store::in_memory().unwrap());
    let (h, _) = harness(MockMediaFetcher::new(), store.clone()).await;
    let id = h.queue.add(request(&[(1, 1)])).await.unwrap().added[0];
    let item = h.queue.state().items[&id].clone();
    let mut events = h.queue.inner.deps.events.subscribe();
    // Nothing started the item: a download's end that says it completed is refused.
    let done = Ending::Done {
        file: "Attack on Titan (2013)/x.mp4".into(),
        bytes: 9,
        hoster: "Vidoza".into(),
        language: Language::GermanSub,
    };
    h.queue.settle(&item, done).await.unwrap();
    let after = h.queue.state().items[&id].clone();
    assert_eq!(after, item, "still pending, without a file or a hoster");
    assert_eq!(after.source().hoster, None);
    assert_eq!(store.load().await.unwrap().items, vec![item.clone()]);
    let failed = Ending::Failed {
        error: "nope".into(),
        retryable: false,
    };
    h.queue.settle(&item, failed).await.unwrap();
    assert_eq!(h.queue.state().items[&id], item);
    assert!(
        events.try_next().is_none(),
        "no download_complete, download_failed or status event"
    );
}
