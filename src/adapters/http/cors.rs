//! Cross-origin calls from browser pages (CORS). Only the server's own pages, and the
//! origins listed in `security.allowed_origins` (applied live), may call the API from a
//! browser: a preflight from any other origin is refused with 403, and no answer tells a
//! browser it may let another site read it. Requests without an `Origin` header (curl,
//! scripts, the *arr apps) are not affected; neither is the per-origin rate limit.
//!
//! A browser page of a foreign site cannot send the `Authorization` header or a JSON body
//! without a preflight, so refusing preflights is what keeps foreign pages out.

use std::sync::Arc;

use poem::http::{HeaderValue, Method, StatusCode, header};
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

use super::error::{ApiError, from_poem};
use crate::app::App;

/// How long a browser may keep a preflight's answer.
const MAX_AGE_SECONDS: &str = "600";

/// The CORS policy.
pub struct Cors;

impl<E: Endpoint> Middleware<E> for Cors {
    type Output = CorsEndpoint<E>;
    fn transform(&self, inner: E) -> Self::Output {
        CorsEndpoint(inner)
    }
}

/// See [`Cors`].
pub struct CorsEndpoint<E>(E);

/// Whether `origin` is the server itself, as the request reached it.
fn same_origin(origin: &str, host: Option<&str>) -> bool {
    let Some(host) = host else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/').eq_ignore_ascii_case(host))
}

fn allowed(req: &Request, origin: &str) -> bool {
    let origin = origin.trim_end_matches('/');
    req.data::<Arc<App>>().is_some_and(|app| {
        app.config
            .current()
            .security
            .allowed_origins
            .iter()
            .any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(origin))
    })
}

fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

impl<E: Endpoint> Endpoint for CorsEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        let origin = req.header(header::ORIGIN).map(str::to_owned);
        let foreign = origin
            .as_deref()
            .filter(|o| !same_origin(o, req.header(header::HOST)));
        let Some(origin) = foreign else {
            return Ok(self.0.call(req).await?.into_response());
        };
        let ok = allowed(&req, origin);
        let preflight = req.method() == Method::OPTIONS
            && req.header(header::ACCESS_CONTROL_REQUEST_METHOD).is_some();
        if preflight {
            if !ok {
                return Err(ApiError::forbidden(format!(
                    "origin {} may not call this API; add it to security.allowed_origins",
                    origin.chars().take(200).collect::<String>()
                ))
                .into());
            }
            let mut response = StatusCode::NO_CONTENT.into_response();
            set(&mut response, header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            set(
                &mut response,
                header::ACCESS_CONTROL_ALLOW_METHODS,
                "GET, POST, PUT, PATCH, DELETE, OPTIONS",
            );
            set(
                &mut response,
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "Authorization, Content-Type",
            );
            set(
                &mut response,
                header::ACCESS_CONTROL_MAX_AGE,
                MAX_AGE_SECONDS,
            );
            set(&mut response, header::VARY, "Origin");
            return Ok(response);
        }
        let origin = origin.to_owned();
        let mut response = match self.0.call(req).await {
            Ok(output) => output.into_response(),
            Err(e) => from_poem(e).into_response(),
        };
        if ok {
            set(&mut response, header::ACCESS_CONTROL_ALLOW_ORIGIN, &origin);
            set(
                &mut response,
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                "X-Request-Id, Retry-After, X-Search-Warnings",
            );
            set(&mut response, header::VARY, "Origin");
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_own_origin_is_the_host_it_was_reached_at() {
        assert!(same_origin("http://127.0.0.1:8000", Some("127.0.0.1:8000")));
        assert!(same_origin("https://anime.lan", Some("anime.lan")));
        assert!(!same_origin("http://evil.example", Some("127.0.0.1:8000")));
        assert!(!same_origin(
            "http://127.0.0.1:8001",
            Some("127.0.0.1:8000")
        ));
        assert!(!same_origin("null", Some("127.0.0.1:8000")));
        assert!(!same_origin("http://a", None));
    }
}
