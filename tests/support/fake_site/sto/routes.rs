//! The fake s.to's endpoint on its own listener: counts each request in s.to's fault book,
//! applies the path's fault if any, and otherwise answers from s.to's catalogue: suggest API,
//! HTML search, series (also under the old `/serie/stream/<slug>`), season and episode
//! pages, and play links, which redirect to the aniworld.to side's embed pages or, while
//! [`super::PlayChallenge`] says so, answer the Turnstile page with status 200.

use std::sync::Arc;
use std::time::Duration;

use poem::http::{StatusCode, header};
use poem::listener::{Acceptor, Listener, TcpAcceptor, TcpListener};
use poem::{Endpoint, Request, Response, Server};
use tokio::task::JoinHandle;

use super::super::SiteState;
use super::super::faults::Fault;
use super::super::routes::{html_page, huge, status, truncate, typed};
use super::STO_CHALLENGE_PAGE;
use super::episode_page::episode_page;
use super::pages::{season_page, series_page};
use super::search::{search_page, suggest_json};
use super::state::play_token;

/// Binds the fake s.to's listener on `127.0.0.1:0`; gives it with its base URL.
pub async fn bind() -> (TcpAcceptor, String) {
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .expect("the fake s.to binds a local port");
    let addr = *acceptor.local_addr()[0]
        .as_socket_addr()
        .expect("a TCP listener has a socket address");
    (acceptor, format!("http://{addr}"))
}

/// Serves the fake s.to on `acceptor` until the site shuts down.
pub fn serve(acceptor: TcpAcceptor, state: Arc<SiteState>, latency: Duration) -> JoinHandle<()> {
    let stop = state.shutdown.clone().cancelled_owned();
    let endpoint = StoEndpoint { state, latency };
    tokio::spawn(async move {
        let _ = Server::new_with_acceptor(acceptor)
            .run_with_graceful_shutdown(endpoint, stop, Some(Duration::ZERO))
            .await;
    })
}

/// The fake s.to as a poem endpoint.
struct StoEndpoint {
    state: Arc<SiteState>,
    latency: Duration,
}

impl Endpoint for StoEndpoint {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        let state = &self.state;
        let path = req.uri().path().to_owned();
        let _in_flight = state.sto.faults.enter(&path, req.headers());
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let fault = state.sto.faults.take(&path);
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
        let answer = answer(state, &path, &req);
        Ok(match fault {
            Some(Fault::Truncate { after_bytes }) => truncate(answer, after_bytes).await,
            _ => answer,
        })
    }
}

/// The decoded value of `name` in the request's query, `""` when absent.
fn query_value(req: &Request, name: &str) -> String {
    let query = req.uri().query().unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// `staffel-3` → 3, `episode-7` → 7.
fn number(segment: &str, prefix: &str) -> Option<u32> {
    segment.strip_prefix(prefix)?.parse().ok()
}

/// The normal answer for `path`.
fn answer(state: &SiteState, path: &str, req: &Request) -> Response {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["api", "search", "suggest"] => typed(
            "application/json",
            suggest_json(&state.sto.series(), &query_value(req, "term")),
        ),
        ["suche"] => {
            let page = query_value(req, "page").parse().unwrap_or(1);
            let tab = query_value(req, "tab");
            let tab = if tab.is_empty() {
                "shows"
            } else {
                tab.as_str()
            };
            html_page(search_page(
                &state.sto.series(),
                &query_value(req, "term"),
                tab,
                page,
            ))
        }
        ["serie", "stream", slug, rest @ ..] | ["serie", slug, rest @ ..] => {
            series_answer(state, slug, rest)
        }
        ["r"] => play(state, req),
        ["media", "images", "channel", ..] => {
            let known = state
                .sto
                .series()
                .iter()
                .any(|s| s.metadata.cover.as_deref() == Some(path));
            if known {
                typed("image/png", super::super::cover::cover_bytes(path))
            } else {
                status(404)
            }
        }
        _ => status(404),
    }
}

/// A series, season or episode page of `slug`, or 404.
fn series_answer(state: &SiteState, slug: &str, rest: &[&str]) -> Response {
    let all = state.sto.series();
    let Some(series) = all.iter().find(|s| s.key == slug) else {
        return status(404);
    };
    let page = match rest {
        [] | [""] => Some(series_page(series, &all)),
        [season] => number(season, "staffel-").and_then(|n| season_page(series, n, &all)),
        [season, episode] => number(season, "staffel-")
            .zip(number(episode, "episode-"))
            .and_then(|(s, e)| episode_page(series, s, e, &all)),
        _ => None,
    };
    page.map_or_else(|| status(404), html_page)
}

/// `GET /r?t=<token>`: the 302 to the link's embed page on the aniworld.to side, the
/// Turnstile page while play links are challenged, 404 for an unknown token. The token is
/// compared as sent, byte for byte.
fn play(state: &SiteState, req: &Request) -> Response {
    let query = req.uri().query().unwrap_or_default();
    let token = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("t="))
        .unwrap_or_default();
    let link = state
        .all_links()
        .into_iter()
        .find(|l| l.sto_base_url.is_some() && play_token(l.link.id) == token);
    let Some(link) = link else {
        return status(404);
    };
    if state.sto.play.challenges(req.headers()) {
        return html_page(STO_CHALLENGE_PAGE.to_owned());
    }
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, link.embed_url())
        .finish()
}
