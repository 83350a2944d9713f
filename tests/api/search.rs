//! The catalogue search through the real server and the fake catalogue site.

use serde_json::{Value, json};

use crate::helpers::{TestOptions, assert_error, spawn_app_with};
use crate::library::{add, library_app};
use crate::support::fake_site::FakeSite;

#[tokio::test]
async fn a_search_is_public_and_answers_series_with_sanitised_folders() {
    let (app, site, _token) = library_app().await;
    let r = app.get("/api/anime/search?query=%20titan%20", None).await;
    assert_eq!(r.status(), 200);
    let hits: Vec<Value> = r.json().await.unwrap();
    let keys: Vec<_> = hits.iter().map(|h| h["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["attack-on-titan", "attack-on-titan-junior-high"]);
    let junior = &hits[1];
    assert_eq!(junior["name"], "Attack on Titan: Junior High");
    assert_eq!(junior["folder"], "Attack on Titan Junior High");
    assert_eq!(junior["site"], "aniworld.to");
    assert_eq!(junior["missing_episodes"], json!({}));
    assert_eq!(
        junior["link"],
        json!(site.url("/anime/stream/attack-on-titan-junior-high"))
    );
}

#[tokio::test]
async fn a_post_search_answers_like_a_get_and_shows_a_library_series_as_it_is_there() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "jojos-bizarre-adventure").await;
    let r = app
        .post("/api/anime/search", None, json!({ "query": "bizarre" }))
        .await;
    assert_eq!(r.status(), 200);
    let hits: Vec<Value> = r.json().await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["folder"], "JoJo's Bizarre Adventure (2012)");
    assert_eq!(
        hits[0]["missing_episodes"],
        json!({ "1": [1], "2": [1, 2] })
    );
}

#[tokio::test]
async fn empty_and_over_long_queries_are_unprocessable() {
    let (app, _site, _token) = library_app().await;
    for path in [
        "/api/anime/search?query=%20%20".to_owned(),
        "/api/anime/search".to_owned(),
        format!("/api/anime/search?query={}", "a".repeat(201)),
    ] {
        let r = app.get(&path, None).await;
        let body = assert_error(r, 422, "VALIDATION_ERROR").await;
        assert_eq!(body["details"]["field"], "query", "{path}");
    }
    let r = app
        .post("/api/anime/search", None, json!({ "query": "" }))
        .await;
    assert_error(r, 422, "VALIDATION_ERROR").await;
    let r = app.post("/api/anime/search", None, json!({})).await;
    assert_error(r, 422, "VALIDATION_ERROR").await;
}

#[tokio::test]
async fn a_failing_catalogue_site_is_a_bad_gateway_not_a_server_error() {
    let site = FakeSite::standard().await;
    site.status("/ajax/search", 503);
    let app = spawn_app_with(TestOptions {
        provider_url: site.base_url().to_owned(),
        ..TestOptions::default()
    })
    .await;
    let r = app.get("/api/anime/search?query=titan", None).await;
    assert_error(r, 502, "UPSTREAM_ERROR").await;
}

#[tokio::test]
async fn a_catalogue_site_that_never_answers_is_a_gateway_timeout_within_the_deadline() {
    let site = FakeSite::standard().await;
    site.hang("/ajax/search");
    let app = spawn_app_with(TestOptions {
        provider_url: site.base_url().to_owned(),
        provider_timeout_seconds: Some(1),
        ..TestOptions::default()
    })
    .await;
    let started = std::time::Instant::now();
    let r = app.get("/api/anime/search?query=titan", None).await;
    let waited = started.elapsed();
    assert_error(r, 504, "UPSTREAM_TIMEOUT").await;
    assert!(
        waited < std::time::Duration::from_secs(3),
        "answered after {waited:?}"
    );
}

#[tokio::test]
async fn a_changed_provider_timeout_applies_without_a_restart() {
    let site = FakeSite::standard().await;
    site.hang("/ajax/search");
    let app = spawn_app_with(TestOptions {
        provider_url: site.base_url().to_owned(),
        ..TestOptions::default()
    })
    .await;
    let token = app.login().await;
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(&token),
            Some(serde_json::json!({ "provider": { "timeout_seconds": 1 } })),
        )
        .await;
    assert_eq!(r.status(), 200);
    let started = std::time::Instant::now();
    let r = app.get("/api/anime/search?query=titan", None).await;
    let waited = started.elapsed();
    assert_error(r, 504, "UPSTREAM_TIMEOUT").await;
    assert!(
        waited < std::time::Duration::from_secs(3),
        "answered after {waited:?}, not the 15 s default"
    );
}

pub use crate::support::fake_site::CHALLENGE_PAGE;

#[tokio::test]
async fn a_challenged_catalogue_is_reported_as_a_challenge_not_as_a_changed_layout() {
    let (app, site, token) = library_app().await;
    site.serve_html("/anime/stream/attack-on-titan", CHALLENGE_PAGE);
    let link = site.url("/anime/stream/attack-on-titan");
    let r = app
        .post("/api/anime/add", Some(&token), json!({ "link": link }))
        .await;
    let body = assert_error(r, 502, "UPSTREAM_ERROR").await;
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("asks for a browser challenge"),
        "{message}"
    );
    assert!(!message.contains("layout"), "{message}");
}
