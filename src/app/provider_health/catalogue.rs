//! One site's catalogue, watched: every answer of the site is counted on its scoreboard entry
//! (one per site). A 404 is the site answering, so it counts as a success; a switched-off site
//! was not asked and counts for nothing.

use std::sync::Arc;

use async_trait::async_trait;

use super::{Attempt, ProviderHealth};
use crate::domain::catalogue::{
    EpisodeDetails, EpisodeListing, HosterLink, NewEpisode, ProviderError, SearchResults,
    SeriesDetails,
};
use crate::domain::episode::EpisodeId;
use crate::domain::provider_health::FailureKind;
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;
use crate::ports::Catalogue;
use crate::ports::health::Source;

/// A [`Catalogue`] of one site whose every answer is counted.
pub struct WatchedCatalogue {
    inner: Arc<dyn Catalogue>,
    site: Site,
    health: Arc<ProviderHealth>,
}

impl WatchedCatalogue {
    /// Watches `inner`, the catalogue of `site`, counting on `health`.
    pub fn new(inner: Arc<dyn Catalogue>, site: Site, health: Arc<ProviderHealth>) -> Self {
        Self {
            inner,
            site,
            health,
        }
    }

    async fn watched<T>(&self, answer: Result<T, ProviderError>) -> Result<T, ProviderError> {
        let attempt = match &answer {
            Ok(_) | Err(ProviderError::NotFound) => Attempt::Succeeded,
            Err(ProviderError::SiteOff(_)) => return answer,
            Err(e) => Attempt::Failed(FailureKind::of(e), e.to_string()),
        };
        self.health
            .record(Source::Catalogue(self.site), attempt)
            .await;
        answer
    }
}

#[async_trait]
impl Catalogue for WatchedCatalogue {
    fn series_link(&self, key: &SeriesKey) -> String {
        self.inner.series_link(key)
    }

    fn key_of_link(&self, link: &str) -> Option<SeriesKey> {
        self.inner.key_of_link(link)
    }

    async fn search(
        &self,
        query: &str,
        only: Option<Site>,
    ) -> Result<SearchResults, ProviderError> {
        self.watched(self.inner.search(query, only).await).await
    }

    async fn series(&self, key: &SeriesKey) -> Result<SeriesDetails, ProviderError> {
        self.watched(self.inner.series(key).await).await
    }

    async fn season(
        &self,
        key: &SeriesKey,
        season: u32,
    ) -> Result<Vec<EpisodeListing>, ProviderError> {
        self.watched(self.inner.season(key, season).await).await
    }

    async fn all_episodes(
        &self,
        series: &SeriesDetails,
    ) -> Result<Vec<EpisodeListing>, ProviderError> {
        self.watched(self.inner.all_episodes(series).await).await
    }

    async fn episode(
        &self,
        key: &SeriesKey,
        id: EpisodeId,
    ) -> Result<EpisodeDetails, ProviderError> {
        self.watched(self.inner.episode(key, id).await).await
    }

    async fn new_episodes(&self) -> Result<Vec<NewEpisode>, ProviderError> {
        self.watched(self.inner.new_episodes().await).await
    }

    async fn embed_url(&self, link: &HosterLink) -> Result<String, ProviderError> {
        self.watched(self.inner.embed_url(link).await).await
    }
}
