//! Vidara and Vidavaca (HLS; 2026): one player under two names, so one extractor serving
//! both labels. On its host an embed URL is `/e/<code>` or `/v/<code>`; the embed page (the
//! landed page, already opened: it sets the cookies the API wants) loads the player, which
//! asks `POST <origin>/api/stream` with JSON `{"filecode": "<code>", "device": "web"}`,
//! `Origin` and `Referer` on that host; the answer's `streaming_url` is the HLS playlist.
//! A landed page is theirs on their domains, or where it calls that API.

use async_trait::async_trait;
use serde::Deserialize;

use super::{landing, media_source};
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{MediaKind, MediaSource, ProviderError};
use crate::ports::Hoster;
use crate::ports::catalogue::{EmbedPage, Recognition};

/// Both names' domains (`vidara.to`, `vidavaca.com`, ... under any top-level domain).
const HOSTS: [&str; 2] = ["vidara", "vidavaca"];

/// Whether a page calls the stream API with a file code.
pub(super) fn has_landmarks(page: &str) -> bool {
    page.contains("/api/stream") && page.contains("filecode")
}

/// The video's code in an embed URL `.../e/<code>` or `.../v/<code>`; `hoster` names the
/// error.
pub(super) fn file_code(hoster: &str, embed_url: &str) -> Result<String, ProviderError> {
    let url = url::Url::parse(embed_url).map_err(|_| missing(hoster, "embed URL"))?;
    let segments: Vec<&str> = url.path_segments().into_iter().flatten().collect();
    segments
        .windows(2)
        .rev()
        .find(|w| matches!(w[0], "e" | "v") && !w[1].is_empty())
        .map(|w| w[1].to_owned())
        .ok_or_else(|| missing(hoster, "/e/<code> or /v/<code> in the embed URL"))
}

/// What `/api/stream` answers (other fields, such as the title and thumbnails, unused).
#[derive(Deserialize)]
struct StreamAnswer {
    #[serde(default)]
    streaming_url: Option<String>,
}

/// The playlist URL (as written) in an `/api/stream` answer.
pub(super) fn stream_url(hoster: &str, answer: &str) -> Result<String, ProviderError> {
    serde_json::from_str::<StreamAnswer>(answer)
        .ok()
        .and_then(|a| a.streaming_url)
        .filter(|url| !url.trim().is_empty())
        .ok_or_else(|| missing(hoster, "streaming_url in the /api/stream answer"))
}

fn missing(hoster: &str, landmark: &str) -> ProviderError {
    ProviderError::Layout(format!("{hoster} page: {landmark}"))
}

/// The Vidara (or Vidavaca) extractor.
#[derive(Clone, Debug)]
pub struct Vidara {
    /// The label it serves: `Vidara` or `Vidavaca`.
    name: &'static str,
    fetcher: Fetcher,
}

impl Vidara {
    /// The extractor for the label `name`, fetching through the shared client.
    pub fn new(name: &'static str, fetcher: Fetcher) -> Self {
        Self { name, fetcher }
    }
}

#[async_trait]
impl Hoster for Vidara {
    fn name(&self) -> &str {
        self.name
    }

    async fn open(&self, embed_url: &str, linked_from: &str) -> Result<EmbedPage, ProviderError> {
        landing::open(&self.fetcher, embed_url, linked_from).await
    }

    fn recognises(&self, page: &EmbedPage) -> Recognition {
        landing::recognition(page, &HOSTS, has_landmarks(&page.body))
    }

    /// Asks the stream API on the host the embed page came from; the embed page is the
    /// Referer of the API and media requests, as in a browser.
    async fn resolve(&self, page: &EmbedPage) -> Result<MediaSource, ProviderError> {
        let code = file_code(self.name, &page.url)?;
        let origin =
            landing::origin_of(&page.url).ok_or_else(|| missing(self.name, "embed URL"))?;
        let body = serde_json::json!({ "filecode": code, "device": "web" });
        let headers = [("Origin", origin.as_str()), ("Referer", page.url.as_str())];
        let api = format!("{origin}/api/stream");
        let answer = self.fetcher.post_json(&api, &body, &headers).await?;
        let url = stream_url(self.name, &answer.body)?;
        media_source(self.name, &page.url, &url, Some(MediaKind::Hls))
    }
}

#[cfg(test)]
mod tests;
