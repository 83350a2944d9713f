//! What the fake catalogue site knows: series with seasons, films, episodes and hoster links.
//! Tests build it with small chained constructors and may change it while the site runs.

use super::metadata::FakeMetadata;

/// One series on the fake site.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeSeries {
    /// The URL key, e.g. `attack-on-titan`.
    pub key: String,
    /// The display title, unescaped (the pages escape it).
    pub title: String,
    /// The first year; `None` leaves the landmark off the page.
    pub year: Option<i32>,
    /// The full description, unescaped.
    pub description: String,
    pub seasons: Vec<FakeSeason>,
    /// Films, served on the films page as `film-<n>` (the product's season 0).
    pub films: Vec<FakeEpisode>,
    /// Cover, other titles, last year, genres, FSK, IMDb id (builders in `metadata.rs`).
    pub metadata: FakeMetadata,
}

impl FakeSeries {
    /// A series with no year, a short description, no metadata and no seasons yet.
    pub fn new(key: &str, title: &str) -> Self {
        Self {
            key: key.into(),
            title: title.into(),
            year: None,
            description: format!("{title} is a series on the fake site."),
            seasons: Vec::new(),
            films: Vec::new(),
            metadata: FakeMetadata::default(),
        }
    }

    /// Sets the first year.
    pub fn year(mut self, year: i32) -> Self {
        self.year = Some(year);
        self
    }

    /// Sets the description.
    pub fn description(mut self, text: &str) -> Self {
        self.description = text.into();
        self
    }

    /// Adds a season whose episodes carry the standard links; numbers may have gaps.
    pub fn season(mut self, number: u32, episodes: &[u32]) -> Self {
        let episodes = episodes.iter().map(|&n| FakeEpisode::new(n)).collect();
        self.seasons.push(FakeSeason { number, episodes });
        self
    }

    /// Adds a season built by the caller.
    pub fn with_season(mut self, season: FakeSeason) -> Self {
        self.seasons.push(season);
        self
    }

    /// Adds films with the standard links.
    pub fn films(mut self, numbers: &[u32]) -> Self {
        self.films.extend(
            numbers
                .iter()
                .map(|&n| FakeEpisode::new(n).titled(&format!("Film {n}"), &format!("Movie {n}"))),
        );
        self
    }

    /// The season with this number (0 = films).
    pub fn episodes_of(&self, season: u32) -> Option<&[FakeEpisode]> {
        if season == 0 {
            return (!self.films.is_empty()).then_some(self.films.as_slice());
        }
        self.seasons
            .iter()
            .find(|s| s.number == season)
            .map(|s| s.episodes.as_slice())
    }

    /// Mutable access to one episode (season 0 = films).
    pub fn episode_mut(&mut self, season: u32, episode: u32) -> Option<&mut FakeEpisode> {
        let list = if season == 0 {
            &mut self.films
        } else {
            &mut self
                .seasons
                .iter_mut()
                .find(|s| s.number == season)?
                .episodes
        };
        list.iter_mut().find(|e| e.number == episode)
    }
}

/// One season of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeSeason {
    pub number: u32,
    pub episodes: Vec<FakeEpisode>,
}

/// One episode (or film) with its titles and hoster links.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeEpisode {
    pub number: u32,
    /// German title; `None` renders an empty title cell.
    pub title_german: Option<String>,
    pub title_english: Option<String>,
    pub links: Vec<FakeLink>,
}

impl FakeEpisode {
    /// An episode titled `Folge <n>` / `Episode <n>` with [`FakeLink::standard_set`].
    pub fn new(number: u32) -> Self {
        Self {
            number,
            title_german: Some(format!("Folge {number}")),
            title_english: Some(format!("Episode {number}")),
            links: FakeLink::standard_set(),
        }
    }

    /// Sets both titles.
    pub fn titled(mut self, german: &str, english: &str) -> Self {
        self.title_german = Some(german.into());
        self.title_english = Some(english.into());
        self
    }

    /// Removes both titles.
    pub fn untitled(mut self) -> Self {
        self.title_german = None;
        self.title_english = None;
        self
    }

    /// Replaces the hoster links.
    pub fn links(mut self, links: Vec<FakeLink>) -> Self {
        self.links = links;
        self
    }

    /// The languages the episode page offers (site keys), in order of first appearance.
    pub fn language_keys(&self) -> Vec<u8> {
        let mut keys = Vec::new();
        for link in &self.links {
            if !keys.contains(&link.language) {
                keys.push(link.language);
            }
        }
        keys
    }
}

/// A video hoster as the episode page names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FakeHoster {
    Voe,
    Vidoza,
    Vidmoly,
    Streamtape,
    Filemoon,
    Doodstream,
    /// A hoster the product does not know (`SpeedFiles`, ...): its embed page holds
    /// no recognisable pattern.
    Other(String),
}

impl FakeHoster {
    /// The `h4` name on the episode page.
    pub fn name(&self) -> &str {
        match self {
            Self::Voe => "VOE",
            Self::Vidoza => "Vidoza",
            Self::Vidmoly => "Vidmoly",
            Self::Streamtape => "Streamtape",
            Self::Filemoon => "Filemoon",
            Self::Doodstream => "Doodstream",
            Self::Other(name) => name,
        }
    }

    /// The path segment of the hoster's embed pages on the fake site.
    pub fn slug(&self) -> String {
        self.name().to_ascii_lowercase()
    }
}

/// What a hoster link's media is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeMedia {
    /// A generated MP4 file of this many bytes, served with `Range` support.
    Mp4 { size: u64 },
    /// A master playlist with three variants; the highest-bandwidth one has `segments`
    /// segments of `segment_bytes` each and is AES-128 encrypted when `encrypted`.
    Hls {
        segments: u32,
        segment_bytes: usize,
        encrypted: bool,
    },
}

/// How a hoster's embed page behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedBehaviour {
    /// The page holds the hoster's pattern pointing to the media.
    Working,
    /// The page holds the hoster's other pattern: VOE's player page without the forwarding
    /// stub, Vidoza's `<source src=... type="video/mp4">`, Vidmoly's `file:"..."` without a
    /// space, Filemoon's packed player script instead of its API (Streamtape and Doodstream
    /// have only one pattern).
    AlternativePattern,
    /// The page loads but holds none of the hoster's patterns.
    Unrecognised,
    /// The embed page answers 404.
    Gone,
}

/// One hoster link of an episode.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeLink {
    /// The redirect id (`/redirect/<id>`); 0 means "assign one when the site is built".
    pub id: u64,
    pub hoster: FakeHoster,
    /// The site's `data-lang-key`: 1 German Dub, 2 English Sub, 3 German Sub.
    pub language: u8,
    pub media: FakeMedia,
    pub embed: EmbedBehaviour,
    /// The media URLs carry `?sig=<generation>` and a stale signature answers 403 (see
    /// [`super::FakeSite::expire_after`]).
    pub signed: bool,
}

impl FakeLink {
    /// A working link; VOE, Vidmoly and Filemoon serve HLS (VOE's encrypted), the others MP4.
    pub fn new(hoster: FakeHoster, language: u8) -> Self {
        let media = match hoster {
            FakeHoster::Voe => FakeMedia::Hls {
                segments: 4,
                segment_bytes: 188 * 20,
                encrypted: true,
            },
            FakeHoster::Vidmoly | FakeHoster::Filemoon => FakeMedia::Hls {
                segments: 3,
                segment_bytes: 188 * 16,
                encrypted: false,
            },
            _ => FakeMedia::Mp4 { size: 64 * 1024 },
        };
        Self {
            id: 0,
            hoster,
            language,
            media,
            embed: EmbedBehaviour::Working,
            signed: false,
        }
    }

    /// Signs the media URLs with the link's generation, as hosters sign theirs for a while:
    /// the embed page always names the current generation, stale ones answer 403.
    pub fn signed(mut self) -> Self {
        self.signed = true;
        self
    }

    /// Replaces the media.
    pub fn media(mut self, media: FakeMedia) -> Self {
        self.media = media;
        self
    }

    /// Makes the embed page behave as given.
    pub fn embed(mut self, embed: EmbedBehaviour) -> Self {
        self.embed = embed;
        self
    }

    /// The links most episodes have: VOE and Vidoza in German Dub, VOE in German Sub.
    pub fn standard_set() -> Vec<Self> {
        vec![
            Self::new(FakeHoster::Voe, 1),
            Self::new(FakeHoster::Vidoza, 1),
            Self::new(FakeHoster::Voe, 3),
        ]
    }

    /// Every known hoster in every language plus an unknown hoster.
    pub fn full_set() -> Vec<Self> {
        vec![
            Self::new(FakeHoster::Voe, 1),
            Self::new(FakeHoster::Doodstream, 1),
            Self::new(FakeHoster::Vidoza, 1),
            Self::new(FakeHoster::Vidmoly, 2),
            Self::new(FakeHoster::Streamtape, 3),
            Self::new(FakeHoster::Voe, 3),
            Self::new(FakeHoster::Other("SpeedFiles".into()), 2),
        ]
    }
}
