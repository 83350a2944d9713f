//! Streamtape: the media URL is split across a script line
//! `document.getElementById('robotlink').innerHTML = '<a>'+ ('xcd<b>')`; it is
//! `https:` + `<a>` + `<b>`. Decoy elements (`norobotlink`, hidden divs) hold wrong tokens.

use std::sync::LazyLock;

use async_trait::async_trait;
use regex::Regex;

use super::media_source;
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{MediaKind, MediaSource, ProviderError};
use crate::ports::Hoster;

const NAME: &str = "Streamtape";

/// The quote before `robotlink` keeps the `norobotlink` decoy from matching.
static ROBOTLINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\(\s*['"]robotlink['"]\s*\)\.innerHTML\s*=\s*['"]([^'"]*)['"]\s*\+\s*\(\s*['"]xcd([^'"]*)['"]\s*\)"#,
    )
    .expect("valid regex")
});

/// The media URL on a Streamtape embed page.
pub(super) fn extract(page: &str) -> Result<String, ProviderError> {
    let parts = ROBOTLINK
        .captures(page)
        .ok_or_else(|| ProviderError::Layout(NAME.to_owned()))?;
    let (head, tail) = (&parts[1], &parts[2]);
    // The first part is protocol-relative (`//streamtape.com/get_video?...`).
    if head.starts_with("http") {
        Ok(format!("{head}{tail}"))
    } else {
        Ok(format!("https:{head}{tail}"))
    }
}

/// The Streamtape extractor.
#[derive(Clone, Debug)]
pub struct Streamtape {
    fetcher: Fetcher,
}

impl Streamtape {
    /// An extractor fetching through the shared client.
    pub fn new(fetcher: Fetcher) -> Self {
        Self { fetcher }
    }
}

#[async_trait]
impl Hoster for Streamtape {
    fn name(&self) -> &str {
        NAME
    }

    async fn resolve(&self, embed_url: &str) -> Result<MediaSource, ProviderError> {
        let page = self.fetcher.get(embed_url, &[]).await?;
        let found = extract(&page.body)?;
        // `get_video` answers with the MP4 itself.
        media_source(NAME, &page.final_url, &found, Some(MediaKind::Direct))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_site::{TestSite, fetcher};
    use super::*;

    const PLAYER_PAGE: &str = include_str!("../../../tests/fixtures/hosters/streamtape.html");
    const MEDIA: &str = "https://streamtape.com/get_video?id=Gv8wQ2aLzkTZp7&expires=1764498745\
        &ip=F0yUKRWNKxSHDN&token=Nt4xkB1e_Wq9s&stream=1";

    #[test]
    fn the_robotlink_line_yields_https_and_both_parts_without_the_xcd_prefix() {
        assert_eq!(extract(PLAYER_PAGE).unwrap(), MEDIA);
    }

    #[test]
    fn double_quotes_and_spacing_variants_are_understood() {
        let page = r#"document.getElementById("robotlink").innerHTML = "//st.example/get_video?id=1&token=ab" + ( "xcdcd" );"#;
        assert_eq!(
            extract(page).unwrap(),
            "https://st.example/get_video?id=1&token=abcd"
        );
    }

    #[test]
    fn a_page_without_the_robotlink_line_is_an_unrecognised_layout() {
        let page = "document.getElementById('norobotlink').innerHTML = '//x'+ ('xcdy');";
        assert_eq!(
            extract(page).unwrap_err().to_string(),
            "Streamtape page layout not recognised"
        );
    }

    #[tokio::test]
    async fn the_embed_page_is_fetched_and_its_get_video_url_returned() {
        let site = TestSite::serve(&[("/e/Gv8wQ2aLzkTZp7", PLAYER_PAGE)]).await;
        let embed = site.url("/e/Gv8wQ2aLzkTZp7");

        let source = Streamtape::new(fetcher()).resolve(&embed).await.unwrap();

        assert_eq!(source.url, MEDIA);
        assert_eq!(source.kind, MediaKind::Direct);
        assert_eq!(source.headers[0], ("Referer".into(), embed));
    }
}
