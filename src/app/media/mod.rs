//! The use case "turn an episode into a downloadable media source": read the episode page,
//! pick hoster links by the configured language and hoster preferences, and ask hosters in
//! that order until one gives a media source.
//!
//! Every hoster attempt, whatever its outcome, goes through `MediaResolver::record` and is
//! handed back to the caller: it is counted on the hoster scoreboard ([`ProviderHealth`]),
//! which the adaptive order reads, and it is what a failed queue item shows the user.

mod attempt;
#[cfg(test)]
mod landing_tests;
mod pacing;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use attempt::transfer_failure;
pub use attempt::{AttemptOutcome, HosterAttempt, LinkFailure, ResolveError, ResolvedMedia};

use super::provider_health::{Attempt, ProviderHealth};
use crate::domain::catalogue::{HosterLink, Language, MediaSource, ProviderError};
use crate::domain::episode::EpisodeId;
use crate::domain::provider_health::{FailureKind, SourceState};
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;
use crate::ports::catalogue::EmbedPage;
use crate::ports::health::Source;
use crate::ports::{Catalogue, Hoster};

/// Resolves episodes to media sources through the catalogue and the hoster extractors.
pub struct MediaResolver {
    catalogue: Arc<dyn Catalogue>,
    hosters: Vec<Arc<dyn Hoster>>,
    pacing: pacing::Pacing,
    /// The pacing of s.to's play links (PROVIDER.md, "Second site"): challenged after 5–10
    /// in a row, so paced, and rested after a challenge while aniworld.to goes on.
    sites: pacing::Pacing,
    health: Arc<ProviderHealth>,
    /// `downloads.adaptive_hoster_order`.
    adaptive: AtomicBool,
}

impl MediaResolver {
    /// A resolver over the catalogue and every hoster extractor we have, counting every
    /// attempt on `health`.
    pub fn new(
        catalogue: Arc<dyn Catalogue>,
        hosters: Vec<Arc<dyn Hoster>>,
        health: Arc<ProviderHealth>,
    ) -> Self {
        Self {
            catalogue,
            hosters,
            pacing: pacing::Pacing::default(),
            sites: pacing::Pacing::for_sites(),
            health,
            adaptive: AtomicBool::new(false),
        }
    }

    /// Sets whether, within one language, hosters whose recent attempts all failed are
    /// tried after the others (`downloads.adaptive_hoster_order`).
    pub fn set_adaptive_order(&self, on: bool) {
        self.adaptive.store(on, Ordering::Relaxed);
    }

    /// The names of the hosters we have an extractor for.
    pub fn hoster_names(&self) -> Vec<String> {
        self.hosters.iter().map(|h| h.name().to_owned()).collect()
    }

    /// How long the hoster still rests after a browser challenge, if it does.
    pub fn resting(&self, hoster: &str) -> Option<Duration> {
        self.pacing.resting(hoster)
    }

    /// The scoreboard the attempts are counted on.
    pub fn health(&self) -> &Arc<ProviderHealth> {
        &self.health
    }

    /// Sets the pause between two resolves on one hoster (`downloads.hoster_pause_seconds`).
    pub fn set_hoster_pause(&self, pause: std::time::Duration) {
        self.pacing.set_pause(pause);
    }

    /// Sets the pause between two of s.to's play links (`provider.sto_pause_seconds`).
    pub fn set_site_pause(&self, pause: std::time::Duration) {
        self.sites.set_pause(pause);
    }

    /// How long a site's play links still rest after a challenge, if they do.
    pub fn site_resting(&self, site: Site) -> Option<Duration> {
        self.sites.resting(site.name())
    }

    /// Tries languages in preference order; within a language that has links, the hosters in
    /// preference order (names as configured, case-insensitive). A hoster without an
    /// extractor or one that fails means: try the next, then the next language. Hosters not
    /// named in `hosters` are not used: the list is the user's choice as well as its order.
    ///
    /// # Errors
    /// [`ResolveError::Catalogue`] when the episode page cannot be read,
    /// [`ResolveError::NoLinks`] when no link matches the preferences,
    /// [`ResolveError::AllHostersFailed`] (with every attempt) when all matching links failed.
    pub async fn resolve(
        &self,
        key: &SeriesKey,
        episode: EpisodeId,
        languages: &[Language],
        hosters: &[String],
    ) -> Result<ResolvedMedia, ResolveError> {
        let links = self.links(key, episode, languages, hosters).await?;
        let mut attempts = Vec::new();
        for link in &links {
            match self.resolve_link(link).await {
                Ok(source) => {
                    let attempt =
                        HosterAttempt::new(link, AttemptOutcome::Resolved).read_by(&source.hoster);
                    self.record(&mut attempts, attempt).await;
                    return Ok(ResolvedMedia {
                        source,
                        language: link.language,
                        attempts,
                    });
                }
                Err(failure) => self.record(&mut attempts, failure.attempt(link)).await,
            }
        }
        if attempts.is_empty() {
            Err(ResolveError::NoLinks)
        } else {
            Err(ResolveError::AllHostersFailed { attempts })
        }
    }

    /// The episode page's links in the order they are to be tried: languages in preference
    /// order (repeats ignored), within a language the hosters in preference order; with the
    /// adaptive order on, hosters whose recent attempts all failed come last in their
    /// language (in preference order among themselves).
    ///
    /// # Errors
    /// [`ResolveError::Catalogue`] when the episode page cannot be read.
    pub async fn links(
        &self,
        key: &SeriesKey,
        episode: EpisodeId,
        languages: &[Language],
        hosters: &[String],
    ) -> Result<Vec<HosterLink>, ResolveError> {
        let details = self.catalogue.episode(key, episode).await?;
        let mut ordered = Vec::new();
        for (i, &language) in languages.iter().enumerate() {
            if languages[..i].contains(&language) {
                continue;
            }
            let mut links: Vec<HosterLink> =
                in_preference_order(&details.hosters, language, hosters)
                    .cloned()
                    .collect();
            if self.adaptive.load(Ordering::Relaxed) {
                links.sort_by_key(|l| self.failing(&l.hoster));
            }
            ordered.extend(links);
        }
        Ok(ordered)
    }

    /// Resolves one link to a media source (a fresh one each call: signed URLs expire).
    ///
    /// # Errors
    /// The attempt's outcome ([`AttemptOutcome::Unsupported`], [`AttemptOutcome::Resting`] or
    /// [`AttemptOutcome::Failed`]) and the extractor that read the page, when not the label's.
    pub async fn resolve_link(&self, link: &HosterLink) -> Result<MediaSource, LinkFailure> {
        self.attempt(link).await
    }

    /// One link: follow the catalogue's redirect to the embed page, open it (in the label's
    /// turn, unless that hoster rests after a challenge) and let the extractor that
    /// recognises the landed page resolve it. Pacing and rests stay with the label: it is
    /// what the user configured and what the scoreboard counts.
    async fn attempt(&self, link: &HosterLink) -> Result<MediaSource, LinkFailure> {
        let Some(hoster) = self
            .hosters
            .iter()
            .find(|h| h.name().eq_ignore_ascii_case(link.hoster.trim()))
        else {
            return Err(AttemptOutcome::Unsupported.into());
        };
        // s.to's play links are paced and rested per site; aniworld.to's redirects are not.
        let paced_site = (link.site == Site::Sto).then(|| link.site.name());
        if let Some(left) = paced_site.and_then(|site| self.sites.resting(site)) {
            return Err(AttemptOutcome::Resting(left.as_secs().max(1)).into());
        }
        if let Some(left) = self.pacing.resting(hoster.name()) {
            return Err(AttemptOutcome::Resting(left.as_secs().max(1)).into());
        }
        if let Some(site) = paced_site {
            self.sites.wait_turn(site).await;
        }
        self.pacing.wait_turn(hoster.name()).await;
        let embed_url = self.catalogue.embed_url(link).await;
        if let Some(site) = paced_site {
            let challenged = matches!(embed_url, Err(ProviderError::Challenge(_)));
            self.sites.record(site, challenged);
        }
        let embed_url = embed_url.map_err(|e| LinkFailure::from(AttemptOutcome::Failed(e)))?;
        let (extractor, resolved) = match hoster.open(&embed_url, &link.redirect_url).await {
            Ok(page) => {
                let extractor = self.extractor_for(&page, hoster);
                (extractor, extractor.resolve(&page).await)
            }
            Err(error) => (hoster, Err(error)),
        };
        let challenged = matches!(resolved, Err(ProviderError::Challenge(_)));
        self.pacing.record(hoster.name(), challenged);
        resolved.map_err(|error| {
            LinkFailure::from(AttemptOutcome::Failed(error)).read_by(extractor.name())
        })
    }

    /// The extractor for a landed page: the hoster that recognises it surest (by its host,
    /// then by its landmarks; the first in the registry among equals), unless the label's
    /// own hoster is as sure, which is also what is left when nobody recognises the page.
    fn extractor_for<'a>(
        &'a self,
        page: &EmbedPage,
        label: &'a Arc<dyn Hoster>,
    ) -> &'a Arc<dyn Hoster> {
        let mut best = (label.recognises(page), label);
        for hoster in &self.hosters {
            let claim = hoster.recognises(page);
            if claim > best.0 {
                best = (claim, hoster);
            }
        }
        if !Arc::ptr_eq(best.1, label) {
            tracing::debug!(
                label = label.name(),
                extractor = best.1.name(),
                "the link landed on another hoster's page"
            );
        }
        best.1
    }

    /// The one place every attempt's outcome passes through: logged, counted on the
    /// hoster's scoreboard (failures; an unsupported or resting hoster was not asked) and
    /// kept in `attempts`.
    pub async fn record(&self, attempts: &mut Vec<HosterAttempt>, attempt: HosterAttempt) {
        let counted = match &attempt.outcome {
            AttemptOutcome::Resolved => Some(Attempt::Succeeded),
            AttemptOutcome::Unsupported | AttemptOutcome::Resting(_) => None,
            AttemptOutcome::Failed(e) => {
                Some(Attempt::Failed(FailureKind::of(e), attempt.to_string()))
            }
            AttemptOutcome::Transfer(e) => {
                transfer_failure(e).map(|kind| Attempt::Failed(kind, attempt.to_string()))
            }
        };
        if matches!(counted, Some(Attempt::Failed(..))) {
            tracing::info!(%attempt, "hoster attempt failed");
        } else {
            tracing::debug!(%attempt, "hoster attempt");
        }
        if let (Some(counted), Some(source)) = (counted, self.source(&attempt.hoster)) {
            self.health.record(source, counted).await;
        }
        attempts.push(attempt);
    }

    /// Counts a finished download from `hoster` as its success.
    pub async fn downloaded(&self, hoster: &str) {
        if let Some(source) = self.source(hoster) {
            self.health.record(source, Attempt::Succeeded).await;
        }
    }

    /// The scoreboard entry of a hoster the page names, under its extractor's name.
    fn source(&self, hoster: &str) -> Option<Source> {
        self.hosters
            .iter()
            .find(|h| h.name().eq_ignore_ascii_case(hoster.trim()))
            .map(|h| Source::Hoster(h.name().to_owned()))
    }

    /// Whether every recent attempt on the hoster failed.
    fn failing(&self, hoster: &str) -> bool {
        self.source(hoster)
            .is_some_and(|s| self.health.source_state(&s) == SourceState::Failing)
    }
}

/// The links of one language, ordered by the configured hoster names; names the page does
/// not link (or repeated names) contribute nothing.
fn in_preference_order<'a>(
    links: &'a [HosterLink],
    language: Language,
    hosters: &'a [String],
) -> impl Iterator<Item = &'a HosterLink> + 'a {
    hosters
        .iter()
        .enumerate()
        .filter(move |(i, name)| {
            !hosters[..*i]
                .iter()
                .any(|earlier| earlier.trim().eq_ignore_ascii_case(name.trim()))
        })
        .flat_map(move |(_, name)| {
            links.iter().filter(move |l| {
                l.language == language && l.hoster.trim().eq_ignore_ascii_case(name.trim())
            })
        })
}
