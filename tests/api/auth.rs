//! API.md section 2: setup, login, logout, status and what makes a token valid.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_error, spawn_app};

#[tokio::test]
async fn setup_then_login_gives_a_token_that_opens_protected_routes() {
    let app = spawn_app().await;
    let status: Value = app
        .get("/api/auth/status", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        status,
        json!({ "configured": false, "authenticated": false })
    );

    let r = app
        .post(
            "/api/auth/setup",
            None,
            json!({ "master_password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({ "status": "ok" }));

    let r = app
        .post("/api/auth/login", None, json!({ "password": PASSWORD }))
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    let token = body["access_token"].as_str().unwrap();
    let expires: chrono::DateTime<chrono::Utc> =
        body["expires_at"].as_str().unwrap().parse().unwrap();
    let hours = (expires - app.clock_now()).num_minutes() as f64 / 60.0;
    assert!(
        (23.9..=24.1).contains(&hours),
        "a plain login lasts 24 h, got {hours}"
    );

    let status: Value = app
        .get("/api/auth/status", Some(token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status, json!({ "configured": true, "authenticated": true }));
    assert_eq!(app.get("/api/config", Some(token)).await.status(), 200);
}

#[tokio::test]
async fn remember_me_gives_a_thirty_day_token() {
    let app = spawn_app().await;
    app.login().await;
    let body: Value = app
        .post(
            "/api/auth/login",
            None,
            json!({ "password": PASSWORD, "remember": true }),
        )
        .await
        .json()
        .await
        .unwrap();
    let expires: chrono::DateTime<chrono::Utc> =
        body["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!((expires - app.clock_now()).num_days(), 30);
}

#[tokio::test]
async fn the_token_carries_exp_iat_and_jti() {
    let app = spawn_app().await;
    let token = app.login().await;
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
    assert_eq!(claims["jti"].as_str().unwrap().len(), 36);
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "HS256");
}

#[tokio::test]
async fn setup_refuses_a_second_call_and_a_weak_password() {
    let app = spawn_app().await;
    let body = assert_error(
        app.post(
            "/api/auth/setup",
            None,
            json!({ "master_password": "password" }),
        )
        .await,
        400,
        "BAD_REQUEST",
    )
    .await;
    assert!(
        body["details"]["master_password"]
            .to_string()
            .contains("upper-case"),
        "{body}"
    );
    assert_eq!(
        app.get("/api/auth/status", None)
            .await
            .json::<Value>()
            .await
            .unwrap()["configured"],
        false
    );
    app.login().await;
    assert_error(
        app.post(
            "/api/auth/setup",
            None,
            json!({ "master_password": "An0ther!pass" }),
        )
        .await,
        400,
        "BAD_REQUEST",
    )
    .await;
    // The first password still works.
    app.token().await;
}

#[tokio::test]
async fn setup_stores_the_anime_directory() {
    let app = spawn_app().await;
    let dir = app.anime_path();
    let r = app
        .post(
            "/api/auth/setup",
            None,
            json!({ "master_password": PASSWORD, "anime_directory": dir }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let token = app.token().await;
    let config: Value = app
        .get("/api/config", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(config["anime_directory"], json!(dir));
}

#[tokio::test]
async fn a_wrong_password_is_401_and_login_before_setup_is_400() {
    let app = spawn_app().await;
    assert_error(
        app.post("/api/auth/login", None, json!({ "password": PASSWORD }))
            .await,
        400,
        "BAD_REQUEST",
    )
    .await;
    app.login().await;
    assert_error(
        app.post("/api/auth/login", None, json!({ "password": "Wr0ng!pass" }))
            .await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
}

#[tokio::test]
async fn a_logged_out_token_is_refused_even_after_a_restart() {
    let app = spawn_app().await;
    let token = app.login().await;
    let r = app.post("/api/auth/logout", Some(&token), json!({})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({ "status": "ok", "message": "Logged out successfully" })
    );
    assert_error(
        app.get("/api/config", Some(&token)).await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
    let app = app.restart().await;
    assert_error(
        app.get("/api/config", Some(&token)).await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
    // A new login still works after the restart.
    let fresh = app.token().await;
    assert_eq!(app.get("/api/config", Some(&fresh)).await.status(), 200);
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = spawn_app().await;
    let token = app.login().await;
    app.clock
        .advance(chrono::Duration::hours(24) + chrono::Duration::seconds(1));
    assert_error(
        app.get("/api/config", Some(&token)).await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
}

#[tokio::test]
async fn forged_and_malformed_tokens_are_refused() {
    let app = spawn_app().await;
    let token = app.login().await;
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();

    // Signed with another key.
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    let other = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"not-the-secret"),
    )
    .unwrap();
    // `alg: none` with no signature.
    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let alg_none = format!("{none_header}.{}.", parts[1]);
    // Claims changed under the original signature.
    let mut longer = claims.clone();
    longer["exp"] = json!(claims["exp"].as_i64().unwrap() + 1_000_000);
    parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&longer).unwrap());
    let tampered = parts.join(".");

    for bad in [
        other.as_str(),
        alg_none.as_str(),
        tampered.as_str(),
        "not-a-jwt",
        "a.b.c",
        "",
    ] {
        assert_error(
            app.get("/api/config", Some(bad)).await,
            401,
            "AUTHENTICATION_ERROR",
        )
        .await;
    }
    let r = app
        .client
        .get(format!("{}/api/config", app.base))
        .header("Authorization", format!("Basic {token}"))
        .send()
        .await
        .unwrap();
    assert_error(r, 401, "AUTHENTICATION_ERROR").await;
    assert_error(
        app.get("/api/config", None).await,
        401,
        "AUTHENTICATION_ERROR",
    )
    .await;
}
