//! Middleware around every route:
//! - [`Frame`] (outermost): gives each request an id (the `X-Request-Id` header on every
//!   response), turns every error and panic into the API.md error body, and logs one line per
//!   request at DEBUG with method, path, status, latency and request id (never the query
//!   string, which can carry a token). It also gives every response the security headers a
//!   route has not set itself ([`security_headers`]).
//! - [`BodyGuard`]: bodies over 1 MiB get 413, syntactically broken JSON gets 400, and a body
//!   sent without a content type (or as curl's default form type, when it is JSON) is taken
//!   as JSON.

use std::panic::AssertUnwindSafe;
use std::time::Instant;

use futures_util::FutureExt;
use poem::http::{HeaderValue, Method, header};
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

use super::error::{ApiError, REQUEST_ID, from_poem};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Request id, error mapping, panic catching and the access log.
pub struct Frame;

impl<E: Endpoint> Middleware<E> for Frame {
    type Output = FrameEndpoint<E>;
    fn transform(&self, inner: E) -> Self::Output {
        FrameEndpoint(inner)
    }
}

/// See [`Frame`].
pub struct FrameEndpoint<E>(E);

impl<E: Endpoint> Endpoint for FrameEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        let started = Instant::now();
        let id = uuid::Uuid::new_v4().to_string();
        let (method, path) = (req.method().clone(), req.uri().path().to_owned());
        let mut response = REQUEST_ID
            .scope(id.clone(), async {
                let outcome = AssertUnwindSafe(self.0.call(req)).catch_unwind().await;
                match outcome {
                    Ok(Ok(output)) => output.into_response(),
                    Ok(Err(err)) => from_poem(err).into_response(),
                    Err(_) => ApiError::internal("a handler panicked").into_response(),
                }
            })
            .await;
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert("X-Request-Id", value);
        }
        security_headers(&path, response.headers_mut());
        let status = response.status().as_u16();
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        // One line per request is noise at INFO (a minute of load is megabytes of it): the
        // access log is a DEBUG matter; failures are logged where they happen.
        tracing::debug!(target: "aniworld::access", %method, %path, status, latency_ms, request_id = %id, "request");
        Ok(response)
    }
}

/// The headers every answer carries unless its route set its own (the UI's pages set a
/// stricter policy for their scripts): no content sniffing, no framing, no referrer, and a
/// Content-Security-Policy. The API documentation pages (Swagger UI, ReDoc) run inline
/// scripts of their bundles, so theirs only forbids framing, plugins and a foreign `<base>`;
/// everything else (JSON, errors, the OpenAPI document) may load nothing at all. API answers
/// may carry a token or the library: no cache keeps them.
fn security_headers(path: &str, headers: &mut poem::http::HeaderMap) {
    let docs = path.starts_with("/api/docs") || path.starts_with("/api/redoc");
    let csp = if docs {
        "frame-ancestors 'none'; object-src 'none'; base-uri 'self'"
    } else {
        "default-src 'none'; frame-ancestors 'none'"
    };
    let defaults = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, csp),
    ];
    for (name, value) in defaults {
        headers
            .entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    }
    if path.starts_with("/api/") && !docs {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert_with(|| HeaderValue::from_static("no-store"));
    }
}

/// Body size limit and JSON syntax check.
pub struct BodyGuard;

impl<E: Endpoint> Middleware<E> for BodyGuard {
    type Output = BodyGuardEndpoint<E>;
    fn transform(&self, inner: E) -> Self::Output {
        BodyGuardEndpoint(inner)
    }
}

/// See [`BodyGuard`].
pub struct BodyGuardEndpoint<E>(E);

impl<E: Endpoint> Endpoint for BodyGuardEndpoint<E> {
    type Output = E::Output;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
            return self.0.call(req).await;
        }
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
            return Err(ApiError::payload_too_large(MAX_BODY_BYTES).into());
        }
        let bytes = req
            .take_body()
            .into_bytes_limit(MAX_BODY_BYTES)
            .await
            .map_err(|e| match e {
                poem::error::ReadBodyError::PayloadTooLarge => {
                    ApiError::payload_too_large(MAX_BODY_BYTES)
                }
                other => ApiError::bad_request(format!("Could not read the request body: {other}")),
            })?;
        if !bytes.is_empty() {
            let content_type = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok());
            // `curl -d '{...}'` sends JSON labelled as a form; take it for what it is.
            let json_as_form = content_type
                .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"))
                && bytes
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .is_some_and(|b| matches!(b, b'{' | b'['));
            match content_type {
                _ if json_as_form => {
                    req.headers_mut().insert(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                    check_json(&bytes)?;
                }
                None => {
                    req.headers_mut().insert(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                    check_json(&bytes)?;
                }
                Some(ct) if ct.to_ascii_lowercase().contains("json") => check_json(&bytes)?,
                Some(_) => {}
            }
        }
        req.set_body(bytes);
        self.0.call(req).await
    }
}

fn check_json(bytes: &[u8]) -> Result<(), ApiError> {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
        .map(|_| ())
        .map_err(|e| {
            ApiError::bad_request("Malformed JSON in request body")
                .with_details(serde_json::json!({ "line": e.line(), "column": e.column(), "reason": e.to_string() }))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::test::TestClient;
    use poem::{EndpointExt, Route, handler};

    #[handler]
    fn boom() -> &'static str {
        panic!("handler bug")
    }

    #[tokio::test]
    async fn a_panicking_handler_becomes_a_500_with_the_error_body() {
        let client = TestClient::new(Route::new().at("/boom", boom).with(Frame));
        let response = client.get("/boom").send().await;
        response.assert_status(poem::http::StatusCode::INTERNAL_SERVER_ERROR);
        let id = response
            .0
            .headers()
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let body: serde_json::Value = response.0.into_body().into_json().await.unwrap();
        assert_eq!(body["error"], "INTERNAL_ERROR");
        assert_eq!(body["request_id"], id.as_str());
        assert!(
            !body["message"].as_str().unwrap().contains("handler bug"),
            "the cause stays in the log"
        );
    }
}
