//! What the catalogue site and the video hosters tell us, in the product's words. The domain
//! never sees HTML: adapters turn pages into these values or into a [`ProviderError`].

use serde::{Deserialize, Serialize};

use super::episode::EpisodeId;
use super::series::SeriesKey;
use super::series_metadata::SeriesMetadata;
use super::site::Site;

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

/// What a search of the catalogue sites found: the series, and for each site asked that
/// failed while another answered, a line naming it (`s.to: the site did not answer in time`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub warnings: Vec<String>,
}

impl SearchResults {
    /// One site's hits, with nothing to warn of.
    pub fn of(hits: Vec<SearchHit>) -> Self {
        Self {
            hits,
            warnings: Vec::new(),
        }
    }
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
    /// English audio: rare on aniworld.to, common on s.to.
    #[serde(rename = "English Dub")]
    EnglishDub,
}

impl Language {
    /// Every language, in the order of their site keys.
    pub const ALL: [Self; 4] = [
        Self::GermanDub,
        Self::EnglishSub,
        Self::GermanSub,
        Self::EnglishDub,
    ];

    /// The catalogue's `data-lang-key`: 1 German Dub, 2 English Sub, 3 German Sub,
    /// 4 English Dub.
    pub fn from_site_key(key: &str) -> Option<Self> {
        match key.trim() {
            "1" => Some(Self::GermanDub),
            "2" => Some(Self::EnglishSub),
            "3" => Some(Self::GermanSub),
            "4" => Some(Self::EnglishDub),
            _ => None,
        }
    }

    /// The name used in configuration and the API.
    pub fn name(&self) -> &'static str {
        match self {
            Self::GermanDub => "German Dub",
            Self::EnglishSub => "English Sub",
            Self::GermanSub => "German Sub",
            Self::EnglishDub => "English Dub",
        }
    }

    /// The language a flag image stands for, by its file name as the site's pages use them
    /// (`german.svg` German Dub, `japanese-german.svg` German Sub, `japanese-english.svg`
    /// English Sub, `english.svg` English Dub); others are no language we download.
    pub fn from_flag(src: &str) -> Option<Self> {
        let file = src.rsplit('/').next()?;
        let name = file.split(['?', '#']).next()?.strip_suffix(".svg")?;
        match name.to_ascii_lowercase().as_str() {
            "german" => Some(Self::GermanDub),
            "japanese-german" => Some(Self::GermanSub),
            "japanese-english" => Some(Self::EnglishSub),
            "english" => Some(Self::EnglishDub),
            _ => None,
        }
    }

    /// Parses a configured name (case-insensitive).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// A link from an episode page to one hoster's copy of the episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HosterLink {
    /// The catalogue site whose page holds the link (and whose redirect it is).
    pub site: Site,
    /// The hoster's name as the page shows it (`VOE`, `Vidoza`, ...).
    pub hoster: String,
    pub language: Language,
    /// Absolute URL of the catalogue's redirect to the hoster's embed page (aniworld.to's
    /// `/redirect/<id>`, s.to's `/r?t=<token>`).
    pub redirect_url: String,
}

/// One entry of the site's new-episodes page: an episode of a series was published (in a
/// language, where its flag is one we know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEpisode {
    pub key: SeriesKey,
    pub episode: EpisodeId,
    pub language: Option<Language>,
    /// The series' name as the entry shows it, where it does.
    pub series_title: Option<String>,
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

pub use super::provider_error::ProviderError;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_language_keys_map_to_languages() {
        assert_eq!(Language::from_site_key("1"), Some(Language::GermanDub));
        assert_eq!(Language::from_site_key("2"), Some(Language::EnglishSub));
        assert_eq!(Language::from_site_key("3"), Some(Language::GermanSub));
        assert_eq!(Language::from_site_key("4"), Some(Language::EnglishDub));
        assert_eq!(Language::from_site_key("5"), None);
    }

    #[test]
    fn language_names_parse_case_insensitively() {
        assert_eq!(Language::from_name("german sub"), Some(Language::GermanSub));
        assert_eq!(Language::from_name("Klingon"), None);
    }
}
