//! Filemoon (HLS). Newest first: the video API (`GET https://<host>/api/videos/<code>` for an
//! embed URL `https://<host>/e/<code>` or `/d/<code>`) answers the stream AES-256-GCM
//! encrypted (see [`playback`]); older embed pages hold a packed player script (see
//! [`unpack`]) whose `file:"<url>"` is the playlist. API and media requests carry
//! `Referer: https://<host>/`.

mod playback;
mod unpack;

/// For the fuzz targets (`super::fuzzing`).
pub(super) use self::playback::stream_url as answer_stream_url;
pub(super) use self::unpack::{unpack, unpack_all};

use std::sync::LazyLock;

use async_trait::async_trait;
use regex::Regex;

use super::media_source;
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{MediaSource, ProviderError};
use crate::ports::Hoster;

const NAME: &str = "Filemoon";

/// `file:"<url>"` (or `file: '<url>'`) in an unpacked player script.
static FILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bfile\s*:\s*["']([^"']+)["']"#).expect("valid regex"));

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
        let answer = self.fetcher.get(&video.api_url(), &referer).await?;
        let url = playback::stream_url(&answer.body)?;
        media_source(NAME, &video.origin, &url, None)
    }

    async fn read_embed_page(&self, embed_url: &str) -> Result<MediaSource, ProviderError> {
        let page = self.fetcher.get(embed_url, &[]).await?;
        let url = packed_stream_url(&page.body)?;
        let final_url = url::Url::parse(&page.final_url).map_err(|_| missing("embed URL"))?;
        media_source(NAME, &origin(&final_url), &url, None)
    }
}

#[async_trait]
impl Hoster for Filemoon {
    fn name(&self) -> &str {
        NAME
    }

    /// The API first; the embed page's packed script when the API has no answer for us.
    async fn resolve(&self, embed_url: &str) -> Result<MediaSource, ProviderError> {
        let video = Video::of(embed_url)?;
        let api_error = match self.ask_api(&video).await {
            Ok(source) => return Ok(source),
            Err(e) => e,
        };
        tracing::debug!(hoster = NAME, error = %api_error, "video API failed; trying the embed page");
        match self.read_embed_page(embed_url).await {
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
