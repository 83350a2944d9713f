//! The fake Vidara (2026): the embed page (`/hoster/vidara/e/<id>`) loads a player that asks
//! `POST /api/stream` with `{"filecode": "<id>", "device": "web"}`; the answer's
//! `streaming_url` is the link's playlist. The API wants `Origin` and `Referer` on this host;
//! the embed page sets a session cookie, and with [`super::FakeSite::require_vidara_cookie`]
//! the API refuses (403) a request without it, as the real one does (on by default: the
//! product's fetcher keeps cookies per host).

use super::hosters::media_url;
use super::model::FakeLink;

/// The session cookie's name.
pub const COOKIE: &str = "vidara_sid";

/// The session cookie's value for a link: `vidara_sid=s<id>`.
pub fn session_cookie(link: &FakeLink) -> String {
    format!("{COOKIE}=s{:x}", link.id.wrapping_mul(0x9e37_79b9))
}

/// The `Set-Cookie` header of the embed page.
pub fn set_cookie(link: &FakeLink) -> String {
    format!("{}; Path=/; HttpOnly; SameSite=Lax", session_cookie(link))
}

/// The embed page: the player script that calls the stream API, and noise.
pub fn embed_page(link: &FakeLink) -> String {
    let id = link.id;
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Folge &amp; Fake {id} &ndash; Vidara</title>\n\
         <script src=\"/assets/hls.min.js\"></script></head>\n<body><video id=\"player\" controls></video>\n\
         <script>const filecode = \"{id}\";\n\
         fetch('/api/stream', {{method: 'POST', credentials: 'include', headers: {{'Content-Type': 'application/json'}},\n\
           body: JSON.stringify({{filecode: filecode, device: 'web'}})}}).then(r => r.json()).then(d => play(d.streaming_url));</script>\n\
         <a href=\"/report?file={id}&amp;x=1\">Report</a></body></html>\n"
    )
}

/// What `/api/stream` answers for `body` (its JSON, unparsed) from a request with these
/// headers: `Ok(json)`, or `Err(status)`.
pub fn stream_answer(
    base: &str,
    link_of: impl Fn(u64) -> Option<(FakeLink, u64)>,
    body: &str,
    origin: Option<&str>,
    referer: Option<&str>,
    cookie: Option<&str>,
    cookie_required: bool,
) -> Result<String, u16> {
    let asked: serde_json::Value = serde_json::from_str(body).map_err(|_| 400u16)?;
    if asked["device"] != "web" {
        return Err(400);
    }
    let id: u64 = asked["filecode"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .ok_or(404u16)?;
    let (link, generation) = link_of(id).ok_or(404u16)?;
    let on_host =
        origin == Some(base) && referer.is_some_and(|r| r.starts_with(&format!("{base}/")));
    let has_cookie = cookie.is_some_and(|c| {
        c.split(';')
            .any(|pair| pair.trim() == session_cookie(&link))
    });
    if !on_host || (cookie_required && !has_cookie) {
        return Err(403);
    }
    Ok(serde_json::json!({
        "status": "ok",
        "title": format!("Folge & Fake {id}"),
        "streaming_url": media_url(base, &link, generation),
        "thumbnail": format!("{base}/img/{id}.jpg"),
    })
    .to_string())
}
