//! One search, both sites: merged with each result's site, one site failing is a warning,
//! a switched-off s.to is never asked.

use reqwest::Response;
use serde_json::{Value, json};

use super::{app_on, two_sites};
use crate::helpers::assert_error;
use crate::support::fake_site::sto::{STO_SEARCH_PATH, STO_SUGGEST_PATH};

/// The `(key, site, link)` of each result.
async fn results(r: Response) -> Vec<(String, String, String)> {
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    body.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let text = |f: &str| s[f].as_str().unwrap().to_owned();
            (text("key"), text("site"), text("link"))
        })
        .collect()
}

/// The lines of the `X-Search-Warnings` header, none when it is absent.
fn warnings(r: &Response) -> Vec<String> {
    r.headers()
        .get("x-search-warnings")
        .map(|v| serde_json::from_str(v.to_str().unwrap()).unwrap())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_same_slug_on_both_sites_is_two_results_with_distinct_keys() {
    let site = two_sites().await;
    let (app, _) = app_on(&site, true).await;
    let r = app.get("/api/anime/search?query=attack", None).await;
    assert_eq!(warnings(&r), Vec::<String>::new());
    let found = results(r).await;
    let on = |site_name: &str| -> Vec<(String, String)> {
        found
            .iter()
            .filter(|(_, s, _)| s == site_name)
            .map(|(k, _, l)| (k.clone(), l.clone()))
            .collect()
    };
    assert!(
        on("aniworld.to").contains(&(
            "attack-on-titan".into(),
            site.url("/anime/stream/attack-on-titan")
        )),
        "{found:?}"
    );
    assert_eq!(
        on("s.to"),
        [(
            "sto:attack-on-titan".to_owned(),
            site.sto_url("/serie/attack-on-titan")
        )]
    );

    // One site only: by query parameter, and by body.
    let only = results(
        app.get("/api/anime/search?query=attack&site=s.to", None)
            .await,
    )
    .await;
    assert_eq!(only.len(), 1, "{only:?}");
    assert_eq!(only[0].0, "sto:attack-on-titan");
    let only = results(
        app.post(
            "/api/anime/search",
            None,
            json!({ "query": "attack", "site": "aniworld.to" }),
        )
        .await,
    )
    .await;
    assert!(only.iter().all(|(_, s, _)| s == "aniworld.to"), "{only:?}");
    assert!(!only.is_empty());
    let r = app
        .get("/api/anime/search?query=attack&site=kinox.to", None)
        .await;
    assert_error(r, 422, "VALIDATION_ERROR").await;
}

#[tokio::test]
async fn a_failing_sto_search_is_a_warning_beside_aniworlds_results() {
    let site = two_sites().await;
    let (app, _) = app_on(&site, true).await;
    site.sto_status(STO_SUGGEST_PATH, 500);
    site.sto_status(STO_SEARCH_PATH, 500);
    let r = app.get("/api/anime/search?query=attack", None).await;
    let lines = warnings(&r);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("s.to: ") && lines[0].contains("500"),
        "{lines:?}"
    );
    let found = results(r).await;
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|(_, s, _)| s == "aniworld.to"),
        "{found:?}"
    );
    // Both the suggest endpoint and the search page were tried before giving up.
    assert!(site.sto_requests(STO_SUGGEST_PATH) >= 1);
    assert!(site.sto_requests(STO_SEARCH_PATH) >= 1);

    // The suggest endpoint alone failing: the HTML search answers instead, no warning.
    site.sto_clear_faults(STO_SEARCH_PATH);
    let r = app.get("/api/anime/search?query=attack", None).await;
    assert_eq!(warnings(&r), Vec::<String>::new());
    let found = results(r).await;
    assert!(
        found
            .iter()
            .any(|(k, s, _)| k == "sto:attack-on-titan" && s == "s.to"),
        "{found:?}"
    );

    // Both sites failing is the first site's error.
    site.status("/ajax/search", 503);
    site.sto_status(STO_SEARCH_PATH, 500);
    let r = app.get("/api/anime/search?query=attack", None).await;
    assert_error(r, 502, "UPSTREAM_ERROR").await;
}

#[tokio::test]
async fn with_sto_off_nothing_asks_it() {
    let site = two_sites().await;
    let (app, token) = app_on(&site, false).await;
    let found = results(app.get("/api/anime/search?query=attack", None).await).await;
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|(_, s, _)| s == "aniworld.to"),
        "{found:?}"
    );
    let r = app
        .get("/api/anime/search?query=attack&site=s.to", None)
        .await;
    let body = assert_error(r, 422, "VALIDATION_ERROR").await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("provider.sto_enabled"),
        "{body}"
    );
    let link = site.sto_url("/serie/greys-anatomy");
    let r = app
        .post("/api/anime/add", Some(&token), json!({ "link": link }))
        .await;
    let body = assert_error(r, 422, "VALIDATION_ERROR").await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("s.to is switched off"),
        "{body}"
    );
    let health: Value = app
        .get("/health/detailed", None)
        .await
        .json()
        .await
        .unwrap();
    let sto = &health["dependencies"]["catalogues"]["s.to"];
    assert_eq!(
        (sto["status"].as_str(), sto["enabled"].as_bool()),
        (Some("off"), Some(false))
    );
    assert_eq!(
        health["dependencies"]["catalogues"]["aniworld.to"]["enabled"],
        true
    );
    assert_eq!(site.sto_request_log(), Vec::<(String, usize)>::new());
}
