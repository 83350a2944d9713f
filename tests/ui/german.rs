//! The UI in German (issue 21): a browser that asks for German (`--lang=de-DE`) gets every
//! page in German from the first visit: setup, login, search, add, download missing, the live
//! queue and logout, with screenshots. The switch in the header turns the page English and
//! back without a reload, and the choice is kept. German's longer words still fit 360 px, the
//! settings' sections loaded when opened among them.
//!
//! The expected texts are read from the catalogues, and each page is checked for any English
//! text of the catalogue that German says otherwise.

use std::collections::BTreeMap;

use serde_json::json;

use crate::browser::{self, Browser};
use crate::i18n_scan::{catalogue_of, visible_english};
use crate::scenery::{PASSWORD, dr_stone_site};
use crate::server::spawn_server;

/// Asserts the page speaks German: `lang="de"`, and no English text of the catalogue shows.
async fn all_german(
    b: &Browser,
    page: &str,
    en: &BTreeMap<String, String>,
    de: &BTreeMap<String, String>,
) {
    assert_eq!(
        b.js("return document.documentElement.lang").await,
        json!("de"),
        "{page}: lang"
    );
    // the server's own words are English and marked so (`lang="en"`): left out
    let text = b
        .js("const en = [...document.querySelectorAll('body [lang=en]')]; const was = en.map((e) => e.style.display); en.forEach((e) => { e.style.display = 'none'; }); const text = document.body.innerText; en.forEach((e, i) => { e.style.display = was[i]; }); return text")
        .await;
    // file paths are the library's names, not texts
    let paths = regex::Regex::new(r"\S*/\S*").unwrap();
    let text = paths.replace_all(text.as_str().unwrap_or_default(), " ");
    let english = visible_english(&text, en, de);
    assert!(
        english.is_empty(),
        "{page} shows English: {english:?}\n{text}"
    );
}

/// Asserts the page fits `width` without sideways scrolling.
async fn fits(b: &Browser, page: &str, width: u32) {
    let scroll = b
        .js("return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        .await;
    assert!(
        scroll.as_u64().unwrap() <= u64::from(width),
        "{page} is {scroll} px wide at {width} px"
    );
}

#[tokio::test]
async fn a_german_browser_gets_every_step_in_german_and_can_switch_without_a_reload() {
    if !crate::browser::available() {
        return;
    }
    let (en, de) = (catalogue_of("en"), catalogue_of("de"));
    let site = dr_stone_site().await;
    let server = spawn_server(site.base_url()).await;
    let b = browser::open_with(1280, 800, &["--lang=de-DE", "--accept-lang=de-DE,de"]).await;

    // setup, in German from the first visit
    b.goto(&server.url("/")).await;
    b.until_path("/setup").await;
    b.until_text("h1", &de["setup.welcome"]).await;
    assert_eq!(
        b.text("#policy [data-rule=length]").await,
        de["setup.at_least_8_characters"]
    );
    all_german(&b, "setup", &en, &de).await;
    b.type_into("#password", PASSWORD).await;
    b.type_into("#confirm", "something else").await;
    b.until_text("#confirm-hint", &de["setup.mismatch"]).await;
    b.type_into("#confirm", PASSWORD).await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    b.type_into("#anime-dir", &dir).await;
    b.screenshot("de-setup-1280x800").await;
    b.click("#setup-submit").await;

    // login
    b.until_path("/login").await;
    b.until_text("#notices", &de["login.password_set"]).await;
    all_german(&b, "login", &en, &de).await;
    b.screenshot("de-login-1280x800").await;
    b.type_into("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.until_path("/").await;
    b.until(
        "the library",
        "return document.body.dataset.ready === 'library'",
    )
    .await;
    assert_eq!(b.text("#h-library").await, de["nav.library"]);
    all_german(&b, "library", &en, &de).await;

    // search and add
    b.type_into("#search-q", "stone").await;
    b.click("#search-form button[type=submit]").await;
    b.until_text("#search-results", "Dr. Stone").await;
    all_german(&b, "search", &en, &de).await;
    b.screenshot("de-search-1280x800").await;
    b.click("#search-results li[data-key='dr-stone'] button")
        .await;
    b.until(
        "the series view",
        "return !!document.querySelector('#view-series #download-missing') && !location.hash.endsWith('library')",
    )
    .await;
    all_german(&b, "series", &en, &de).await;
    b.screenshot("de-series-1280x800").await;

    // the switch: English and back, no reload, the choice kept
    b.js("window.notReloaded = true; return true").await;
    b.js("const s = document.getElementById('lang'); s.value = 'en'; s.dispatchEvent(new Event('change')); return true").await;
    b.until_text(".bar nav a[data-view='library']", "Library")
        .await;
    b.until(
        "the series view in English",
        "return document.documentElement.lang === 'en' && document.querySelector('#view-series').innerText.includes('Season 1')",
    )
    .await;
    assert_eq!(
        b.js("return localStorage.getItem('aniworld.lang')").await,
        json!("en")
    );
    b.js("const s = document.getElementById('lang'); s.value = 'de'; s.dispatchEvent(new Event('change')); return true").await;
    b.until_text(".bar nav a[data-view='library']", &de["nav.library"])
        .await;
    assert_eq!(
        b.js("return window.notReloaded === true").await,
        json!(true),
        "no reload"
    );
    all_german(&b, "series after switching back", &en, &de).await;

    // download missing, the live queue
    b.js("window.__notices = document.querySelectorAll('#notices .notice').length; return true")
        .await;
    b.click("#download-missing").await;
    b.until(
        "the queued notice",
        "return document.querySelectorAll('#notices .notice').length !== window.__notices",
    )
    .await;
    all_german(&b, "series with its notice", &en, &de).await;
    b.click(".bar nav a[href='/queue']").await;
    b.until_path("/queue").await;
    b.until("the queue", "return document.body.dataset.ready === 'queue' && document.getElementById('live').classList.contains('on')").await;
    assert_eq!(b.text("#live").await, de["common.live"]);
    b.click("#start").await;
    b.until(
        "both downloads completed",
        "return document.querySelectorAll('#list-completed li[data-id]').length === 2",
    )
    .await;
    all_german(&b, "queue", &en, &de).await;
    b.screenshot("de-queue-1280x800").await;

    // German's longer words at 360 px
    b.viewport(360, 740).await;
    let any = "return !!document.body.dataset.ready";
    let section = |name| {
        format!("return document.getElementById('settings-{name}')?.dataset.ready === '{name}'")
    };
    for (page, url, ready) in [
        ("queue", "/queue", any.to_owned()),
        ("library", "/", any.to_owned()),
        ("series", "/#series/dr-stone", any.to_owned()),
        ("settings", "/#settings", any.to_owned()),
        ("settings-keys", "/#settings/keys", section("keys")),
        (
            "settings-connections",
            "/#settings/connections",
            section("connections"),
        ),
        ("settings-arr", "/#settings/arr", section("arr")),
        ("activity", "/#activity", any.to_owned()),
        ("status", "/#status", any.to_owned()),
    ] {
        b.goto(&server.url(url)).await;
        b.until("the page", &ready).await;
        b.until("the page's data", "return !document.querySelector('main .empty') || !document.querySelector('main .empty').innerText.endsWith('…')").await;
        fits(&b, page, 360).await;
        all_german(&b, page, &en, &de).await;
        b.screenshot(&format!("de-{page}-360x740")).await;
    }

    // logout
    b.viewport(1280, 800).await;
    b.click("#logout").await;
    b.until_path("/login").await;
    assert_eq!(b.text("h1").await, de["login.log_in"]);
}
