//! An s.to series in the library: its key, folder and sidecar, its episodes from its season
//! pages with films and specials as season 0, and its site kept when the library is rebuilt
//! from disk.

use serde_json::{Value, json};

use super::{add_link, app_on, series, two_sites};

const GREYS: &str = "Grey's Anatomy (2005)";

#[tokio::test]
async fn an_sto_series_is_added_with_its_site_in_the_record_and_the_sidecar() {
    let site = two_sites().await;
    let (app, token) = app_on(&site, true).await;
    let added = add_link(&app, &token, &site.sto_url("/serie/greys-anatomy")).await;
    assert_eq!(added["key"], "sto:greys-anatomy");
    assert_eq!(added["folder"], GREYS);
    assert_eq!(
        added["missing_episodes"],
        json!(["0-1", "1-1", "1-2", "1-3", "2-1", "2-2", "2-4", "2-7"])
    );

    let sidecar: Value = serde_json::from_slice(
        &std::fs::read(app.anime_path().join(GREYS).join("aniworld.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(sidecar["site"], "s.to");
    assert_eq!(sidecar["key"], "sto:greys-anatomy");
    assert_eq!(sidecar["link"], site.sto_url("/serie/greys-anatomy"));

    let one = series(&app, "sto:greys-anatomy").await;
    assert_eq!(one["site"], "s.to");
    assert_eq!(one["title"], "Grey's Anatomy");

    // The same slug on aniworld.to is another series; the old link form is the same one.
    let aniworld = add_link(&app, &token, &site.url("/anime/stream/attack-on-titan")).await;
    assert_eq!(aniworld["key"], "attack-on-titan");
    let live = add_link(&app, &token, &site.sto_url("/serie/stream/attack-on-titan")).await;
    assert_eq!(live["key"], "sto:attack-on-titan");
    assert_eq!(series(&app, "attack-on-titan").await["site"], "aniworld.to");
    let r = app
        .post(
            "/api/anime/add",
            Some(&token),
            json!({ "link": site.sto_url("/serie/attack-on-titan/") }),
        )
        .await;
    assert_eq!(r.status(), 409, "{}", r.text().await.unwrap());
    let list: Value = app
        .get("/api/anime", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let mut sites: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap().to_owned(),
                s["site"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    sites.sort();
    assert_eq!(
        sites,
        [
            ("attack-on-titan".into(), "aniworld.to".into()),
            ("sto:attack-on-titan".into(), "s.to".into()),
            ("sto:greys-anatomy".into(), "s.to".into()),
        ]
    );
}

#[tokio::test]
async fn a_library_rebuilt_from_disk_keeps_each_series_site() {
    let site = two_sites().await;
    let (first, token) = app_on(&site, true).await;
    add_link(&first, &token, &site.sto_url("/serie/greys-anatomy")).await;
    add_link(&first, &token, &site.url("/anime/stream/attack-on-titan")).await;
    let aniworld_sidecar = std::fs::read(
        first
            .anime_path()
            .join("Attack on Titan (2013)")
            .join("aniworld.json"),
    )
    .unwrap();
    assert!(
        String::from_utf8_lossy(&aniworld_sidecar).contains("\"site\":\"aniworld.to\"")
            || String::from_utf8_lossy(&aniworld_sidecar).contains("\"site\": \"aniworld.to\""),
        "an aniworld.to sidecar keeps its form"
    );

    // A second server with an empty data dir: the database is gone, the folders remain.
    let (second, token2) = app_on(&site, true).await;
    let r = second
        .post(
            "/api/config/directory",
            Some(&token2),
            json!({ "directory": first.anime_path() }),
        )
        .await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["synced_series"], 2, "{body}");
    let greys = series(&second, "sto:greys-anatomy").await;
    assert_eq!(
        (greys["site"].as_str(), greys["folder"].as_str()),
        (Some("s.to"), Some(GREYS))
    );
    assert_eq!(greys["link"], site.sto_url("/serie/greys-anatomy"));
    let titan = series(&second, "attack-on-titan").await;
    assert_eq!(titan["site"], "aniworld.to");
}
