//! Vidoza: a player script with `sourcesCode: [{ src: "<url>", ... }]`, or a
//! `<source src="<url>" type="video/mp4">` element; either way a direct MP4 URL.

use std::sync::LazyLock;

use regex::Regex;

use super::SinglePageHoster;
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::ProviderError;

const NAME: &str = "Vidoza";

/// The first `src:` inside the `sourcesCode` array (other objects, such as the ads
/// configuration, carry a `src` of their own).
static SOURCES_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"sourcesCode\s*:\s*\[\s*\{[^}]*?\bsrc\s*:\s*["']([^"']+)["']"#)
        .expect("valid regex")
});

/// A `<source ...>` element, attributes in any order and across lines.
static SOURCE_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<source\b[^>]*>").expect("valid regex"));

static SRC_ATTRIBUTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)\ssrc\s*=\s*["']([^"']+)["']"#).expect("valid regex"));

static MP4_TYPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)\btype\s*=\s*["']video/mp4["']"#).expect("valid regex"));

/// The media URL on a Vidoza embed page, as written there.
pub(super) fn extract(page: &str) -> Result<String, ProviderError> {
    if let Some(found) = SOURCES_CODE.captures(page) {
        return Ok(found[1].to_owned());
    }
    SOURCE_TAG
        .find_iter(page)
        .map(|tag| tag.as_str())
        // Subtitle and thumbnail tracks are `<source>` elements too.
        .filter(|tag| MP4_TYPE.is_match(tag))
        .find_map(|tag| SRC_ATTRIBUTE.captures(tag).map(|c| c[1].to_owned()))
        .ok_or_else(|| ProviderError::Layout(NAME.to_owned()))
}

/// The Vidoza extractor: its embed page holds the media URL itself.
pub fn hoster(fetcher: Fetcher) -> SinglePageHoster {
    SinglePageHoster {
        name: NAME,
        fetcher,
        extract: |page, _| extract(page),
        kind: None,
        hosts: &["vidoza", "videzz"],
        landmarks: |page| SOURCES_CODE.is_match(page),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_site::{TestSite, fetcher, resolve_at};
    use super::*;
    use crate::domain::catalogue::MediaKind;

    const PLAYER_PAGE: &str = include_str!("../../../tests/fixtures/hosters/vidoza.html");
    const SOURCE_TAG_PAGE: &str =
        include_str!("../../../tests/fixtures/hosters/vidoza_source_tag.html");

    #[test]
    fn the_sources_code_script_yields_the_mp4_url_not_the_ads_url() {
        assert_eq!(
            extract(PLAYER_PAGE).unwrap(),
            "https://str38.vidoza.net/vod/v2/w8h2dx4a1kq3ez9o4sc7ylqn7q5t3dqhkthvmwh7hyh6yjuvqjsvfxpfm4ra/v.mp4"
        );
    }

    #[test]
    fn a_source_element_of_type_mp4_is_used_when_the_script_is_missing() {
        assert_eq!(
            extract(SOURCE_TAG_PAGE).unwrap(),
            "https://str21.vidoza.net/vod/v2/x7k2lr0kq9/v.mp4?download=0&amp;hash=ab12"
        );
    }

    #[test]
    fn single_quotes_and_tight_spacing_are_understood() {
        let page = "sourcesCode:[{src:'https://s.example/v.mp4',type:'video/mp4'}]";
        assert_eq!(extract(page).unwrap(), "https://s.example/v.mp4");
    }

    #[test]
    fn a_page_without_sources_is_an_unrecognised_layout() {
        let page = "<html><body><h1>File was deleted</h1><source src='a.vtt' type='text/vtt'></body></html>";
        let error = extract(page).unwrap_err();
        assert_eq!(error.to_string(), "Vidoza page layout not recognised");
    }

    #[tokio::test]
    async fn the_embed_page_is_fetched_and_its_mp4_returned_with_the_page_as_referer() {
        let site = TestSite::serve(&[("/embed-x7k2.html", SOURCE_TAG_PAGE)]).await;
        let embed = site.url("/embed-x7k2.html");

        let source = resolve_at(&hoster(fetcher()), &embed).await.unwrap();

        assert_eq!(
            source.url,
            "https://str21.vidoza.net/vod/v2/x7k2lr0kq9/v.mp4?download=0&hash=ab12"
        );
        assert_eq!(source.kind, MediaKind::Direct);
        assert_eq!(source.headers[0], ("Referer".into(), embed));
    }
}
