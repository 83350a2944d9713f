//! The media answers of the fake site: MP4 with `Range`, playlists, segments and the AES key,
//! with a signed link's stale signatures refused (403), armed expiries applied, throttled
//! links served slowly, and every media body byte counted.

use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use poem::http::{StatusCode, header};
use poem::{Body, Response};

use super::FakeLinkInfo;
use super::SiteState;
use super::media::{
    hls_key, master_playlist, media_playlist, mp4_bytes, parse_range, segment_served,
};
use super::media_control::{Admission, Asking, MediaControl, sig_of, sig_query};
use super::model::FakeMedia;
use super::routes::{break_off, status, typed};

const PLAYLIST: &str = "application/vnd.apple.mpegurl";

/// The answer to `/media/<id>/<rest>`; `None` answers 404.
pub async fn media(
    state: &SiteState,
    info: &FakeLinkInfo,
    rest: &[&str],
    query: Option<&str>,
    range: Option<&str>,
) -> Option<Response> {
    let id = info.link.id;
    let media = info.link.media;
    let asking = match (rest, media) {
        (["video.mp4"], FakeMedia::Mp4 { .. }) => Asking::Mp4,
        ([_, segment], _) if segment.starts_with("seg-") => Asking::Segment,
        _ => Asking::Other,
    };
    let control = &state.media;
    let Admission::Served { cut } = control.admit(id, info.link.signed, sig_of(query), asking)
    else {
        return Some(status(403));
    };
    // Playlists sign the URIs they list with the generation that was asked for (the current
    // one, or the request would have been refused).
    let sig = sig_query(info.link.signed, sig_of(query).unwrap_or_default());
    let base = &state.base_url;
    match (rest, media) {
        (["video.mp4"], FakeMedia::Mp4 { size }) => Some(mp4(control, id, size, range, cut)),
        (["master.m3u8"], FakeMedia::Hls { .. }) => {
            Some(typed(PLAYLIST, master_playlist(base, id, &sig)))
        }
        ([variant, "index.m3u8"], _) => {
            media_playlist(base, id, variant, media, &sig).map(|text| typed(PLAYLIST, text))
        }
        ([_, "key.bin"], FakeMedia::Hls { .. }) => {
            Some(typed("application/octet-stream", hls_key(id).to_vec()))
        }
        ([variant, segment], _) => {
            let index = segment
                .strip_prefix("seg-")?
                .strip_suffix(".ts")?
                .parse()
                .ok()?;
            let bytes = segment_served(id, variant, index, media)?;
            if let Some(rate) = control.rate(id) {
                tokio::time::sleep(Duration::from_secs_f64(bytes.len() as f64 / rate as f64)).await;
            }
            control.count_served(id, bytes.len() as u64);
            Some(typed("video/mp2t", bytes))
        }
        _ => None,
    }
}

/// An MP4 answer: 200 with the whole file, 206 with a `Range`, 416 for a range past the end.
/// The body breaks off after `cut` bytes when given.
fn mp4(
    control: &Arc<MediaControl>,
    id: u64,
    size: u64,
    range: Option<&str>,
    cut: Option<usize>,
) -> Response {
    let builder = Response::builder()
        .content_type("video/mp4")
        .header(header::ACCEPT_RANGES, "bytes");
    let (builder, bytes) = match range {
        None => (builder, 0..size),
        Some(range) => match parse_range(range, size) {
            Some(r) => (
                builder.status(StatusCode::PARTIAL_CONTENT).header(
                    header::CONTENT_RANGE,
                    format!("bytes {}-{}/{size}", r.start, r.end - 1),
                ),
                r,
            ),
            None => {
                return Response::builder()
                    .status(StatusCode::RANGE_NOT_SATISFIABLE)
                    .header(header::CONTENT_RANGE, format!("bytes */{size}"))
                    .finish();
            }
        },
    };
    if cut.is_none() && control.rate(id).is_none() {
        control.count_served(id, bytes.end - bytes.start);
        return builder.body(mp4_bytes(id, bytes));
    }
    // A streamed body has no length of its own: announce the whole range, as a server
    // whose connection then breaks would have.
    builder
        .header(header::CONTENT_LENGTH, bytes.end - bytes.start)
        .body(streamed(Arc::clone(control), id, bytes, cut))
}

/// The MP4 bytes `range`, sent at the link's throttle rate (checked before each chunk, so a
/// change applies at once) and broken off after `cut` bytes.
fn streamed(control: Arc<MediaControl>, id: u64, range: Range<u64>, cut: Option<usize>) -> Body {
    let end = cut.map_or(range.end, |n| range.end.min(range.start + n as u64));
    let chunks = futures_util::stream::unfold(range.start, move |offset| {
        let control = Arc::clone(&control);
        async move {
            if offset >= end {
                return None;
            }
            let len = match control.rate(id) {
                Some(rate) => {
                    let len = (rate / 10).clamp(1, end - offset);
                    tokio::time::sleep(Duration::from_secs_f64(len as f64 / rate as f64)).await;
                    len
                }
                None => (256 * 1024).min(end - offset),
            };
            control.count_served(id, len);
            Some((Ok(mp4_bytes(id, offset..offset + len)), offset + len))
        }
    });
    if end < range.end {
        // Past the cut the connection breaks, as a server's does when a signature expires.
        Body::from_bytes_stream(chunks.chain(break_off()))
    } else {
        Body::from_bytes_stream(chunks)
    }
}
