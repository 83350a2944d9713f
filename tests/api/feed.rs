//! The scheduler's run with the site's new-episodes page (PROVIDER.md, "New episodes"): one
//! request for the page, then only the library's series it names; every series when the page
//! cannot be read, and once a day. Requests are counted on the fake site, with the page cache
//! off so that every refresh really asks.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::library::{add, library_app, missing_becomes};
use crate::support::eventually::eventually;
use crate::support::fake_site::{FakeEpisode, FakeSite, FeedEntry};

const LIBRARY: [&str; 3] = [
    "attack-on-titan",
    "kaguya-sama-love-is-war",
    "jojos-bizarre-adventure",
];

/// A library of three series, the page cache off, the scheduler's own timer off (runs are
/// triggered) and the counts reset.
async fn feed_app() -> (TestApp, FakeSite, String) {
    let (app, site, token) = library_app().await;
    for key in LIBRARY {
        add(&app, &site, &token, key).await;
    }
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "provider": { "cache_minutes": 0 }, "scheduler": { "enabled": false } })),
        )
        .await;
    assert_eq!(r.status(), 200);
    site.reset_counts();
    (app, site, token)
}

/// Kaguya-sama gets episode 3 of season 1.
fn air_kaguya_episode_3(site: &FakeSite) {
    site.edit_series("kaguya-sama-love-is-war", |s| {
        s.seasons[0].episodes.push(FakeEpisode::new(3));
    });
}

/// Triggers the scheduler's run and waits until it has ended (a library job started after
/// it is accepted, and that one asks the catalogue nothing: every series is known).
pub async fn scheduled_run(app: &TestApp, token: &str) {
    started(app, token, "/api/scheduler/trigger-rescan").await;
    started(app, token, "/api/anime/rescan").await;
}

/// Asks for a library job until one starts (the one before it has ended then).
pub async fn started(app: &TestApp, token: &str, path: &str) {
    eventually(Duration::from_secs(10), "the job never ended", async || {
        let r: Value = app
            .post(path, Some(token), json!({}))
            .await
            .json()
            .await
            .unwrap();
        if r["message"] == "Rescan started successfully" {
            return true;
        }
        assert_eq!(r["message"], "A rescan is already running", "{r}");
        false
    })
    .await;
}

fn asked(site: &FakeSite, key: &str) -> usize {
    site.requests_under(&format!("/anime/stream/{key}"))
}

#[tokio::test]
async fn the_scheduled_run_reads_the_feed_once_and_refreshes_only_the_series_it_names() {
    let (app, site, token) = feed_app().await;
    air_kaguya_episode_3(&site);
    site.publish_new_episodes(vec![
        FeedEntry::new(
            "kaguya-sama-love-is-war",
            "Kaguya-sama: Love is War",
            1,
            3,
            3,
        ),
        FeedEntry::new("one-piece", "One Piece", 21, 1100, 1),
    ]);
    scheduled_run(&app, &token).await;
    missing_becomes(&app, "kaguya-sama-love-is-war", &["1-1", "1-2", "1-3"]).await;
    assert_eq!(site.requests("/neue-episoden"), 1);
    assert!(
        asked(&site, "kaguya-sama-love-is-war") >= 2,
        "series and season page"
    );
    assert_eq!(
        asked(&site, "attack-on-titan"),
        0,
        "{:?}",
        site.request_log()
    );
    assert_eq!(asked(&site, "jojos-bizarre-adventure"), 0);
    assert_eq!(asked(&site, "one-piece"), 0, "not in the library");
}

#[tokio::test]
async fn an_unreadable_feed_means_every_series_is_refreshed() {
    let (app, site, token) = feed_app().await;
    air_kaguya_episode_3(&site);
    // The fake site serves no /neue-episoden: 404.
    scheduled_run(&app, &token).await;
    missing_becomes(&app, "kaguya-sama-love-is-war", &["1-1", "1-2", "1-3"]).await;
    assert_eq!(site.requests("/neue-episoden"), 1);
    for key in LIBRARY {
        assert!(asked(&site, key) >= 2, "{key}: {:?}", site.request_log());
    }

    // A page without episode links is no better.
    site.publish_new_episodes(vec![]);
    site.reset_counts();
    scheduled_run(&app, &token).await;
    assert_eq!(site.requests("/neue-episoden"), 1);
    for key in LIBRARY {
        assert!(asked(&site, key) >= 2, "{key}: {:?}", site.request_log());
    }
}

#[tokio::test]
async fn every_series_is_refreshed_once_a_day_even_with_a_feed() {
    let (app, site, token) = feed_app().await;
    site.publish_new_episodes(vec![FeedEntry::new(
        "kaguya-sama-love-is-war",
        "Kaguya-sama: Love is War",
        1,
        2,
        3,
    )]);
    scheduled_run(&app, &token).await;
    assert_eq!(asked(&site, "attack-on-titan"), 0);

    app.clock.advance(chrono::Duration::hours(24));
    let token = app.token().await;
    started(&app, &token, "/api/anime/rescan").await;
    site.reset_counts();
    scheduled_run(&app, &token).await;
    assert_eq!(
        site.requests("/neue-episoden"),
        0,
        "a full refresh needs no feed"
    );
    for key in LIBRARY {
        assert!(asked(&site, key) >= 2, "{key}: {:?}", site.request_log());
    }

    // The day starts over: the next run reads the feed again, also after a restart.
    let app = app.restart().await;
    let token = app.token().await;
    site.reset_counts();
    scheduled_run(&app, &token).await;
    assert_eq!(site.requests("/neue-episoden"), 1);
    assert_eq!(asked(&site, "attack-on-titan"), 0);
}
