//! How the adapter behaves when the site misbehaves: retries, deadlines, 404s, oversized and
//! garbled pages; and how it spares the site: the page cache and the in-flight bound.

use std::time::{Duration, Instant};

use aniworld::domain::catalogue::ProviderError;
use aniworld::domain::episode::EpisodeId;
use aniworld::ports::Catalogue;

use super::{catalogue, catalogue_with, key};
use crate::support::fake_site::{
    FakeSeries, FakeSite, SEARCH_PATH, episode_path, season_path, series_path,
};

const TITAN: &str = "attack-on-titan";

#[tokio::test]
async fn a_server_error_is_retried_once_within_the_deadline() {
    let site = FakeSite::standard().await;
    site.fail_times(&series_path(TITAN), 1, 500);
    let series = catalogue(&site).series(&key(TITAN)).await.unwrap();
    assert_eq!(series.name, "Attack on Titan");
    assert_eq!(site.requests(&series_path(TITAN)), 2);
}

#[tokio::test]
async fn a_user_waits_for_at_most_one_retry() {
    let site = FakeSite::standard().await;
    site.fail_times(&series_path(TITAN), 5, 503);
    let result = catalogue(&site).series(&key(TITAN)).await;
    // A 503 without a challenge page is a refusal (PROVIDER.md), retried once all the same.
    assert_eq!(
        result,
        Err(ProviderError::Refused {
            host: "127.0.0.1".into(),
            status: 503,
            solver: None
        })
    );
    assert_eq!(site.requests(&series_path(TITAN)), 2);
}

#[tokio::test]
async fn a_broken_off_page_is_retried() {
    let site = FakeSite::standard().await;
    site.truncate(&episode_path(TITAN, 1, 1), 200, 1);
    let episode = catalogue(&site)
        .episode(&key(TITAN), EpisodeId::new(1, 1))
        .await
        .unwrap();
    assert_eq!(episode.hosters.len(), 7);
    assert_eq!(site.requests(&episode_path(TITAN, 1, 1)), 2);
}

#[tokio::test]
async fn background_season_fetches_back_off_and_retry_rate_limits_and_server_errors() {
    let site = FakeSite::standard().await;
    let adapter = catalogue(&site);
    let series = adapter.series(&key(TITAN)).await.unwrap();
    site.fail_times(&season_path(TITAN, 2), 1, 429);
    site.fail_times(&season_path(TITAN, 2), 2, 502);
    let all = adapter.all_episodes(&series).await.unwrap();
    assert_eq!(all.len(), 9);
    assert_eq!(site.requests(&season_path(TITAN, 2)), 4);
}

#[tokio::test]
async fn a_hanging_site_gives_timeout_at_the_configured_deadline() {
    let site = FakeSite::standard().await;
    site.hang(&series_path(TITAN));
    let adapter = catalogue_with(&site, |s| s.timeout = Duration::from_millis(500));
    let started = Instant::now();
    let result = adapter.series(&key(TITAN)).await;
    let took = started.elapsed();
    assert_eq!(result, Err(ProviderError::Timeout));
    assert!(took >= Duration::from_millis(450), "gave up after {took:?}");
    assert!(took < Duration::from_millis(1500), "took {took:?}");
}

#[tokio::test]
async fn a_missing_season_is_not_found_after_exactly_one_request() {
    let site = FakeSite::standard().await;
    let adapter = catalogue(&site);
    assert_eq!(
        adapter.season(&key(TITAN), 7).await,
        Err(ProviderError::NotFound)
    );
    assert_eq!(site.requests(&season_path(TITAN, 7)), 1);
    let mut series = adapter.series(&key(TITAN)).await.unwrap();
    series.seasons.push(7);
    assert_eq!(
        adapter.all_episodes(&series).await,
        Err(ProviderError::NotFound)
    );
    assert_eq!(site.requests(&season_path(TITAN, 7)), 2);
}

#[tokio::test]
async fn a_fifty_mebibyte_page_is_too_large() {
    let site = FakeSite::standard().await;
    site.huge(&series_path(TITAN), 50 * 1024 * 1024);
    let result = catalogue(&site).series(&key(TITAN)).await;
    assert_eq!(result, Err(ProviderError::TooLarge(8 * 1024 * 1024)));
    assert_eq!(site.requests(&series_path(TITAN)), 1);
}

#[tokio::test]
async fn garbled_pages_are_layout_errors_naming_the_missing_landmark() {
    let site = FakeSite::standard().await;
    let adapter = catalogue(&site);
    let garbage =
        "<html><body><div class=\"series-title\"><h2>Wartungsarbeiten</h2></div></body></html>";
    site.serve_html(&series_path(TITAN), garbage);
    site.serve_html(&episode_path(TITAN, 1, 1), garbage);
    site.serve_html(&season_path(TITAN, 1), "<p>Wartungsarbeiten</p>");
    site.serve_html(SEARCH_PATH, "<html>captcha</html>");
    let layout = |landmark: &str| ProviderError::Layout(landmark.into());
    assert_eq!(
        adapter.series(&key(TITAN)).await.unwrap_err(),
        layout("series page: div.series-title h1 span")
    );
    assert_eq!(
        adapter
            .episode(&key(TITAN), EpisodeId::new(1, 1))
            .await
            .unwrap_err(),
        layout("episode page: div.changeLanguageBox img[data-lang-key]")
    );
    assert_eq!(
        adapter.season(&key(TITAN), 1).await.unwrap_err(),
        layout("season page: a[href*=\"/staffel-1/episode-<m>\"]")
    );
    assert_eq!(
        adapter.search("attack", None).await.unwrap_err(),
        layout("search answer: JSON array")
    );
}

#[tokio::test]
async fn series_and_season_pages_are_served_from_the_cache_a_second_time() {
    let site = FakeSite::standard().await;
    let adapter = catalogue(&site);
    let first = adapter.series(&key(TITAN)).await.unwrap();
    let again = adapter.series(&key(TITAN)).await.unwrap();
    assert_eq!(first, again);
    adapter.season(&key(TITAN), 1).await.unwrap();
    adapter.all_episodes(&first).await.unwrap();
    adapter.all_episodes(&first).await.unwrap();
    assert_eq!(site.requests(&series_path(TITAN)), 1);
    assert_eq!(site.requests(&season_path(TITAN, 1)), 1);
    assert_eq!(site.requests(&season_path(TITAN, 2)), 1);
    assert_eq!(site.requests(&season_path(TITAN, 0)), 1);
}

#[tokio::test]
async fn a_zero_cache_time_fetches_every_time() {
    let site = FakeSite::standard().await;
    let adapter = catalogue_with(&site, |s| s.cache_ttl = Duration::ZERO);
    adapter.series(&key(TITAN)).await.unwrap();
    adapter.series(&key(TITAN)).await.unwrap();
    assert_eq!(site.requests(&series_path(TITAN)), 2);
}

#[tokio::test]
async fn failures_are_not_cached() {
    let site = FakeSite::standard().await;
    let adapter = catalogue(&site);
    site.fail_times(&series_path(TITAN), 2, 500);
    assert!(adapter.series(&key(TITAN)).await.is_err());
    assert!(adapter.series(&key(TITAN)).await.is_ok());
    assert_eq!(site.requests(&series_path(TITAN)), 3);
}

/// A series with `seasons` seasons whose pages each take a while to answer.
async fn slow_site(seasons: u32) -> FakeSite {
    let mut series = FakeSeries::new("one-piece", "One Piece").year(1999);
    for n in 1..=seasons {
        series = series.season(n, &[1, 2]);
    }
    let site = FakeSite::builder().series(series).spawn().await;
    for n in 1..=seasons {
        site.slow(&season_path("one-piece", n), Duration::from_millis(150));
    }
    site
}

#[tokio::test]
async fn season_pages_are_fetched_concurrently_within_the_in_flight_bound() {
    for bound in [2, 4] {
        let site = slow_site(8).await;
        let adapter = catalogue_with(&site, |s| s.max_in_flight = bound);
        let series = adapter.series(&key("one-piece")).await.unwrap();
        site.reset_counts();
        let all = adapter.all_episodes(&series).await.unwrap();
        assert_eq!(all.len(), 16);
        assert_eq!(site.max_in_flight(), bound, "bound {bound}");
    }
}
