//! Streamtape: the media URL is split across a script line
//! `document.getElementById('robotlink').innerHTML = '<a>'+ ('xcd<b>')`; it is
//! `https:` + `<a>` + `<b>`. Decoy elements (`norobotlink`, hidden divs) hold wrong tokens.
//! `<a>` is protocol-relative, so like a browser we give it the embed page's scheme: `https:`
//! on the real site, `http:` only where the embed page itself was served over plain HTTP
//! (a local test site).

use std::sync::LazyLock;

use regex::Regex;

use super::SinglePageHoster;
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{MediaKind, ProviderError};

const NAME: &str = "Streamtape";

/// The quote before `robotlink` keeps the `norobotlink` decoy from matching.
static ROBOTLINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\(\s*['"]robotlink['"]\s*\)\.innerHTML\s*=\s*['"]([^'"]*)['"]\s*\+\s*\(\s*['"]xcd([^'"]*)['"]\s*\)"#,
    )
    .expect("valid regex")
});

/// The media URL on a Streamtape embed page.
pub(super) fn extract(page: &str, page_url: &str) -> Result<String, ProviderError> {
    let parts = ROBOTLINK
        .captures(page)
        .ok_or_else(|| ProviderError::Layout(NAME.to_owned()))?;
    let (head, tail) = (&parts[1], &parts[2]);
    // The first part is protocol-relative (`//streamtape.com/get_video?...`).
    if head.starts_with("http") {
        Ok(format!("{head}{tail}"))
    } else {
        let scheme = if page_url.starts_with("http://") {
            "http"
        } else {
            "https"
        };
        Ok(format!("{scheme}:{head}{tail}"))
    }
}

/// The Streamtape extractor: its embed page holds the media URL itself.
pub fn hoster(fetcher: Fetcher) -> SinglePageHoster {
    SinglePageHoster {
        name: NAME,
        fetcher,
        extract,
        kind: Some(MediaKind::Direct),
        hosts: &["streamtape", "strtape", "streamta"],
        landmarks: |page| ROBOTLINK.is_match(page),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_site::{TestSite, fetcher, resolve_at};
    use super::*;

    const PLAYER_PAGE: &str = include_str!("../../../tests/fixtures/hosters/streamtape.html");
    const MEDIA: &str = "https://streamtape.com/get_video?id=Gv8wQ2aLzkTZp7&expires=1764498745\
        &ip=F0yUKRWNKxSHDN&token=Nt4xkB1e_Wq9s&stream=1";
    const EMBED: &str = "https://streamtape.com/e/Gv8wQ2aLzkTZp7";

    #[test]
    fn a_page_served_over_plain_http_gives_an_http_media_url() {
        let url = extract(PLAYER_PAGE, "http://127.0.0.1:8080/e/x").unwrap();
        assert_eq!(url, MEDIA.replacen("https:", "http:", 1));
    }

    #[test]
    fn the_robotlink_line_yields_https_and_both_parts_without_the_xcd_prefix() {
        assert_eq!(extract(PLAYER_PAGE, EMBED).unwrap(), MEDIA);
    }

    #[test]
    fn double_quotes_and_spacing_variants_are_understood() {
        let page = r#"document.getElementById("robotlink").innerHTML = "//st.example/get_video?id=1&token=ab" + ( "xcdcd" );"#;
        assert_eq!(
            extract(page, EMBED).unwrap(),
            "https://st.example/get_video?id=1&token=abcd"
        );
    }

    #[test]
    fn a_page_without_the_robotlink_line_is_an_unrecognised_layout() {
        let page = "document.getElementById('norobotlink').innerHTML = '//x'+ ('xcdy');";
        assert_eq!(
            extract(page, EMBED).unwrap_err().to_string(),
            "Streamtape page layout not recognised"
        );
    }

    #[tokio::test]
    async fn the_embed_page_is_fetched_and_its_get_video_url_returned() {
        let site = TestSite::serve(&[("/e/Gv8wQ2aLzkTZp7", PLAYER_PAGE)]).await;
        let embed = site.url("/e/Gv8wQ2aLzkTZp7");

        let source = resolve_at(&hoster(fetcher()), &embed).await.unwrap();

        assert_eq!(
            source.url,
            MEDIA.replacen("https:", "http:", 1),
            "the local site speaks plain HTTP"
        );
        assert_eq!(source.kind, MediaKind::Direct);
        assert_eq!(source.headers[0], ("Referer".into(), embed));
    }
}
