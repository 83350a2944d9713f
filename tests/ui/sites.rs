//! The two catalogue sites in the browser: s.to is offered in the search's site switch only
//! once it is turned on in the settings (checked there before saving; what the server refuses
//! is shown with its field), a search of both sites shows each result with its site's badge,
//! the switch (by keyboard) narrows it to s.to and is remembered, an s.to series added shows
//! its site in the series view and the library, and when s.to fails the aniworld.to results
//! still show under a notice naming s.to; the status page names both sites.

use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::{self, Browser};
use crate::layout::call;
use crate::scenery::{PASSWORD, api_get};
use crate::server::spawn_server_with_sto;
use crate::support::fake_site::sto::{STO_SEARCH_PATH, STO_SUGGEST_PATH};
use crate::support::fake_site::{FakeSeries, FakeSite};
use fantoccini::key::Key;

/// The slug both fake sites serve a series under.
const SLUG: &str = "the-office";

/// The s.to choice of the search's site switch.
const STO_CHOICE: &str = "#search-site input[value='s.to']";

/// "The Office" on both sites: two episodes on aniworld.to, three on s.to.
async fn both_sites() -> FakeSite {
    FakeSite::builder()
        .series(
            FakeSeries::new(SLUG, "The Office")
                .year(2005)
                .season(1, &[1, 2]),
        )
        .sto_series(
            FakeSeries::new(SLUG, "The Office")
                .year(2005)
                .season(1, &[1, 2, 3]),
        )
        .spawn()
        .await
}

/// Waits for the results of a search whose heading reads `heading`, and answers each result
/// as `[data-site, the badge's text, the name, data-key]`, sorted.
async fn results(b: &Browser, heading: &str) -> Value {
    let script = format!(
        "const h = document.querySelector('#search-results h2');
         if (!h || h.innerText !== {}) return null;
         return [...document.querySelectorAll('#search-results li.card')].map((li) => [
           li.dataset.site, li.querySelector('.badge.site')?.innerText ?? null,
           li.querySelector('strong').innerText, li.dataset.key]).sort();",
        json!(heading)
    );
    b.until(&format!("the results under {heading:?}"), &script)
        .await
}

async fn search(b: &Browser, query: &str) {
    b.type_into("#search-q", query).await;
    b.click("#search-form button[type=submit]").await;
}

/// Presses a key in the element that has the focus.
async fn press(b: &Browser, key: Key) {
    let focused = b.client.active_element().await.expect("a focused element");
    focused.send_keys(&key.to_string()).await.expect("a key");
}

/// The choice the site switch shows as checked.
async fn checked_site(b: &Browser) -> Value {
    b.js("return document.querySelector('#search-site input:checked').value")
        .await
}

#[tokio::test]
async fn both_sites_are_searched_with_a_badge_each_one_can_be_chosen_and_a_failing_one_is_named() {
    if !crate::browser::available() {
        return;
    }
    let site = both_sites().await;
    let server = spawn_server_with_sto(site.base_url(), Some(site.sto_base_url())).await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    let setup = json!({ "master_password": PASSWORD, "anime_directory": dir });
    call(&server, Method::POST, "/api/auth/setup", None, setup).await;
    let b = browser::open(1280, 800).await;
    println!("screenshots: {}", browser::screenshot_dir().display());
    b.goto(&server.url("/login")).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.until_path("/").await;
    b.until(
        "the library",
        "return document.body.dataset.ready === 'library'",
    )
    .await;

    // s.to is off: its choice is disabled and says where to turn it on
    let off = b
        .until(
            "the s.to choice disabled",
            &format!(
                "const r = document.querySelector({}); return r.disabled && r.closest('label').title",
                json!(STO_CHOICE)
            ),
        )
        .await;
    let off = off.as_str().unwrap_or_default();
    assert!(
        off.contains("switched off") && off.contains("Settings"),
        "{off}"
    );
    assert_eq!(checked_site(&b).await, json!(""), "both sites by default");

    // the settings: an address without http(s):// is refused before saving
    b.click(".bar nav a[href='/#settings']").await;
    b.until(
        "the settings",
        "return document.body.dataset.ready === 'settings'",
    )
    .await;
    let shown = b
        .js("return [document.getElementById('sto-enabled').checked, document.getElementById('sto-url').value, document.getElementById('sto-pause').value]")
        .await;
    assert_eq!(shown, json!([false, "https://serienstream.to", "5"]));
    b.click("#sto-enabled").await;
    b.type_into("#sto-url", "serienstream.to").await;
    b.click("#settings-save").await;
    b.until_text("#sto-url-error", "Enter an http:// or https:// address")
        .await;
    let invalid = b
        .js("return document.getElementById('sto-url').getAttribute('aria-invalid')")
        .await;
    assert_eq!(invalid, json!("true"));
    b.screenshot("sites-settings-1280x800").await;
    let config = api_get(&server, &b, "/api/config").await;
    assert_eq!(
        config["provider"]["sto_enabled"], false,
        "nothing was saved"
    );

    // a good address and no pause: saved, and s.to is on at once
    b.type_into("#sto-url", "https://s.to.example").await;
    b.type_into("#sto-pause", "0").await;
    assert_eq!(
        b.text("#sto-url-error").await,
        "",
        "the error went on typing"
    );
    // what the server refuses is shown with its field (a FlareSolverr URL it does not take)
    b.type_into("#flaresolverr", "nope").await;
    b.click("#settings-save").await;
    b.until_text(
        "#notices",
        "Configuration is invalid: provider.flaresolverr_url",
    )
    .await;
    let config = api_get(&server, &b, "/api/config").await;
    assert_eq!(
        config["provider"]["sto_enabled"], false,
        "nothing was saved"
    );
    b.js("document.getElementById('flaresolverr').value = ''; return true")
        .await;
    b.click("#settings-save").await;
    b.until_text("#notices", "Settings saved.").await;
    let config = api_get(&server, &b, "/api/config").await;
    assert_eq!(
        (
            &config["provider"]["sto_enabled"],
            &config["provider"]["sto_url"],
            &config["provider"]["sto_pause_seconds"]
        ),
        (&json!(true), &json!("https://s.to.example"), &json!(0)),
        "{config}"
    );

    // both sites: one result each, each with its site's badge
    b.click(".bar nav a[href='/']").await;
    b.until(
        "the s.to choice offered",
        &format!(
            "const r = document.querySelector({}); return document.body.dataset.ready === 'library' && !r.disabled && !r.closest('label').title",
            json!(STO_CHOICE)
        ),
    )
    .await;
    search(&b, "office").await;
    let found = results(&b, "Search results for “office”").await;
    assert_eq!(
        found,
        json!([
            ["aniworld.to", "aniworld.to", "The Office", SLUG],
            ["s.to", "s.to", "The Office", format!("sto:{SLUG}")]
        ])
    );
    assert_eq!(b.text("#search-warnings").await, "", "no warning");
    b.screenshot("sites-search-both-1280x800").await;

    // s.to only, chosen with the arrow keys: one result, and the choice is remembered
    b.js("document.querySelector(\"#search-site input[value='']\").focus(); return true")
        .await;
    press(&b, Key::Right).await;
    press(&b, Key::Right).await;
    assert_eq!(checked_site(&b).await, json!("s.to"));
    let kept = b.js("return localStorage.getItem('aniworld.site')").await;
    assert_eq!(kept, json!("s.to"));
    b.click("#search-form button[type=submit]").await;
    let found = results(&b, "Search results for “office” on s.to").await;
    assert_eq!(
        found,
        json!([["s.to", "s.to", "The Office", format!("sto:{SLUG}")]])
    );

    // the s.to series added: its site in the series view and in the library
    b.click(&format!("#search-results li[data-key='sto:{SLUG}'] button"))
        .await;
    b.until_text("#notices", "Successfully added series: The Office")
        .await;
    b.until_text("#series-site .badge.site", "s.to").await;
    assert_eq!(b.text("#series-title").await, "The Office");
    assert_eq!(b.text("#series-site a").await, "Series page on s.to");
    b.goto(&server.url("/")).await;
    b.until_text(
        &format!("#series-list li[data-key='sto:{SLUG}'] .badge.site"),
        "s.to",
    )
    .await;
    assert_eq!(
        b.text(&format!("#series-list li[data-key='sto:{SLUG}'] strong"))
            .await,
        "The Office"
    );
    assert_eq!(
        checked_site(&b).await,
        json!("s.to"),
        "the choice is remembered"
    );

    // s.to fails (suggest and search page): aniworld.to's result shows under a notice
    site.sto_status(STO_SUGGEST_PATH, 500);
    site.sto_status(STO_SEARCH_PATH, 500);
    b.click("#search-site input[value='']").await;
    search(&b, "office").await;
    let found = results(&b, "Search results for “office”").await;
    assert_eq!(
        found,
        json!([["aniworld.to", "aniworld.to", "The Office", SLUG]])
    );
    let lines = b
        .js("return [...document.querySelectorAll('#search-warnings li')].map((li) => li.innerText)")
        .await;
    let lines: Vec<&str> = lines
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("s.to: "), "{lines:?}");
    assert!(
        b.text("#search-warnings")
            .await
            .contains("not every site answered")
    );
    assert!(site.sto_requests(STO_SUGGEST_PATH) > 0 && site.sto_requests(STO_SEARCH_PATH) > 0);
    b.screenshot("sites-search-warning-1280x800").await;

    // the status names both sites as the server spells them
    b.click(".bar nav a[href='/#status']").await;
    b.until_text("#catalogues li[data-catalogue='s.to'] h3", "s.to")
        .await;
    b.screenshot_full("sites-status-1280x800", 1280, 800).await;
    let names = b
        .js("return [...document.querySelectorAll('#catalogues h3')].map((h) => h.innerText.split(' · ')[0])")
        .await;
    assert_eq!(names, json!(["aniworld.to", "s.to"]), "not capitalised");
}
