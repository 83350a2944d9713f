//! What both sites' adapters do alike, whatever their pages look like: fetch through the
//! shared client (`client.rs`), keep parsed series and season pages for a while
//! (`cache.rs`), read every season of a series at once, and follow a hoster link's redirect
//! to the hoster. Each adapter brings its URLs and its page readers.

use std::collections::HashSet;
use std::time::Duration;

use futures_util::future::try_join_all;

use super::CatalogueSettings;
use super::cache::PageCache;
use super::client::{Patience, SiteClient};
use super::html;
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{EpisodeListing, HosterLink, ProviderError, SeriesDetails};
use crate::domain::episode::FILM_SEASON;
use crate::domain::series::SeriesKey;
use crate::domain::series_metadata::SeriesMetadata;

/// Parsed pages kept per cache. The cache saves the pages a user looks at again within
/// minutes (search, add, the series view, a rescan of a small library); a large library's
/// refresh reads each page once, so a bigger cache only held them: with 4,096 season pages it
/// was the second-largest share of the heap after a 4,000-series import (10.9 of 74 MiB,
/// benches/memory.sh with PROFILE=dhat). 512 pages of each kind are about 1.5 MiB.
const CACHE_CAPACITY: usize = 512;

/// What a series page says, whichever site's, before it becomes [`SeriesDetails`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPage {
    pub name: String,
    pub description: Option<String>,
    /// The first year, where the page gives it.
    pub year: Option<i32>,
    /// Season numbers from 1, ascending, each once; films are not a season here.
    pub seasons: Vec<u32>,
    /// Whether the page links the films (the product's season 0).
    pub has_films: bool,
    pub metadata: SeriesMetadata,
}

/// One site's client and page caches.
#[derive(Debug)]
pub struct SitePages {
    client: SiteClient,
    series: PageCache<SeriesKey, SeriesDetails>,
    seasons: PageCache<(SeriesKey, u32), Vec<EpisodeListing>>,
}

impl SitePages {
    /// The pages of a site asked through `fetcher`, at most `settings.max_in_flight` at once.
    pub fn new(settings: &CatalogueSettings, fetcher: Fetcher) -> Self {
        Self {
            client: SiteClient::new(fetcher, settings.max_in_flight),
            series: PageCache::new(settings.cache_ttl, CACHE_CAPACITY),
            seasons: PageCache::new(settings.cache_ttl, CACHE_CAPACITY),
        }
    }

    /// The client, for the requests that are not cached pages (search, feeds).
    pub fn client(&self) -> &SiteClient {
        &self.client
    }

    /// Applies a changed cache lifetime (zero empties and disables the caches).
    pub fn set_ttl(&self, ttl: Duration) {
        self.series.set_ttl(ttl);
        self.seasons.set_ttl(ttl);
    }

    /// Forgets the pages of these series: they changed.
    pub fn forget(&self, changed: &HashSet<&SeriesKey>) {
        self.series.forget(|key| changed.contains(key));
        self.seasons.forget(|(key, _)| changed.contains(key));
    }

    /// The series page at `link`, from the cache or read by `parse`.
    pub async fn series(
        &self,
        key: &SeriesKey,
        link: String,
        parse: impl FnOnce(&str) -> Result<SeriesPage, ProviderError>,
    ) -> Result<SeriesDetails, ProviderError> {
        if let Some(hit) = self.series.get(key) {
            return Ok(hit);
        }
        let body = self.client.page(&link, Patience::UserWaiting).await?;
        let page = parse(&body)?;
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
        self.series.insert(key.clone(), details.clone());
        Ok(details)
    }

    /// The season page at `url`, from the cache or read by `parse`, fetched with `patience`.
    pub async fn season(
        &self,
        key: &SeriesKey,
        season: u32,
        url: String,
        patience: Patience,
        parse: impl FnOnce(&str) -> Result<Vec<EpisodeListing>, ProviderError>,
    ) -> Result<Vec<EpisodeListing>, ProviderError> {
        let cache_key = (key.clone(), season);
        if let Some(hit) = self.seasons.get(&cache_key) {
            return Ok(hit);
        }
        let body = self.client.page(&url, patience).await?;
        let episodes = parse(&body)?;
        self.seasons.insert(cache_key, episodes.clone());
        Ok(episodes)
    }

    /// Every season of `series` and its films, all at once (the client's in-flight bound
    /// keeps the site's load within limits), in ascending order, each episode once.
    pub async fn all_episodes<F, Fut>(
        series: &SeriesDetails,
        season: F,
    ) -> Result<Vec<EpisodeListing>, ProviderError>
    where
        F: Fn(u32) -> Fut,
        Fut: Future<Output = Result<Vec<EpisodeListing>, ProviderError>>,
    {
        let films = series.has_films.then_some(FILM_SEASON);
        let seasons = series.seasons.iter().copied().chain(films);
        let pages = try_join_all(seasons.map(season)).await?;
        let mut episodes: Vec<EpisodeListing> = pages.into_iter().flatten().collect();
        episodes.sort_by_key(|e| e.id);
        episodes.dedup_by_key(|e| e.id);
        Ok(episodes)
    }

    /// Follows a hoster link's redirect (through the site's own redirects, those whose path
    /// `redirect_path` accepts) to the hoster's embed page.
    pub async fn embed_url(
        &self,
        link: &HosterLink,
        redirect_path: fn(&str) -> bool,
    ) -> Result<String, ProviderError> {
        let landing = self
            .client
            .landing(&link.redirect_url, redirect_path)
            .await?;
        match landing.status {
            _ if landing.redirected => Ok(landing.final_url),
            404 | 410 => Err(ProviderError::NotFound),
            200..=299 => Err(html::missing("redirect", "HTTP 3xx to the hoster")),
            status => Err(ProviderError::Status(status)),
        }
    }
}
