//! The catalogue sites together, behind the one [`Catalogue`] port the use cases hold: each
//! series is asked of the site its key names (`sto:<slug>` is s.to's, a bare slug
//! aniworld.to's), a link is read by the site it belongs to, and a search asks every enabled
//! site at once within one deadline and merges the answers (CONTRACT.md section 4).
//!
//! s.to is asked only while `provider.sto_enabled` is on (read live from the settings): when
//! it is off, nothing asks it, and its series (and a search of it alone) answer
//! [`ProviderError::SiteOff`] without a request.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::future::join_all;
use tokio::sync::watch;

use crate::domain::catalogue::{
    EpisodeDetails, EpisodeListing, HosterLink, NewEpisode, ProviderError, SearchResults,
    SeriesDetails,
};
use crate::domain::config::Settings;
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;
use crate::ports::Catalogue;

#[cfg(test)]
mod tests;

/// Every catalogue site, each behind its own adapter.
pub struct Sites {
    aniworld: Arc<dyn Catalogue>,
    sto: Arc<dyn Catalogue>,
    settings: watch::Receiver<Arc<Settings>>,
}

impl Sites {
    /// The sites, switched on and off (and given their search deadline) by `settings`.
    pub fn new(
        aniworld: Arc<dyn Catalogue>,
        sto: Arc<dyn Catalogue>,
        settings: watch::Receiver<Arc<Settings>>,
    ) -> Self {
        Self {
            aniworld,
            sto,
            settings,
        }
    }

    /// Whether `site` is asked at all.
    pub fn enabled(&self, site: Site) -> bool {
        match site {
            Site::Aniworld => true,
            Site::Sto => self.settings.borrow().provider.sto_enabled,
        }
    }

    /// The sites asked, the first one first.
    pub fn enabled_sites(&self) -> Vec<Site> {
        Site::ALL.into_iter().filter(|s| self.enabled(*s)).collect()
    }

    fn adapter(&self, site: Site) -> &Arc<dyn Catalogue> {
        match site {
            Site::Aniworld => &self.aniworld,
            Site::Sto => &self.sto,
        }
    }

    /// The adapter of an enabled site, or why it is not asked.
    fn asked(&self, site: Site) -> Result<&Arc<dyn Catalogue>, ProviderError> {
        if self.enabled(site) {
            Ok(self.adapter(site))
        } else {
            Err(ProviderError::SiteOff(site.name().to_owned()))
        }
    }

    /// One deadline for a whole search: the provider timeout.
    fn deadline(&self) -> Duration {
        let seconds = self.settings.borrow().provider.timeout_seconds;
        Duration::from_secs(u64::from(seconds))
    }
}

#[async_trait]
impl Catalogue for Sites {
    fn series_link(&self, key: &SeriesKey) -> String {
        self.adapter(key.site()).series_link(key)
    }

    /// A link of any site, switched off or not: what a switched-off site's series is asked
    /// next answers [`ProviderError::SiteOff`], which says how to switch it on.
    fn key_of_link(&self, link: &str) -> Option<SeriesKey> {
        Site::ALL
            .into_iter()
            .find_map(|site| self.adapter(site).key_of_link(link))
    }

    async fn search(
        &self,
        query: &str,
        only: Option<Site>,
    ) -> Result<SearchResults, ProviderError> {
        if let Some(site) = only {
            self.asked(site)?;
        }
        let sites: Vec<Site> = self
            .enabled_sites()
            .into_iter()
            .filter(|s| only.is_none_or(|o| o == *s))
            .collect();
        let deadline = self.deadline();
        let answers = join_all(sites.iter().map(|site| async move {
            let search = self.adapter(*site).search(query, Some(*site));
            match tokio::time::timeout(deadline, search).await {
                Ok(answer) => answer,
                Err(_) => Err(ProviderError::Timeout),
            }
        }))
        .await;
        merge(&sites, answers)
    }

    async fn series(&self, key: &SeriesKey) -> Result<SeriesDetails, ProviderError> {
        self.asked(key.site())?.series(key).await
    }

    async fn season(
        &self,
        key: &SeriesKey,
        season: u32,
    ) -> Result<Vec<EpisodeListing>, ProviderError> {
        self.asked(key.site())?.season(key, season).await
    }

    async fn all_episodes(
        &self,
        series: &SeriesDetails,
    ) -> Result<Vec<EpisodeListing>, ProviderError> {
        self.asked(series.key.site())?.all_episodes(series).await
    }

    async fn episode(
        &self,
        key: &SeriesKey,
        id: EpisodeId,
    ) -> Result<EpisodeDetails, ProviderError> {
        self.asked(key.site())?.episode(key, id).await
    }

    /// aniworld.to's new-episodes page: s.to has none (PROVIDER.md), its series are
    /// refreshed by their pages.
    async fn new_episodes(&self) -> Result<Vec<NewEpisode>, ProviderError> {
        self.aniworld.new_episodes().await
    }

    async fn embed_url(&self, link: &HosterLink) -> Result<String, ProviderError> {
        self.asked(link.site)?.embed_url(link).await
    }
}

/// The sites' answers as one: every hit of the sites that answered, in the sites' order, and
/// a warning for each site that failed; when every site failed, the first one's error.
fn merge(
    sites: &[Site],
    answers: Vec<Result<SearchResults, ProviderError>>,
) -> Result<SearchResults, ProviderError> {
    let mut merged = SearchResults::default();
    let mut first_error = None;
    let mut answered = sites.is_empty();
    for (site, answer) in sites.iter().zip(answers) {
        match answer {
            Ok(results) => {
                answered = true;
                merged.hits.extend(results.hits);
                merged.warnings.extend(results.warnings);
            }
            Err(e) => {
                merged.warnings.push(format!("{}: {e}", site.name()));
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) if !answered => Err(e),
        _ => Ok(merged),
    }
}
