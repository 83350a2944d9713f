//! The catalogue site's URLs, all built from the configured base URL: series, season, films and
//! episode pages, the search endpoint, and reading a series key back out of a link.

use crate::domain::catalogue::ProviderError;
use crate::domain::episode::{EpisodeId, FILM_SEASON};
use crate::domain::series::SeriesKey;

/// Where series live on the site. s.to's pages differ and have URLs of their own
/// (`sto/urls.rs`).
const STREAM_PATH: &str = "anime/stream";

/// The URLs of one catalogue site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrls {
    /// The base URL without trailing slash, e.g. `https://aniworld.to`.
    base: String,
}

impl SiteUrls {
    /// Checks that the base URL is an absolute http(s) URL; one trailing slash is tolerated.
    pub fn new(base_url: &str) -> Result<Self, ProviderError> {
        let base = base_url.trim().trim_end_matches('/');
        let host = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))
            .unwrap_or_default();
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(ProviderError::Transport(format!(
                "the catalogue URL {base_url:?} is not an http(s) URL"
            )));
        }
        Ok(Self { base: base.into() })
    }

    /// The base URL without trailing slash, e.g. `https://aniworld.to`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `{base}/ajax/search`.
    pub fn search(&self) -> String {
        format!("{}/ajax/search", self.base)
    }

    /// `{base}/neue-episoden`, the list of recently published episodes.
    pub fn new_episodes(&self) -> String {
        format!("{}/neue-episoden", self.base)
    }

    /// `{base}/anime/stream/<key>`.
    pub fn series(&self, key: &SeriesKey) -> String {
        format!("{}/{STREAM_PATH}/{key}", self.base)
    }

    /// The season page, or the films page for season 0.
    pub fn season(&self, key: &SeriesKey, season: u32) -> String {
        if season == FILM_SEASON {
            format!("{}/filme", self.series(key))
        } else {
            format!("{}/staffel-{season}", self.series(key))
        }
    }

    /// The episode page, or the film page for season 0.
    pub fn episode(&self, key: &SeriesKey, id: EpisodeId) -> String {
        if id.season == FILM_SEASON {
            format!("{}/film-{}", self.season(key, id.season), id.episode)
        } else {
            format!("{}/episode-{}", self.season(key, id.season), id.episode)
        }
    }

    /// A link from a page made absolute: site-relative paths get the base in front.
    pub fn absolute(&self, href: &str) -> String {
        let href = href.trim();
        if href.starts_with("http://") || href.starts_with("https://") {
            href.into()
        } else if let Some(rest) = href.strip_prefix("//") {
            let scheme = self.base.split_once("//").map_or("https:", |(s, _)| s);
            format!("{scheme}//{rest}")
        } else {
            format!("{}/{}", self.base, href.trim_start_matches('/'))
        }
    }

    /// The key of `{base}/anime/stream/<key>` (one trailing slash allowed); `None` otherwise.
    pub fn key_of_link(&self, link: &str) -> Option<SeriesKey> {
        let rest = link
            .trim()
            .strip_prefix(self.base.as_str())?
            .strip_prefix('/')?
            .strip_prefix(STREAM_PATH)?
            .strip_prefix('/')?;
        let key = rest.strip_suffix('/').unwrap_or(rest);
        SeriesKey::parse(key).ok()
    }
}

/// The path of a link as a page writes it: scheme and host, query and fragment dropped.
pub fn path_of(href: &str) -> &str {
    let href = href.trim();
    let without_host = ["https://", "http://", "//"]
        .iter()
        .find_map(|scheme| href.strip_prefix(scheme))
        .map_or(href, |rest| rest.find('/').map_or("", |at| &rest[at..]));
    let end = without_host.find(['?', '#']).unwrap_or(without_host.len());
    &without_host[..end]
}

/// The series key of a site-relative series path `/anime/stream/<key>`; season, episode and
/// other paths give `None`.
pub fn key_of_series_path(path: &str) -> Option<SeriesKey> {
    let key = path
        .strip_prefix('/')?
        .strip_prefix(STREAM_PATH)?
        .strip_prefix('/')?;
    SeriesKey::parse(key).ok()
}

/// `n` of a path part that is exactly `<prefix><n>` (e.g. `staffel-2`); anything after the
/// digits, such as `/episode-3`, makes it not match.
pub fn number_after(part: &str, prefix: &str) -> Option<u32> {
    let digits = part.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The path of a series page relative to the site, `/anime/stream/<key>`.
pub fn series_path(key: &SeriesKey) -> String {
    format!("/{STREAM_PATH}/{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> SeriesKey {
        SeriesKey::parse(k).unwrap()
    }

    #[test]
    fn every_url_is_built_from_the_base_with_a_trailing_slash_tolerated() {
        let urls = SiteUrls::new("http://127.0.0.1:8080/").unwrap();
        let k = key("dr-stone");
        assert_eq!(urls.search(), "http://127.0.0.1:8080/ajax/search");
        assert_eq!(
            urls.series(&k),
            "http://127.0.0.1:8080/anime/stream/dr-stone"
        );
        assert_eq!(urls.season(&k, 2), format!("{}/staffel-2", urls.series(&k)));
        assert_eq!(urls.season(&k, 0), format!("{}/filme", urls.series(&k)));
        assert_eq!(
            urls.episode(&k, EpisodeId::new(0, 3)),
            format!("{}/filme/film-3", urls.series(&k))
        );
        assert_eq!(
            urls.episode(&k, EpisodeId::new(1, 12)),
            format!("{}/staffel-1/episode-12", urls.series(&k))
        );
    }

    #[test]
    fn a_base_that_is_not_an_http_url_is_rejected() {
        for bad in ["", "aniworld.to", "ftp://x", "https://", "http://a b"] {
            assert!(SiteUrls::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_series_links_of_this_site_give_a_key() {
        let urls = SiteUrls::new("https://aniworld.to").unwrap();
        let link = "https://aniworld.to/anime/stream/attack-on-titan";
        assert_eq!(urls.key_of_link(link), Some(key("attack-on-titan")));
        assert_eq!(
            urls.key_of_link(&format!("{link}/")),
            Some(key("attack-on-titan"))
        );
        for other in [
            "https://aniworld.to/anime/stream/attack-on-titan/staffel-1",
            "https://s.to/anime/stream/attack-on-titan",
            "https://aniworld.to/anime/stream/",
            "https://aniworld.to/support/attack-on-titan",
            "https://aniworld.to/anime/stream/Attack",
            "https://aniworld.to/anime/stream/x//",
        ] {
            assert_eq!(urls.key_of_link(other), None, "{other}");
        }
    }

    #[test]
    fn relative_and_protocol_relative_links_are_made_absolute() {
        let urls = SiteUrls::new("http://127.0.0.1:9").unwrap();
        assert_eq!(
            urls.absolute("/redirect/5"),
            "http://127.0.0.1:9/redirect/5"
        );
        assert_eq!(urls.absolute("redirect/5"), "http://127.0.0.1:9/redirect/5");
        assert_eq!(urls.absolute("//cdn.example/x"), "http://cdn.example/x");
        assert_eq!(urls.absolute("https://voe.sx/e/1"), "https://voe.sx/e/1");
    }

    #[test]
    fn the_path_of_a_link_drops_host_query_and_fragment() {
        assert_eq!(
            path_of("https://aniworld.to/anime/stream/x?a=1#top"),
            "/anime/stream/x"
        );
        assert_eq!(path_of("/anime/stream/x/filme"), "/anime/stream/x/filme");
        assert_eq!(path_of("//aniworld.to"), "");
    }

    #[test]
    fn numbers_after_a_marker_must_be_plain_digits() {
        assert_eq!(number_after("staffel-12", "staffel-"), Some(12));
        assert_eq!(number_after("staffel-", "staffel-"), None);
        assert_eq!(number_after("staffel-1a", "staffel-"), None);
        assert_eq!(number_after("staffel-99999999999", "staffel-"), None);
    }
}
