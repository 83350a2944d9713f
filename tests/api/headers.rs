//! The security headers on every answer: pages, files, JSON, errors, the API documentation
//! and the OpenAPI document.

use reqwest::Response;
use serde_json::json;

use crate::helpers::spawn_app;

/// The headers every answer must carry, whatever its route; `what` names it in failures.
fn assert_secure(r: &Response, what: &str) {
    let header = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{what}: no {name} header"))
    };
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    let csp = header("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(
        ["no-referrer", "same-origin"].contains(&header("referrer-policy").as_str()),
        "{what}"
    );
}

#[tokio::test]
async fn every_kind_of_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    let token = app.login().await;
    let mut answers = Vec::new();
    for path in [
        "/",
        "/login",
        "/queue",
        "/static/app.css",
        "/static/missing.js",
        "/health",
        "/health/detailed",
        "/api/openapi.json",
        "/api/docs",
        "/api/redoc",
        "/api/anime",
        "/api/no-such-route",
    ] {
        answers.push((format!("GET {path}"), app.get(path, None).await));
    }
    answers.push((
        "GET /api/queue/status with a token".into(),
        app.get("/api/queue/status", Some(&token)).await,
    ));
    answers.push((
        "GET /api/queue/status without one".into(),
        app.get("/api/queue/status", None).await,
    ));
    answers.push((
        "POST /api/queue/add, broken JSON".into(),
        app.client
            .post(format!("{}/api/queue/add", app.base))
            .bearer_auth(&token)
            .header("Content-Type", "application/json")
            .body("{")
            .send()
            .await
            .unwrap(),
    ));
    answers.push((
        "POST /api/auth/login, wrong password".into(),
        app.post("/api/auth/login", None, json!({ "password": "wrong" }))
            .await,
    ));
    for (what, r) in &answers {
        assert_secure(r, what);
    }
    let statuses: Vec<u16> = answers.iter().map(|(_, r)| r.status().as_u16()).collect();
    assert!(
        [200, 400, 401, 404].iter().all(|s| statuses.contains(s)),
        "successes and errors both checked: {statuses:?}"
    );

    // JSON may load nothing and is never cached; the UI keeps its own stricter policy.
    let (_, json_answer) = &answers[answers.len() - 4];
    let csp = json_answer.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert_eq!(json_answer.headers()["cache-control"], "no-store");
    let page = app.get("/", None).await;
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'"),
        "the UI's own policy: {csp}"
    );
    // The documentation's bundles run inline: their policy allows scripts, not framing.
    let docs = app.get("/api/docs", None).await;
    let csp = docs.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains("default-src 'none'"), "{csp}");
    assert!(
        docs.text().await.unwrap().contains("swagger"),
        "Swagger UI served"
    );
}
