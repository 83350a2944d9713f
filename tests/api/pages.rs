//! The browser UI's pages and files as HTTP answers: public, embedded, with their content
//! types and the security headers, outside the per-origin rate limit and the OpenAPI document.

use crate::helpers::{TestOptions, assert_error, spawn_app, spawn_app_with};

#[tokio::test]
async fn the_pages_are_public_html_with_a_strict_content_security_policy() {
    let app = spawn_app().await;
    for (path, title) in [
        ("/", "Library"),
        ("/login", "Log in"),
        ("/setup", "Set up"),
        ("/queue", "Queue"),
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status(), 200, "{path}");
        let headers = r.headers().clone();
        let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(
            header("content-type").as_deref(),
            Some("text/html; charset=utf-8")
        );
        let csp = header("content-security-policy").expect("a CSP");
        for part in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
        let html = r.text().await.unwrap();
        assert!(html.contains(&format!("<title>{title}")), "{path}: {html}");
    }
}

#[tokio::test]
async fn static_files_have_their_content_types_and_nothing_outside_the_bundle_is_served() {
    let app = spawn_app().await;
    for (path, ty) in [
        ("/static/app.css", "text/css; charset=utf-8"),
        ("/static/js/api.js", "text/javascript; charset=utf-8"),
        ("/static/icon.svg", "image/svg+xml"),
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["content-type"], ty);
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        let etag = r.headers()["etag"].to_str().unwrap().to_owned();
        let again = app
            .client
            .get(format!("{}{path}", app.base))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path} revalidates");
    }
    for path in [
        "/static/missing.js",
        "/static/../Cargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/index.html",
    ] {
        assert_error(app.get(path, None).await, 404, "NOT_FOUND_ERROR").await;
    }
    let doc = app
        .get("/api/openapi.json", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !doc.contains("\"/static") && !doc.contains("\"/queue\""),
        "pages stay out of the API document"
    );
}

#[tokio::test]
async fn loading_pages_does_not_use_up_the_per_origin_rate_limit() {
    let app = spawn_app_with(TestOptions {
        rate_limit: 3,
        ..TestOptions::default()
    })
    .await;
    for _ in 0..10 {
        assert_eq!(app.get("/queue", None).await.status(), 200);
        assert_eq!(app.get("/static/app.css", None).await.status(), 200);
    }
    for _ in 0..3 {
        assert_eq!(app.get("/api/auth/status", None).await.status(), 200);
    }
    assert_error(
        app.get("/api/auth/status", None).await,
        429,
        "RATE_LIMIT_ERROR",
    )
    .await;
}
