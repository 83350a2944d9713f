//! The catalogue sites, scraped: [`AniworldCatalogue`] implements the [`Catalogue`] port for
//! aniworld.to (the page readers in this folder), [`sto::StoCatalogue`] for s.to (`sto/`).
//!
//! Fetching and parsing are kept apart: the client (`client.rs`) fetches text under a bound on
//! requests in flight, a deadline and a retry policy; the page modules parse that text in plain
//! sync functions returning owned data (a `scraper::Html` is not `Send`, so it never lives
//! across an `.await`). Parsed series and season pages are cached for a while (`cache.rs`);
//! what both sites' adapters do alike is `site_pages.rs`.

mod cache;
mod client;
mod cover;
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
mod site_pages;
pub mod sto;

use std::time::Duration;

use async_trait::async_trait;

use self::client::Patience;
use self::links::SiteUrls;
use self::site_pages::SitePages;
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{
    EpisodeDetails, EpisodeListing, HosterLink, NewEpisode, ProviderError, SearchResults,
    SeriesDetails,
};
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;
use crate::ports::catalogue::Catalogue;

/// Re-exported for the parse-time benchmarks (`benches/catalogue.rs`) only: the rest of the
/// crate reaches season pages through [`AniworldCatalogue`].
#[doc(hidden)]
pub use self::cover::FetchedCovers;
pub use self::season_page::parse_season_page;

/// How the catalogue adapter reaches its site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueSettings {
    /// The site's base URL, e.g. `https://aniworld.to` (a trailing slash is tolerated).
    pub base_url: String,
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
            timeout: Duration::from_secs(15),
            cache_ttl: Duration::from_secs(10 * 60),
            max_in_flight: 4,
            max_body_bytes: 8 * 1024 * 1024,
        }
    }
}

/// aniworld.to, scraped.
#[derive(Debug)]
pub struct AniworldCatalogue {
    urls: SiteUrls,
    pages: SitePages,
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
            urls: SiteUrls::new(&settings.base_url)?,
            pages: SitePages::new(&settings, fetcher),
        })
    }

    /// Applies changed settings while running: the deadline (of the shared client, so the
    /// hosters' requests too) and the page cache's lifetime (zero empties and disables it).
    pub fn apply(&self, timeout: Duration, cache_ttl: Duration) {
        self.pages.client().fetcher().set_timeout(timeout);
        self.pages.set_ttl(cache_ttl);
    }

    /// A season's episodes from the cache or the site, fetched with the given patience.
    async fn season_with(
        &self,
        key: &SeriesKey,
        season: u32,
        patience: Patience,
    ) -> Result<Vec<EpisodeListing>, ProviderError> {
        let url = self.urls.season(key, season);
        self.pages
            .season(key, season, url, patience, |body| {
                season_page::parse_season_page(body, key, season)
            })
            .await
    }
}

#[async_trait]
impl Catalogue for AniworldCatalogue {
    fn series_link(&self, key: &SeriesKey) -> String {
        self.urls.series(key)
    }

    fn key_of_link(&self, link: &str) -> Option<SeriesKey> {
        self.urls.key_of_link(link)
    }

    async fn search(
        &self,
        query: &str,
        only: Option<Site>,
    ) -> Result<SearchResults, ProviderError> {
        let query = query.trim();
        if query.is_empty() || only.is_some_and(|site| site != Site::Aniworld) {
            return Ok(SearchResults::default());
        }
        let body = self
            .pages
            .client()
            .search(&self.urls.search(), query)
            .await?;
        search::parse_search(&body, &self.urls).map(SearchResults::of)
    }

    async fn series(&self, key: &SeriesKey) -> Result<SeriesDetails, ProviderError> {
        let link = self.urls.series(key);
        self.pages
            .series(key, link, |body| {
                series_page::parse_series_page(body, key, &self.urls)
            })
            .await
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
        SitePages::all_episodes(series, |n| {
            self.season_with(&series.key, n, Patience::Background)
        })
        .await
    }

    async fn episode(
        &self,
        key: &SeriesKey,
        id: EpisodeId,
    ) -> Result<EpisodeDetails, ProviderError> {
        let body = self
            .pages
            .client()
            .page(&self.urls.episode(key, id), Patience::UserWaiting)
            .await?;
        episode_page::parse_episode_page(&body, id, &self.urls)
    }

    async fn new_episodes(&self) -> Result<Vec<NewEpisode>, ProviderError> {
        let body = self
            .pages
            .client()
            .page(&self.urls.new_episodes(), Patience::Background)
            .await?;
        let entries = new_episodes::parse_new_episodes(&body)?;
        // The pages of a series with something new are stale: the refresh that follows must
        // see the new episode, not a copy from minutes ago.
        self.pages.forget(&entries.iter().map(|e| &e.key).collect());
        Ok(entries)
    }

    async fn embed_url(&self, link: &HosterLink) -> Result<String, ProviderError> {
        self.pages
            .embed_url(link, |path| path.starts_with("/redirect/"))
            .await
    }
}
