//! s.to's URLs (PROVIDER.md, "Second site: serienstream.to"), all built from the configured
//! base: series, season (`staffel-0` holds films and specials) and episode pages, the suggest
//! API and the HTML search, and reading a series key back out of a link or a page's path.
//!
//! An s.to series key is always `sto:<slug>`; URLs hold the bare slug.

use super::super::links::{SiteUrls, number_after, path_of};
use crate::domain::catalogue::ProviderError;
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;

/// Where series live on the site.
const SERIES_PATH: &str = "/serie/";
/// The old form of a series path, `/serie/stream/<slug>`: the same series.
const OLD_STREAM: &str = "stream";

/// The URLs of s.to at one base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoUrls {
    site: SiteUrls,
}

impl StoUrls {
    /// Checks that the base URL is an absolute http(s) URL; one trailing slash is tolerated.
    ///
    /// # Errors
    /// [`ProviderError::Transport`] when it is not.
    pub fn new(base_url: &str) -> Result<Self, ProviderError> {
        Ok(Self {
            site: SiteUrls::new(base_url)?,
        })
    }

    /// The base URL without trailing slash, e.g. `https://serienstream.to`.
    pub fn base(&self) -> &str {
        self.site.base()
    }

    /// `{base}/serie/<slug>`.
    pub fn series(&self, key: &SeriesKey) -> String {
        format!("{}{SERIES_PATH}{}", self.base(), key.slug())
    }

    /// `{base}/serie/<slug>/staffel-<n>`; season 0 (`staffel-0`) holds films and specials.
    pub fn season(&self, key: &SeriesKey, season: u32) -> String {
        format!("{}/staffel-{season}", self.series(key))
    }

    /// `{base}/serie/<slug>/staffel-<s>/episode-<e>`.
    pub fn episode(&self, key: &SeriesKey, id: EpisodeId) -> String {
        format!("{}/episode-{}", self.season(key, id.season), id.episode)
    }

    /// `{base}/api/search/suggest?term=<query>`, the query percent-encoded.
    pub fn suggest(&self, query: &str) -> String {
        format!("{}/api/search/suggest?term={}", self.base(), encode(query))
    }

    /// `{base}/suche?term=<query>&tab=shows&page=<page>`, the HTML search's page `page`.
    pub fn search_page(&self, query: &str, page: u32) -> String {
        format!(
            "{}/suche?term={}&tab=shows&page={page}",
            self.base(),
            encode(query)
        )
    }

    /// A link from a page made absolute: site-relative paths get the base in front.
    pub fn absolute(&self, href: &str) -> String {
        self.site.absolute(href)
    }

    /// The series a link of this site points to: `{base}/serie/<slug>`, the old
    /// `{base}/serie/stream/<slug>`, with or without a trailing slash or deeper parts
    /// (`/staffel-2/episode-3`), or such a path without scheme and host. Links to another
    /// host, and other paths, give `None`.
    pub fn key_of_link(&self, link: &str) -> Option<SeriesKey> {
        let link = link.trim();
        if !link.starts_with('/') || link.starts_with("//") {
            let (_, own_host) = self.base().split_once("//")?;
            let rest = ["https://", "http://", "//"]
                .iter()
                .find_map(|scheme| link.strip_prefix(scheme))?;
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            if !host.eq_ignore_ascii_case(own_host) {
                return None;
            }
        }
        let (slug, _) = split_series_path(path_of(link))?;
        SeriesKey::on(Site::Sto, slug).ok()
    }

    /// The links and images of pages are made absolute on the same base as aniworld.to's.
    pub(in crate::adapters::catalogue) fn site(&self) -> &SiteUrls {
        &self.site
    }
}

/// Percent-encodes a query value (a space is `%20`).
fn encode(query: &str) -> String {
    // form_urlencoded writes a space as `+` and a literal `+` as `%2B`, so every `+` left is a
    // space.
    url::form_urlencoded::byte_serialize(query.trim().as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// The slug of a series path and what follows it: `/serie/<slug>` or `/serie/stream/<slug>`,
/// then `""`, `"/"` or deeper parts such as `"/staffel-2"`. The slug is not checked here.
pub(super) fn split_series_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix(SERIES_PATH)?;
    let (first, after) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if first == OLD_STREAM {
        // `/serie/stream/<slug>` unless what follows is a season: then `stream` is the slug.
        let next = after.trim_start_matches('/');
        let (second, deeper) = next.split_at(next.find('/').unwrap_or(next.len()));
        if after.starts_with('/') && !second.is_empty() && !is_season_part(second) {
            return Some((second, deeper));
        }
    }
    (!first.is_empty()).then_some((first, after))
}

/// Whether a path part is `staffel-<n>`.
fn is_season_part(part: &str) -> bool {
    number_after(part, "staffel-").is_some()
}

/// The slug of a series page's path (`/serie/<slug>` or `/serie/stream/<slug>`, one trailing
/// slash allowed); season, episode and other paths give `None`.
pub fn slug_of_path(path: &str) -> Option<&str> {
    let (slug, rest) = split_series_path(path)?;
    (rest.is_empty() || rest == "/").then_some(slug)
}

/// What a path says past the series `slug`: `Some(rest)` for `/serie/<slug><rest>` (or the
/// old form), e.g. `/staffel-2`; `None` for a path of another series or no series.
pub(super) fn rest_of_own_path<'a>(path: &'a str, slug: &str) -> Option<&'a str> {
    split_series_path(path)
        .filter(|(own, _)| *own == slug)
        .map(|(_, rest)| rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(slug: &str) -> SeriesKey {
        SeriesKey::on(Site::Sto, slug).unwrap()
    }

    #[test]
    fn every_url_uses_the_bare_slug_on_the_base_with_a_trailing_slash_tolerated() {
        let urls = StoUrls::new("http://127.0.0.1:8080/").unwrap();
        let k = key("breaking-bad");
        assert_eq!(k.as_str(), "sto:breaking-bad");
        assert_eq!(urls.series(&k), "http://127.0.0.1:8080/serie/breaking-bad");
        assert_eq!(
            urls.season(&k, 0),
            "http://127.0.0.1:8080/serie/breaking-bad/staffel-0"
        );
        assert_eq!(
            urls.episode(&k, EpisodeId::new(2, 13)),
            "http://127.0.0.1:8080/serie/breaking-bad/staffel-2/episode-13"
        );
        assert_eq!(
            urls.episode(&k, EpisodeId::new(0, 1)),
            "http://127.0.0.1:8080/serie/breaking-bad/staffel-0/episode-1"
        );
    }

    #[test]
    fn search_urls_percent_encode_the_query() {
        let urls = StoUrls::new("https://serienstream.to").unwrap();
        assert_eq!(
            urls.suggest(" Grey's Anatomy & Co+ "),
            "https://serienstream.to/api/search/suggest?term=Grey%27s%20Anatomy%20%26%20Co%2B"
        );
        assert_eq!(
            urls.search_page("die drei ???", 2),
            "https://serienstream.to/suche?term=die%20drei%20%3F%3F%3F&tab=shows&page=2"
        );
        assert_eq!(
            urls.suggest("Ärzte"),
            "https://serienstream.to/api/search/suggest?term=%C3%84rzte"
        );
    }

    #[test]
    fn a_base_that_is_not_an_http_url_is_rejected() {
        for bad in [
            "",
            "serienstream.to",
            "ftp://s.to",
            "https://",
            "http://a b",
        ] {
            assert!(StoUrls::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn series_links_of_this_site_in_every_form_give_the_sto_key() {
        let urls = StoUrls::new("https://serienstream.to").unwrap();
        for link in [
            "https://serienstream.to/serie/breaking-bad",
            "https://serienstream.to/serie/breaking-bad/",
            "http://SerienStream.to/serie/breaking-bad?ref=home#top",
            "https://serienstream.to/serie/stream/breaking-bad",
            "https://serienstream.to/serie/stream/breaking-bad/staffel-2",
            "https://serienstream.to/serie/breaking-bad/staffel-0/episode-1",
            "/serie/breaking-bad",
            " /serie/stream/breaking-bad/ ",
        ] {
            assert_eq!(urls.key_of_link(link), Some(key("breaking-bad")), "{link}");
        }
    }

    #[test]
    fn other_hosts_and_other_paths_give_no_key() {
        let urls = StoUrls::new("https://serienstream.to").unwrap();
        for link in [
            "https://aniworld.to/serie/breaking-bad",
            "https://serienstream.to.evil.example/serie/breaking-bad",
            "https://serienstream.to/anime/stream/breaking-bad",
            "https://serienstream.to/serie/",
            "https://serienstream.to/serie/Breaking Bad",
            "https://serienstream.to/serien",
            "https://serienstream.to/",
            "serie/breaking-bad",
            "",
        ] {
            assert_eq!(urls.key_of_link(link), None, "{link}");
        }
    }

    #[test]
    fn a_series_called_stream_is_told_from_the_old_path_form() {
        let urls = StoUrls::new("https://serienstream.to").unwrap();
        assert_eq!(urls.key_of_link("/serie/stream"), Some(key("stream")));
        assert_eq!(
            urls.key_of_link("/serie/stream/staffel-1"),
            Some(key("stream"))
        );
        assert_eq!(slug_of_path("/serie/stream/"), Some("stream"));
    }

    #[test]
    fn only_a_series_page_path_has_a_slug() {
        assert_eq!(slug_of_path("/serie/dark"), Some("dark"));
        assert_eq!(slug_of_path("/serie/stream/dark/"), Some("dark"));
        assert_eq!(slug_of_path("/serie/dark/staffel-1"), None);
        assert_eq!(slug_of_path("/person/dark"), None);
        assert_eq!(
            rest_of_own_path("/serie/dark/staffel-2", "dark"),
            Some("/staffel-2")
        );
        assert_eq!(
            rest_of_own_path("/serie/dark-matter/staffel-2", "dark"),
            None
        );
    }

    #[test]
    fn relative_links_are_made_absolute() {
        let urls = StoUrls::new("http://127.0.0.1:9/").unwrap();
        assert_eq!(
            urls.absolute("/r?t=abc%3D"),
            "http://127.0.0.1:9/r?t=abc%3D"
        );
        assert_eq!(urls.base(), "http://127.0.0.1:9");
    }
}
