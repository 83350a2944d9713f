//! Covers in the browser (INTEGRATIONS.md section 7): a search result shows a placeholder
//! until the series is added and then the cover this server fetched; the series view shows
//! the cover with years, FSK, genres and description; the library cards show covers, and a
//! placeholder for a series without one. No request of the page leaves this server.

use reqwest::Method;
use serde_json::json;

use crate::browser;
use crate::layout::call;
use crate::scenery::PASSWORD;
use crate::server::spawn_server;
use crate::support::fake_site::FakeSite;

/// Every resource the page loaded came from this server (its own origin).
const ONLY_OWN_ORIGIN: &str = "const other = performance.getEntriesByType('resource').map((e) => e.name).filter((u) => new URL(u).origin !== location.origin); return other";

#[tokio::test]
async fn covers_render_from_this_server_with_a_placeholder_while_one_is_missing() {
    if !crate::browser::available() {
        return;
    }
    let site = FakeSite::standard().await;
    let server = spawn_server(site.base_url()).await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    let setup = json!({ "master_password": PASSWORD, "anime_directory": dir });
    call(&server, Method::POST, "/api/auth/setup", None, setup).await;

    let b = browser::open(1280, 900).await;
    b.goto(&server.url("/login")).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.until_path("/").await;

    // Not in the library yet: a placeholder with the first letter.
    b.type_into("#search-q", "attack").await;
    b.click("#search-form button[type=submit]").await;
    let aot = "#search-results li[data-key='attack-on-titan']";
    b.until_text(&format!("{aot} .cover.placeholder"), "A")
        .await;
    b.click(&format!("{aot} button")).await;

    // Added: the series view with its cover and what the page says.
    b.until(
        "the series view's cover",
        "const img = document.querySelector('.series-head img.cover.large'); return !!img && img.complete && img.naturalWidth === 22 && img.getAttribute('src')",
    )
    .await;
    let src = b
        .js("return document.querySelector('.series-head img.cover').getAttribute('src')")
        .await;
    assert!(
        src.as_str()
            .unwrap()
            .starts_with("/api/anime/attack-on-titan/cover?v="),
        "{src}"
    );
    let facts = b.text("#series-facts").await;
    for part in ["2013–2023", "FSK 16", "Action", "Horror & Gore"] {
        assert!(facts.contains(part), "{part} in {facts}");
    }
    assert!(
        b.text("#series-description")
            .await
            .starts_with("Eren & his friends")
    );
    assert!(
        b.text("#series-titles")
            .await
            .contains("Shingeki no Kyojin")
    );
    b.screenshot("covers-series").await;

    // The search result now shows the cover too.
    let result_cover = b
        .js(&format!(
            "const img = document.querySelector(\"{aot} img.cover\"); return img && img.getAttribute('src')"
        ))
        .await;
    assert_eq!(result_cover, src);

    // The library: a cover, and a placeholder for a series without one.
    let login = call(
        &server,
        Method::POST,
        "/api/auth/login",
        None,
        json!({ "password": PASSWORD }),
    )
    .await;
    let t = login["access_token"].as_str().map(str::to_owned);
    let link = json!({ "link": site.url("/anime/stream/jojos-bizarre-adventure") });
    call(&server, Method::POST, "/api/anime/add", t.as_deref(), link).await;
    b.click("#view-series a[href='#library']").await;
    b.until(
        "the library's covers",
        "const img = document.querySelector(\"#series-list li[data-key='attack-on-titan'] img.cover\"); const ph = document.querySelector(\"#series-list li[data-key='jojos-bizarre-adventure'] .cover.placeholder\"); return !!img && img.complete && img.naturalWidth === 22 && !!ph && ph.innerText === 'J'",
    )
    .await;
    b.screenshot("covers-library").await;

    assert_eq!(
        b.js(ONLY_OWN_ORIGIN).await,
        json!([]),
        "no request left this server"
    );
}
