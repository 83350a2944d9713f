//! Two catalogue sites through the real server (issue 18): aniworld.to and s.to, each served
//! by the fake site on its own port, the hosters and media on aniworld.to's. Search on both,
//! adding and downloading an s.to series, a failing or challenged s.to beside a working
//! aniworld.to, a library rebuilt from disk, and s.to switched off.

mod downloads;
mod library;
mod refresh;
mod search;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestOptions, spawn_app_with};
use crate::support::fake_site::{FakeSeries, FakeSite};

/// The fake site with the standard catalogues of both sites, and a series whose slug is on
/// both (`attack-on-titan`).
pub async fn two_sites() -> FakeSite {
    FakeSite::builder()
        .standard_catalogue()
        .sto_standard_catalogue()
        .sto_series(
            FakeSeries::new("attack-on-titan", "Attack on Titan: Live")
                .year(2015)
                .season(1, &[1, 2]),
        )
        .spawn()
        .await
}

/// A server told s.to's base (`--sto-url`), logged in, with a library directory; s.to on
/// when `sto_on`, with no pause between its play links (the pacing has unit tests).
pub async fn app_on(site: &FakeSite, sto_on: bool) -> (TestApp, String) {
    let app = spawn_app_with(TestOptions {
        provider_url: site.base_url().to_owned(),
        sto_url: Some(site.sto_base_url().to_owned()),
        ..TestOptions::default()
    })
    .await;
    let token = app.login().await;
    let r = app
        .post(
            "/api/config/directory",
            Some(&token),
            json!({ "directory": app.anime_path() }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    config(
        &app,
        &token,
        json!({ "provider": { "sto_enabled": sto_on, "sto_pause_seconds": 0 } }),
    )
    .await;
    (app, token)
}

/// Applies a configuration patch.
pub async fn config(app: &TestApp, token: &str, patch: Value) {
    let r = app
        .request(Method::PUT, "/api/config", Some(token), Some(patch))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// Adds a series by its link; answers the add's body.
pub async fn add_link(app: &TestApp, token: &str, link: &str) -> Value {
    let r = app
        .post("/api/anime/add", Some(token), json!({ "link": link }))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// One series of the library, as `GET /api/anime/{key}` answers it.
pub async fn series(app: &TestApp, key: &str) -> Value {
    let r = app.get(&format!("/api/anime/{key}"), None).await;
    assert_eq!(r.status(), 200, "{key}: {}", r.text().await.unwrap());
    r.json().await.unwrap()
}
