//! The scheduler's run over s.to series (PROVIDER.md: s.to has no new-episodes page): each
//! run reads every s.to series' page and only its latest season and the seasons not seen
//! before; a new episode there is found on the same run. s.to switched off asks it nothing.

use serde_json::json;

use super::{add_link, app_on, config, series, two_sites};
use crate::feed::scheduled_run;
use crate::support::fake_site::sto::{sto_season_path, sto_series_path};
use crate::support::fake_site::{FakeEpisode, FeedEntry};

#[tokio::test]
async fn a_scheduled_run_reads_each_sto_series_page_and_its_latest_season_only() {
    let site = two_sites().await;
    let (app, token) = app_on(&site, true).await;
    add_link(&app, &token, &site.sto_url("/serie/greys-anatomy")).await;
    config(
        &app,
        &token,
        json!({ "provider": { "cache_minutes": 0 }, "scheduler": { "enabled": false } }),
    )
    .await;
    // Season 2 gets episode 8; season 1 gets a late episode 9, which only a full refresh finds.
    site.edit_sto_series("greys-anatomy", |s| {
        s.seasons[1].episodes.push(FakeEpisode::new(8));
        s.seasons[0].episodes.push(FakeEpisode::new(9));
    });
    // aniworld.to's new-episodes page names a series not in the library.
    site.publish_new_episodes(vec![FeedEntry::new("one-piece", "One Piece", 21, 1100, 1)]);
    site.sto_reset_counts();

    scheduled_run(&app, &token).await;
    let log = site.sto_request_log();
    let asked = |path: &str| log.iter().find(|(p, _)| p == path).map_or(0, |(_, n)| *n);
    assert_eq!(asked(&sto_series_path("greys-anatomy")), 1, "{log:?}");
    assert_eq!(asked(&sto_season_path("greys-anatomy", 2)), 1, "{log:?}");
    assert_eq!(asked(&sto_season_path("greys-anatomy", 1)), 0, "{log:?}");
    assert_eq!(asked(&sto_season_path("greys-anatomy", 0)), 0, "{log:?}");
    let total: usize = log.iter().map(|(_, n)| n).sum();
    assert_eq!(total, 2, "two requests for one series: {log:?}");
    let missing = series(&app, "sto:greys-anatomy").await["episodes"].clone();
    let missing: Vec<String> = serde_json::from_value(missing).unwrap();
    assert!(missing.contains(&"2-8".to_owned()), "{missing:?}");
    assert!(!missing.contains(&"1-9".to_owned()), "{missing:?}");

    // With s.to off, a run asks it nothing.
    config(
        &app,
        &token,
        json!({ "provider": { "sto_enabled": false } }),
    )
    .await;
    site.sto_reset_counts();
    scheduled_run(&app, &token).await;
    assert_eq!(site.sto_request_log(), Vec::<(String, usize)>::new());
}
