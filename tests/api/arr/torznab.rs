//! Torznab (`/torznab/api`): caps, the feed without a query from the new-episodes page,
//! searches by name, season (00 the films) and episode, paging and categories, the errors
//! 100 and 201, and keys: a `download` key only, a revoked one refused at once.

use std::collections::BTreeSet;

use super::{arr_app, error_code, make_key, revoke, sonarr_reads, torznab};
use crate::support::fake_site::FeedEntry;

/// What a language key of the fake site's episode pages is called in a release title.
fn token(language: u8) -> &'static str {
    match language {
        1 => "German.DL",
        2 => "EngSub",
        3 => "GerSub",
        _ => "English",
    }
}

#[tokio::test]
async fn caps_describe_tv_search_by_name_season_and_episode_in_the_anime_category() {
    let (app, _site, _token, (_, key)) = arr_app().await;
    let (status, content_type, body) = torznab(&app, &format!("t=caps&apikey={key}")).await;
    assert_eq!(status, 200);
    assert!(
        content_type.starts_with("application/xml"),
        "{content_type}"
    );
    for needle in [
        r#"<server version="#,
        r#"title="aniworld""#,
        r#"<limits default="100" max="100"/>"#,
        r#"<tv-search available="yes" supportedParams="q,season,ep"/>"#,
        r#"<search available="yes" supportedParams="q"/>"#,
        r#"<movie-search available="no""#,
        r#"<category id="5000" name="TV"><subcat id="5070" name="Anime"/></category>"#,
    ] {
        assert!(body.contains(needle), "{needle} in {body}");
    }
}

#[tokio::test]
async fn the_feed_without_a_query_is_the_new_episodes_page_and_pages_by_offset_and_limit() {
    let (app, site, _token, (_, key)) = arr_app().await;
    site.publish_new_episodes(vec![
        FeedEntry::new("attack-on-titan", "Attack on Titan", 2, 5, 3),
        FeedEntry::new("attack-on-titan", "Attack on Titan", 2, 4, 1),
        FeedEntry::new(
            "kaguya-sama-love-is-war",
            "Kaguya-sama: Love is War",
            1,
            2,
            2,
        ),
    ]);
    let (status, content_type, body) = torznab(&app, &format!("t=tvsearch&apikey={key}")).await;
    assert_eq!(status, 200);
    assert!(
        content_type.starts_with("application/rss+xml"),
        "{content_type}"
    );
    let items = sonarr_reads(&body);
    let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Attack.on.Titan.S02E05.GerSub.WEB.h264-ANIWORLD",
            "Attack.on.Titan.S02E04.German.DL.WEB.h264-ANIWORLD",
            "Kaguya.sama.Love.is.War.S01E02.EngSub.WEB.h264-ANIWORLD",
        ],
        "Sonarr's RSS sync sees the site's new releases, newest first"
    );
    assert_eq!(items[1].language, "German");
    assert_eq!(items[2].language, "English");

    // Stable across answers: the same guid and the date it was first offered.
    app.clock.advance(chrono::Duration::hours(2));
    let again = sonarr_reads(&torznab(&app, &format!("t=search&apikey={key}")).await.2);
    assert_eq!(again[0].guid, items[0].guid);
    assert_eq!(again[0].pub_date, items[0].pub_date);

    let (_, _, page) = torznab(&app, &format!("t=tvsearch&offset=1&limit=1&apikey={key}")).await;
    let page = sonarr_reads(&page);
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].title, titles[1]);
    let (_, _, other) = torznab(&app, &format!("t=tvsearch&cat=2000&apikey={key}")).await;
    assert!(sonarr_reads(&other).is_empty(), "movies are not offered");
    let (_, _, anime) = torznab(&app, &format!("t=tvsearch&cat=5070,2000&apikey={key}")).await;
    assert_eq!(sonarr_reads(&anime).len(), 3);
}

#[tokio::test]
async fn a_search_offers_each_episode_in_each_language_its_page_offers() {
    let (app, site, _token, (_, key)) = arr_app().await;
    let query = format!("t=tvsearch&q=Attack%20on%20Titan&season=1&ep=1&apikey={key}");
    let (status, _, body) = torznab(&app, &query).await;
    assert_eq!(status, 200, "{body}");
    let items = sonarr_reads(&body);
    let languages: BTreeSet<u8> = site
        .links("attack-on-titan", 1, 1)
        .iter()
        .map(|l| l.link.language)
        .collect();
    let expected: BTreeSet<String> = languages
        .iter()
        .map(|l| format!("Attack.on.Titan.S01E01.{}.WEB.h264-ANIWORLD", token(*l)))
        .collect();
    let found: BTreeSet<String> = items.iter().map(|i| i.title.clone()).collect();
    assert_eq!(found, expected);
    assert!(expected.len() >= 3, "the episode has several languages");
    let hashes: BTreeSet<&str> = items.iter().map(|i| i.infohash.as_str()).collect();
    assert_eq!(
        hashes.len(),
        items.len(),
        "one release per episode and language"
    );

    // Sonarr's cleaned title (no punctuation) finds the same series; a whole season.
    let (_, _, season) = torznab(
        &app,
        &format!("t=tvsearch&q=Attack+on+Titan&season=2&apikey={key}"),
    )
    .await;
    let season = sonarr_reads(&season);
    let episodes: BTreeSet<String> = season
        .iter()
        .map(|i| {
            i.title
                .split('.')
                .find(|p| p.starts_with("S02"))
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        episodes,
        ["S02E01", "S02E02", "S02E04", "S02E05"]
            .map(String::from)
            .into()
    );
}

#[tokio::test]
async fn season_00_is_the_films() {
    let (app, _site, _token, (_, key)) = arr_app().await;
    let query = format!("t=tvsearch&q=Attack%20on%20Titan&season=00&apikey={key}");
    let items = sonarr_reads(&torznab(&app, &query).await.2);
    assert!(!items.is_empty());
    let tags: BTreeSet<String> = items
        .iter()
        .map(|i| {
            i.title
                .split('.')
                .find(|p| p.starts_with('S'))
                .unwrap()
                .to_owned()
        })
        .filter(|t| t.starts_with("S0"))
        .collect();
    assert_eq!(tags, ["S00E01", "S00E02"].map(String::from).into());
    assert!(items.iter().all(|i| i.title.contains(".S00E0")));
    assert!(
        items.iter().all(|i| i.size > 1024 * 1024 * 1024),
        "a film is taken to be bigger"
    );
}

#[tokio::test]
async fn bad_parameters_answer_error_201_and_bad_keys_error_100() {
    let (app, _site, token, (key_id, key)) = arr_app().await;
    for query in [
        format!("t=tvsearch&season=x&apikey={key}"),
        format!("t=tvsearch&limit=0&apikey={key}"),
        format!("t=movie&apikey={key}"),
        format!("apikey={key}"),
    ] {
        let (status, content_type, body) = torznab(&app, &query).await;
        assert_eq!(
            (status, error_code(&body).as_str()),
            (400, "201"),
            "{query}: {body}"
        );
        assert!(content_type.starts_with("application/xml"));
    }
    let (status, _, body) = torznab(&app, "t=caps&apikey=0123456789abcdef0123456789abcdef").await;
    assert_eq!((status, error_code(&body).as_str()), (401, "100"));
    assert!(
        body.contains(r#"description="Incorrect user credentials""#),
        "{body}"
    );
    let (status, _, body) = torznab(&app, "t=caps").await;
    assert_eq!((status, error_code(&body).as_str()), (401, "100"));
    let (_, read) = make_key(&app, &token, "Homepage", &["read"]).await;
    let (status, _, body) = torznab(&app, &format!("t=caps&apikey={read}")).await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (403, "100"),
        "a read key may not search"
    );

    // The header works too; a revoked key stops at once.
    let r = app
        .client
        .get(format!("{}/torznab/api?t=caps", app.base))
        .header("X-Api-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    revoke(&app, &token, &key_id).await;
    let (status, _, body) = torznab(&app, &format!("t=caps&apikey={key}")).await;
    assert_eq!((status, error_code(&body).as_str()), (401, "100"));
}

#[tokio::test]
async fn a_search_asked_again_is_answered_from_the_cache() {
    let (app, site, _token, (_, key)) = arr_app().await;
    let query = format!("t=tvsearch&q=Attack%20on%20Titan&season=1&apikey={key}");
    let first = sonarr_reads(&torznab(&app, &query).await.2);
    let pages = site.requests_under("/anime/stream/attack-on-titan/staffel-1/episode-");
    assert_eq!(pages, 3, "each episode page read once for its languages");
    let second = sonarr_reads(&torznab(&app, &query).await.2);
    assert_eq!(
        first.iter().map(|i| &i.guid).collect::<Vec<_>>(),
        second.iter().map(|i| &i.guid).collect::<Vec<_>>()
    );
    assert_eq!(
        site.requests_under("/anime/stream/attack-on-titan/staffel-1/episode-"),
        pages,
        "no episode page read again"
    );
}

#[tokio::test]
async fn sonarrs_anime_search_by_absolute_number_finds_the_episode_through_the_seasons() {
    let (app, _site, _token, (_, key)) = arr_app().await;
    // Attack on Titan: season 1 has 1, 2, 3; season 2 has 1, 2, 4, 5; the films do not count.
    let items = sonarr_reads(
        &torznab(&app, &format!("t=search&q=Attack+on+Titan+05&apikey={key}"))
            .await
            .2,
    );
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i.title.starts_with("Attack.on.Titan.S02E02.")),
        "{:?}",
        items.iter().map(|i| &i.title).collect::<Vec<_>>()
    );
    let past = sonarr_reads(
        &torznab(&app, &format!("t=search&q=Attack+on+Titan+08&apikey={key}"))
            .await
            .2,
    );
    assert!(past.is_empty(), "there is no 8th episode");
}
