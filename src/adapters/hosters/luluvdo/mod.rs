//! Luluvdo (HLS, older episodes). The embed URL (`/e/<code>` or `/d/<code>`) names the
//! video; the player itself comes from `GET https://<host>/dl?op=embed&file_code=<code>
//! &embed=1&referer=<site host>` with `Origin` and `Referer` on the Luluvdo host, and holds
//! `file:"<url>"`, the playlist. The media requests must carry the same User-Agent (the
//! shared client's, which [`media_source`] repeats) and the host as Referer. Its pages are
//! JW Player pages like Vidmoly's, so only its domain names tell a landed page is Luluvdo's.

use std::sync::LazyLock;

use async_trait::async_trait;
use regex::Regex;

use super::{landing, media_source};
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{MediaSource, ProviderError};
use crate::ports::Hoster;
use crate::ports::catalogue::{EmbedPage, Recognition};

const NAME: &str = "Luluvdo";

/// Luluvdo's domain names.
const HOSTS: [&str; 3] = ["luluvdo", "luluvid", "lulustream"];

/// `file:"<url>"` (or `file: '<url>'`, the key maybe quoted) in the player setup.
static FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["']?\bfile["']?\s*:\s*["']([^"']+)["']"#).expect("valid regex")
});

fn missing(landmark: &str) -> ProviderError {
    ProviderError::Layout(format!("{NAME} page: {landmark}"))
}

/// The player page's URL for an embed URL, telling the hoster it is embedded on
/// `site_host` (the catalogue site the link came from).
pub(super) fn player_url(embed_url: &str, site_host: &str) -> Result<String, ProviderError> {
    let mut url = url::Url::parse(embed_url).map_err(|_| missing("embed URL"))?;
    let segments: Vec<&str> = url.path_segments().into_iter().flatten().collect();
    let code = segments
        .windows(2)
        .rev()
        .find(|w| matches!(w[0], "e" | "d") && !w[1].is_empty())
        .map(|w| w[1].trim_end_matches(".html").to_owned())
        .ok_or_else(|| missing("/e/<code> in the embed URL"))?;
    url.set_path("/dl");
    url.set_fragment(None);
    url.query_pairs_mut()
        .clear()
        .append_pair("op", "embed")
        .append_pair("file_code", &code)
        .append_pair("embed", "1")
        .append_pair("referer", site_host);
    Ok(url.into())
}

/// The playlist URL (as written) on the player page: the first `file:` naming an `.m3u8`
/// (thumbnail and caption tracks carry a `file` of their own).
pub(super) fn extract(page: &str) -> Result<String, ProviderError> {
    FILE.captures_iter(page)
        .map(|c| c[1].to_owned())
        .find(|url| url.to_ascii_lowercase().contains(".m3u8"))
        .ok_or_else(|| missing("file:\"<.m3u8 URL>\" in the player"))
}

/// The Luluvdo extractor.
#[derive(Clone, Debug)]
pub struct Luluvdo {
    fetcher: Fetcher,
}

impl Luluvdo {
    /// An extractor fetching through the shared client.
    pub fn new(fetcher: Fetcher) -> Self {
        Self { fetcher }
    }
}

#[async_trait]
impl Hoster for Luluvdo {
    fn name(&self) -> &str {
        NAME
    }

    async fn open(&self, embed_url: &str, linked_from: &str) -> Result<EmbedPage, ProviderError> {
        landing::open(&self.fetcher, embed_url, linked_from).await
    }

    fn recognises(&self, page: &EmbedPage) -> Recognition {
        landing::recognition(page, &HOSTS, false)
    }

    async fn resolve(&self, page: &EmbedPage) -> Result<MediaSource, ProviderError> {
        let origin = landing::origin_of(&page.url).ok_or_else(|| missing("embed URL"))?;
        let root = format!("{origin}/");
        let site = landing::site_host(&page.linked_from).unwrap_or_else(|| origin.clone());
        let player = self
            .fetcher
            .get(
                &player_url(&page.url, &site)?,
                &[("Origin", origin.as_str()), ("Referer", root.as_str())],
            )
            .await?;
        let url = extract(&player.body)?;
        media_source(NAME, &root, &url, None)
    }
}

#[cfg(test)]
mod tests;
