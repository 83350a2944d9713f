//! The fake site's hoster requests beyond embed pages: Filemoon's video API
//! (`/api/videos/<id>`), Doodstream's `/pass_md5/...` and its client-bound media
//! (`/dood/<id>/<client>/<file>`), VOE's loader script (`/hoster/voe/l/<id>`), Vidara's
//! `POST /api/stream` and Luluvdo's `/dl?op=embed...` player, each answered from the link's
//! model.

use std::sync::atomic::Ordering;

use poem::{Request, Response};

use super::SiteState;
use super::media_routes::media;
use super::model::FakeHoster;
use super::routes::{status, typed};
use super::{FakeLinkInfo, doodstream, filemoon, luluvdo, vidara, voe};

fn link_of(state: &SiteState, id: &str, hoster: FakeHoster) -> Option<FakeLinkInfo> {
    id.parse()
        .ok()
        .and_then(|id| state.link(id))
        .filter(|info| *info.link.host() == hoster)
}

/// `GET /api/videos/<id>`: 404 but for a working Filemoon link, 403 without its Referer.
pub fn filemoon_api(state: &SiteState, id: &str, req: &Request) -> Response {
    let Some(info) = link_of(state, id, FakeHoster::Filemoon) else {
        return status(404);
    };
    let referer = req.header("Referer");
    match filemoon::api_answer(&state.base_url, &info.link, info.generation, referer) {
        None => status(404),
        Some(Err(())) => status(403),
        Some(Ok(json)) => typed("application/json", json),
    }
}

/// `GET /hoster/voe/l/<id>`: a loader-token player's loader script, for the player page as
/// Referer.
pub fn voe_loader(state: &SiteState, id: &str, req: &Request) -> Response {
    link_of(state, id, FakeHoster::Voe)
        .and_then(|info| voe::loader_script(&state.base_url, &info.link, req.header("Referer")))
        .map_or_else(|| status(404), |js| typed("application/javascript", js))
}

/// `POST /api/stream` with the JSON `body`: Vidara's playlist for the file code.
pub fn vidara_stream(state: &SiteState, req: &Request, body: &str) -> Response {
    let answer = vidara::stream_answer(
        &state.base_url,
        |id| {
            link_of(state, &id.to_string(), FakeHoster::Vidara)
                .map(|info| (info.link, info.generation))
        },
        body,
        req.header("Origin"),
        req.header("Referer"),
        req.header("Cookie"),
        state.vidara_cookie_required.load(Ordering::Relaxed),
    );
    match answer {
        Ok(json) => typed("application/json", json),
        Err(code) => status(code),
    }
}

/// `GET /dl?op=embed&file_code=<id>&embed=1&referer=<site host>`: Luluvdo's player page,
/// remembering the User-Agent it was served to.
pub fn luluvdo_player(state: &SiteState, req: &Request) -> Response {
    let site_host = state.base_url.trim_start_matches("http://");
    let Some(info) = luluvdo::asked_link(req.uri().query(), site_host)
        .and_then(|id| link_of(state, &id.to_string(), FakeHoster::Luluvdo))
    else {
        return status(404);
    };
    let page = luluvdo::player_page(
        &state.base_url,
        &info.link,
        info.generation,
        req.header("Origin"),
        req.header("Referer"),
    );
    let Some(page) = page else {
        return status(403);
    };
    let agent = req.header("User-Agent").unwrap_or_default().to_owned();
    state
        .luluvdo_agents
        .lock()
        .expect("agents poisoned")
        .insert(info.link.id, agent);
    typed("text/html; charset=utf-8", page)
}

/// Whether a media request for a Luluvdo link comes from the User-Agent its player page was
/// served to (always true for other links).
pub fn media_agent_ok(state: &SiteState, info: &FakeLinkInfo, req: &Request) -> bool {
    if *info.link.host() != FakeHoster::Luluvdo {
        return true;
    }
    let agents = state.luluvdo_agents.lock().expect("agents poisoned");
    agents.get(&info.link.id).map(String::as_str) == req.header("User-Agent")
}

/// `GET /pass_md5/<id>-<generation>/...`: the base URL for the asking User-Agent, 403
/// without the embed page as Referer.
pub fn pass_md5(state: &SiteState, first: &str, req: &Request) -> Response {
    let Some(info) = doodstream::pass_md5_link(first)
        .and_then(|id| link_of(state, &id.to_string(), FakeHoster::Doodstream))
    else {
        return status(404);
    };
    let (referer, agent) = (req.header("Referer"), req.header("User-Agent"));
    match doodstream::pass_md5_answer(&state.base_url, &info.link, referer, agent) {
        Some(base) => typed("text/plain", base),
        None => status(403),
    }
}

/// `GET /dood/<id>/<client>/<file>?token=..&expiry=..`: the MP4 (with `Range`, signatures
/// and throttling as every MP4) for the client the base URL was made for, else 403.
pub async fn dood_media(
    state: &SiteState,
    id: &str,
    client: &str,
    file: &str,
    req: &Request,
) -> Response {
    let Some(info) = link_of(state, id, FakeHoster::Doodstream) else {
        return status(404);
    };
    let Some(generation) = doodstream::admit_media(
        &state.base_url,
        &info.link,
        client,
        file,
        req.uri().query(),
        req.header("User-Agent"),
        req.header("Referer"),
    ) else {
        return status(403);
    };
    // The token names the generation; the shared media answer checks it as a signature.
    let query = format!("sig={generation}");
    media(
        state,
        &info,
        &["video.mp4"],
        Some(&query),
        req.header("Range"),
    )
    .await
    .unwrap_or_else(|| status(404))
}
