//! The library use cases with the real store (in memory) and file system (temp dirs), and a
//! mocked catalogue.

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::adapters::clock::SystemClock;
use crate::adapters::events::BroadcastBus;
use crate::adapters::fs::LocalLibrary;
use crate::adapters::store::Store;
use crate::domain::catalogue::{EpisodeListing, SearchHit, SeriesDetails};
use crate::domain::episode::EpisodeId;
use crate::domain::event::EventKind;
use crate::domain::series_metadata::{Fsk, Names, SeriesMetadata};
use crate::ports::catalogue::MockCatalogue;
use crate::ports::events::{Next, Subscription};

const BASE: &str = "https://aniworld.to/anime/stream/";

/// A catalogue that knows `attack-on-titan` (2013): season 1 episodes 1 to 3 and one film.
pub(crate) fn catalogue() -> MockCatalogue {
    let mut c = MockCatalogue::new();
    c.expect_series_link().returning(|k| format!("{BASE}{k}"));
    c.expect_key_of_link()
        .returning(|l| SeriesKey::parse(l.strip_prefix(BASE)?.trim_end_matches('/')).ok());
    c.expect_series().returning(|key| {
        if key.as_str() != "attack-on-titan" {
            return Err(ProviderError::NotFound);
        }
        Ok(SeriesDetails {
            key: key.clone(),
            name: "Attack on Titan".into(),
            description: Some("Titans.".into()),
            year: Some(2013),
            seasons: vec![1],
            has_films: true,
            link: format!("{BASE}{key}"),
            metadata: SeriesMetadata {
                genres: Names::distinct(["Action", "Drama"]),
                fsk: Fsk::parse("16").ok(),
                ..SeriesMetadata::default()
            },
        })
    });
    c.expect_all_episodes().returning(|_| {
        Ok([(0, 1), (1, 1), (1, 2), (1, 3)]
            .map(|(s, e)| EpisodeListing {
                id: EpisodeId::new(s, e),
                title_german: None,
                title_english: None,
            })
            .into())
    });
    // The new-episodes page names the one series it knows, S01E03.
    c.expect_new_episodes().returning(|| {
        Ok(vec![crate::domain::catalogue::NewEpisode {
            key: SeriesKey::parse("attack-on-titan").unwrap(),
            episode: EpisodeId::new(1, 3),
            language: None,
            series_title: None,
        }])
    });
    c.expect_search().returning(|_, _| {
        Ok(crate::domain::catalogue::SearchResults::of(vec![
            SearchHit {
                key: SeriesKey::parse("attack-on-titan").unwrap(),
                name: "Attack on Titan: Final Season".into(),
                link: format!("{BASE}attack-on-titan"),
            },
        ]))
    });
    c
}

pub(crate) struct Fixture {
    pub library: LibraryService,
    pub root: tempfile::TempDir,
    pub events: Box<dyn Subscription>,
    pub store: Arc<Store>,
}

pub(crate) async fn fixture_with(store: Arc<Store>, dir: Option<&Path>) -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let bus = Arc::new(BroadcastBus::new(Arc::new(SystemClock)));
    let events = bus.subscribe();
    let dir = dir.map_or_else(|| root.path().to_path_buf(), Path::to_path_buf);
    let library = LibraryService::open(
        Arc::new(catalogue()),
        store.clone(),
        Arc::new(LocalLibrary),
        bus,
        Arc::new(FixedDirectory::new(Some(dir))),
        Arc::new(SystemClock),
    )
    .await
    .unwrap();
    Fixture {
        library,
        root,
        events,
        store,
    }
}

/// A library in its own temp dir, with an empty store.
pub(crate) async fn fixture() -> Fixture {
    fixture_with(Arc::new(Store::in_memory().unwrap()), None).await
}

fn missing_of(library: &LibraryService, key: &str) -> Vec<String> {
    let s = library.find(key).unwrap();
    s.missing.ids().map(|i| i.to_string()).collect()
}

async fn add_aot(library: &LibraryService) -> Arc<ListedSeries> {
    library
        .add(&format!("{BASE}attack-on-titan"), Some("Attack on Titan"))
        .await
        .unwrap()
}

#[tokio::test]
async fn adding_a_series_creates_its_folder_and_sidecar_and_lists_what_is_missing() {
    let f = fixture().await;
    let added = add_aot(&f.library).await;
    assert_eq!(added.record.id, 1);
    assert_eq!(
        added.record.series.folder.as_str(),
        "Attack on Titan (2013)"
    );
    let sidecar = fs::read_to_string(f.root.path().join("Attack on Titan (2013)/aniworld.json"));
    assert!(sidecar.unwrap().contains("\"key\": \"attack-on-titan\""));
    assert_eq!(
        missing_of(&f.library, "attack-on-titan"),
        ["0-1", "1-1", "1-2", "1-3"]
    );
    let stored = f.store.all().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].metadata.genres.as_slice(), ["Action", "Drama"]);
    assert_eq!(f.library.status().series_count, 1);
}

#[tokio::test]
async fn adding_a_known_series_or_a_foreign_link_is_refused() {
    let f = fixture().await;
    add_aot(&f.library).await;
    let again = f
        .library
        .add(&format!("{BASE}attack-on-titan/"), None)
        .await;
    assert!(matches!(again, Err(LibraryError::AlreadyInLibrary(_))));
    let foreign = f
        .library
        .add("https://example.com/anime/stream/x", None)
        .await;
    assert!(matches!(foreign, Err(LibraryError::InvalidLink(_))));
    let unknown = f.library.add(&format!("{BASE}nope"), None).await;
    assert!(matches!(
        unknown,
        Err(LibraryError::Provider(ProviderError::NotFound))
    ));
}

#[tokio::test]
async fn nothing_is_added_while_no_directory_is_set() {
    let f = fixture().await;
    let none = LibraryService::open(
        Arc::new(catalogue()),
        f.store.clone(),
        Arc::new(LocalLibrary),
        Arc::new(BroadcastBus::new(Arc::new(SystemClock))),
        Arc::new(FixedDirectory::new(None)),
        Arc::new(SystemClock),
    )
    .await
    .unwrap();
    let err = none.add(&format!("{BASE}attack-on-titan"), None).await;
    assert!(matches!(err, Err(LibraryError::NoDirectory)));
    assert_eq!(none.status().directory, None);
    assert!(matches!(
        none.start_rescan(),
        Err(LibraryError::NoDirectory)
    ));
}

#[tokio::test]
async fn dropped_files_shrink_and_deleted_files_grow_the_missing_list() {
    let f = fixture().await;
    add_aot(&f.library).await;
    let folder = f.root.path().join("Attack on Titan (2013)");
    fs::create_dir_all(folder.join("Season 01")).unwrap();
    fs::write(folder.join("Season 01/AoT - S01E01.mkv"), b"").unwrap();
    fs::write(folder.join("aot s1e2.MP4"), b"").unwrap();
    fs::write(folder.join("AoT - S01E03.nfo"), b"").unwrap();
    let summary = f.library.run_full_rescan().await.unwrap().unwrap();
    assert_eq!((summary.series, summary.files, summary.missing), (1, 2, 2));
    assert_eq!(missing_of(&f.library, "attack-on-titan"), ["0-1", "1-3"]);

    fs::remove_file(folder.join("aot s1e2.MP4")).unwrap();
    f.library.run_full_rescan().await.unwrap().unwrap();
    assert_eq!(
        missing_of(&f.library, "attack-on-titan"),
        ["0-1", "1-2", "1-3"]
    );
    let stored = f.store.all().await.unwrap();
    assert_eq!(stored[0].present, [EpisodeId::new(1, 1)].into());
}

#[tokio::test]
async fn a_scan_reports_progress_and_completion_as_events() {
    let mut f = fixture().await;
    add_aot(&f.library).await;
    f.library.run_full_rescan().await.unwrap().unwrap();
    let mut kinds = Vec::new();
    while let Some(Next::Event(e)) = f.events.try_next() {
        kinds.push(e.kind);
    }
    assert!(kinds.iter().any(|k| matches!(
        k,
        EventKind::ScanProgress {
            done: 1,
            total: 1,
            ..
        }
    )));
    assert!(kinds.iter().any(|k| matches!(
        k,
        EventKind::ScanComplete {
            series: 1,
            missing: 4,
            ..
        }
    )));
}

#[tokio::test]
async fn a_second_rescan_is_not_started_while_one_runs() {
    let f = fixture().await;
    assert!(f.library.start_rescan().unwrap());
    assert!(!f.library.start_rescan().unwrap());
    assert!(!f.library.start_full_rescan().unwrap());
}

#[tokio::test]
async fn a_folder_with_a_sidecar_only_joins_the_library_on_a_scan() {
    let f = fixture().await;
    let folder = f.root.path().join("AoT");
    fs::create_dir_all(&folder).unwrap();
    fs::write(
        folder.join("aniworld.json"),
        format!(r#"{{"key":"attack-on-titan","name":"AoT","site":"aniworld.to","link":"{BASE}attack-on-titan"}}"#),
    )
    .unwrap();
    fs::write(folder.join("AoT S00E01.mp4"), b"").unwrap();
    f.library.run_full_rescan().await.unwrap().unwrap();
    let found = f.library.find("AoT").unwrap();
    assert_eq!(found.record.series.key.as_str(), "attack-on-titan");
    assert_eq!(
        missing_of(&f.library, "attack-on-titan"),
        ["1-1", "1-2", "1-3"]
    );
}

#[tokio::test]
async fn switching_directories_rebuilds_the_library_from_sidecars() {
    let f = fixture().await;
    add_aot(&f.library).await;
    fs::write(
        f.root.path().join("Attack on Titan (2013)/x S01E02.mp4"),
        b"",
    )
    .unwrap();
    // A new process with an empty database, pointed at the same folders.
    let empty = fixture_with(Arc::new(Store::in_memory().unwrap()), None).await;
    let synced = empty
        .library
        .switch_directory(f.root.path().to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(synced, 1);
    assert_eq!(
        empty.library.status().directory.as_deref(),
        Some(f.root.path())
    );
    // The catalogue is asked in the background; poll until the missing list is known.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while empty
        .library
        .find("attack-on-titan")
        .unwrap()
        .missing
        .is_empty()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "catalogue never asked"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        missing_of(&empty.library, "attack-on-titan"),
        ["0-1", "1-1", "1-3"]
    );
}

#[tokio::test]
async fn a_relative_or_missing_directory_is_refused() {
    let f = fixture().await;
    let relative = f.library.switch_directory("anime").await;
    assert!(matches!(relative, Err(LibraryError::Input(_))));
    let gone = f.root.path().join("gone");
    let missing = f.library.switch_directory(gone.to_str().unwrap()).await;
    assert!(matches!(missing, Err(LibraryError::DirectoryUnusable(_))));
}

#[tokio::test]
async fn search_hits_get_a_sanitised_folder_and_empty_queries_are_refused() {
    let f = fixture().await;
    let found = f.library.search("  titan ", None).await.unwrap();
    let hits = &found.series;
    assert_eq!(hits[0].folder, "Attack on Titan Final Season");
    assert_eq!(hits[0].site, "aniworld.to");
    assert!(hits[0].missing.is_empty());
    assert!(found.warnings.is_empty());
    assert!(matches!(
        f.library.search(" ", None).await,
        Err(LibraryError::Input(_))
    ));
}

#[tokio::test]
async fn a_refresh_announces_episodes_that_were_not_listed_before() {
    let f = fixture().await;
    add_aot(&f.library).await;
    // As if S01E03 had aired since the last look.
    let mut record = f.library.find("attack-on-titan").unwrap().record.clone();
    let mut known = record.available.clone().unwrap();
    known.remove(&EpisodeId::new(1, 3));
    record.available = Some(known);
    f.store.save(vec![record]).await.unwrap();
    let mut f = fixture_with(f.store.clone(), Some(f.root.path())).await;

    f.library.run_full_rescan().await.unwrap().unwrap();
    let mut news = Vec::new();
    while let Some(Next::Event(e)) = f.events.try_next() {
        if let EventKind::NewEpisodes {
            key,
            series_name,
            episodes,
            ..
        } = e.kind
        {
            news.push((key, series_name, episodes));
        }
    }
    assert_eq!(
        news,
        [(
            "attack-on-titan".to_owned(),
            "Attack on Titan".to_owned(),
            vec![(1, 3)]
        )]
    );

    // A second look finds nothing new.
    f.library.run_full_rescan().await.unwrap().unwrap();
    while let Some(Next::Event(e)) = f.events.try_next() {
        assert!(!matches!(e.kind, EventKind::NewEpisodes { .. }), "{e:?}");
    }
}
