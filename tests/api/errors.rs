//! API.md section 10 and CONTRACT.md section 6: one error body for every failure.

use serde_json::json;

use crate::helpers::{assert_error, spawn_app};

#[tokio::test]
async fn an_unknown_route_is_404_with_the_error_body() {
    let app = spawn_app().await;
    let body = assert_error(
        app.get("/api/nothing-here", None).await,
        404,
        "NOT_FOUND_ERROR",
    )
    .await;
    assert!(
        body.get("detail").is_none(),
        "only a 429 carries `detail`: {body}"
    );
    assert_error(
        app.get("/totally/unknown", None).await,
        404,
        "NOT_FOUND_ERROR",
    )
    .await;
}

#[tokio::test]
async fn a_wrong_method_is_405_with_the_error_body() {
    let app = spawn_app().await;
    assert_error(
        app.request(reqwest::Method::DELETE, "/health", None, None)
            .await,
        405,
        "METHOD_NOT_ALLOWED",
    )
    .await;
}

#[tokio::test]
async fn malformed_json_is_400_and_a_wrong_shape_is_422() {
    let app = spawn_app().await;
    let send = |body: &'static str| {
        app.client
            .post(format!("{}/api/auth/login", app.base))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let body = assert_error(send("{\"password\": ").await.unwrap(), 400, "BAD_REQUEST").await;
    assert!(body["message"].as_str().unwrap().contains("Malformed JSON"));
    assert_error(
        send("{\"password\": {\"nested\": 1}}").await.unwrap(),
        422,
        "VALIDATION_ERROR",
    )
    .await;
    assert_error(send("{}").await.unwrap(), 422, "VALIDATION_ERROR").await;
    assert_error(
        app.client
            .post(format!("{}/api/auth/login", app.base))
            .send()
            .await
            .unwrap(),
        422,
        "VALIDATION_ERROR",
    )
    .await;
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413() {
    let app = spawn_app().await;
    let big = format!("{{\"password\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let r = app
        .client
        .post(format!("{}/api/auth/login", app.base))
        .header("Content-Type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_error(r, 413, "PAYLOAD_TOO_LARGE").await;
    // Just under the limit is read (and then refused for its content, not its size).
    let fits = format!("{{\"password\": \"{}\"}}", "x".repeat(1000));
    let r = app
        .client
        .post(format!("{}/api/auth/login", app.base))
        .header("Content-Type", "application/json")
        .body(fits)
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 413);
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_413_too() {
    let app = spawn_app().await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..20).map(|_| Ok(vec![b' '; 64 * 1024])).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let r = app
        .client
        .post(format!("{}/api/auth/login", app.base))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_error(r, 413, "PAYLOAD_TOO_LARGE").await;
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let a = app.get("/health", None).await;
    let b = app.get("/health", None).await;
    let (a, b) = (
        a.headers()["x-request-id"].clone(),
        b.headers()["x-request-id"].clone(),
    );
    assert_ne!(a, b);
    assert_eq!(a.len(), 36);
}

#[tokio::test]
async fn curl_style_json_sent_as_a_form_is_read_as_json() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(format!("{}/api/auth/setup", app.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(json!({ "master_password": crate::helpers::PASSWORD }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}
