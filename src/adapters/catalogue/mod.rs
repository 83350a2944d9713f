//! The catalogue-site scraper (reqwest + scraper): [`AniworldCatalogue`] implements the
//! [`Catalogue`] port for aniworld.to and sites with the same pages.
//!
//! Fetching and parsing are kept apart: the client (`client.rs`) fetches text under a bound on
//! requests in flight, a deadline and a retry policy; the page modules parse that text in plain
//! sync functions returning owned data (a `scraper::Html` is not `Send`, so it never lives
//! across an `.await`). Parsed series and season pages are cached for a while (`cache.rs`).

mod cache;
mod client;
mod episode_page;
#[doc(hidden)]
pub mod fuzzing;
#[cfg(test)]
mod garbage;
mod html;
mod links;
mod new_episodes;
mod search;
mod season_page;
mod series_metadata;
mod series_page;
pub mod sto;

use std::time::Duration;

use async_trait::async_trait;
use futures_util::future::try_join_all;

use self::cache::PageCache;
use self::client::{Patience, SiteClient};
use self::links::SiteUrls;
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{
    EpisodeDetails, EpisodeListing, HosterLink, NewEpisode, ProviderError, SearchHit, SeriesDetails,
};
use crate::domain::episode::{EpisodeId, FILM_SEASON};
use crate::domain::series::SeriesKey;
use crate::ports::catalogue::Catalogue;

/// Re-exported for the parse-time benchmarks (`benches/catalogue.rs`) only: the rest of the
/// crate reaches season pages through [`AniworldCatalogue`].
#[doc(hidden)]
pub use self::season_page::parse_season_page;

/// Parsed pages kept per cache. The cache saves the pages a user looks at again within
/// minutes (search, add, the series view, a rescan of a small library); a large library's
/// refresh reads each page once, so a bigger cache only held them: with 4,096 season pages it
/// was the second-largest share of the heap after a 4,000-series import (10.9 of 74 MiB,
/// benches/memory.sh with PROFILE=dhat). 512 pages of each kind are about 1.5 MiB.
const CACHE_CAPACITY: usize = 512;

/// How the catalogue adapter reaches its site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueSettings {
    /// The site's base URL, e.g. `https://aniworld.to` (a trailing slash is tolerated).
    pub base_url: String,
    /// The site's name as series records and the API show it, e.g. `aniworld.to`.
    pub site: String,
    /// One overall deadline for work a user waits for, and for each background request.
    pub timeout: Duration,
    /// How long parsed series and season pages are reused; zero turns the cache off.
    pub cache_ttl: Duration,
    /// Requests to the site at once, at most.
    pub max_in_flight: usize,
    /// The largest page accepted.
    pub max_body_bytes: u64,
}

impl Default for CatalogueSettings {
    fn default() -> Self {
        Self {
            base_url: "https://aniworld.to".into(),
            site: "aniworld.to".into(),
            timeout: Duration::from_secs(15),
            cache_ttl: Duration::from_secs(10 * 60),
            max_in_flight: 4,
            max_body_bytes: 8 * 1024 * 1024,
        }
    }
}

/// The catalogue site, scraped.
#[derive(Debug)]
pub struct AniworldCatalogue {
    site: String,
    urls: SiteUrls,
    client: SiteClient,
    series_pages: PageCache<SeriesKey, SeriesDetails>,
    season_pages: PageCache<(SeriesKey, u32), Vec<EpisodeListing>>,
}

impl AniworldCatalogue {
    /// An adapter with its own HTTP client built from the settings.
    ///
    /// # Errors
    /// [`ProviderError::Transport`] when the base URL is not an http(s) URL or the client
    /// cannot be built.
    pub fn new(settings: CatalogueSettings) -> Result<Self, ProviderError> {
        let fetcher = Fetcher::new(settings.timeout, settings.max_body_bytes)?;
        Self::with_fetcher(settings, fetcher)
    }

    /// An adapter sharing an existing client (its connection pool and body cap);
    /// `settings.max_body_bytes` is the fetcher's business then, while `settings.timeout`
    /// becomes the shared client's timeout.
    ///
    /// # Errors
    /// [`ProviderError::Transport`] when the base URL is not an http(s) URL.
    pub fn with_fetcher(
        settings: CatalogueSettings,
        fetcher: Fetcher,
    ) -> Result<Self, ProviderError> {
        fetcher.set_timeout(settings.timeout);
        Ok(Self {
            site: settings.site,
            urls: SiteUrls::new(&settings.base_url)?,
            client: SiteClient::new(fetcher, settings.max_in_flight),
            series_pages: PageCache::new(settings.cache_ttl, CACHE_CAPACITY),
            season_pages: PageCache::new(settings.cache_ttl, CACHE_CAPACITY),
        })
    }

    /// Applies changed settings while running: the deadline (of the shared client, so the
    /// hosters' requests too) and the page cache's lifetime (zero empties and disables it).
    pub fn apply(&self, timeout: Duration, cache_ttl: Duration) {
        self.client.fetcher().set_timeout(timeout);
        self.series_pages.set_ttl(cache_ttl);
        self.season_pages.set_ttl(cache_ttl);
    }

    /// A season's episodes from the cache or the site, fetched with the given patience.
    async fn season_with(
        &self,
        key: &SeriesKey,
        season: u32,
        patience: Patience,
    ) -> Result<Vec<EpisodeListing>, ProviderError> {
        let cache_key = (key.clone(), season);
        if let Some(hit) = self.season_pages.get(&cache_key) {
            return Ok(hit);
        }
        let body = self
            .client
            .page(&self.urls.season(key, season), patience)
            .await?;
        let episodes = season_page::parse_season_page(&body, key, season)?;
        self.season_pages.insert(cache_key, episodes.clone());
        Ok(episodes)
    }
}

#[async_trait]
impl Catalogue for AniworldCatalogue {
    fn site(&self) -> String {
        self.site.clone()
    }

    fn series_link(&self, key: &SeriesKey) -> String {
        self.urls.series(key)
    }

    fn key_of_link(&self, link: &str) -> Option<SeriesKey> {
        self.urls.key_of_link(link)
    }

    async fn search(&self, query: &str) -> Result<Vec<SearchHit>, ProviderError> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let body = self.client.search(&self.urls.search(), query).await?;
        search::parse_search(&body, &self.urls)
    }

    async fn series(&self, key: &SeriesKey) -> Result<SeriesDetails, ProviderError> {
        if let Some(hit) = self.series_pages.get(key) {
            return Ok(hit);
        }
        let link = self.urls.series(key);
        let body = self.client.page(&link, Patience::UserWaiting).await?;
        let page = series_page::parse_series_page(&body, key, &self.urls)?;
        let details = SeriesDetails {
            key: key.clone(),
            name: page.name,
            description: page.description,
            year: page.year,
            seasons: page.seasons,
            has_films: page.has_films,
            link,
            metadata: page.metadata,
        };
        self.series_pages.insert(key.clone(), details.clone());
        Ok(details)
    }

    async fn season(
        &self,
        key: &SeriesKey,
        season: u32,
    ) -> Result<Vec<EpisodeListing>, ProviderError> {
        self.season_with(key, season, Patience::UserWaiting).await
    }

    async fn all_episodes(
        &self,
        series: &SeriesDetails,
    ) -> Result<Vec<EpisodeListing>, ProviderError> {
        let films = series.has_films.then_some(FILM_SEASON);
        let seasons = series.seasons.iter().copied().chain(films);
        // All at once; the client's in-flight bound keeps the site's load within limits.
        let pages =
            try_join_all(seasons.map(|n| self.season_with(&series.key, n, Patience::Background)))
                .await?;
        let mut episodes: Vec<EpisodeListing> = pages.into_iter().flatten().collect();
        episodes.sort_by_key(|e| e.id);
        episodes.dedup_by_key(|e| e.id);
        Ok(episodes)
    }

    async fn episode(
        &self,
        key: &SeriesKey,
        id: EpisodeId,
    ) -> Result<EpisodeDetails, ProviderError> {
        let body = self
            .client
            .page(&self.urls.episode(key, id), Patience::UserWaiting)
            .await?;
        episode_page::parse_episode_page(&body, id, &self.urls)
    }

    async fn new_episodes(&self) -> Result<Vec<NewEpisode>, ProviderError> {
        let body = self
            .client
            .page(&self.urls.new_episodes(), Patience::Background)
            .await?;
        let entries = new_episodes::parse_new_episodes(&body)?;
        // The pages of a series with something new are stale: the refresh that follows must
        // see the new episode, not a copy from minutes ago.
        let named: std::collections::HashSet<&SeriesKey> = entries.iter().map(|e| &e.key).collect();
        self.series_pages.forget(|key| named.contains(key));
        self.season_pages.forget(|(key, _)| named.contains(key));
        Ok(entries)
    }

    async fn embed_url(&self, link: &HosterLink) -> Result<String, ProviderError> {
        let landing = self.client.landing(&link.redirect_url).await?;
        match landing.status {
            _ if landing.redirected => Ok(landing.final_url),
            404 | 410 => Err(ProviderError::NotFound),
            200..=299 => Err(html::missing("redirect", "HTTP 3xx to the hoster")),
            status => Err(ProviderError::Status(status)),
        }
    }
}
