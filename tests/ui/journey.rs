//! The whole journey of a new user, in the browser only: setup, login, search, add a series,
//! queue its missing episodes with one click, watch the progress bar move to completion on
//! /queue without a reload, find the files byte-exact on disk, then change the language and
//! hoster order in the settings.

use std::time::Instant;

use serde_json::{Value, json};

use crate::browser;
use crate::scenery::{MEASURE_PROGRESS, PASSWORD, api_get, dr_stone_site, drag};
use crate::server::spawn_server;
use crate::support::eventually::eventually;
use crate::support::fake_site::FakeHoster;

#[tokio::test]
async fn a_new_user_sets_up_adds_a_series_downloads_it_live_and_changes_the_hoster_order() {
    if !crate::browser::available() {
        return;
    }
    let site = dr_stone_site().await;
    let link1 = site.links("dr-stone", 1, 1)[0].link.id;
    // about 2.5 s for episode 1, so the bar is seen moving
    site.throttle_media(link1, 600 * 1024);
    let server = spawn_server(site.base_url()).await;
    let b = browser::open(1280, 800).await;
    println!("screenshots: {}", browser::screenshot_dir().display());

    // no password yet: / leads to /setup
    b.goto(&server.url("/")).await;
    b.until_path("/setup").await;
    b.type_into("#password", "short").await;
    b.until("the length rule to show unmet", "return !document.querySelector('#policy [data-rule=length]').classList.contains('met') && document.querySelector('#policy [data-rule=lower]').classList.contains('met')").await;
    b.type_into("#password", PASSWORD).await;
    b.until(
        "every rule met",
        "return document.querySelectorAll('#policy li.met').length === 5",
    )
    .await;
    b.type_into("#confirm", PASSWORD).await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    b.type_into("#anime-dir", &dir).await;
    b.screenshot("setup-1280x800").await;
    b.click("#setup-submit").await;

    // login
    b.until_path("/login").await;
    b.until_text("#notices", "The master password is set").await;
    b.type_into("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.until_path("/").await;
    b.until(
        "the library",
        "return document.body.dataset.ready === 'library'",
    )
    .await;
    b.until_text("#library-summary", &dir).await;
    b.until_text("#series-list", "No series is missing episodes")
        .await;

    // how long a library page takes to be usable, from navigation on
    let started = Instant::now();
    b.goto(&server.url("/")).await;
    b.until(
        "the library",
        "return document.body.dataset.ready === 'library'",
    )
    .await;
    let wall = started.elapsed();
    let in_page = b.js("const m = performance.getEntriesByName('aniworld:ready')[0]; return m ? m.startTime : null").await;
    println!(
        "figure: navigation to interactive library page: {in_page} ms in the page ({} ms as WebDriver saw it)",
        wall.as_millis()
    );

    // search and add
    b.type_into("#search-q", "stone").await;
    b.click("#search-form button[type=submit]").await;
    b.until_text("#search-results", "Dr. Stone").await;
    b.screenshot("search-1280x800").await;
    b.click("#search-results li[data-key='dr-stone'] button")
        .await;
    b.until_text("#notices", "Successfully added series: Dr. Stone")
        .await;
    b.until_text("#view-series", "2 missing").await;
    let marked = b.js("return [...document.querySelectorAll('#view-series li.episode.missing')].map(e => e.dataset.episode)").await;
    assert_eq!(
        marked,
        json!(["1-1", "1-2"]),
        "both episodes are marked missing"
    );
    assert!(b.text("#view-series").await.contains("Season 1"));
    b.screenshot("series-1280x800").await;

    // one click queues them
    b.click("#download-missing").await;
    b.until_text("#notices", "Added 2 episode(s) to download queue")
        .await;

    // the queue, live
    b.click(".bar nav a[href='/queue']").await;
    b.until_path("/queue").await;
    b.until("the queue", "return document.body.dataset.ready === 'queue' && document.getElementById('live').classList.contains('on')").await;
    b.until_text("#list-pending", "S01E01").await;
    assert_eq!(
        b.js("return document.querySelectorAll('#list-pending li[data-id]').length")
            .await,
        json!(2)
    );
    b.js("window.__sameDocument = true").await;
    b.js(MEASURE_PROGRESS).await;
    b.click("#start").await;
    b.until_text("#run-state", "Running").await;
    let mut seen: Vec<f64> = Vec::new();
    let what = "downloads did not complete";
    eventually(browser::PATIENCE, what, async || {
        let v = b
            .js("const bar = document.querySelector('#list-active progress'); return bar ? bar.value : null")
            .await;
        if let Some(p) = v.as_f64()
            && seen.last() != Some(&p)
        {
            seen.push(p);
            if seen.len() == 3 {
                b.screenshot("queue-active-1280x800").await;
            }
        }
        let done = b
            .js("return document.querySelectorAll('#list-completed li[data-id]').length")
            .await;
        if done == json!(2) {
            Ok(())
        } else {
            Err(format!("bar values seen: {seen:?}"))
        }
    })
    .await;
    let moving: Vec<&f64> = seen.iter().filter(|p| **p > 0.0 && **p < 100.0).collect();
    assert!(
        moving.len() >= 2,
        "the bar moved through several values: {seen:?}"
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "and only forward: {seen:?}"
    );
    assert_eq!(
        b.js("return window.__sameDocument === true").await,
        json!(true),
        "no reload happened"
    );
    let completed = b.text("#list-completed").await;
    assert!(
        completed.contains("S01E01") && completed.contains("S01E02"),
        "{completed}"
    );
    assert!(
        completed.contains("Vidoza") && completed.contains("Streamtape"),
        "{completed}"
    );
    b.screenshot("queue-1280x800").await;
    let delays = b.js("return window.__progressDelays").await;
    let mut delays: Vec<f64> = delays
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    delays.sort_by(f64::total_cmp);
    if !delays.is_empty() {
        println!(
            "figure: download_progress event to bar moved: median {:.1} ms, max {:.1} ms over {} events",
            delays[delays.len() / 2],
            delays[delays.len() - 1],
            delays.len()
        );
    }

    // the files, byte for byte
    for (episode, hoster) in [(1, FakeHoster::Vidoza), (2, FakeHoster::Streamtape)] {
        let name = format!("Dr. Stone (2019)/Season 01/Dr. Stone (2019) - S01E0{episode}.mp4");
        let bytes = std::fs::read(server.anime_dir.path().join(&name)).expect(&name);
        let link = site
            .links("dr-stone", 1, episode)
            .into_iter()
            .find(|l| l.link.hoster == hoster)
            .unwrap();
        assert!(
            bytes == link.expected_bytes(),
            "{name} is what {hoster:?} served"
        );
    }

    // the series view shows each file's language; the series' own settings are saved
    b.goto(&server.url("/#series/dr-stone")).await;
    b.until_text(
        "#view-series li[data-episode='1-1'] .language",
        "German Dub",
    )
    .await;
    b.click("#series-upgrade").await;
    b.click("#series-languages li[data-id='German Sub'] input")
        .await;
    b.click("#series-save").await;
    b.until_text("#notices", "Series settings saved").await;
    let series = api_get(&server, &b, "/api/anime/dr-stone").await;
    assert_eq!(series["upgrade"], true, "{series}");
    assert_eq!(series["languages"], json!(["German Sub"]), "{series}");
    b.screenshot("series-settings-1280x800").await;

    // settings: languages and hosters in a new order
    b.click(".bar nav a[href='/#settings']").await;
    b.until(
        "the settings",
        "return document.body.dataset.ready === 'settings'",
    )
    .await;
    b.click("#languages [aria-label='Move English Sub up']")
        .await;
    b.click("#languages [aria-label='Move English Sub up']")
        .await;
    b.click("#languages li[data-id='German Sub'] input").await;
    drag(
        &b,
        "#hosters li[data-id='Streamtape']",
        "#hosters li[data-id='VOE']",
    )
    .await;
    b.click("#hosters [aria-label='Move Vidoza up']").await;
    b.click("#hosters li[data-id='Doodstream'] input").await;
    b.screenshot("settings-1280x800").await;
    b.click("#settings-save").await;
    b.until_text("#notices", "Settings saved.").await;
    let config = api_get(&server, &b, "/api/config").await;
    assert_eq!(
        config["downloads"]["preferred_languages"],
        json!(["English Sub", "German Dub"])
    );
    assert_eq!(
        config["downloads"]["preferred_hosters"],
        json!([
            "Streamtape",
            "VOE",
            "Filemoon",
            "Vidmoly",
            "Vidoza",
            "Vidara",
            "Vidavaca",
            "Luluvdo"
        ])
    );
    // the form shows what was saved
    let order = b
        .js("return [...document.querySelectorAll('#hosters li')].map(li => li.dataset.id)")
        .await;
    assert_eq!(
        order,
        json!([
            "Streamtape",
            "VOE",
            "Filemoon",
            "Vidmoly",
            "Vidoza",
            "Vidara",
            "Vidavaca",
            "Luluvdo",
            "Doodstream"
        ])
    );

    b.click(".bar nav a[href='/#status']").await;
    b.until_text("#status-body", "Database").await;
    b.screenshot("status-1280x800").await;
}
