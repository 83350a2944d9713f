//! What the fake catalogue site knows: series with seasons, films, episodes and hoster links
//! (the links, their hosters and media in [`links`]). Tests build it with small chained
//! constructors and may change it while the site runs.

mod links;

pub use links::{EmbedBehaviour, FakeHoster, FakeLink, FakeMedia};

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
