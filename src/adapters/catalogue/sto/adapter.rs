//! [`StoCatalogue`]: the [`Catalogue`] port for s.to (serienstream.to, PROVIDER.md "Second
//! site"). The pages are read by this folder's page modules; fetching, the in-flight bound,
//! the retry policies and the page caches are shared with the aniworld.to adapter, so both
//! sites are asked alike.
//!
//! - search: the JSON suggest endpoint, and where it fails or is not understood, the HTML
//!   search page (its first pages);
//! - a series' seasons are `staffel-N`, and `staffel-0` its films and specials (season 0);
//! - a hoster link is the `/r?t=<token>` play link, whose 302 leads to the hoster's embed
//!   page; a challenge there is the fetcher's to tell (and FlareSolverr's to solve).
//!
//! The client, the page caches and the steps both sites share are `site_pages.rs`.

use std::time::Duration;

use async_trait::async_trait;

use super::super::CatalogueSettings;
use super::super::client::Patience;
use super::super::site_pages::SitePages;
use super::{
    StoUrls, parse_episode_page, parse_search_page, parse_season_page, parse_series_page,
    parse_suggest,
};
use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{
    EpisodeDetails, EpisodeListing, HosterLink, NewEpisode, ProviderError, SearchHit,
    SearchResults, SeriesDetails,
};
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;
use crate::ports::catalogue::Catalogue;

/// HTML search pages read at most when the suggest endpoint fails (24 series a page).
const SEARCH_PAGES: usize = 3;

/// s.to, scraped.
#[derive(Debug)]
pub struct StoCatalogue {
    urls: StoUrls,
    pages: SitePages,
}

impl StoCatalogue {
    /// An adapter sharing an existing client (its connection pool, identity, cookies,
    /// FlareSolverr and DoH); `settings.base_url` is s.to's base.
    ///
    /// # Errors
    /// [`ProviderError::Transport`] when the base URL is not an http(s) URL.
    pub fn with_fetcher(
        settings: &CatalogueSettings,
        fetcher: Fetcher,
    ) -> Result<Self, ProviderError> {
        Ok(Self {
            urls: StoUrls::new(&settings.base_url)?,
            pages: SitePages::new(settings, fetcher),
        })
    }

    /// Applies a changed page-cache lifetime (zero empties and disables it).
    pub fn apply(&self, cache_ttl: Duration) {
        self.pages.set_ttl(cache_ttl);
    }

    async fn season_with(
        &self,
        key: &SeriesKey,
        season: u32,
        patience: Patience,
    ) -> Result<Vec<EpisodeListing>, ProviderError> {
        let url = self.urls.season(key, season);
        self.pages
            .season(key, season, url, patience, |body| {
                let rows = parse_season_page(body, key, season)?;
                Ok(rows.into_iter().map(EpisodeListing::from).collect())
            })
            .await
    }

    /// The HTML search's first pages, for when the suggest endpoint fails.
    async fn search_pages(&self, query: &str) -> Result<Vec<SearchHit>, ProviderError> {
        let mut hits: Vec<SearchHit> = Vec::new();
        let mut next = Some(self.urls.search_page(query, 1));
        for _ in 0..SEARCH_PAGES {
            let Some(url) = next.take() else { break };
            let body = self
                .pages
                .client()
                .page(&url, Patience::UserWaiting)
                .await?;
            let page = parse_search_page(&body, &self.urls)?;
            for hit in page.hits {
                if !hits.iter().any(|h| h.key == hit.key) {
                    hits.push(hit);
                }
            }
            next = page.next;
        }
        Ok(hits)
    }
}

#[async_trait]
impl Catalogue for StoCatalogue {
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
        if query.is_empty() || only.is_some_and(|site| site != Site::Sto) {
            return Ok(SearchResults::default());
        }
        let suggested = self
            .pages
            .client()
            .xhr(&self.urls.suggest(query), Patience::UserWaiting)
            .await
            .and_then(|body| parse_suggest(&body, &self.urls));
        match suggested {
            Ok(hits) => Ok(SearchResults::of(hits)),
            // Where the site asks for a browser or did not answer in time, its search page
            // would not fare better.
            Err(e @ (ProviderError::Challenge(_) | ProviderError::Timeout)) => Err(e),
            Err(e) => {
                tracing::debug!(error = %e, "s.to's suggest failed, reading its search page");
                self.search_pages(query).await.map(SearchResults::of)
            }
        }
    }

    async fn series(&self, key: &SeriesKey) -> Result<SeriesDetails, ProviderError> {
        let link = self.urls.series(key);
        self.pages
            .series(key, link, |body| parse_series_page(body, key, &self.urls))
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
        parse_episode_page(&body, id, &self.urls)
    }

    /// s.to has no new-episodes page (PROVIDER.md): its series are refreshed by their pages.
    async fn new_episodes(&self) -> Result<Vec<NewEpisode>, ProviderError> {
        Err(ProviderError::Layout(
            "s.to: no new-episodes page; refresh the series".into(),
        ))
    }

    async fn embed_url(&self, link: &HosterLink) -> Result<String, ProviderError> {
        self.pages.embed_url(link, |path| path == "/r").await
    }
}
