//! Entry points for the fuzz targets (`fuzz/`, cargo-fuzz): each page parser on a page's
//! text, with the fixed series `dr-stone` and the site `https://aniworld.to`. Not an API:
//! the rest of the crate reaches these parsers through [`super::AniworldCatalogue`].

use super::links::SiteUrls;
use super::{episode_page, new_episodes, search, season_page, series_page};
use crate::domain::catalogue::{
    EpisodeDetails, EpisodeListing, NewEpisode, ProviderError, SearchHit,
};
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;

/// The series every page is read for; the seeds' links name it.
pub const KEY: &str = "dr-stone";

fn key() -> SeriesKey {
    SeriesKey::parse(KEY).expect("a valid key")
}

fn urls() -> SiteUrls {
    SiteUrls::new("https://aniworld.to").expect("a valid base URL")
}

/// The answer of `POST /ajax/search`.
pub fn search(body: &str) -> Result<Vec<SearchHit>, ProviderError> {
    search::parse_search(body, &urls())
}

/// A series page: its name, then the seasons it lists (its metadata line is read too).
pub fn series(html: &str) -> Result<(String, Vec<u32>), ProviderError> {
    series_page::parse_series_page(html, &key(), &urls()).map(|page| (page.name, page.seasons))
}

/// A season page of `season` (0 = the films page).
pub fn season(html: &str, season: u32) -> Result<Vec<EpisodeListing>, ProviderError> {
    season_page::parse_season_page(html, &key(), season)
}

/// An episode page of `id`.
pub fn episode(html: &str, id: EpisodeId) -> Result<EpisodeDetails, ProviderError> {
    episode_page::parse_episode_page(html, id, &urls())
}

/// The new-episodes page.
pub fn feed(html: &str) -> Result<Vec<NewEpisode>, ProviderError> {
    new_episodes::parse_new_episodes(html)
}
