//! API keys (INTEGRATIONS.md section 1) through the real server: made with a session token
//! (the secret shown once), listed without secrets, accepted as `X-Api-Key`, `?apikey=` and
//! `Authorization: Bearer`; a key's scopes decide what it may do (403 beyond them); a revoked
//! or expired key is refused at once (401); only a digest of the secret is kept on disk.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, spawn_app};

/// Makes a key with `scopes`; answers its id and secret.
async fn make(app: &TestApp, token: &str, name: &str, scopes: &[&str]) -> (String, String) {
    let r = app
        .post(
            "/api/keys",
            Some(token),
            json!({ "name": name, "scopes": scopes }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let body: Value = r.json().await.unwrap();
    let secret = body["key"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32, "{body}");
    assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()), "{body}");
    assert_eq!(body["name"], name);
    assert_eq!(body["scopes"], json!(scopes));
    (body["id"].as_str().unwrap().to_owned(), secret)
}

/// A request with the key in the `X-Api-Key` header.
async fn with_header(
    app: &TestApp,
    method: Method,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> Response {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.base))
        .header("X-Api-Key", key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_read_key_reads_by_each_of_the_three_ways_and_may_not_change_anything() {
    let app = spawn_app().await;
    let token = app.login().await;
    let (_, key) = make(&app, &token, "Homepage", &["read"]).await;

    let r = with_header(&app, Method::GET, "/api/anime", &key, None).await;
    assert_eq!(r.status(), 200);
    assert!(r.json::<Value>().await.unwrap().is_array());
    let r = app
        .get(&format!("/api/queue/status?apikey={key}"), None)
        .await;
    assert_eq!(r.status(), 200);
    let status: Value = r.json().await.unwrap();
    assert!(status["statistics"].is_object(), "{status}");
    let r = app.get("/api/anime/status", Some(&key)).await;
    assert_eq!(r.status(), 200, "as a bearer token");

    let r = with_header(
        &app,
        Method::PUT,
        "/api/config",
        &key,
        Some(json!({ "name": "Changed" })),
    )
    .await;
    let body = assert_error(r, 403, "AUTHORIZATION_ERROR").await;
    assert!(
        body["message"].as_str().unwrap().contains("(read)"),
        "{body}"
    );
    assert_error(
        app.get("/api/config", Some(&key)).await,
        403,
        "AUTHORIZATION_ERROR",
    )
    .await;
    let r = app
        .post(
            "/api/keys",
            Some(&key),
            json!({ "name": "x", "scopes": ["admin"] }),
        )
        .await;
    assert_error(r, 403, "AUTHORIZATION_ERROR").await;
    let config: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(config["name"], "Aniworld", "nothing changed");

    assert_error(
        with_header(
            &app,
            Method::GET,
            "/api/anime",
            "0123456789abcdef0123456789abcdef",
            None,
        )
        .await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
    assert_error(
        app.get("/api/anime", None).await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
}

#[tokio::test]
async fn an_admin_key_may_do_what_a_session_may_and_a_revoked_key_stops_at_once() {
    let app = spawn_app().await;
    let token = app.login().await;
    let (id, admin) = make(&app, &token, "Sonarr", &["admin"]).await;
    let r = with_header(
        &app,
        Method::PUT,
        "/api/config",
        &admin,
        Some(json!({ "name": "By key" })),
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    app.clock.advance(chrono::Duration::seconds(1));
    let (other, _) = make(&app, &admin, "Prowlarr", &["read", "download"]).await;

    let listed: Value = app
        .get("/api/keys", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        (listed[0]["id"].as_str(), listed[0]["name"].as_str()),
        (Some(id.as_str()), Some("Sonarr"))
    );
    assert_eq!(listed[1]["scopes"], json!(["read", "download"]));
    assert!(
        listed.iter().all(|k| k.get("key").is_none()),
        "no secret is listed"
    );
    assert!(listed[0]["last_used_at"].is_string(), "{}", listed[0]);

    let r = app
        .request(
            Method::DELETE,
            &format!("/api/keys/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_error(
        app.get("/api/anime", Some(&admin)).await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/keys/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_error(r, 404, "NOT_FOUND_ERROR").await;
    let listed: Value = app
        .get("/api/keys", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap()[0]["id"], other.as_str());
}

#[tokio::test]
async fn keys_outlive_a_restart_as_digests_and_expire_on_time() {
    let app = spawn_app().await;
    let token = app.login().await;
    let expires = app.clock_now() + chrono::Duration::hours(1);
    let r = app
        .post(
            "/api/keys",
            Some(&token),
            json!({ "name": "Tautulli", "scopes": ["read"], "expires_at": expires }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let secret = r.json::<Value>().await.unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let app = app.restart().await;
    assert_eq!(app.get("/api/anime", Some(&secret)).await.status(), 200);
    let db = std::fs::read(app.data_dir.path().join("aniworld.redb")).unwrap();
    let kept = |needle: &[u8]| db.windows(needle.len()).any(|w| w == needle);
    assert!(!kept(secret.as_bytes()), "the secret is not kept");
    assert!(kept(b"Tautulli"));
    app.clock.advance(chrono::Duration::hours(2));
    assert_error(
        app.get("/api/anime", Some(&secret)).await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
}

#[tokio::test]
async fn a_bad_key_request_is_a_422_naming_the_field_and_keys_need_a_session_or_admin() {
    let app = spawn_app().await;
    let token = app.login().await;
    for (body, field) in [
        (json!({ "name": "x", "scopes": ["write"] }), "scopes"),
        (json!({ "name": "x", "scopes": [] }), "scopes"),
        (json!({ "name": " ", "scopes": ["read"] }), "name"),
        (
            json!({ "name": "x", "scopes": ["read"], "expires_at": "2001-01-01T00:00:00Z" }),
            "expires_at",
        ),
    ] {
        let r = app.post("/api/keys", Some(&token), body.clone()).await;
        let error = assert_error(r, 422, "VALIDATION_ERROR").await;
        assert_eq!(error["details"]["field"], field, "{body}: {error}");
    }
    assert_error(
        app.get("/api/keys", None).await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
    let listed: Value = app
        .get("/api/keys", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([]), "nothing was made");
}

#[tokio::test]
async fn unknown_keys_count_toward_the_login_lockout_and_a_valid_key_still_works() {
    let app = spawn_app().await;
    let token = app.login().await;
    let (_, key) = make(&app, &token, "Homepage", &["read"]).await;
    let wrong = "ffffffffffffffffffffffffffffffff";
    for _ in 0..4 {
        let r = with_header(&app, Method::GET, "/api/anime", wrong, None).await;
        assert_error(r, 401, "AUTHENTICATION_ERROR").await;
    }
    let r = with_header(&app, Method::GET, "/api/anime", wrong, None).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let body = assert_error(r, 429, "RATE_LIMIT_ERROR").await;
    assert!(body["detail"].is_string(), "{body}");
    // The same counter as the password's: a login from this client waits too.
    let r = app
        .post(
            "/api/auth/login",
            None,
            json!({ "password": crate::helpers::PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), 429);
    let r = with_header(&app, Method::GET, "/api/anime", &key, None).await;
    assert_eq!(
        r.status(),
        200,
        "a program that knows its key is not held up"
    );
    app.clock.advance(chrono::Duration::minutes(6));
    assert_eq!(app.get("/api/anime", Some(&token)).await.status(), 200);
}

#[tokio::test]
async fn an_expired_session_token_is_a_401_that_never_locks_its_user_out() {
    let app = spawn_app().await;
    let token = app.login().await;
    let r = app
        .request(Method::POST, "/api/auth/logout", Some(&token), None)
        .await;
    assert_eq!(r.status(), 200);
    for _ in 0..8 {
        let r = app.get("/api/anime", Some(&token)).await;
        assert_error(r, 401, "AUTHENTICATION_ERROR").await;
    }
    assert_eq!(
        app.post(
            "/api/auth/login",
            None,
            json!({ "password": crate::helpers::PASSWORD })
        )
        .await
        .status(),
        200
    );
}
