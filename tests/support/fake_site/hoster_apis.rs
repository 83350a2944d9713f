//! The fake site's hoster requests beyond embed pages: Filemoon's video API
//! (`/api/videos/<id>`), Doodstream's `/pass_md5/...` and its client-bound media
//! (`/dood/<id>/<client>/<file>`), each answered from the link's model.

use poem::{Request, Response};

use super::SiteState;
use super::media_routes::media;
use super::model::FakeHoster;
use super::routes::{status, typed};
use super::{FakeLinkInfo, doodstream, filemoon};

fn link_of(state: &SiteState, id: &str, hoster: FakeHoster) -> Option<FakeLinkInfo> {
    id.parse()
        .ok()
        .and_then(|id| state.link(id))
        .filter(|info| info.link.hoster == hoster)
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
