//! The browser UI: the pages `/`, `/login`, `/setup`, `/queue` and their files under
//! `/static/*`, all taken from `web/` and embedded into the binary at build time (a debug
//! build reads them from the source folder, so a changed file shows on reload).
//!
//! The pages are public (API.md section 1): they hold no data, and their scripts ask
//! `GET /api/auth/status` where to go. Every answer here carries a Content-Security-Policy
//! without inline scripts or styles, `nosniff` and frame denial ([`UiHeaders`]).

use poem::error::NotFoundError;
use poem::http::{HeaderValue, Method, StatusCode, header};
use poem::web::Path;
use poem::{Endpoint, EndpointExt, IntoResponse, Middleware, Request, Response, Result, handler};
use rust_embed::RustEmbed;

/// The UI's files: `src/adapters/http/web/`.
#[derive(RustEmbed)]
#[folder = "src/adapters/http/web/"]
struct Web;

/// The page routes and the HTML file each serves.
pub const PAGES: [(&str, &str); 4] = [
    ("/", "index.html"),
    ("/login", "login.html"),
    ("/setup", "setup.html"),
    ("/queue", "queue.html"),
];

/// Whether a path is a page or a static file of the UI (cheap, embedded answers that the
/// per-origin rate limit leaves alone: one page view loads a dozen of them).
pub fn is_ui_path(path: &str) -> bool {
    path.starts_with("/static/") || PAGES.iter().any(|(route, _)| *route == path)
}

/// One embedded file as an answer: its content type, an ETag, and revalidation on each use
/// (a new binary may bring new files under the same names).
fn embedded(name: &str, req: &Request) -> Result<Response> {
    let Some(file) = Web::get(name) else {
        return Err(NotFoundError.into());
    };
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..12]));
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag);
    let builder = Response::builder()
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, "no-cache");
    if fresh {
        return Ok(builder.status(StatusCode::NOT_MODIFIED).finish());
    }
    Ok(builder
        .header(header::CONTENT_TYPE, content_type(name))
        .body(file.data.into_owned()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The content type of a UI file, by its extension.
fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// `GET` of a page: the HTML file the route names.
#[handler]
pub fn page(req: &Request) -> Result<Response> {
    let path = req.uri().path();
    match PAGES.iter().find(|(route, _)| *route == path) {
        Some((_, file)) => embedded(file, req),
        None => Err(NotFoundError.into()),
    }
}

/// `GET /static/*path`: a file of `web/static/`. Only names the bundle holds are served, so
/// no path can leave it.
#[handler]
pub fn asset(Path(path): Path<String>, req: &Request) -> Result<Response> {
    // A debug build reads the bundle from disk: keep every name a plain relative path.
    let plain = path
        .split('/')
        .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'));
    if !plain {
        return Err(NotFoundError.into());
    }
    embedded(&format!("static/{path}"), req)
}

/// Answers `GET /` with the library page before the routes see it: the API service is
/// nested at `/` and would take that path for its own (and answer 404).
pub struct RootPage;

impl<E: Endpoint> Middleware<E> for RootPage {
    type Output = RootPageEndpoint<E>;
    fn transform(&self, inner: E) -> Self::Output {
        RootPageEndpoint(inner)
    }
}

/// See [`RootPage`].
pub struct RootPageEndpoint<E>(E);

impl<E: Endpoint> Endpoint for RootPageEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        if req.uri().path() == "/" && matches!(*req.method(), Method::GET | Method::HEAD) {
            return page.with(UiHeaders).call(req).await;
        }
        Ok(self.0.call(req).await?.into_response())
    }
}

/// The headers on every page and UI file.
pub struct UiHeaders;

impl<E: Endpoint> Middleware<E> for UiHeaders {
    type Output = UiHeadersEndpoint<E>;
    fn transform(&self, inner: E) -> Self::Output {
        UiHeadersEndpoint(inner)
    }
}

/// See [`UiHeaders`].
pub struct UiHeadersEndpoint<E>(E);

impl<E: Endpoint> Endpoint for UiHeadersEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        let csp = policy(req.headers().get(header::HOST));
        let mut response = self.0.call(req).await?.into_response();
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&csp) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
        Ok(response)
    }
}

/// The Content-Security-Policy: everything from this origin only, no inline code or style,
/// and the WebSocket on this host (older browsers do not count `ws:` as `'self'`).
fn policy(host: Option<&HeaderValue>) -> String {
    let host = host
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .map(|h| format!(" ws://{h} wss://{h}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'{host}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_file_is_in_the_bundle() {
        for (_, file) in PAGES {
            assert!(Web::get(file).is_some(), "{file}");
        }
    }

    #[test]
    fn pages_hold_no_inline_script_or_style() {
        for (_, file) in PAGES {
            let html = String::from_utf8(Web::get(file).unwrap().data.into_owned()).unwrap();
            assert!(!html.contains("style="), "{file} has a style attribute");
            assert!(!html.contains("<style"), "{file} has a style element");
            for script in html.split("<script").skip(1) {
                let (tag, rest) = script.split_once('>').unwrap();
                assert!(tag.contains("src="), "{file}: inline script");
                assert!(rest.starts_with("</script>"), "{file}: script with a body");
            }
            let handler = html.split(" on").skip(1).any(|rest| {
                let name: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
                !name.is_empty() && rest[name.len()..].starts_with('=')
            });
            assert!(!handler, "{file}: inline event handler");
        }
    }

    #[test]
    fn the_policy_allows_the_websocket_of_a_plain_host_only() {
        let host = HeaderValue::from_static("127.0.0.1:8000");
        assert!(policy(Some(&host)).contains("connect-src 'self' ws://127.0.0.1:8000 wss://"));
        let odd = HeaderValue::from_static("evil; script-src *");
        assert!(policy(Some(&odd)).contains("connect-src 'self';"));
    }

    #[test]
    fn ui_paths_are_the_pages_and_static_files() {
        assert!(is_ui_path("/") && is_ui_path("/queue") && is_ui_path("/static/app.css"));
        assert!(!is_ui_path("/api/queue") && !is_ui_path("/queue/x"));
    }
}
