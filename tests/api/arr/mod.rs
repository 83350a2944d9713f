//! Sonarr's protocols through the real server and the fake site (INTEGRATIONS.md sections 2
//! and 3): Torznab answers read as Sonarr reads them, and the qBittorrent API driven as Sonarr
//! drives it. The real clients (`qbittorrent-api`, `pyarr`) run in `tests/arr/run.sh`.

mod qbittorrent;
mod torznab;

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::library::library_app;
use crate::support::fake_site::FakeSite;

/// A server on the standard fake site with its anime directory set, a session token, and a
/// `download` key (`(id, secret)`).
pub async fn arr_app() -> (TestApp, FakeSite, String, (String, String)) {
    let (app, site, token) = library_app().await;
    let key = make_key(&app, &token, "Sonarr", &["download"]).await;
    (app, site, token, key)
}

/// Makes an API key; answers its id and secret.
pub async fn make_key(app: &TestApp, token: &str, name: &str, scopes: &[&str]) -> (String, String) {
    let r = app
        .post(
            "/api/keys",
            Some(token),
            json!({ "name": name, "scopes": scopes }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let body: Value = r.json().await.unwrap();
    (
        body["id"].as_str().unwrap().to_owned(),
        body["key"].as_str().unwrap().to_owned(),
    )
}

/// Revokes a key (it stops working at once).
pub async fn revoke(app: &TestApp, token: &str, id: &str) {
    let path = format!("/api/keys/{id}");
    let r = app
        .request(reqwest::Method::DELETE, &path, Some(token), None)
        .await;
    assert_eq!(r.status(), 204);
}

/// One Torznab item, as Sonarr's `TorznabRssParser` reads it.
#[derive(Debug, Clone)]
pub struct Item {
    pub title: String,
    pub guid: String,
    pub pub_date: chrono::DateTime<chrono::FixedOffset>,
    pub size: u64,
    pub magnet: String,
    pub infohash: String,
    pub language: String,
}

/// Torznab's answer: status, content type and body.
pub async fn torznab(app: &TestApp, query: &str) -> (u16, String, String) {
    let r = app.get(&format!("/torznab/api?{query}"), None).await;
    let status = r.status().as_u16();
    let content_type = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, r.text().await.unwrap())
}

/// The items of an RSS answer, each checked as Sonarr checks them: a `pubDate` it can parse
/// (it rejects a feed without), an enclosure of the magnet type, at least one seeder (it
/// drops items below its minimum of 1), and the `infohash` attribute equal to the magnet's.
pub fn sonarr_reads(rss: &str) -> Vec<Item> {
    let mut reader = Reader::from_str(rss);
    let mut items = Vec::new();
    let mut current: Option<Vec<(String, String)>> = None;
    let mut text_of = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == b"item" => current = Some(Vec::new()),
            Event::End(e) if e.name().as_ref() == b"item" => {
                items.push(item(&current.take().unwrap()));
            }
            Event::Start(_) => text_of.clear(),
            Event::Text(t) => text_of.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = String::from_utf8(r.to_vec()).unwrap();
                text_of.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    _ => "'",
                });
            }
            Event::End(e) => {
                if let Some(fields) = current.as_mut() {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    fields.push((name, std::mem::take(&mut text_of)));
                }
            }
            Event::Empty(e) => {
                if let Some(fields) = current.as_mut() {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    let attrs: Vec<(String, String)> = e
                        .attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (
                                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                                a.unescape_value().unwrap().into_owned(),
                            )
                        })
                        .collect();
                    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                    match name.as_str() {
                        "torznab:attr" => fields.push((
                            format!("attr:{}", get("name").unwrap()),
                            get("value").unwrap(),
                        )),
                        "enclosure" => {
                            fields.push(("enclosure:url".into(), get("url").unwrap()));
                            fields.push(("enclosure:type".into(), get("type").unwrap()));
                        }
                        _ => {}
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    items
}

fn item(fields: &[(String, String)]) -> Item {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("the item has no {k}: {fields:?}"))
    };
    let pub_date = chrono::DateTime::parse_from_rfc2822(&get("pubDate"))
        .unwrap_or_else(|e| panic!("pubDate is RFC 822: {e}"));
    let magnet = get("enclosure:url");
    assert_eq!(
        get("enclosure:type"),
        "application/x-bittorrent;x-scheme-handler/magnet"
    );
    assert_eq!(get("attr:magneturl"), magnet);
    let infohash = get("attr:infohash");
    assert!(
        magnet.starts_with(&format!("magnet:?xt=urn:btih:{infohash}&")),
        "the infohash is the magnet's: {magnet} / {infohash}"
    );
    assert_eq!(infohash.len(), 40);
    let seeders: u32 = get("attr:seeders").parse().unwrap();
    assert!(seeders >= 1, "Sonarr drops items without a seeder");
    assert!(get("attr:peers").parse::<u32>().unwrap() >= 1);
    assert_eq!(get("attr:downloadvolumefactor"), "0");
    let size: u64 = get("size").parse().unwrap();
    assert!(size > 0);
    assert_eq!(get("attr:size"), size.to_string());
    assert!(
        fields
            .iter()
            .any(|(n, v)| n == "attr:category" && v == "5070")
    );
    Item {
        title: get("title"),
        guid: get("guid"),
        pub_date,
        size,
        magnet,
        infohash,
        language: get("attr:language"),
    }
}

/// The `code` of a Torznab `<error code=... description=.../>`.
pub fn error_code(xml: &str) -> String {
    let start = xml.find("<error code=\"").expect("an error element") + "<error code=\"".len();
    xml[start..].split('"').next().unwrap().to_owned()
}
