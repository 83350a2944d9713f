//! Doodstream (MP4, signed for the client). The embed page (`dood.*`, `d000d.*`,
//! `playmogo.com`, ...; redirects followed, the *final* host used) holds
//! `$.get('/pass_md5/<path>'` and `token=<token>`. `GET https://<final host>/pass_md5/<path>`,
//! with the embed URL as Referer, answers a base URL; the media URL is that base + 10 random
//! characters `[A-Za-z0-9]` + `?token=<token>&expiry=<Unix time in ms>`. The media requests
//! must carry the same User-Agent and the embed page's host as Referer, or they are refused.

use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use rand::Rng;
use rand::distr::Alphanumeric;
use regex::Regex;

use super::{absolute, landing, media_source};
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{MediaKind, MediaSource, ProviderError};
use crate::ports::Hoster;
use crate::ports::catalogue::{EmbedPage, Recognition};

const NAME: &str = "Doodstream";

/// Doodstream's domain names (`dood.la`, `d000d.com`, `playmogo.com`, ...).
const HOSTS: [&str; 10] = [
    "dood",
    "doodstream",
    "d000d",
    "d0000d",
    "d0o0d",
    "dooood",
    "ds2play",
    "ds2video",
    "do7go",
    "playmogo",
];

/// `$.get('/pass_md5/<path>'`, either quote style and any spacing.
static PASS_MD5: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\$\.get\(\s*['"](/pass_md5/[^'"\s]+)['"]"#).expect("valid regex")
});

/// `token=<token>&expiry=`, the player's own URL building: preferred over other tokens.
static PLAYER_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[?&]token=([0-9A-Za-z]+)&expiry=").expect("valid regex"));

/// Any `token=<token>` not part of a longer name (`csrf_token=` is another thing).
static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9A-Za-z_])token=([0-9A-Za-z]+)").expect("valid regex"));

fn missing(landmark: &str) -> ProviderError {
    ProviderError::Layout(format!("{NAME} page: {landmark}"))
}

/// What a Doodstream embed page tells us: the pass_md5 path and the media token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Player {
    pub pass_md5: String,
    pub token: String,
}

/// Reads an embed page.
pub(super) fn extract(page: &str) -> Result<Player, ProviderError> {
    let pass_md5 = PASS_MD5
        .captures(page)
        .map(|c| c[1].replace("&amp;", "&"))
        .ok_or_else(|| missing("$.get('/pass_md5/...')"))?;
    let token = PLAYER_TOKEN
        .captures(page)
        .or_else(|| TOKEN.captures(page))
        .map(|c| c[1].to_owned())
        .ok_or_else(|| missing("token="))?;
    Ok(Player { pass_md5, token })
}

/// Whether a page holds the player's `$.get('/pass_md5/...')`.
pub(super) fn has_landmarks(page: &str) -> bool {
    PASS_MD5.is_match(page)
}

/// The pass_md5 request's URL on the host the embed page finally came from (the link may
/// have been `dood.*` and redirected to `playmogo.com`), and that host's root, the Referer
/// the media requests must carry.
pub(super) fn on_final_host(
    page_url: &str,
    player: &Player,
) -> Result<(String, String), ProviderError> {
    let pass_md5 = absolute(NAME, page_url, &player.pass_md5)?;
    let root = landing::origin_of(page_url).ok_or_else(|| missing("embed URL"))?;
    Ok((pass_md5, format!("{root}/")))
}

/// The media URL from the pass_md5 answer (`base`), the `random` 10 characters, the token
/// and the time in Unix milliseconds.
pub(super) fn media_url(
    page_url: &str,
    base: &str,
    random: &str,
    token: &str,
    now_ms: u128,
) -> Result<String, ProviderError> {
    let base = base.trim();
    // A pass_md5 refused (wrong Referer, expired page) answers a word such as `RELOAD`.
    if !(base.starts_with("http://") || base.starts_with("https://") || base.starts_with("//")) {
        return Err(missing("base URL in the pass_md5 answer"));
    }
    let base =
        absolute(NAME, page_url, base).map_err(|_| missing("base URL in the pass_md5 answer"))?;
    Ok(format!("{base}{random}?token={token}&expiry={now_ms}"))
}

/// 10 random characters from `[A-Za-z0-9]`, as the site's player appends.
fn random_suffix() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(10)
        .map(char::from)
        .collect()
}

/// The Doodstream extractor.
#[derive(Clone, Debug)]
pub struct Doodstream {
    fetcher: Fetcher,
}

impl Doodstream {
    /// An extractor fetching through the shared client.
    pub fn new(fetcher: Fetcher) -> Self {
        Self { fetcher }
    }
}

#[async_trait]
impl Hoster for Doodstream {
    fn name(&self) -> &str {
        NAME
    }

    async fn open(&self, embed_url: &str, linked_from: &str) -> Result<EmbedPage, ProviderError> {
        landing::open(&self.fetcher, embed_url, linked_from).await
    }

    fn recognises(&self, page: &EmbedPage) -> Recognition {
        landing::recognition(page, &HOSTS, has_landmarks(&page.body))
    }

    /// The pass_md5 request and the media requests go out with the shared client's
    /// User-Agent, which the [`MediaSource`] repeats, so the signature holds.
    async fn resolve(&self, page: &EmbedPage) -> Result<MediaSource, ProviderError> {
        let player = extract(&page.body)?;
        let (pass_md5, referer) = on_final_host(&page.url, &player)?;
        let base = self
            .fetcher
            .get(&pass_md5, &[("Referer", page.url.as_str())])
            .await?;
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let url = media_url(
            &page.url,
            &base.body,
            &random_suffix(),
            &player.token,
            now_ms,
        )?;
        media_source(NAME, &referer, &url, Some(MediaKind::Direct))
    }
}

#[cfg(test)]
mod tests;
