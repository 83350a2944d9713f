//! Vidmoly: a JW Player setup with `file:"<url>"` (spaces allowed after the colon); the URL
//! is an HLS playlist or an MP4 file.

use std::sync::LazyLock;

use regex::Regex;

use super::SinglePageHoster;
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::ProviderError;

const NAME: &str = "Vidmoly";

/// Every `file: "<url>"` (the key may be quoted, as in JSON).
static FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["']?\bfile["']?\s*:\s*["']([^"']+)["']"#).expect("valid regex")
});

/// The player's logo, poster and thumbnail tracks are `file:` entries too; they are never
/// the video.
const NOT_MEDIA: [&str; 7] = [".vtt", ".srt", ".jpg", ".jpeg", ".png", ".webp", ".gif"];

/// The media URL on a Vidmoly embed page, as written there.
pub(super) fn extract(page: &str) -> Result<String, ProviderError> {
    FILE.captures_iter(page)
        .map(|c| c[1].to_owned())
        .find(|url| {
            let path = url
                .split(['?', '#'])
                .next()
                .unwrap_or(url)
                .to_ascii_lowercase();
            !NOT_MEDIA.iter().any(|ext| path.ends_with(ext))
        })
        .ok_or_else(|| ProviderError::Layout(NAME.to_owned()))
}

/// The Vidmoly extractor: its embed page holds the media URL itself.
pub fn hoster(fetcher: Fetcher) -> SinglePageHoster {
    SinglePageHoster {
        name: NAME,
        fetcher,
        extract: |page, _| extract(page),
        kind: None,
        // `file:"<url>"` is every JW Player's (Luluvdo's too): only the host tells.
        hosts: &["vidmoly"],
        landmarks: |_| false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_site::{TestSite, fetcher, resolve_at};
    use super::*;
    use crate::domain::catalogue::MediaKind;

    const PLAYER_PAGE: &str = include_str!("../../../tests/fixtures/hosters/vidmoly.html");
    const PLAYLIST: &str = "https://box-1032-t.vmeas.cloud/hls/xqx2o3bu4mzxbf3tay,ngcvbu3yxc6lzgugnqa,.urlset/master.m3u8";

    #[test]
    fn the_player_setup_yields_the_video_not_the_logo_or_thumbnails() {
        assert_eq!(extract(PLAYER_PAGE).unwrap(), PLAYLIST);
    }

    #[test]
    fn spaces_after_the_colon_quoted_keys_and_single_quotes_are_understood() {
        assert_eq!(
            extract(r#"sources: [{file:   "https://m.example/v.mp4"}]"#).unwrap(),
            "https://m.example/v.mp4"
        );
        assert_eq!(
            extract(r#"{"file": 'https://m.example/a.m3u8'}"#).unwrap(),
            "https://m.example/a.m3u8"
        );
    }

    #[test]
    fn a_page_without_a_video_file_is_an_unrecognised_layout() {
        let page = r#"<script>var logo = {file:"https://vidmoly.to/logo.png"};</script>"#;
        assert_eq!(
            extract(page).unwrap_err().to_string(),
            "Vidmoly page layout not recognised"
        );
    }

    #[tokio::test]
    async fn the_embed_page_is_fetched_and_its_playlist_returned_as_hls() {
        let site = TestSite::serve(&[("/embed-w5n4a8f3kq2l.html", PLAYER_PAGE)]).await;
        let embed = site.url("/embed-w5n4a8f3kq2l.html");

        let source = resolve_at(&hoster(fetcher()), &embed).await.unwrap();

        assert_eq!(source.url, PLAYLIST);
        assert_eq!(source.kind, MediaKind::Hls);
        assert_eq!(source.hoster, "Vidmoly");
        assert_eq!(source.headers[0], ("Referer".into(), embed));
    }
}
