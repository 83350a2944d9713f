//! One extractor per video hoster and the registry that picks them by name.
//!
//! Each hoster file holds its landmark patterns as a pure `extract(page, page_url)` function,
//! tested on fixture pages, and a thin [`Hoster`] implementation that reads the embed page
//! (opened once through the shared [`Fetcher`], see [`landing`]) and says whether a landed
//! page is its own. What they share lives here: turning a found URL into a [`MediaSource`]
//! with the headers media requests need.

mod doodstream;
mod filemoon;
#[doc(hidden)]
pub mod fuzzing;
mod landing;
mod luluvdo;
mod streamtape;
mod vidara;
mod vidmoly;
mod vidoza;
mod voe;

#[cfg(test)]
mod fuzzed;
#[cfg(test)]
mod test_site;

use std::sync::Arc;

use async_trait::async_trait;

use crate::adapters::fetch::{Fetcher, USER_AGENT};
use crate::domain::catalogue::{MediaKind, MediaSource, ProviderError};
use crate::ports::Hoster;
use crate::ports::catalogue::{EmbedPage, Recognition};

pub use doodstream::Doodstream;
pub use filemoon::Filemoon;
pub use luluvdo::Luluvdo;
pub use vidara::Vidara;
pub use voe::Voe;

/// Every hoster we can extract from, in the default preference order (which is also the
/// order in which two hosters recognising a landed page equally surely are preferred).
pub fn all(fetcher: Fetcher) -> Vec<Arc<dyn Hoster>> {
    vec![
        Arc::new(Voe::new(fetcher.clone())),
        Arc::new(Filemoon::new(fetcher.clone())),
        Arc::new(vidmoly::hoster(fetcher.clone())),
        Arc::new(Doodstream::new(fetcher.clone())),
        Arc::new(vidoza::hoster(fetcher.clone())),
        Arc::new(streamtape::hoster(fetcher.clone())),
        Arc::new(Vidara::new("Vidara", fetcher.clone())),
        Arc::new(Vidara::new("Vidavaca", fetcher.clone())),
        Arc::new(Luluvdo::new(fetcher)),
    ]
}

/// The hoster the catalogue calls `name` (case-insensitive: the site writes `VOE`, a
/// configuration may say `voe`); `None`, with a debug line, for a hoster we have no
/// extractor for.
pub fn by_name(hosters: &[Arc<dyn Hoster>], name: &str) -> Option<Arc<dyn Hoster>> {
    let found = hosters
        .iter()
        .find(|h| h.name().eq_ignore_ascii_case(name.trim()))
        .cloned();
    if found.is_none() {
        tracing::debug!(hoster = name, "no extractor for this hoster; skipped");
    }
    found
}

/// The hosters named in `names`, in that order; unknown names are skipped (see [`by_name`]).
pub fn in_preference_order(hosters: &[Arc<dyn Hoster>], names: &[String]) -> Vec<Arc<dyn Hoster>> {
    names.iter().filter_map(|n| by_name(hosters, n)).collect()
}

/// A hoster whose embed page holds the media URL (Vidoza, Vidmoly, Streamtape): run the
/// hoster's pure extractor on the page, and describe what it found.
pub struct SinglePageHoster {
    name: &'static str,
    fetcher: Fetcher,
    /// Finds the media URL (as written) in the page text; given the page's final URL too.
    extract: fn(&str, &str) -> Result<String, ProviderError>,
    /// The media kind when the hoster fixes it; else guessed from the URL.
    kind: Option<MediaKind>,
    /// The hoster's domain names (see [`landing::host_named`]).
    hosts: &'static [&'static str],
    /// Whether a page holds a landmark only this hoster's pages have.
    landmarks: fn(&str) -> bool,
}

#[async_trait]
impl Hoster for SinglePageHoster {
    fn name(&self) -> &str {
        self.name
    }

    async fn open(&self, embed_url: &str, linked_from: &str) -> Result<EmbedPage, ProviderError> {
        landing::open(&self.fetcher, embed_url, linked_from).await
    }

    fn recognises(&self, page: &EmbedPage) -> Recognition {
        landing::recognition(page, self.hosts, (self.landmarks)(&page.body))
    }

    async fn resolve(&self, page: &EmbedPage) -> Result<MediaSource, ProviderError> {
        let found = (self.extract)(&page.body, &page.url)?;
        media_source(self.name, &page.url, &found, self.kind)
    }
}

/// A media URL found on `page_url` as a [`MediaSource`]: resolved to an absolute URL, with
/// the embed page as `Referer` and a browser `User-Agent` (hosters refuse media requests
/// without them).
fn media_source(
    hoster: &str,
    page_url: &str,
    found: &str,
    kind: Option<MediaKind>,
) -> Result<MediaSource, ProviderError> {
    let url = absolute(hoster, page_url, found)?;
    let kind = kind.unwrap_or_else(|| kind_of(&url));
    Ok(MediaSource {
        url,
        kind,
        headers: vec![
            ("Referer".to_owned(), page_url.to_owned()),
            ("User-Agent".to_owned(), USER_AGENT.to_owned()),
        ],
        hoster: hoster.to_owned(),
    })
}

/// HLS when the URL's path names a playlist (`.m3u8`), else a direct file.
fn kind_of(url: &str) -> MediaKind {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    if path.to_ascii_lowercase().contains(".m3u8") {
        MediaKind::Hls
    } else {
        MediaKind::Direct
    }
}

/// A URL as written in a page (JSON-escaped slashes, `&amp;` in attributes, protocol-relative
/// or relative) as an absolute http(s) URL; anything else means the layout changed.
fn absolute(hoster: &str, page_url: &str, found: &str) -> Result<String, ProviderError> {
    let cleaned = found.trim().replace("\\/", "/").replace("&amp;", "&");
    let layout = || ProviderError::Layout(hoster.to_owned());
    let base = url::Url::parse(page_url).map_err(|_| layout())?;
    let url = base.join(&cleaned).map_err(|_| layout())?;
    if matches!(url.scheme(), "http" | "https") {
        Ok(url.into())
    } else {
        Err(layout())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn registry() -> Vec<Arc<dyn Hoster>> {
        all(Fetcher::new(Duration::from_secs(5), 1 << 20).unwrap())
    }

    #[test]
    fn hosters_are_found_by_name_whatever_the_case() {
        let hosters = registry();
        assert_eq!(by_name(&hosters, "voe").unwrap().name(), "VOE");
        assert_eq!(
            by_name(&hosters, " STREAMTAPE ").unwrap().name(),
            "Streamtape"
        );
        assert_eq!(by_name(&hosters, "filemoon").unwrap().name(), "Filemoon");
        assert_eq!(
            by_name(&hosters, "DoodStream").unwrap().name(),
            "Doodstream"
        );
        assert_eq!(by_name(&hosters, "vidavaca").unwrap().name(), "Vidavaca");
        assert_eq!(by_name(&hosters, "LULUVDO").unwrap().name(), "Luluvdo");
        assert!(by_name(&hosters, "SpeedFiles").is_none());
    }

    #[test]
    fn the_registry_lists_every_hoster_in_the_default_order() {
        let names: Vec<String> = registry().iter().map(|h| h.name().to_owned()).collect();
        let defaults = crate::domain::config::DownloadConfig::default().preferred_hosters;
        assert_eq!(names, defaults);
    }

    #[test]
    fn preference_order_is_kept_and_unknown_names_are_skipped() {
        let names = ["Vidmoly", "SpeedFiles", "voe", "Filemoon"].map(String::from);
        let names: Vec<_> = in_preference_order(&registry(), &names)
            .iter()
            .map(|h| h.name().to_owned())
            .collect();
        assert_eq!(names, ["Vidmoly", "VOE", "Filemoon"]);
    }

    #[test]
    fn playlist_urls_are_hls_and_everything_else_is_direct() {
        assert_eq!(
            kind_of("https://a.example/x/master.m3u8?t=1"),
            MediaKind::Hls
        );
        assert_eq!(kind_of("https://a.example/x/INDEX.M3U8"), MediaKind::Hls);
        assert_eq!(
            kind_of("https://a.example/v.mp4?name=a.m3u8"),
            MediaKind::Direct
        );
    }

    #[test]
    fn found_urls_are_unescaped_and_made_absolute() {
        let page = "https://vidoza.example/embed-1.html";
        assert_eq!(
            absolute("Vidoza", page, "\\/\\/cdn.example\\/v.mp4?a=1&amp;b=2").unwrap(),
            "https://cdn.example/v.mp4?a=1&b=2"
        );
        assert_eq!(
            absolute("Vidoza", page, "javascript:void(0)"),
            Err(ProviderError::Layout("Vidoza".into()))
        );
    }

    #[test]
    fn a_media_source_carries_the_embed_page_as_referer_and_a_browser_user_agent() {
        let source = media_source("Vidoza", "https://v.example/e", "/v.mp4", None).unwrap();
        assert_eq!(source.url, "https://v.example/v.mp4");
        assert_eq!(source.kind, MediaKind::Direct);
        assert_eq!(source.hoster, "Vidoza");
        assert_eq!(
            source.headers,
            vec![
                ("Referer".to_owned(), "https://v.example/e".to_owned()),
                ("User-Agent".to_owned(), USER_AGENT.to_owned()),
            ]
        );
    }
}
