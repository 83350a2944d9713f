//! Reaching the live site as it is in late 2026 (issue 16, PROVIDER.md "Looking like a
//! browser, and being refused", "Mirrors and blocked names"; CONTRACT.md section 4):
//! - `refusals.rs`: a catalogue that refuses everyone without a solver's cookie, with and
//!   without FlareSolverr; the fake catalogue refusing non-browsers (on in every test);
//! - `names.rs`: a dead main base with a working mirror, and a name only a DNS-over-HTTPS
//!   responder knows.

mod names;
mod refusals;

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Changes the `provider` section of the configuration; answers the configuration.
pub async fn set_provider(app: &TestApp, token: &str, provider: Value) -> Value {
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(token),
            Some(json!({ "provider": provider })),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// The names of a search's results.
pub async fn search_names(app: &TestApp, query: &str) -> Vec<String> {
    let r = app
        .get(&format!("/api/anime/search?query={query}"), None)
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let results: Vec<Value> = r.json().await.unwrap();
    results
        .iter()
        .map(|r| r["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}
