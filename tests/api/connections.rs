//! Connections (INTEGRATIONS.md section 5) through the real server, each kind against a fake
//! receiver on loopback: the Test in each kind's documented shape, secrets never shown, bad
//! settings refused by name; a completed download told once to every connection that wants it
//! (a webhook in Sonarr's shape, Jellyfin's media update and Plex's section refresh with the
//! paths mapped), an event not chosen sending nothing; a receiver refusing twice, then taking
//! the message once, across a restart.

use std::time::Duration;

use chrono::Duration as Span;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};
use crate::queue::{command, enqueue, ids, queue_app, wait_for_item};
use crate::support::eventually::eventually;
use crate::support::receiver::{Received, Receiver};

async fn make(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post("/api/connections", Some(token), body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

async fn test_it(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    app.post(
        &format!("/api/connections/{id}/test"),
        Some(token),
        json!({}),
    )
    .await
}

/// Waits until the receiver has `n` requests; answers them.
async fn received(receiver: &Receiver, n: usize) -> Vec<Received> {
    eventually(
        Duration::from_secs(10),
        &format!("{n} requests"),
        async || {
            let got = receiver.received();
            (got.len() >= n).then_some(got)
        },
    )
    .await
}

#[tokio::test]
async fn each_kinds_test_reaches_its_receiver_in_its_documented_shape_and_secrets_stay_hidden() {
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    let r = Receiver::spawn().await;
    let u = &r.url;
    let kinds = [
        (
            "webhook",
            json!({ "url": format!("{u}/hook"), "username": "me", "password": "pw" }),
        ),
        (
            "ntfy",
            json!({ "server": u, "topic": "anime", "token": "tk", "priority": 4 }),
        ),
        (
            "discord",
            json!({ "webhook_url": format!("{u}/api/webhooks/1/x") }),
        ),
        ("apprise", json!({ "server": u, "key": "home" })),
        (
            "telegram",
            json!({ "bot_token": "123:abc", "chat_id": "42", "api_base": u }),
        ),
        ("gotify", json!({ "server": u, "token": "gt" })),
        ("jellyfin", json!({ "server": u, "api_key": "jf" })),
        ("plex", json!({ "server": u, "token": "px" })),
    ];
    for (n, (kind, settings)) in kinds.iter().enumerate() {
        let made = make(
            &app,
            &token,
            json!({ "name": kind, "kind": kind, "events": ["download"], "settings": settings }),
        )
        .await;
        let id = made["id"].as_str().unwrap();
        let shown = made.to_string();
        for secret in [
            "\"pw\"",
            "\"tk\"",
            "api/webhooks/1/x",
            "123:abc",
            "\"gt\"",
            "\"jf\"",
            "\"px\"",
        ] {
            assert!(!shown.contains(secret), "{secret} shown: {shown}");
        }
        let t = test_it(&app, &token, id).await;
        assert_eq!(t.status(), 200, "{kind}: {}", t.text().await.unwrap());
        let got = received(&r, n + 1).await;
        let last = got.last().unwrap();
        match *kind {
            "webhook" => {
                assert_eq!((last.method.as_str(), last.uri.as_str()), ("POST", "/hook"));
                assert_eq!(last.json()["eventType"], "Test");
                assert!(last.header("authorization").unwrap().starts_with("Basic "));
            }
            "ntfy" => {
                assert_eq!(last.uri, "/anime");
                assert_eq!(last.header("title"), Some("Test from aniworld"));
                assert_eq!(last.header("priority"), Some("4"));
                assert_eq!(last.header("authorization"), Some("Bearer tk"));
                assert_eq!(last.body, "This connection works.");
            }
            "discord" => {
                assert_eq!(last.uri, "/api/webhooks/1/x");
                assert_eq!(last.json()["embeds"][0]["title"], "Test from aniworld");
            }
            "apprise" => {
                assert_eq!(last.uri, "/notify/home");
                assert_eq!(last.json()["type"], "info");
            }
            "telegram" => {
                assert_eq!(last.uri, "/bot123:abc/sendMessage");
                assert_eq!(last.json()["chat_id"], "42");
                assert_eq!(last.json()["parse_mode"], "HTML");
            }
            "gotify" => {
                assert_eq!(last.uri, "/message");
                assert_eq!(last.header("x-gotify-key"), Some("gt"));
            }
            "jellyfin" => {
                assert_eq!(
                    (last.method.as_str(), last.uri.as_str()),
                    ("GET", "/System/Info")
                );
                assert_eq!(last.header("x-mediabrowser-token"), Some("jf"));
            }
            _ => assert_eq!(last.uri, "/library/sections?X-Plex-Token=px"),
        }
        let info: Value = app
            .get(&format!("/api/connections/{id}"), Some(&token))
            .await
            .json()
            .await
            .unwrap();
        assert!(info["last_sent_at"].is_string(), "{info}");
    }
    let listed: Value = app
        .get("/api/connections", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), kinds.len());
    assert!(!listed.to_string().contains("123:abc"));

    // a remote that cannot be reached: the reason, without the secret in its URL
    let gone = json!({ "name": "Gone", "kind": "telegram",
        "settings": { "bot_token": "999:secret", "chat_id": "1", "api_base": "http://127.0.0.1:9" } });
    let made = make(&app, &token, gone).await;
    let t = test_it(&app, &token, made["id"].as_str().unwrap()).await;
    let body = assert_error(t, 502, "UPSTREAM_ERROR").await;
    assert!(!body.to_string().contains("999:secret"), "{body}");
    let listed: Value = app
        .get("/api/connections", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert!(!listed.to_string().contains("999:secret"), "{listed}");
}

#[tokio::test]
async fn bad_settings_are_refused_by_name_and_a_refusing_remote_is_a_502_naming_its_answer() {
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    for (body, field) in [
        (
            json!({ "name": "x", "kind": "pager", "settings": {} }),
            "kind",
        ),
        (
            json!({ "name": "x", "kind": "webhook", "settings": {} }),
            "settings.url",
        ),
        (
            json!({ "name": "x", "kind": "ntfy", "settings": { "server": "nope", "topic": "t" } }),
            "settings.server",
        ),
        (
            json!({ "name": "x", "kind": "gotify", "events": ["downloads"], "settings": { "server": "http://h", "token": "t" } }),
            "events",
        ),
        (
            json!({ "name": "", "kind": "apprise", "settings": { "server": "http://h", "key": "k" } }),
            "name",
        ),
    ] {
        let r = app
            .post("/api/connections", Some(&token), body.clone())
            .await;
        let error = assert_error(r, 422, "VALIDATION_ERROR").await;
        assert_eq!(error["details"]["field"], field, "{body}: {error}");
    }
    let listed: Value = app
        .get("/api/connections", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([]), "nothing made");

    let r = Receiver::spawn().await;
    r.answer(&[401]);
    let made = make(&app, &token, json!({ "name": "Gotify", "kind": "gotify", "settings": { "server": r.url, "token": "t" } })).await;
    let id = made["id"].as_str().unwrap();
    let error = assert_error(test_it(&app, &token, id).await, 502, "UPSTREAM_ERROR").await;
    assert!(
        error["message"].as_str().unwrap().contains("401"),
        "{error}"
    );
    let info: Value = app
        .get(&format!("/api/connections/{id}"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        info["last_error"].as_str().unwrap().contains("401"),
        "{info}"
    );

    // a secret sent back hidden is kept; another is taken
    let mut change = json!({ "name": "Gotify 2", "kind": "gotify", "settings": info["settings"] });
    let r2 = app
        .request(
            Method::PUT,
            &format!("/api/connections/{id}"),
            Some(&token),
            Some(change.clone()),
        )
        .await;
    assert_eq!(r2.status(), 200);
    assert_eq!(test_it(&app, &token, id).await.status(), 200);
    assert_eq!(
        r.received().last().unwrap().header("x-gotify-key"),
        Some("t")
    );
    change["settings"]["token"] = json!("t2");
    app.request(
        Method::PUT,
        &format!("/api/connections/{id}"),
        Some(&token),
        Some(change),
    )
    .await;
    test_it(&app, &token, id).await;
    assert_eq!(
        r.received().last().unwrap().header("x-gotify-key"),
        Some("t2")
    );
    let r3 = app
        .request(
            Method::DELETE,
            &format!("/api/connections/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r3.status(), 204);
    assert_error(test_it(&app, &token, id).await, 404, "NOT_FOUND_ERROR").await;
}

#[tokio::test]
async fn a_download_is_told_once_to_each_connection_that_wants_it_with_paths_mapped() {
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    let anime = app.anime_path().canonicalize().unwrap();
    let anime = anime.to_str().unwrap();
    let hook = Receiver::spawn().await;
    let jellyfin = Receiver::spawn().await;
    let plex = Receiver::spawn().await;
    let grabs = Receiver::spawn().await;
    let mapping = json!([{ "from": anime, "to": "/media/anime" }]);
    make(&app, &token, json!({ "name": "Hook", "kind": "webhook", "events": ["download"], "settings": { "url": format!("{}/h", hook.url) } })).await;
    make(&app, &token, json!({ "name": "Jellyfin", "kind": "jellyfin", "events": ["download"], "settings": { "server": jellyfin.url, "api_key": "k", "path_mappings": mapping } })).await;
    make(&app, &token, json!({ "name": "Plex", "kind": "plex", "events": ["download"], "settings": { "server": plex.url, "token": "p", "path_mappings": mapping } })).await;
    make(&app, &token, json!({ "name": "Off", "kind": "ntfy", "enabled": false, "events": ["download", "grab"], "settings": { "server": grabs.url, "topic": "t" } })).await;
    command(&app, &token, "start").await;
    let id = ids(&enqueue(&app, &token, "attack-on-titan", &[(2, 4)], "HIGH").await).remove(0);
    let done = wait_for_item(&app, &token, &id, "completed").await;
    let file = done["file"].as_str().unwrap();
    // media servers gather a series folder's downloads for a few seconds
    app.clock.advance(Span::seconds(4));

    let sent = received(&hook, 1).await;
    let payload = sent[0].json();
    assert_eq!(payload["eventType"], "Download");
    assert_eq!(payload["series"]["title"], "Attack on Titan");
    assert_eq!(payload["series"]["titleSlug"], "attack-on-titan");
    assert_eq!(payload["episodes"][0]["seasonNumber"], 2);
    assert_eq!(payload["episodes"][0]["episodeNumber"], 4);
    assert_eq!(payload["episodeFile"]["path"], format!("{anime}/{file}"));
    assert_eq!(payload["downloadId"], id);
    assert_eq!(payload["isUpgrade"], false);

    let jf = received(&jellyfin, 1).await;
    assert_eq!(jf[0].uri, "/Library/Media/Updated");
    assert_eq!(
        jf[0].json()["Updates"][0]["Path"],
        format!("/media/anime/{file}")
    );
    assert_eq!(jf[0].json()["Updates"][0]["UpdateType"], "Created");
    let px = received(&plex, 2).await;
    let folder = file.split('/').next().unwrap();
    let refresh = &px[1].uri;
    assert!(
        refresh.starts_with("/library/sections/2/refresh?path="),
        "{refresh}"
    );
    let path: String = url::form_urlencoded::parse(refresh.split_once('?').unwrap().1.as_bytes())
        .find(|(k, _)| k == "path")
        .unwrap()
        .1
        .into_owned();
    assert_eq!(path, format!("/media/anime/{folder}"));

    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(hook.received().len(), 1, "once");
    assert_eq!(jellyfin.received().len(), 1, "once");
    assert!(
        grabs.received().is_empty(),
        "a disabled connection is told nothing"
    );
}

#[tokio::test]
async fn a_message_refused_twice_is_taken_once_and_a_restart_between_loses_nothing() {
    let (app, _site, token) = queue_app(&["Vidoza"]).await;
    let hook = Receiver::spawn().await;
    hook.answer(&[500, 500]);
    let made = make(&app, &token, json!({ "name": "Hook", "kind": "webhook", "events": ["grab"], "settings": { "url": format!("{}/h", hook.url) } })).await;
    let id = made["id"].as_str().unwrap().to_owned();
    let item = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 1)], "LOW").await).remove(0);
    received(&hook, 1).await;
    let info: Value = app
        .get(&format!("/api/connections/{id}"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        info["last_error"].as_str().unwrap().starts_with("500"),
        "{info}"
    );
    app.clock.advance(Span::seconds(11));
    received(&hook, 2).await;

    let app = app.restart().await;
    let token = app.token().await;
    app.clock.advance(Span::seconds(21));
    let all = received(&hook, 3).await;
    assert!(
        all.iter()
            .all(|r| r.json()["downloadId"] == item && r.json()["eventType"] == "Grab")
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(hook.received().len(), 3, "taken once, not sent again");
    let info: Value = app
        .get(&format!("/api/connections/{id}"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        info["last_error"].is_null() && info["last_sent_at"].is_string(),
        "{info}"
    );
}
