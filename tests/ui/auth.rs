//! Login and logout in the browser: a wrong password shows the API's message, "remember me"
//! picks the storage, logout revokes the token and returns to /login, and a page behind the
//! login sends a visitor without a token there.

use serde_json::{Value, json};

use crate::browser;
use crate::scenery::{PASSWORD, page_token};
use crate::server::spawn_server;

async fn setup(base: &str) {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/auth/setup"))
        .json(&json!({ "master_password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn a_wrong_password_shows_the_error_and_logout_returns_to_login() {
    if !crate::browser::available() {
        return;
    }
    // no catalogue is needed: nothing listens on port 9
    let server = spawn_server("http://127.0.0.1:9").await;
    setup(&server.base).await;
    let b = browser::open(1280, 800).await;

    // a configured server without a token: / and /queue lead to /login
    b.goto(&server.url("/queue")).await;
    b.until_path("/login").await;
    assert_eq!(
        b.js("return location.search").await,
        json!("?next=%2Fqueue")
    );
    b.screenshot("login-1280x800").await;

    b.type_into("#password", "Wr0ng!pass").await;
    b.click("#login-submit").await;
    b.until_text("#login-error", "Invalid credentials").await;
    assert_eq!(
        b.js("return document.getElementById('login-error').hidden")
            .await,
        json!(false)
    );
    assert_eq!(b.js("return location.pathname").await, json!("/login"));
    b.screenshot("login-error-1280x800").await;

    // remember me: the token goes to localStorage; back to where the user wanted to go
    b.type_into("#password", PASSWORD).await;
    b.click("#remember").await;
    b.click("#login-submit").await;
    b.until_path("/queue").await;
    b.until(
        "the queue",
        "return document.body.dataset.ready === 'queue'",
    )
    .await;
    let stored = b.js("return [!!localStorage.getItem('aniworld.token'), !!sessionStorage.getItem('aniworld.token')]").await;
    assert_eq!(stored, json!([true, false]));
    let token = page_token(&b).await;

    b.click("#logout").await;
    b.until_path("/login").await;
    let stored = b.js("return [localStorage.getItem('aniworld.token'), sessionStorage.getItem('aniworld.token')]").await;
    assert_eq!(
        stored,
        json!([null, null]),
        "the token is gone from the browser"
    );
    let r = reqwest::Client::new()
        .get(server.url("/api/queue/status"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "and revoked on the server");

    // a stale token in storage: the API's 401 leads to /login too
    b.js_with(
        "localStorage.setItem('aniworld.token', JSON.stringify({ access_token: arguments[0] })); return true",
        vec![Value::String(token)],
    )
    .await;
    b.goto(&server.url("/#settings")).await;
    b.until_path("/login").await;
    assert_eq!(
        b.js("return localStorage.getItem('aniworld.token')").await,
        Value::Null
    );
}
