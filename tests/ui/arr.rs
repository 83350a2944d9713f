//! Sonarr in the UI: the settings' panel (a section loaded when opened, `/#settings/arr`)
//! shows this server's Torznab URL, the qBittorrent client's host and port, the `arr` folder
//! (which it changes, the section staying open) and a Homepage service; an
//! episode Sonarr added through the qBittorrent API shows in the queue with a "Sonarr" badge
//! and its release title.

use reqwest::Method;
use serde_json::json;

use crate::browser;
use crate::layout::call;
use crate::scenery::{PASSWORD, dr_stone_site};
use crate::server::spawn_server;

#[tokio::test]
async fn the_settings_show_how_to_add_the_product_to_sonarr_and_its_downloads_show_in_the_queue() {
    if !crate::browser::available() {
        return;
    }
    let site = dr_stone_site().await;
    let server = spawn_server(site.base_url()).await;
    let dir = server.anime_dir.path().to_str().unwrap().to_owned();
    let setup = json!({ "master_password": PASSWORD, "anime_directory": dir });
    call(&server, Method::POST, "/api/auth/setup", None, setup).await;
    let login = call(
        &server,
        Method::POST,
        "/api/auth/login",
        None,
        json!({ "password": PASSWORD }),
    )
    .await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    let made = json!({ "name": "Sonarr", "scopes": ["download"] });
    let key = call(&server, Method::POST, "/api/keys", Some(&token), made).await["key"]
        .as_str()
        .unwrap()
        .to_owned();

    // Sonarr: a search on the indexer, the release's magnet to the download client
    let http = reqwest::Client::new();
    let rss = http
        .get(server.url(&format!(
            "/torznab/api?t=tvsearch&q=Dr.+Stone&season=1&ep=1&apikey={key}"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = rss.find("url=\"magnet:").expect("a magnet in the feed") + 5;
    let magnet = rss[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let login = http
        .post(server.url("/api/v2/auth/login"))
        .form(&[("username", "sonarr"), ("password", key.as_str())])
        .send()
        .await
        .unwrap();
    let sid = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let added = http
        .post(server.url("/api/v2/torrents/add"))
        .header("Cookie", sid)
        .form(&[("urls", magnet.as_str()), ("category", "tv-sonarr")])
        .send()
        .await
        .unwrap();
    assert_eq!(added.text().await.unwrap(), "Ok.");

    let b = browser::open(1280, 800).await;
    b.goto(&server.url("/login")).await;
    b.type_into("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.until_path("/").await;

    // the queue: the item, badged as Sonarr's, with its release title
    b.goto(&server.url("/queue")).await;
    let release = "Dr.Stone.S01E01.German.DL.WEB.h264-ANIWORLD";
    let badge = b
        .until(
            "the Sonarr badge",
            "const e = document.querySelector('li.item .badge.origin.arr'); return !!e && [e.innerText, e.title, e.closest('li').innerText]",
        )
        .await;
    assert_eq!(badge[0], "Sonarr");
    assert_eq!(badge[1], format!("Added by Sonarr: {release}"));
    assert!(badge[2].as_str().unwrap().contains(release), "{badge}");

    // the settings: this server's addresses, the folder, Homepage
    b.goto(&server.url("/#settings/arr")).await;
    b.until(
        "the Sonarr panel",
        "return document.getElementById('settings-arr')?.dataset.ready === 'arr'",
    )
    .await;
    assert_eq!(
        b.text("#settings-arr summary").await,
        "Sonarr, Prowlarr and dashboards"
    );
    assert_eq!(b.text("#arr-torznab-url").await, server.url("/torznab"));
    assert_eq!(b.text("#arr-torznab-path").await, "/api");
    assert_eq!(b.text("#arr-qbit-host").await, "127.0.0.1");
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    assert_eq!(b.text("#arr-qbit-port").await, port);
    let data_dir = server.data_dir.path().canonicalize().unwrap();
    let folder = format!("{}/arr-downloads", data_dir.display());
    assert_eq!(b.text("#arr-folder").await, folder);
    let homepage = b.text("#arr-homepage").await;
    assert!(
        homepage.contains("type: sonarr") && homepage.contains(&format!("url: {}", server.base)),
        "{homepage}"
    );

    let elsewhere = server.anime_dir.path().join("for-sonarr");
    let elsewhere = elsewhere.to_str().unwrap();
    b.type_into("#arr-path", elsewhere).await;
    b.click("#arr-path-save").await;
    b.until_text("#arr-folder", elsewhere).await;
    let open = b
        .js("return document.getElementById('settings-arr').open")
        .await;
    assert_eq!(open, json!(true), "the section stays open");
    let config = call(
        &server,
        Method::GET,
        "/api/config",
        Some(&token),
        json!(null),
    )
    .await;
    assert_eq!(config["downloads"]["arr_path"], elsewhere);
    b.screenshot("arr-settings").await;
}
