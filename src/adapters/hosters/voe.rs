//! VOE: the embed page may only forward (`window.location.href = '<url>';`) to the player
//! page, which holds `'hls': '<base64>'`, the base64 of the HLS playlist URL.

use std::sync::LazyLock;

use async_trait::async_trait;
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use regex::Regex;

use super::{absolute, media_source};
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{MediaKind, MediaSource, ProviderError};
use crate::ports::Hoster;

const NAME: &str = "VOE";

/// Forwards followed before giving up: the site uses one; a loop must not spin forever.
const MAX_FORWARDS: usize = 3;

/// `'hls': '<value>'`, with either quote style and any spacing.
static HLS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"['"]hls['"]\s*:\s*['"]([^'"\s]+)['"]"#).expect("valid regex"));

/// `window.location.href = '<url>'`, with either quote style and any spacing.
static FORWARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"window\.location\.href\s*=\s*['"]([^'"]+)['"]"#).expect("valid regex")
});

/// Base64 as VOE writes it: standard alphabet, padding sometimes dropped.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// What a VOE page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum VoePage {
    /// The player: the absolute URL of the HLS playlist.
    Player(String),
    /// A page that only forwards to the player, at this absolute URL.
    Forward(String),
}

/// Reads a VOE page. The player pattern wins: player pages carry unrelated
/// `window.location.href` lines (ad-block and domain checks).
pub(super) fn extract(page: &str, page_url: &str) -> Result<VoePage, ProviderError> {
    if let Some(found) = HLS.captures(page).map(|c| c[1].to_owned()) {
        return playlist_url(&found, page_url).map(VoePage::Player);
    }
    if let Some(found) = FORWARD.captures(page) {
        return absolute(NAME, page_url, &found[1]).map(VoePage::Forward);
    }
    Err(ProviderError::Layout(NAME.to_owned()))
}

/// The playlist URL from the `hls` value: base64 as the site writes it today; a plain URL is
/// accepted too, as older player pages had it.
fn playlist_url(value: &str, page_url: &str) -> Result<String, ProviderError> {
    if value.starts_with("http") || value.starts_with("//") {
        return absolute(NAME, page_url, value);
    }
    let layout = || ProviderError::Layout(NAME.to_owned());
    let bytes = BASE64.decode(value).map_err(|_| layout())?;
    let text = String::from_utf8(bytes).map_err(|_| layout())?;
    absolute(NAME, page_url, &text)
}

/// The VOE extractor.
#[derive(Clone, Debug)]
pub struct Voe {
    fetcher: Fetcher,
}

impl Voe {
    /// An extractor fetching through the shared client.
    pub fn new(fetcher: Fetcher) -> Self {
        Self { fetcher }
    }
}

#[async_trait]
impl Hoster for Voe {
    fn name(&self) -> &str {
        NAME
    }

    /// Follows the forward (if any) and returns the playlist. The player page is the Referer:
    /// it is the page a browser plays the stream from.
    async fn resolve(&self, embed_url: &str) -> Result<MediaSource, ProviderError> {
        let mut page = self.fetcher.get(embed_url, &[]).await?;
        for _ in 0..=MAX_FORWARDS {
            match extract(&page.body, &page.final_url)? {
                // VOE only ever serves HLS, whatever the URL looks like.
                VoePage::Player(url) => {
                    return media_source(NAME, &page.final_url, &url, Some(MediaKind::Hls));
                }
                VoePage::Forward(next) => {
                    tracing::debug!(hoster = NAME, "embed page forwards to the player");
                    page = self.fetcher.get(&next, &[]).await?;
                }
            }
        }
        Err(ProviderError::Layout(NAME.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_site::{TestSite, fetcher};
    use super::*;

    const FORWARD_PAGE: &str = include_str!("../../../tests/fixtures/hosters/voe_forward.html");
    const PLAYER_PAGE: &str = include_str!("../../../tests/fixtures/hosters/voe_player.html");
    const DELETED_PAGE: &str = include_str!("../../../tests/fixtures/hosters/voe_deleted.html");
    const PLAYLIST: &str = "https://delivery-node-8k2q.voe-network.net/engine/hls2/01/09876/\
        qz1x4h7kd3mf_,n,.urlset/master.m3u8?t=Xb3kz9LqN0&s=1764412345&e=14400&f=49381\
        &node=delivery-node-8k2q&i=91.0&sp=2500&asn=3320";

    #[test]
    fn a_player_page_yields_the_decoded_playlist_url() {
        let page = extract(PLAYER_PAGE, "https://kristiesoundsimply.com/e/qz1x4h7kd3mf");
        assert_eq!(page, Ok(VoePage::Player(PLAYLIST.to_owned())));
    }

    #[test]
    fn a_forwarding_page_yields_the_player_url() {
        let page = extract(FORWARD_PAGE, "https://voe.sx/e/qz1x4h7kd3mf");
        assert_eq!(
            page,
            Ok(VoePage::Forward(
                "https://kristiesoundsimply.com/e/qz1x4h7kd3mf".into()
            ))
        );
    }

    #[test]
    fn double_quotes_missing_padding_and_plain_urls_are_understood() {
        // base64 of "https://a.example/my.m3u8" with its "==" padding left out.
        let unpadded = "aHR0cHM6Ly9hLmV4YW1wbGUvbXkubTN1OA";
        let page = format!(r#"var s = {{ "hls" :"{unpadded}" }};"#);
        assert_eq!(
            extract(&page, "https://voe.sx/e/1"),
            Ok(VoePage::Player("https://a.example/my.m3u8".into()))
        );
        let plain = "var s = {'hls':'https://b.example/x/master.m3u8'};";
        assert_eq!(
            extract(plain, "https://voe.sx/e/1"),
            Ok(VoePage::Player("https://b.example/x/master.m3u8".into()))
        );
    }

    #[test]
    fn a_page_without_either_pattern_is_an_unrecognised_layout() {
        let error = extract(DELETED_PAGE, "https://voe.sx/e/1").unwrap_err();
        assert_eq!(error, ProviderError::Layout("VOE".into()));
        assert_eq!(error.to_string(), "VOE page layout not recognised");
    }

    #[test]
    fn an_hls_value_that_is_not_base64_of_a_url_is_an_unrecognised_layout() {
        let page = "var s = {'hls': '!!not-base64!!'};";
        assert_eq!(
            extract(page, "https://voe.sx/e/1"),
            Err(ProviderError::Layout("VOE".into()))
        );
    }

    #[tokio::test]
    async fn the_embed_page_forward_is_followed_to_the_player_page() {
        let forward = FORWARD_PAGE.replace("https://kristiesoundsimply.com", "{base}");
        // The player page names "https://cdn.example/hls/master.m3u8" in base64.
        let player = "<script>var sources = {'hls': 'aHR0cHM6Ly9jZG4uZXhhbXBsZS9obHMvbWFzdGVyLm0zdTg='};</script>";
        let site = TestSite::serve(&[("/e/abc", &forward), ("/e/qz1x4h7kd3mf", player)]).await;

        let source = Voe::new(fetcher())
            .resolve(&site.url("/e/abc"))
            .await
            .unwrap();

        assert_eq!(source.url, "https://cdn.example/hls/master.m3u8");
        assert_eq!(source.kind, MediaKind::Hls);
        assert_eq!(source.hoster, "VOE");
        assert_eq!(
            source.headers[0],
            ("Referer".into(), site.url("/e/qz1x4h7kd3mf"))
        );
    }

    #[tokio::test]
    async fn a_missing_embed_page_is_not_found() {
        let site = TestSite::serve(&[("/e/other", PLAYER_PAGE)]).await;
        let error = Voe::new(fetcher()).resolve(&site.url("/e/gone")).await;
        assert_eq!(error, Err(ProviderError::NotFound));
    }
}
