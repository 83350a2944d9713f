//! API.md section 11 and CONTRACT.md section 6: the login lockout, the login/setup rate limit
//! and the per-origin rate limit.

use serde_json::json;

use crate::helpers::{PASSWORD, TestOptions, assert_error, spawn_app, spawn_app_with};

#[tokio::test]
async fn five_failed_logins_lock_login_even_for_the_right_password_across_a_restart() {
    let app = spawn_app().await;
    let setup = app
        .post(
            "/api/auth/setup",
            None,
            json!({ "master_password": PASSWORD }),
        )
        .await;
    assert_eq!(setup.status(), 201);
    for _ in 0..4 {
        assert_error(
            app.post("/api/auth/login", None, json!({ "password": "Wr0ng!pass" }))
                .await,
            401,
            "AUTHENTICATION_ERROR",
        )
        .await;
    }
    // The rate limiter (5 a minute) is spent now; it lives in memory, the failure count in the
    // database, so a restart isolates the lockout.
    let app = app.restart().await;
    let fifth = app
        .post("/api/auth/login", None, json!({ "password": "Wr0ng!pass" }))
        .await;
    let body = assert_error(fifth, 429, "RATE_LIMIT_ERROR").await;
    assert_eq!(
        body["detail"],
        "Too many authentication attempts, try again later"
    );
    let right = app
        .post("/api/auth/login", None, json!({ "password": PASSWORD }))
        .await;
    let retry: u64 = right.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=300).contains(&retry), "Retry-After {retry}");
    assert_error(right, 429, "RATE_LIMIT_ERROR").await;
    app.clock.advance(chrono::Duration::minutes(5));
    assert_eq!(
        app.post("/api/auth/login", None, json!({ "password": PASSWORD }))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_sixth_login_within_a_minute_is_rate_limited() {
    let app = spawn_app().await;
    app.login().await; // one login of the five (setup has a limit of its own)
    for _ in 0..4 {
        assert_eq!(
            app.post("/api/auth/login", None, json!({ "password": PASSWORD }))
                .await
                .status(),
            200
        );
    }
    let r = app
        .post("/api/auth/login", None, json!({ "password": PASSWORD }))
        .await;
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body = assert_error(r, 429, "RATE_LIMIT_ERROR").await;
    assert_eq!(
        body["detail"],
        "Too many authentication attempts, try again later"
    );
}

#[tokio::test]
async fn mistyped_setups_do_not_use_up_the_logins_of_a_new_user() {
    let app = spawn_app().await;
    for weak in ["short", "alllowercase1!", "NoDigits!!"] {
        let r = app
            .post("/api/auth/setup", None, json!({ "master_password": weak }))
            .await;
        assert_eq!(r.status(), 400, "{weak} is refused as weak");
    }
    let r = app
        .post(
            "/api/auth/setup",
            None,
            json!({ "master_password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), 201);
    for _ in 0..2 {
        let r = app
            .post("/api/auth/login", None, json!({ "password": "Wr0ng!pass" }))
            .await;
        assert_eq!(r.status(), 401);
    }
    let r = app
        .post("/api/auth/login", None, json!({ "password": PASSWORD }))
        .await;
    assert_eq!(
        r.status(),
        200,
        "five setups and two logins: the right login still works"
    );
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn made_up_origins_from_one_address_share_its_limit() {
    let app = spawn_app_with(TestOptions {
        rate_limit: 10,
        ..Default::default()
    })
    .await;
    let get = |origin: String| {
        let req = app
            .client
            .get(format!("{}/health", app.base))
            .header("Origin", origin);
        async move { req.send().await.unwrap() }
    };
    for n in 0..10 {
        let r = get(format!("http://made-up-{n}.example")).await;
        assert_eq!(r.status(), 200, "request {n}");
    }
    let r = get("http://made-up-10.example".to_owned()).await;
    assert!(r.headers().contains_key("retry-after"));
    let body = assert_error(r, 429, "RATE_LIMIT_ERROR").await;
    assert_eq!(
        body["detail"], "Too many requests from this address, try again later",
        "{body}"
    );
}

#[tokio::test]
async fn one_origin_is_limited_across_the_addresses_behind_a_proxy() {
    let app = spawn_app_with(TestOptions {
        rate_limit: 10,
        ..Default::default()
    })
    .await;
    let token = app.login().await;
    let proxies = json!({ "security": { "trusted_proxies": ["127.0.0.0/8", "::1"] } });
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(&token),
            Some(proxies),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let get = |client: String| {
        let req = app
            .client
            .get(format!("{}/health", app.base))
            .header("Origin", "http://a.example")
            .header("X-Forwarded-For", client);
        async move { req.send().await.unwrap() }
    };
    for n in 0..10 {
        let r = get(format!("203.0.113.{n}")).await;
        assert_eq!(r.status(), 200, "client {n}");
    }
    let r = get("203.0.113.99".to_owned()).await;
    assert!(r.headers().contains_key("retry-after"));
    let body = assert_error(r, 429, "RATE_LIMIT_ERROR").await;
    assert_eq!(
        body["detail"], "Too many requests from this origin, try again later",
        "{body}"
    );
}

/// A login as the client at `forwarded` says it is, through `X-Forwarded-For`.
async fn login_as(app: &crate::helpers::TestApp, forwarded: &str) -> u16 {
    app.client
        .post(format!("{}/api/auth/login", app.base))
        .header("X-Forwarded-For", forwarded)
        .json(&json!({ "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn x_forwarded_for_is_believed_only_from_a_configured_proxy() {
    let app = spawn_app().await;
    let token = app.login().await; // one login of the five
    // Not configured: the header is anyone's to write, so it changes nothing.
    for n in 0..4 {
        assert_eq!(login_as(&app, &format!("198.51.100.{n}")).await, 200);
    }
    assert_eq!(
        login_as(&app, "198.51.100.99").await,
        429,
        "one limit for all"
    );

    // The server sits behind a proxy on loopback: each client behind it has its own limit.
    let app = app.restart().await;
    let token = {
        let _ = token;
        app.token().await
    };
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "security": { "trusted_proxies": ["127.0.0.0/8", "::1"] } })),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    for _ in 0..5 {
        assert_eq!(login_as(&app, "203.0.113.1").await, 200);
    }
    assert_eq!(
        login_as(&app, "203.0.113.1").await,
        429,
        "that client's limit"
    );
    assert_eq!(
        login_as(&app, "203.0.113.2").await,
        200,
        "another client behind the proxy"
    );
    // A client cannot escape its limit by writing an address in front of the proxy's.
    assert_eq!(login_as(&app, "6.6.6.6, 203.0.113.1").await, 429);
}
