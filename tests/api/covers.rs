//! Covers and metadata files (INTEGRATIONS.md section 7) through the real server and the fake
//! site: a series' cover fetched once as a page's image and served by the product (its own
//! Content-Type, ETag, 304), the series answers naming it with the page's metadata, a new
//! cover on the page fetched again; with `metadata.nfo` on, `tvshow.nfo` and `poster.jpg`
//! beside the episodes, never over a file the product did not write.

use std::fs;
use std::path::Path;
use std::time::Duration;

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Value, json};

use crate::feed::scheduled_run;
use crate::helpers::{TestApp, assert_error};
use crate::library::{add, library_app};
use crate::support::eventually::eventually;
use crate::support::fake_site::{FakeSite, cover_bytes};

const AOT_FOLDER: &str = "Attack on Titan (2013)";

/// The fake site's cover path of a series.
fn cover_path(site: &FakeSite, key: &str) -> String {
    site.series(key).unwrap().metadata.cover.unwrap()
}

async fn get_json(app: &TestApp, path: &str) -> Value {
    let r = app.get(path, None).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// Every refresh reads the series pages again (no catalogue cache).
async fn no_catalogue_cache(app: &TestApp, token: &str, site: &FakeSite) {
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(token),
            Some(json!({ "provider": { "cache_minutes": 0 }, "scheduler": { "enabled": false } })),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // The new-episodes page cannot be read: each scheduled run refreshes every series.
    site.status("/neue-episoden", 500);
}

async fn set_nfo(app: &TestApp, token: &str, on: bool) {
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(token),
            Some(json!({ "metadata": { "nfo": on } })),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// Waits for `file` to exist and answers its bytes.
async fn file_appears(file: &Path) -> Vec<u8> {
    let what = format!("{} to be written", file.display());
    eventually(Duration::from_secs(10), &what, async || fs::read(file).ok()).await
}

#[tokio::test]
async fn a_series_cover_is_fetched_once_as_an_image_and_served_from_here() {
    let (app, site, token) = library_app().await;
    let added = add(&app, &site, &token, "attack-on-titan").await;
    let path = cover_path(&site, "attack-on-titan");
    let url = added["cover"].as_str().expect("the add answers the cover");
    assert!(
        url.starts_with("/api/anime/attack-on-titan/cover?v="),
        "{url}"
    );

    // Served from here, byte for byte the site's, as the image it is.
    let r = app.get(url, None).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(r.bytes().await.unwrap(), cover_bytes(&path));
    let again = app
        .client
        .get(format!("{}{url}", app.base))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // Asked as a page's image is, once.
    let headers = site.last_headers(&path).expect("the cover was asked for");
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("sec-fetch-dest").as_deref(), Some("image"));
    assert!(header("accept").unwrap().starts_with("image/"));
    assert!(
        header("referer")
            .unwrap()
            .contains("/anime/stream/attack-on-titan")
    );

    // Every series answer names it; the detail shows the page's metadata.
    let detail = get_json(&app, "/api/anime/attack-on-titan").await;
    assert_eq!(detail["cover"], url);
    assert_eq!(detail["year"], 2013);
    assert_eq!(detail["last_year"], 2023);
    assert_eq!(detail["fsk"], 16);
    assert_eq!(detail["imdb"], "tt2560140");
    assert_eq!(
        detail["genres"],
        json!(["Action", "Drama", "Fantasy", "Horror & Gore"])
    );
    let list = app.get("/api/anime", Some(&token)).await;
    let list: Value = list.json().await.unwrap();
    assert_eq!(list[0]["cover"], url, "{list}");
    let found = get_json(&app, "/api/anime/search?query=attack").await;
    let hits = found.as_array().unwrap().clone();
    let hit = |key: &str| hits.iter().find(|h| h["key"] == key).unwrap().clone();
    assert_eq!(hit("attack-on-titan")["cover"], url);
    assert_eq!(hit("attack-on-titan-junior-high")["cover"], Value::Null);

    // A refresh of every series does not fetch it again.
    no_catalogue_cache(&app, &token, &site).await;
    let pages = site.requests("/anime/stream/attack-on-titan");
    scheduled_run(&app, &token).await;
    scheduled_run(&app, &token).await;
    assert_eq!(site.requests("/anime/stream/attack-on-titan"), pages + 2);
    assert_eq!(site.requests(&path), 1);
}

#[tokio::test]
async fn a_new_cover_on_the_page_is_fetched_again_and_a_series_without_one_has_none() {
    let (app, site, token) = library_app().await;
    let first = add(&app, &site, &token, "attack-on-titan").await["cover"].clone();
    let none = add(&app, &site, &token, "jojos-bizarre-adventure").await;
    assert_eq!(none["cover"], Value::Null);
    let r = app
        .get("/api/anime/jojos-bizarre-adventure/cover", None)
        .await;
    assert_error(r, 404, "NOT_FOUND_ERROR").await;
    let r = app.get("/api/anime/no-such-series/cover", None).await;
    assert_error(r, 404, "NOT_FOUND_ERROR").await;

    let new_path = "/public/img/cover/attack-on-titan-new-cover_220x330.png";
    site.edit_series("attack-on-titan", |s| {
        s.metadata.cover = Some(new_path.into());
    });
    no_catalogue_cache(&app, &token, &site).await;
    scheduled_run(&app, &token).await;
    let now = eventually(Duration::from_secs(10), "the new cover", async || {
        let detail = get_json(&app, "/api/anime/attack-on-titan").await;
        (detail["cover"] != first).then_some(detail["cover"].clone())
    })
    .await;
    let r = app.get(now.as_str().unwrap(), None).await;
    assert_eq!(r.bytes().await.unwrap(), cover_bytes(new_path));
    assert_eq!(site.requests(new_path), 1);
}

#[tokio::test]
async fn with_nfo_on_the_folder_gets_an_nfo_and_the_poster_but_a_users_poster_stays() {
    let (app, site, token) = library_app().await;
    set_nfo(&app, &token, true).await;
    // The user's own poster, in the folder before the series is added.
    let folder = app.anime_path().join(AOT_FOLDER);
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("poster.jpg"), b"my own poster").unwrap();
    add(&app, &site, &token, "attack-on-titan").await;
    add(&app, &site, &token, "attack-on-titan-junior-high").await;

    let nfo = String::from_utf8(file_appears(&folder.join("tvshow.nfo")).await).unwrap();
    let fields = parse_nfo(&nfo);
    let field = |name: &str| {
        fields
            .iter()
            .filter(|(n, _, _)| n == name)
            .map(|(_, _, text)| text.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(field("title"), ["Attack on Titan"]);
    assert_eq!(field("year"), ["2013"]);
    assert_eq!(
        field("genre"),
        ["Action", "Drama", "Fantasy", "Horror & Gore"]
    );
    assert_eq!(field("mpaa"), ["FSK 16"]);
    assert!(field("plot")[0].starts_with("Eren & his friends"));
    let aniworld_id = fields.iter().find(|(n, attrs, _)| {
        n == "uniqueid" && attrs.contains(&("type".into(), "aniworld".into()))
    });
    assert_eq!(aniworld_id.unwrap().2, "attack-on-titan");

    // The other series' poster is the site's cover, byte for byte.
    let junior = find_folder(&app.anime_path(), "Junior High");
    let poster = file_appears(&junior.join("poster.jpg")).await;
    assert_eq!(
        poster,
        cover_bytes(&cover_path(&site, "attack-on-titan-junior-high"))
    );
    // The user's poster is left alone, and the sidecar knows only what the product wrote.
    assert_eq!(
        fs::read(folder.join("poster.jpg")).unwrap(),
        b"my own poster"
    );
    // the sidecar is written after the files
    let sidecar: Value = eventually(
        Duration::from_secs(10),
        "the sidecar's record",
        async || {
            let bytes = fs::read(folder.join("aniworld.json")).ok()?;
            let sidecar: Value = serde_json::from_slice(&bytes).ok()?;
            sidecar["metadata_files"]["tvshow.nfo"]
                .is_string()
                .then_some(sidecar)
        },
    )
    .await;
    assert!(
        sidecar["metadata_files"]["tvshow.nfo"].is_string(),
        "{sidecar}"
    );
    assert!(
        sidecar["metadata_files"].get("poster.jpg").is_none(),
        "{sidecar}"
    );
    let left: Vec<_> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn turning_nfo_on_writes_the_files_of_the_series_already_there_and_off_writes_none() {
    let (app, site, token) = library_app().await;
    add(&app, &site, &token, "attack-on-titan").await;
    let folder = app.anime_path().join(AOT_FOLDER);
    // Off (the default): nothing but the product's own sidecar beside the episodes.
    scheduled_run(&app, &token).await;
    assert!(!folder.join("tvshow.nfo").exists());
    assert!(!folder.join("poster.jpg").exists());

    set_nfo(&app, &token, true).await;
    let poster = file_appears(&folder.join("poster.jpg")).await;
    assert_eq!(poster, cover_bytes(&cover_path(&site, "attack-on-titan")));
    let nfo = file_appears(&folder.join("tvshow.nfo")).await;
    assert!(
        String::from_utf8(nfo)
            .unwrap()
            .contains("<title>Attack on Titan</title>")
    );
    // Fetched once, whatever wrote it.
    assert_eq!(site.requests(&cover_path(&site, "attack-on-titan")), 1);
}

/// The folder under `root` whose name contains `part`.
fn find_folder(root: &Path, part: &str) -> std::path::PathBuf {
    fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().contains(part))
        .unwrap_or_else(|| panic!("no folder with {part:?} under {}", root.display()))
}

/// An element's name, attributes and text.
type Element = (String, Vec<(String, String)>, String);

/// Every element of an NFO below its root with its attributes and text, parsed as XML (a
/// parse error fails the test).
fn parse_nfo(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    let mut out: Vec<Element> = Vec::new();
    let mut reading: Option<usize> = None;
    let mut root = None;
    loop {
        match reader.read_event().expect("the NFO is XML") {
            Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if root.is_none() {
                    root = Some(name);
                    continue;
                }
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            a.unescape_value().unwrap().into_owned(),
                        )
                    })
                    .collect();
                out.push((name, attrs, String::new()));
                reading = Some(out.len() - 1);
            }
            Event::Text(t) => {
                if let Some(i) = reading {
                    out[i].2.push_str(&t.decode().unwrap());
                }
            }
            Event::GeneralRef(r) => {
                // An entity inside a text (`&amp;`).
                let ch = match r.as_ref() {
                    b"amp" => "&",
                    b"lt" => "<",
                    b"gt" => ">",
                    b"quot" => "\"",
                    b"apos" => "'",
                    other => panic!("unknown entity {other:?}"),
                };
                if let Some(i) = reading {
                    out[i].2.push_str(ch);
                }
            }
            Event::End(_) => reading = None,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(root.as_deref(), Some("tvshow"));
    out
}
