//! What the catalogue site and the video hosters tell us, in the product's words. The domain
//! never sees HTML: adapters turn pages into these values or into a [`ProviderError`].

use serde::{Deserialize, Serialize};

use super::episode::EpisodeId;
use super::series::SeriesKey;
use super::series_metadata::SeriesMetadata;

/// The browser the product presents itself as to the catalogue and the hosters, as the
/// health report names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrowserIdentity {
    pub user_agent: String,
    /// What the TLS handshake is modelled on (`BoringSSL as Chrome 156`).
    pub tls: String,
    /// The protocols offered by ALPN, in order.
    pub alpn: Vec<String>,
}

/// One series found by a catalogue search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub key: SeriesKey,
    /// Display name, with highlight tags stripped and entities decoded.
    pub name: String,
    /// Absolute URL of the series page.
    pub link: String,
}

/// The series page: title, description, first year, seasons, films and the metadata line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesDetails {
    pub key: SeriesKey,
    pub name: String,
    pub description: Option<String>,
    /// The year the series first aired, where the page gives it.
    pub year: Option<i32>,
    /// Season numbers (1, 2, ...), ascending; films are not a season here.
    pub seasons: Vec<u32>,
    /// True when the page links a films page (the product's season 0).
    pub has_films: bool,
    /// Absolute URL of the series page.
    pub link: String,
    /// Cover, other titles, last year, genres, FSK and IMDb id, where the page gives them.
    pub metadata: SeriesMetadata,
}

/// One episode as a season (or films) page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeListing {
    pub id: EpisodeId,
    pub title_german: Option<String>,
    pub title_english: Option<String>,
}

/// The audio/subtitle variant a hoster link offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    #[serde(rename = "German Dub")]
    GermanDub,
    #[serde(rename = "English Sub")]
    EnglishSub,
    #[serde(rename = "German Sub")]
    GermanSub,
}

impl Language {
    /// The catalogue's `data-lang-key`: 1 German Dub, 2 English Sub, 3 German Sub.
    pub fn from_site_key(key: &str) -> Option<Self> {
        match key.trim() {
            "1" => Some(Self::GermanDub),
            "2" => Some(Self::EnglishSub),
            "3" => Some(Self::GermanSub),
            _ => None,
        }
    }

    /// The name used in configuration and the API.
    pub fn name(&self) -> &'static str {
        match self {
            Self::GermanDub => "German Dub",
            Self::EnglishSub => "English Sub",
            Self::GermanSub => "German Sub",
        }
    }

    /// The language a flag image stands for, by its file name as the site's pages use them
    /// (`german.svg` German Dub, `japanese-german.svg` German Sub, `japanese-english.svg`
    /// English Sub); `english.svg` (English Dub) and others are no language we download.
    pub fn from_flag(src: &str) -> Option<Self> {
        let file = src.rsplit('/').next()?;
        let name = file.split(['?', '#']).next()?.strip_suffix(".svg")?;
        match name.to_ascii_lowercase().as_str() {
            "german" => Some(Self::GermanDub),
            "japanese-german" => Some(Self::GermanSub),
            "japanese-english" => Some(Self::EnglishSub),
            _ => None,
        }
    }

    /// Parses a configured name (case-insensitive).
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::GermanDub, Self::EnglishSub, Self::GermanSub]
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// A link from an episode page to one hoster's copy of the episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HosterLink {
    /// The hoster's name as the page shows it (`VOE`, `Vidoza`, ...).
    pub hoster: String,
    pub language: Language,
    /// Absolute URL of the catalogue's redirect to the hoster's embed page.
    pub redirect_url: String,
}

/// One entry of the site's new-episodes page: an episode of a series was published (in a
/// language, where its flag is one we know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEpisode {
    pub key: SeriesKey,
    pub episode: EpisodeId,
    pub language: Option<Language>,
}

/// An episode page: titles, languages offered and hoster links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeDetails {
    pub id: EpisodeId,
    pub title_german: Option<String>,
    pub title_english: Option<String>,
    pub languages: Vec<Language>,
    pub hosters: Vec<HosterLink>,
}

/// How a media source is transferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MediaKind {
    /// A plain file (MP4) fetched with HTTP GET, resumable with `Range`.
    Direct,
    /// An HLS playlist (master or media).
    Hls,
}

/// What a hoster's embed page resolves to: a downloadable URL and the headers it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaSource {
    pub url: String,
    pub kind: MediaKind,
    /// Headers to send with every media request (`Referer`, `User-Agent`).
    pub headers: Vec<(String, String)>,
    /// The hoster that resolved it.
    pub hoster: String,
}

/// Why talking to the catalogue or a hoster failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The series, season or episode does not exist (HTTP 404 or a page without its landmark).
    #[error("not found on the catalogue site")]
    NotFound,
    /// The page came back but a landmark the scraper relies on is missing. Holds the page
    /// (a hoster's name, or e.g. `series page: <landmark>` naming the missing landmark).
    #[error("{}", layout_message(.0))]
    Layout(String),
    /// The site answered with an unexpected HTTP status.
    #[error("upstream answered HTTP {0}")]
    Status(u16),
    /// No answer within the configured time.
    #[error("upstream did not answer in time")]
    Timeout,
    /// The answer was larger than the configured cap.
    #[error("upstream answer larger than {0} bytes")]
    TooLarge(u64),
    /// Connection refused, reset, DNS, TLS or an unreadable body.
    #[error("upstream unreachable: {0}")]
    Transport(String),
    /// Bot protection answered with a challenge page instead of the page (PROVIDER.md,
    /// "Challenge pages"); holds the host that asked. Not a layout change, and not worth a
    /// quick retry.
    #[error("{0} asks for a browser challenge")]
    Challenge(String),
    /// The site refused the product (HTTP 403, 429 or 503 without a challenge page; PROVIDER.md,
    /// "Looking like a browser, and being refused"): not "not found", not a layout change, and
    /// not retried in a loop. `solver` is why FlareSolverr could not help, when one is
    /// configured; without one, the message names it as the remedy.
    #[error("{}", refused_message(host, *status, solver.as_deref()))]
    Refused {
        host: String,
        status: u16,
        solver: Option<String>,
    },
}

/// "aniworld.to refused the request (HTTP 403)", and what would help.
fn refused_message(host: &str, status: u16, solver: Option<&str>) -> String {
    match solver {
        None => format!(
            "{host} refused the request (HTTP {status}): it lets only browsers in; configure \
             FlareSolverr (provider.flaresolverr_url) to get through"
        ),
        Some(why) => format!(
            "{host} refused the request (HTTP {status}), and FlareSolverr could not help: {why}"
        ),
    }
}

/// "VOE page layout not recognised", or "series page layout not recognised (missing X)".
fn layout_message(what: &str) -> String {
    match what.split_once(": ") {
        Some((page, landmark)) => format!("{page} layout not recognised (missing {landmark})"),
        None => format!("{what} page layout not recognised"),
    }
}

impl ProviderError {
    /// Whether background work should retry this error after a backoff.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Timeout | Self::Transport(_))
            || matches!(self.status(), Some(s) if s == 429 || s >= 500)
    }

    /// The HTTP status behind an unexpected status or a refusal.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status(s) | Self::Refused { status: s, .. } => Some(*s),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_language_keys_map_to_languages() {
        assert_eq!(Language::from_site_key("1"), Some(Language::GermanDub));
        assert_eq!(Language::from_site_key("2"), Some(Language::EnglishSub));
        assert_eq!(Language::from_site_key("3"), Some(Language::GermanSub));
        assert_eq!(Language::from_site_key("4"), None);
    }

    #[test]
    fn language_names_parse_case_insensitively() {
        assert_eq!(Language::from_name("german sub"), Some(Language::GermanSub));
        assert_eq!(Language::from_name("Klingon"), None);
    }

    #[test]
    fn layout_errors_name_the_page_and_the_missing_landmark() {
        assert_eq!(
            ProviderError::Layout("VOE".into()).to_string(),
            "VOE page layout not recognised"
        );
        assert_eq!(
            ProviderError::Layout("series page: div.series-title h1 span".into()).to_string(),
            "series page layout not recognised (missing div.series-title h1 span)"
        );
    }

    #[test]
    fn a_challenge_names_who_asks_and_is_not_retried_at_once() {
        let e = ProviderError::Challenge("voe.sx".into());
        assert_eq!(e.to_string(), "voe.sx asks for a browser challenge");
        assert!(!e.is_transient());
    }

    #[test]
    fn a_refusal_names_the_site_the_status_and_the_remedy_and_is_not_retried() {
        let e = ProviderError::Refused {
            host: "aniworld.to".into(),
            status: 403,
            solver: None,
        };
        let text = e.to_string();
        assert!(
            text.starts_with("aniworld.to refused the request (HTTP 403)"),
            "{text}"
        );
        assert!(text.contains("FlareSolverr"), "{text}");
        assert!(!e.is_transient());
        let e = ProviderError::Refused {
            host: "aniworld.to".into(),
            status: 429,
            solver: Some("FlareSolverr unreachable: refused".into()),
        };
        assert!(
            e.to_string()
                .ends_with("could not help: FlareSolverr unreachable: refused")
        );
    }

    #[test]
    fn only_server_side_and_network_failures_are_transient() {
        assert!(ProviderError::Status(503).is_transient());
        assert!(ProviderError::Status(429).is_transient());
        assert!(ProviderError::Timeout.is_transient());
        assert!(!ProviderError::Status(404).is_transient());
        assert!(!ProviderError::NotFound.is_transient());
        assert!(!ProviderError::Layout("x".into()).is_transient());
    }
}
