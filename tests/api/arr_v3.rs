//! Sonarr's v3 read API (INTEGRATIONS.md section 4) through the real server and the fake
//! catalogue site: the series as `GET /api/anime` knows them, the missing episodes, the queue
//! with ids that join the series and episodes ([`queue`]), the calendar ([`calendar`]),
//! status and health; a `read` key by `?apikey=` or `X-Api-Key`, and the refusals.

mod calendar;
mod queue;

use std::collections::BTreeSet;
use std::path::PathBuf;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};
use crate::library::{add, library_app, missing_becomes};

/// Makes an API key with `scopes`; answers its id and secret.
pub async fn make_key(app: &TestApp, token: &str, scopes: &[&str]) -> (String, String) {
    let r = app
        .post(
            "/api/keys",
            Some(token),
            json!({ "name": "Homepage", "scopes": scopes }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let body: Value = r.json().await.unwrap();
    let field = |name: &str| body[name].as_str().unwrap().to_owned();
    (field("id"), field("key"))
}

/// A GET with the key as `?apikey=`, as Homepage sends it; answers the 200's body.
pub async fn v3(app: &TestApp, path: &str, key: &str) -> Value {
    let sep = if path.contains('?') { '&' } else { '?' };
    let r = app.get(&format!("{path}{sep}apikey={key}"), None).await;
    assert_eq!(r.status(), 200, "{path}: {}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// The library's missing episodes by `GET /api/anime`, as (key, season, episode).
async fn library_missing(app: &TestApp, token: &str) -> BTreeSet<(String, u64, u64)> {
    let listed: Value = app
        .get("/api/anime?per_page=1000", Some(token))
        .await
        .json()
        .await
        .unwrap();
    let mut out = BTreeSet::new();
    for series in listed.as_array().unwrap() {
        let key = series["key"].as_str().unwrap();
        for (season, episodes) in series["missing_episodes"].as_object().unwrap() {
            for e in episodes.as_array().unwrap() {
                out.insert((key.to_owned(), season.parse().unwrap(), e.as_u64().unwrap()));
            }
        }
    }
    out
}

/// The series' numbers by key, from `/api/v3/series`.
pub async fn series_ids(app: &TestApp, key: &str) -> std::collections::BTreeMap<i64, String> {
    let series = v3(app, "/api/v3/series", key).await;
    series
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_i64().unwrap(),
                s["titleSlug"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_series_added_from_the_fake_site_is_listed_with_its_key_folder_and_counts() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "attack-on-titan").await;
    let folder = app.anime_path().join("Attack on Titan (2013)");
    let file = folder.join("Season 01/Attack on Titan (2013) - S01E01.mp4");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, b"video").unwrap();
    let r = app.post("/api/anime/rescan", Some(&token), json!({})).await;
    assert_eq!(r.status(), 200);
    let rest = ["0-1", "0-2", "1-2", "1-3", "2-1", "2-2", "2-4", "2-5"];
    missing_becomes(&app, "attack-on-titan", &rest).await;
    let (_, key) = make_key(&app, &token, &["read"]).await;

    let series = v3(&app, "/api/v3/series", &key).await;
    let [aot] = series.as_array().unwrap().as_slice() else {
        panic!("one series: {series}");
    };
    let status: Value = app
        .get("/api/anime/status", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let root = PathBuf::from(status["directory"].as_str().unwrap());
    assert_eq!(aot["title"], "Attack on Titan");
    assert_eq!(aot["titleSlug"], "attack-on-titan");
    assert_eq!(
        aot["path"],
        root.join("Attack on Titan (2013)").to_str().unwrap()
    );
    assert_eq!(
        (aot["year"].clone(), aot["monitored"].clone()),
        (json!(2013), json!(true))
    );
    assert!(aot["id"].as_i64().unwrap() > 0);
    assert_eq!(aot["images"], json!([]));
    let stats = &aot["statistics"];
    let missing = library_missing(&app, &token).await.len() as i64;
    assert_eq!(missing, 8);
    assert_eq!(stats["episodeFileCount"], 1);
    assert_eq!(stats["episodeCount"].as_i64().unwrap() - 1, missing);
    let seasons: Vec<(i64, i64, i64)> = aot["seasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let n = |f: &str| s["statistics"][f].as_i64().unwrap();
            (
                s["seasonNumber"].as_i64().unwrap(),
                n("episodeFileCount"),
                n("episodeCount"),
            )
        })
        .collect();
    assert_eq!(seasons, [(0, 0, 2), (1, 1, 3), (2, 0, 4)]);
}

#[tokio::test]
async fn missing_records_are_the_librarys_missing_episodes_page_by_page() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "attack-on-titan").await;
    add(&app, &site, &token, "kaguya-sama-love-is-war").await;
    let (_, key) = make_key(&app, &token, &["read"]).await;
    let ids = series_ids(&app, &key).await;

    let all = v3(
        &app,
        "/api/v3/wanted/missing?pageSize=100&includeSeries=true",
        &key,
    )
    .await;
    assert_eq!(
        (all["page"].clone(), all["totalRecords"].clone()),
        (json!(1), json!(11))
    );
    let records = all["records"].as_array().unwrap();
    let found: BTreeSet<(String, u64, u64)> = records
        .iter()
        .map(|r| {
            let series = &ids[&r["seriesId"].as_i64().unwrap()];
            assert_eq!(r["series"]["titleSlug"], series.as_str());
            assert_eq!(r["hasFile"], false);
            let n = |f: &str| r[f].as_u64().unwrap();
            (series.clone(), n("seasonNumber"), n("episodeNumber"))
        })
        .collect();
    assert_eq!(found, library_missing(&app, &token).await);
    assert_eq!(
        records[0]["series"]["title"], "Attack on Titan",
        "by series name"
    );
    assert_eq!(records[10]["series"]["title"], "Kaguya-sama: Love is War");
    assert_eq!(records[2]["title"], "Episode 1");

    let third = v3(
        &app,
        "/api/v3/wanted/missing?page=3&pageSize=4&sortKey=airDateUtc",
        &key,
    )
    .await;
    assert_eq!(third["totalRecords"], 11);
    assert_eq!(third["records"].as_array().unwrap(), &records[8..]);
    let r = app
        .get(&format!("/api/v3/wanted/missing?page=0&apikey={key}"), None)
        .await;
    assert_error(r, 422, "VALIDATION_ERROR").await;

    let r = app
        .request(
            Method::PATCH,
            "/api/anime/kaguya-sama-love-is-war",
            Some(&token),
            Some(json!({ "monitored": false })),
        )
        .await;
    assert_eq!(r.status(), 200);
    let monitored = v3(&app, "/api/v3/wanted/missing", &key).await;
    assert_eq!(
        monitored["totalRecords"], 9,
        "monitored series only, as Sonarr"
    );
    let others = v3(&app, "/api/v3/wanted/missing?monitored=false", &key).await;
    assert_eq!(others["totalRecords"], 2);
    assert_eq!(others["records"][0]["monitored"], false);
}

#[tokio::test]
async fn a_read_key_opens_every_endpoint_and_other_keys_are_refused() {
    let (app, _site, token) = library_app().await;
    let (id, key) = make_key(&app, &token, &["read"]).await;
    let (_, download) = make_key(&app, &token, &["download"]).await;
    let paths = [
        "/api",
        "/api/v3/system/status",
        "/api/v3/health",
        "/api/v3/series",
        "/api/v3/queue",
        "/api/v3/queue/details",
        "/api/v3/wanted/missing",
        "/api/v3/calendar",
    ];
    for path in paths {
        v3(&app, path, &key).await;
        let r = app
            .client
            .get(format!("{}{path}", app.base))
            .header("X-Api-Key", &key);
        assert_eq!(r.send().await.unwrap().status(), 200, "{path}");
        let r = app.get(&format!("{path}?apikey={download}"), None).await;
        assert_error(r, 403, "AUTHORIZATION_ERROR").await;
        assert_error(app.get(path, None).await, 401, "AUTHENTICATION_ERROR").await;
    }
    assert_eq!(v3(&app, "/api", &key).await["current"], "v3");
    let status = v3(&app, "/api/v3/system/status", &key).await;
    assert_eq!(status["appName"], "aniworld");
    assert_eq!(status["version"], env!("CARGO_PKG_VERSION"));
    let started: chrono::DateTime<chrono::Utc> =
        status["startTime"].as_str().unwrap().parse().unwrap();
    assert!(started <= app.clock_now());

    let r = app
        .request(
            Method::DELETE,
            &format!("/api/keys/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status(), 204);
    let r = app.get(&format!("/api/v3/series?apikey={key}"), None).await;
    assert_error(r, 401, "AUTHENTICATION_ERROR").await;
}

#[tokio::test]
async fn health_lists_only_the_problems_of_the_detailed_report() {
    let (app, _site, token) = library_app().await;
    let (_, key) = make_key(&app, &token, &["read"]).await;
    assert_eq!(v3(&app, "/api/v3/health", &key).await, json!([]));
    let logs = app.data_dir.path().join("logs");
    std::fs::remove_dir_all(&logs).unwrap();
    std::fs::write(&logs, b"a file where the folder should be").unwrap();
    let issues = v3(&app, "/api/v3/health", &key).await;
    let [issue] = issues.as_array().unwrap().as_slice() else {
        panic!("one issue: {issues}");
    };
    assert_eq!(
        (&issue["source"], &issue["type"]),
        (&json!("FolderCheck"), &json!("warning"))
    );
    assert!(
        issue["message"].as_str().unwrap().contains("logs"),
        "{issue}"
    );
}
