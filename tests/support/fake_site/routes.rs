//! The fake site's one endpoint: counts each request, applies the path's fault if any, and
//! otherwise answers from the catalogue model (pages, search, redirects, hosters, media).

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use poem::RequestBody;
use poem::http::{StatusCode, header};
use poem::web::Form;
use poem::{Body, Endpoint, FromRequest, Request, Response};
use serde::Deserialize;

use super::SiteState;
use super::episode_page::{episode_page, search_json};
use super::faults::Fault;
use super::guard::Verdict;
use super::hosters::{embed_page, embed_path};
use super::media_routes::media;
use super::model::FakeHoster;
use super::pages::{season_page, series_page};
use super::voe;

/// The fake site as a poem endpoint.
pub struct SiteEndpoint {
    pub state: Arc<SiteState>,
    /// Added before every answer, faults included, like a distant site's round trip.
    pub latency: Duration,
}

#[derive(Deserialize)]
struct SearchForm {
    #[serde(default)]
    keyword: String,
}

impl Endpoint for SiteEndpoint {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Response> {
        let state = &self.state;
        let path = req.uri().path().to_owned();
        let _in_flight = state.faults.enter(&path, req.headers());
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        match state.guard.verdict(&path, req.headers()) {
            Verdict::Pass => {}
            Verdict::Challenge => {
                return Ok(Response::builder()
                    .status(StatusCode::FORBIDDEN)
                    .content_type("text/html; charset=utf-8")
                    .header("cf-mitigated", "challenge")
                    .body(super::CHALLENGE_PAGE));
            }
            Verdict::Refuse => return Ok(status(403)),
        }
        let fault = state.faults.take(&path);
        match fault {
            Some(Fault::Status(code)) => return Ok(status(code)),
            Some(Fault::Hang) => {
                state.shutdown.cancelled().await;
                return Ok(status(503));
            }
            Some(Fault::Huge { bytes }) => return Ok(huge(bytes)),
            Some(Fault::Body(html)) => return Ok(html_page(html)),
            Some(Fault::Slow(delay)) => tokio::time::sleep(delay).await,
            Some(Fault::Truncate { .. }) | None => {}
        }
        let answer = answer(state, &path, &mut req).await;
        Ok(match fault {
            Some(Fault::Truncate { after_bytes }) => truncate(answer, after_bytes).await,
            _ => answer,
        })
    }
}

/// A status with a small HTML body.
pub(super) fn status(code: u16) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Response::builder()
        .status(status)
        .content_type("text/html; charset=utf-8")
        .body(format!("<html><body><h1>{code}</h1></body></html>"))
}

pub(super) fn html_page(html: String) -> Response {
    Response::builder()
        .content_type("text/html; charset=utf-8")
        .body(html)
}

pub(super) fn typed(content_type: &str, body: impl Into<Body>) -> Response {
    Response::builder().content_type(content_type).body(body)
}

/// A chunked HTML page of `bytes` bytes, generated as it is sent.
pub(super) fn huge(bytes: u64) -> Response {
    const CHUNK: u64 = 64 * 1024;
    let chunks = bytes.div_ceil(CHUNK);
    let stream = futures_util::stream::iter((0..chunks).map(move |i| {
        let len = CHUNK.min(bytes - i * CHUNK) as usize;
        Ok::<_, std::io::Error>(vec![b'x'; len])
    }));
    Response::builder()
        .content_type("text/html; charset=utf-8")
        .body(Body::from_bytes_stream(stream))
}

/// The answer with its body cut after `after_bytes` and the connection broken, while
/// `Content-Length` still announces the whole body.
pub(super) async fn truncate(answer: Response, after_bytes: usize) -> Response {
    let (parts, body) = answer.into_parts();
    let full = body.into_vec().await.unwrap_or_default();
    let kept = full[..after_bytes.min(full.len())].to_vec();
    let stream = futures_util::stream::once(async { Ok(kept) }).chain(break_off());
    let mut cut = Response::from_parts(parts, Body::from_bytes_stream(stream));
    cut.headers_mut()
        .insert(header::CONTENT_LENGTH, full.len().into());
    cut
}

/// The end of a body that breaks the connection: after a pause, so the bytes before it are
/// on the wire first (an error ready at once would make the server drop them unsent).
pub(super) fn break_off() -> impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> {
    futures_util::stream::once(async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::other("connection cut by the fake site"))
    })
}

/// `staffel-3` →, `episode-7` → 7, `film-2` → 2.
fn number(segment: &str, prefix: &str) -> Option<u32> {
    segment.strip_prefix(prefix)?.parse().ok()
}

/// The normal answer for `path`.
async fn answer(state: &SiteState, path: &str, req: &mut Request) -> Response {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let not_found = || status(404);
    match segments.as_slice() {
        ["ajax", "search"] => {
            if req.header("X-Requested-With") != Some("XMLHttpRequest") {
                return status(403);
            }
            let mut body = RequestBody::new(req.take_body());
            let keyword = Form::<SearchForm>::from_request(req, &mut body)
                .await
                .map(|Form(f)| f.keyword)
                .unwrap_or_default();
            let series = state.series();
            typed("application/json", search_json(&series, &keyword))
        }
        ["anime", "stream", key, rest @ ..] => {
            let all = state.series();
            let Some(series) = all.iter().find(|s| s.key == *key) else {
                return not_found();
            };
            let page = match rest {
                [] => {
                    let keys: Vec<String> = all.iter().map(|s| s.key.clone()).collect();
                    Some(series_page(series, &keys))
                }
                ["filme"] => season_page(series, 0),
                ["filme", film] => number(film, "film-").and_then(|n| episode_page(series, 0, n)),
                [season] => number(season, "staffel-").and_then(|n| season_page(series, n)),
                [season, episode] => number(season, "staffel-")
                    .zip(number(episode, "episode-"))
                    .and_then(|(s, e)| episode_page(series, s, e)),
                _ => None,
            };
            page.map_or_else(not_found, html_page)
        }
        ["public", "img", "cover", _] => {
            let known = state
                .series()
                .iter()
                .any(|s| s.metadata.cover.as_deref() == Some(path));
            if known {
                typed("image/png", super::cover::cover_bytes(path))
            } else {
                not_found()
            }
        }
        ["neue-episoden"] => {
            let feed = state.feed.read().expect("feed poisoned").clone();
            feed.map_or_else(not_found, |entries| {
                html_page(super::feed::new_episodes_page(&entries))
            })
        }
        ["redirect", id] => match id.parse().ok().and_then(|id| state.link(id)) {
            Some(info) => Response::builder()
                .status(StatusCode::FOUND)
                .header(
                    header::LOCATION,
                    format!("{}{}", state.base_url, embed_path(&info.link)),
                )
                .finish(),
            None => not_found(),
        },
        ["hoster", slug, kind, id] => {
            let Some(info) = id.parse().ok().and_then(|id| state.link(id)) else {
                return not_found();
            };
            if info.link.host().slug() != *slug {
                return not_found();
            }
            if *kind == "l" {
                return super::hoster_apis::voe_loader(state, id, req);
            }
            let page = match *kind {
                "e" => embed_page(&state.base_url, &info.link, info.generation),
                "t" | "p" if *info.link.host() == FakeHoster::Voe => voe::hop_page(
                    &state.base_url,
                    &info.link,
                    kind,
                    req.uri().query(),
                    info.generation,
                ),
                _ => None,
            };
            let mut answer = page.map_or_else(not_found, html_page);
            if *kind == "e" && *info.link.host() == FakeHoster::Vidara {
                let cookie = super::vidara::set_cookie(&info.link);
                if let Ok(value) = cookie.parse() {
                    answer.headers_mut().insert(header::SET_COOKIE, value);
                }
            }
            answer
        }
        ["api", "stream"] => {
            let body = req.take_body().into_string().await.unwrap_or_default();
            super::hoster_apis::vidara_stream(state, req, &body)
        }
        ["dl"] => super::hoster_apis::luluvdo_player(state, req),
        ["api", "videos", id] => super::hoster_apis::filemoon_api(state, id, req),
        ["pass_md5", first, ..] => super::hoster_apis::pass_md5(state, first, req),
        ["dood", id, client, file] => {
            super::hoster_apis::dood_media(state, id, client, file, req).await
        }
        ["media", id, rest @ ..] => {
            let Some(info) = id.parse().ok().and_then(|id| state.link(id)) else {
                return not_found();
            };
            if !super::hoster_apis::media_agent_ok(state, &info, req) {
                return status(403);
            }
            let query = req.uri().query().map(str::to_owned);
            media(state, &info, rest, query.as_deref(), req.header("Range"))
                .await
                .unwrap_or_else(not_found)
        }
        _ => not_found(),
    }
}
