//! CORS (issue 11): a foreign origin's preflight is refused and no answer lets a foreign page
//! read it, until the origin is listed in `security.allowed_origins` (applied live). Clients
//! that send no Origin, or the server's own pages, are not affected.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, assert_error, spawn_app};

const DASH: &str = "https://dash.example:8443";

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(Method::OPTIONS, format!("{}/api/config", app.base))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "PUT")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap()
}

async fn get_from(app: &TestApp, origin: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = app
        .client
        .get(format!("{}/api/config", app.base))
        .header("Origin", origin);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

fn allow_origin(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn foreign_origins_are_denied_until_listed_and_then_allowed_live() {
    let app = spawn_app().await;
    let token = app.login().await;

    let r = preflight(&app, DASH).await;
    assert_eq!(allow_origin(&r), None);
    let body = assert_error(r, 403, "AUTHORIZATION_ERROR").await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("security.allowed_origins")
    );
    let r = get_from(&app, DASH, Some(&token)).await;
    assert_eq!(
        r.status(),
        200,
        "a client that is no browser still gets its answer"
    );
    assert_eq!(
        allow_origin(&r),
        None,
        "but a browser may not show it to the foreign page"
    );

    // The server's own pages are same-origin: nothing to allow.
    let own = app.base.clone();
    let r = preflight(&app, &own).await;
    assert_ne!(r.status(), 403);

    let r = app
        .request(
            Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "security": { "allowed_origins": [DASH] } })),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = preflight(&app, DASH).await;
    assert_eq!(r.status(), 204);
    assert_eq!(allow_origin(&r).as_deref(), Some(DASH));
    let methods = r.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap();
    assert!(
        methods.contains("PUT") && methods.contains("PATCH"),
        "{methods}"
    );
    let headers = r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap();
    assert!(headers.contains("Authorization"), "{headers}");
    let r = get_from(&app, DASH, Some(&token)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(allow_origin(&r).as_deref(), Some(DASH));
    assert_eq!(r.headers()["vary"], "Origin");
    let r = get_from(&app, DASH, None).await;
    assert_eq!(
        allow_origin(&r).as_deref(),
        Some(DASH),
        "errors are readable too"
    );
    assert_error(r, 401, "AUTHENTICATION_ERROR").await;
    let r = preflight(&app, "https://other.example").await;
    assert_error(r, 403, "AUTHORIZATION_ERROR").await;
}

#[tokio::test]
async fn an_allowed_origin_must_be_an_origin() {
    let app = spawn_app().await;
    let token = app.login().await;
    for bad in [
        json!(["*"]),
        json!(["dash.example"]),
        json!(["https://a.example/app"]),
        json!("https://a.example"),
    ] {
        let r = app
            .request(
                Method::PUT,
                "/api/config",
                Some(&token),
                Some(json!({ "security": { "allowed_origins": bad } })),
            )
            .await;
        assert_error(r, 422, "VALIDATION_ERROR").await;
    }
}
