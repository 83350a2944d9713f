//! Filemoon (HLS). Newest first: the video API (`GET https://<host>/api/videos/<code>` for an
//! embed URL `https://<host>/e/<code>` or `/d/<code>`) answers the stream AES-256-GCM
//! encrypted (see [`playback`]); older embed pages hold a packed player script (see
//! [`unpack`]) whose `file:"<url>"` is the playlist. API and media requests carry
//! `Referer: https://<host>/`. A landed page is Filemoon's on its domains, or where it
//! names the video API or holds a packed player script.

mod playback;
mod unpack;

/// For the fuzz targets (`super::fuzzing`).
pub(super) use self::playback::stream_url as answer_stream_url;
pub(super) use self::unpack::{unpack, unpack_all};

use std::sync::LazyLock;

use async_trait::async_trait;
use regex::Regex;

use super::{landing, media_source};
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{MediaSource, ProviderError};
use crate::ports::Hoster;
use crate::ports::catalogue::{EmbedPage, Recognition};

const NAME: &str = "Filemoon";

/// `file:"<url>"` (or `file: '<url>'`) in an unpacked player script.
static FILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bfile\s*:\s*["']([^"']+)["']"#).expect("valid regex"));

/// Filemoon's domain names (it moves between top-level domains and a few other names).
const HOSTS: [&str; 4] = ["filemoon", "kerapoxy", "moonplayer", "furher"];

/// Whether a page names the video API or holds a packed player script (the only packed
/// pages among our hosters).
pub(super) fn has_landmarks(page: &str) -> bool {
    page.contains("/api/videos/") || page.contains("eval(function(p,a,c,k,e,d)")
}

fn missing(landmark: &str) -> ProviderError {
    ProviderError::Layout(format!("{NAME} page: {landmark}"))
}

/// Where a Filemoon embed URL's video lives: the host's root (`https://<host>/`, the Referer
/// the hoster wants) and the video's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Video {
    pub origin: String,
    pub code: String,
}

impl Video {
    /// The video of an embed URL `.../e/<code>` or `.../d/<code>`.
    pub(super) fn of(embed_url: &str) -> Result<Self, ProviderError> {
        let url = url::Url::parse(embed_url).map_err(|_| missing("embed URL"))?;
        let segments: Vec<&str> = url.path_segments().into_iter().flatten().collect();
        let code = segments
            .windows(2)
            .rev()
            .find(|w| matches!(w[0], "e" | "d") && !w[1].is_empty())
            .map(|w| w[1].trim_end_matches(".html").to_owned())
            .ok_or_else(|| missing("/e/<code> in the embed URL"))?;
        Ok(Self {
            origin: origin(&url),
            code,
        })
    }

    /// The video API's URL for this video.
    pub(super) fn api_url(&self) -> String {
        format!("{}api/videos/{}", self.origin, self.code)
    }
}

/// `scheme://host[:port]/`.
fn origin(url: &url::Url) -> String {
    format!("{}/", url.origin().ascii_serialization())
}

/// The playlist URL (as written) in an embed page's packed player script: the first
/// `file:"..."` naming an `.m3u8` (thumbnail tracks carry a `file` of their own).
pub(super) fn packed_stream_url(page: &str) -> Result<String, ProviderError> {
    let scripts = unpack::unpack_all(page);
    if scripts.is_empty() {
        return Err(missing("packed player script"));
    }
    scripts
        .iter()
        .flat_map(|script| FILE.captures_iter(script))
        .map(|c| c[1].to_owned())
        .find(|url| url.to_ascii_lowercase().contains(".m3u8"))
        .ok_or_else(|| missing("m3u8 file in the unpacked player script"))
}

/// The Filemoon extractor.
#[derive(Clone, Debug)]
pub struct Filemoon {
    fetcher: Fetcher,
}

impl Filemoon {
    /// An extractor fetching through the shared client.
    pub fn new(fetcher: Fetcher) -> Self {
        Self { fetcher }
    }

    async fn ask_api(&self, video: &Video) -> Result<MediaSource, ProviderError> {
        let referer = [("Referer", video.origin.as_str())];
        let answer = self.fetcher.get_xhr(&video.api_url(), &referer).await?;
        let url = playback::stream_url(&answer.body)?;
        media_source(NAME, &video.origin, &url, None)
    }
}

/// The packed player script's playlist on an opened embed page.
fn read_embed_page(page: &EmbedPage) -> Result<MediaSource, ProviderError> {
    let url = packed_stream_url(&page.body)?;
    let final_url = url::Url::parse(&page.url).map_err(|_| missing("embed URL"))?;
    media_source(NAME, &origin(&final_url), &url, None)
}

#[async_trait]
impl Hoster for Filemoon {
    fn name(&self) -> &str {
        NAME
    }

    async fn open(&self, embed_url: &str, linked_from: &str) -> Result<EmbedPage, ProviderError> {
        landing::open(&self.fetcher, embed_url, linked_from).await
    }

    fn recognises(&self, page: &EmbedPage) -> Recognition {
        landing::recognition(page, &HOSTS, has_landmarks(&page.body))
    }

    /// The API first; the embed page's packed script when the API has no answer for us.
    async fn resolve(&self, page: &EmbedPage) -> Result<MediaSource, ProviderError> {
        let asked = match Video::of(&page.url) {
            Ok(video) => self.ask_api(&video).await,
            Err(e) => Err(e),
        };
        let api_error = match asked {
            Ok(source) => return Ok(source),
            Err(e) => e,
        };
        tracing::debug!(hoster = NAME, error = %api_error, "video API failed; trying the embed page");
        match read_embed_page(page) {
            Ok(source) => Ok(source),
            // The API answered but its answer was unreadable, and the page has no older form
            // either: the API's error says more about what changed.
            Err(ProviderError::Layout(_)) if matches!(api_error, ProviderError::Layout(_)) => {
                Err(api_error)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests;
