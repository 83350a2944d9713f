//! Benchmarks of the catalogue adapter (issue 3).
//!
//! - `season_page/parse_500_episodes`: parse time of a season page with 500 episodes, rendered
//!   by the fake site's own page renderer, so it carries the real site's landmarks and noise
//!   (head, navigation with all 500 episode links, the episode table with titles and hoster
//!   icons, scripts and footer).
//! - `all_episodes/10x24_plus_3_films_40ms`: wall time of listing every episode of a series of
//!   10 seasons of 24 episodes plus a films page (11 season pages) from the fake site, which
//!   waits 40 ms before every answer. `concurrent_4` is `all_episodes` with the default bound of
//!   4 requests in flight; `sequential_1` is the very same call with `max_in_flight` 1, so only
//!   the bound differs. Each iteration gets a fresh adapter (built outside the timed part) with
//!   the page cache off, so no page is ever served from memory.
//!
//! Run with `cargo bench --bench catalogue`; figures are in `benches/README.md`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use tokio::runtime::Runtime;

use aniworld::adapters::catalogue::{AniworldCatalogue, CatalogueSettings, parse_season_page};
use aniworld::domain::catalogue::SeriesDetails;
use aniworld::domain::series::SeriesKey;
use aniworld::ports::catalogue::Catalogue;

use support::fake_site::pages::season_page;
use support::fake_site::{FakeEpisode, FakeSeason, FakeSeries, FakeSite};

const EPISODES: u32 = 500;
const SEASONS: u32 = 10;
const EPISODES_PER_SEASON: u32 = 24;
const FILMS: [u32; 3] = [1, 2, 3];
const LATENCY: Duration = Duration::from_millis(40);

/// A long-running series' first season, titles with umlauts and entities as the site has them.
fn long_season_series() -> FakeSeries {
    let episodes = (1..=EPISODES)
        .map(|n| {
            FakeEpisode::new(n).titled(
                &format!("Die Rückkehr des Strohhuts & seiner Crew, Teil {n}"),
                &format!("The Straw Hat's \"Return\", Part {n}"),
            )
        })
        .collect();
    FakeSeries::new("one-piece", "One Piece")
        .year(1999)
        .with_season(FakeSeason {
            number: 1,
            episodes,
        })
        .season(2, &[1, 2, 3])
}

fn season_page_parse(c: &mut Criterion) {
    let series = long_season_series();
    let html = season_page(&series, 1).expect("the series has a season 1");
    let key = SeriesKey::parse("one-piece").expect("valid key");
    // The page must parse as intended, or the figure measures an error path.
    let parsed = parse_season_page(&html, &key, 1).expect("the generated page parses");
    assert_eq!(parsed.len(), EPISODES as usize);
    assert!(parsed.iter().all(|e| e.title_german.is_some()));

    let mut group = c.benchmark_group("season_page");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(html.len() as u64));
    group.bench_function("parse_500_episodes", |b| {
        b.iter(|| parse_season_page(black_box(&html), black_box(&key), 1))
    });
    group.finish();
}

fn ten_season_series() -> FakeSeries {
    let episodes: Vec<u32> = (1..=EPISODES_PER_SEASON).collect();
    (1..=SEASONS).fold(
        FakeSeries::new("detektiv-conan", "Detektiv Conan")
            .year(1996)
            .films(&FILMS),
        |series, n| series.season(n, &episodes),
    )
}

/// A fresh adapter for the site with the page cache off.
fn catalogue(site: &FakeSite, max_in_flight: usize) -> AniworldCatalogue {
    AniworldCatalogue::new(CatalogueSettings {
        base_url: site.base_url().to_owned(),
        timeout: Duration::from_secs(10),
        cache_ttl: Duration::ZERO,
        max_in_flight,
        ..CatalogueSettings::default()
    })
    .expect("settings are valid")
}

fn all_episodes_wall_time(c: &mut Criterion) {
    let runtime = Runtime::new().expect("a tokio runtime");
    let site = runtime.block_on(
        FakeSite::builder()
            .series(ten_season_series())
            .latency(LATENCY)
            .spawn(),
    );
    let key = SeriesKey::parse("detektiv-conan").expect("valid key");
    let details: SeriesDetails = runtime
        .block_on(catalogue(&site, 4).series(&key))
        .expect("the fake site serves the series page");
    assert_eq!(details.seasons.len(), SEASONS as usize);
    assert!(details.has_films);
    let expected = (SEASONS * EPISODES_PER_SEASON) as usize + FILMS.len();
    let listed = runtime
        .block_on(catalogue(&site, 4).all_episodes(&details))
        .expect("the fake site serves every season page");
    assert_eq!(listed.len(), expected);

    let mut group = c.benchmark_group("all_episodes/10x24_plus_3_films_40ms");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for (name, max_in_flight) in [("concurrent_4", 4), ("sequential_1", 1)] {
        site.reset_counts();
        let runs = AtomicUsize::new(0);
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter_batched(
                || catalogue(&site, max_in_flight),
                |catalogue| async {
                    let episodes = catalogue.all_episodes(&details).await;
                    assert_eq!(episodes.map(|e| e.len()), Ok(expected));
                    runs.fetch_add(1, Ordering::Relaxed);
                    // Handing the adapter back drops it (and its connections) untimed.
                    catalogue
                },
                BatchSize::PerIteration,
            )
        });
        // Each run fetched every page from the site, once: no cache, no retries.
        let runs = runs.into_inner();
        assert_eq!(site.requests("/anime/stream/detektiv-conan/filme"), runs);
        assert_eq!(
            site.requests_under("/anime/stream/"),
            runs * (SEASONS as usize + 1)
        );
        assert_eq!(site.max_in_flight(), max_in_flight);
    }
    group.finish();
}

criterion_group!(catalogue_benches, season_page_parse, all_episodes_wall_time);
criterion_main!(catalogue_benches);
