//! Entry points for the fuzz targets (`fuzz/`, cargo-fuzz): each hoster's pure part on an
//! embed page (what its `resolve` does between the requests) and the decoders on their own.
//! Not an API: the rest of the crate reaches the hosters through [`super::all`].

use super::{
    doodstream, filemoon, luluvdo, media_source, streamtape, vidara, vidmoly, vidoza, voe,
};
use crate::domain::catalogue::{MediaSource, ProviderError};

/// The URL every embed page is read as fetched from.
pub const PAGE_URL: &str = "https://hoster.example/e/abc123";

/// A VOE page: the player's media or the page it forwards to.
pub fn voe(page: &str) -> Result<String, ProviderError> {
    voe_with_loader(page, "")
}

/// A VOE page whose loader script is `script`: the page's loader named (as any text), the
/// script's marker tokens read, then the page decoded with them (or the fixed list).
pub fn voe_with_loader(page: &str, script: &str) -> Result<String, ProviderError> {
    let _ = voe::loader_src(page);
    let tokens = voe::loader_tokens(script);
    match voe::extract(page, PAGE_URL, tokens.as_deref())? {
        voe::VoePage::Player { url, kind } => {
            media_source("VOE", PAGE_URL, &url, Some(kind)).map(|s| s.url)
        }
        voe::VoePage::Forward(target) => Ok(target),
    }
}

/// A Filemoon embed page's packed player script.
pub fn filemoon(page: &str) -> Result<MediaSource, ProviderError> {
    let url = filemoon::packed_stream_url(page)?;
    media_source("Filemoon", PAGE_URL, &url, None)
}

/// A Vidmoly embed page.
pub fn vidmoly(page: &str) -> Result<MediaSource, ProviderError> {
    media_source("Vidmoly", PAGE_URL, &vidmoly::extract(page)?, None)
}

/// A Vidoza embed page.
pub fn vidoza(page: &str) -> Result<MediaSource, ProviderError> {
    media_source("Vidoza", PAGE_URL, &vidoza::extract(page)?, None)
}

/// A Streamtape embed page.
pub fn streamtape(page: &str) -> Result<MediaSource, ProviderError> {
    media_source(
        "Streamtape",
        PAGE_URL,
        &streamtape::extract(page, PAGE_URL)?,
        None,
    )
}

/// A Doodstream embed page, with `base` as the pass_md5 request's answer.
pub fn doodstream(page: &str, base: &str) -> Result<String, ProviderError> {
    let player = doodstream::extract(page)?;
    super::absolute("Doodstream", PAGE_URL, &player.pass_md5)?;
    doodstream::media_url(PAGE_URL, base, "abcdefghij", &player.token, 0)
}

/// A Vidara `/api/stream` answer: the playlist it names, made absolute.
pub fn vidara(answer: &str) -> Result<MediaSource, ProviderError> {
    vidara::file_code("Vidara", PAGE_URL)?;
    media_source(
        "Vidara",
        PAGE_URL,
        &vidara::stream_url("Vidara", answer)?,
        None,
    )
}

/// A Luluvdo player page (the `/dl?op=embed` answer).
pub fn luluvdo(page: &str) -> Result<MediaSource, ProviderError> {
    luluvdo::player_url(PAGE_URL, "aniworld.to")?;
    media_source("Luluvdo", PAGE_URL, &luluvdo::extract(page)?, None)
}

/// Which hosters' landmarks a landed page holds: VOE, Filemoon, Doodstream, Vidara.
pub fn landmarks(page: &str) -> [bool; 4] {
    [
        voe::has_landmarks(page),
        filemoon::has_landmarks(page),
        doodstream::has_landmarks(page),
        vidara::has_landmarks(page),
    ]
}

/// VOE's ROT13/marker/base64/shift/base64 chain on an obfuscated value: the player JSON's
/// source, or the step that failed.
pub fn voe_decode(obfuscated: &str) -> Result<Option<String>, &'static str> {
    voe::decoded_source(obfuscated)
}

/// The packer undone on every packed script in `page`.
pub fn unpack_all(page: &str) -> Vec<String> {
    filemoon::unpack_all(page)
}

/// The packer undone on one payload with its base and word list.
pub fn unpack(payload: &str, base: u32, words: &str) -> Option<String> {
    filemoon::unpack(payload, base, words)
}

/// Filemoon's API answer: the stream URL in its AES-256-GCM payload.
pub fn filemoon_answer(answer: &str) -> Result<String, ProviderError> {
    filemoon::answer_stream_url(answer)
}
