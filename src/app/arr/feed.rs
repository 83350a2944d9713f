//! The Torznab feed (INTEGRATIONS.md section 2): without a query, the site's newest episodes
//! (Sonarr's RSS sync and its indexer Test); with one, every episode and language of the
//! series it names, narrowed by season and episode. Each answer's releases are kept, so a
//! magnet handed back names its episode, and a release keeps the date it was first offered.

use futures_util::StreamExt;
use futures_util::stream;

use super::names::{absolute, chosen, longest_word, plain};
use super::{ArrError, ArrService};
use crate::domain::catalogue::{Language, NewEpisode, ProviderError, SearchHit};
use crate::domain::episode::{EpisodeId, FILM_SEASON};
use crate::domain::release::Release;
use crate::domain::series::SeriesKey;

/// Most items one answer holds (Torznab's `limits max`).
pub const MAX_LIMIT: usize = 100;
/// Most series one query reads, when no series' name equals it.
pub(super) const MAX_SERIES: usize = 3;
/// Episode pages read at once for their languages.
const PAGES_AT_ONCE: usize = 4;

/// What Sonarr or Prowlarr asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedQuery {
    /// The series' name; none for the newest episodes.
    pub q: Option<String>,
    /// 0 is the films.
    pub season: Option<u32>,
    pub episode: Option<u32>,
    /// Items skipped before the first answered.
    pub offset: usize,
    /// Most items answered, 1 to [`MAX_LIMIT`].
    pub limit: usize,
}

impl FeedQuery {
    fn wants(&self, id: EpisodeId) -> bool {
        self.season.is_none_or(|s| s == id.season) && self.episode.is_none_or(|e| e == id.episode)
    }

    /// How many releases fill the page asked for.
    fn enough(&self) -> usize {
        self.offset + self.limit.clamp(1, MAX_LIMIT)
    }
}

/// One episode a query found, with its series' name.
struct Candidate {
    key: SeriesKey,
    series_title: String,
    id: EpisodeId,
}

impl ArrService {
    /// The releases of a Torznab query, the page `offset`/`limit` asks for.
    ///
    /// # Errors
    /// [`ArrError::Catalogue`] when the site's search fails, [`ArrError::Store`].
    pub async fn feed(&self, query: &FeedQuery) -> Result<Vec<Release>, ArrError> {
        let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        let releases = match q {
            None => self.newest(query).await?,
            Some(q) => self.search(q, query).await?,
        };
        Ok(releases
            .into_iter()
            .skip(query.offset)
            .take(query.limit.clamp(1, MAX_LIMIT))
            .collect())
    }

    /// The new-episodes page's entries, newest first as the page lists them; while the page
    /// cannot be read, the releases offered most recently.
    async fn newest(&self, query: &FeedQuery) -> Result<Vec<Release>, ArrError> {
        let entries = match self.inner.catalogue.new_episodes().await {
            Ok(entries) => entries,
            Err(e) => {
                tracing::warn!(error = %e, "the new-episodes page failed; the feed shows the releases offered last");
                let recent = self.inner.store.recent_releases(query.enough()).await?;
                return Ok(recent
                    .into_iter()
                    .filter(|r| query.wants(r.episode))
                    .collect());
            }
        };
        let mut releases = Vec::new();
        for entry in entries.into_iter().filter(|e| query.wants(e.episode)) {
            if releases.len() >= query.enough() {
                break;
            }
            let Some(language) = entry.language else {
                continue;
            };
            let series_title = self.title_of(&entry).await;
            releases.push(self.offer(entry.key, series_title, entry.episode, language));
        }
        Ok(self.inner.store.keep_releases(releases).await?)
    }

    /// An entry's series name: as the page shows it, else from the series page (cached),
    /// else the slug.
    async fn title_of(&self, entry: &NewEpisode) -> String {
        if let Some(title) = &entry.series_title {
            return title.clone();
        }
        match self.inner.catalogue.series(&entry.key).await {
            Ok(series) => series.name,
            Err(_) => entry.key.slug().replace('-', " "),
        }
    }

    /// Every episode and language of the series `q` names, in season and episode order.
    async fn search(&self, q: &str, query: &FeedQuery) -> Result<Vec<Release>, ArrError> {
        let hits = self.series_named(q).await?;
        let candidates = match absolute(q, query) {
            Some((title, number)) if !hits.iter().any(|h| plain(&h.name) == plain(q)) => {
                self.absolute_episode(title, number).await?
            }
            _ => self.candidates(hits, query).await,
        };
        self.releases_of(candidates, query).await
    }

    /// Each episode the query wants of each series found, until the page is full.
    async fn candidates(&self, hits: Vec<SearchHit>, query: &FeedQuery) -> Vec<Candidate> {
        let mut candidates = Vec::new();
        for hit in hits {
            match self.episodes_of(&hit.key, query).await {
                Ok((title, ids)) => candidates.extend(ids.into_iter().map(|id| Candidate {
                    key: hit.key.clone(),
                    series_title: title.clone(),
                    id,
                })),
                Err(e) => {
                    tracing::warn!(series = %hit.key, error = %e, "a series found could not be read")
                }
            }
            if candidates.len() >= query.enough() {
                break;
            }
        }
        candidates
    }

    /// Sonarr's anime search, `<title> <absolute number>` (`Dr Stone 05`): the `number`th
    /// episode of the series named `title`, counted through its seasons in order (the films
    /// not counted).
    async fn absolute_episode(&self, title: &str, number: u32) -> Result<Vec<Candidate>, ArrError> {
        let every = FeedQuery::default();
        let mut found = Vec::new();
        for hit in self.series_named(title).await? {
            if plain(&hit.name) != plain(title) {
                continue;
            }
            let Ok((name, ids)) = self.episodes_of(&hit.key, &every).await else {
                continue;
            };
            let nth = ids
                .into_iter()
                .filter(|id| id.season != FILM_SEASON)
                .nth(number as usize - 1);
            found.extend(nth.map(|id| Candidate {
                key: hit.key.clone(),
                series_title: name,
                id,
            }));
        }
        Ok(found)
    }

    /// The releases of the candidates: one per language each episode page offers.
    async fn releases_of(
        &self,
        candidates: Vec<Candidate>,
        query: &FeedQuery,
    ) -> Result<Vec<Release>, ArrError> {
        let mut releases = Vec::new();
        let mut pages = stream::iter(candidates)
            .map(|c| async move {
                let languages = self.languages(&c.key, c.id).await;
                (c, languages)
            })
            .buffered(PAGES_AT_ONCE);
        while let Some((c, languages)) = pages.next().await {
            for language in languages {
                releases.push(self.offer(c.key.clone(), c.series_title.clone(), c.id, language));
            }
            if releases.len() >= query.enough() {
                break;
            }
        }
        drop(pages);
        Ok(self.inner.store.keep_releases(releases).await?)
    }

    /// The series a query names. Sonarr sends a title cleaned of punctuation (`Dr Stone` for
    /// `Dr. Stone`), which a site's search may not match: when no series found has the
    /// query's name, its longest word is searched too, for a series of that name.
    async fn series_named(&self, q: &str) -> Result<Vec<SearchHit>, ArrError> {
        let hits = self.inner.catalogue.search(q, None).await?.hits;
        let named = |hits: &[SearchHit]| hits.iter().any(|h| plain(&h.name) == plain(q));
        if !named(&hits)
            && let Some(word) = longest_word(q)
        {
            match self.inner.catalogue.search(word, None).await {
                Ok(found) if named(&found.hits) => return Ok(chosen(found.hits, q)),
                Ok(_) => {}
                Err(e) => tracing::debug!(error = %e, "searching a query's longest word failed"),
            }
        }
        Ok(chosen(hits, q))
    }

    /// A series' name and its episodes the query wants (season 0, the films, last).
    async fn episodes_of(
        &self,
        key: &SeriesKey,
        query: &FeedQuery,
    ) -> Result<(String, Vec<EpisodeId>), ProviderError> {
        let catalogue = &self.inner.catalogue;
        let series = catalogue.series(key).await?;
        let mut seasons = series.seasons.clone();
        if series.has_films {
            seasons.push(FILM_SEASON);
        }
        seasons.retain(|s| query.season.is_none_or(|wanted| wanted == *s));
        let mut ids = Vec::new();
        for season in seasons {
            let listed = catalogue.season(key, season).await?;
            ids.extend(
                listed
                    .into_iter()
                    .map(|e| e.id)
                    .filter(|id| query.wants(*id)),
            );
        }
        Ok((series.name, ids))
    }

    /// The languages an episode is offered in: from the cache, else its page. A page that
    /// fails offers nothing (the search goes on with the other episodes).
    async fn languages(&self, key: &SeriesKey, id: EpisodeId) -> Vec<Language> {
        let now = self.inner.clock.now();
        let minutes = self.inner.config.current().provider.cache_minutes;
        let ttl = chrono::Duration::minutes(i64::from(minutes));
        if let Some(hit) = self.inner.languages.get(key, id, now, ttl) {
            return hit;
        }
        match self.inner.catalogue.episode(key, id).await {
            Ok(page) => {
                let languages = page.languages;
                if minutes > 0 {
                    self.inner
                        .languages
                        .put(key.clone(), id, now, languages.clone());
                }
                languages
            }
            Err(e) => {
                tracing::warn!(series = %key, episode = %id, error = %e, "an episode page could not be read");
                Vec::new()
            }
        }
    }

    /// A release first seen now.
    fn offer(
        &self,
        key: SeriesKey,
        series_title: String,
        episode: EpisodeId,
        language: Language,
    ) -> Release {
        Release {
            key,
            series_title,
            episode,
            language,
            first_seen: self.inner.clock.now(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_narrows_by_season_and_episode_and_pages() {
        let q = FeedQuery {
            season: Some(0),
            episode: None,
            offset: 5,
            limit: 500,
            ..FeedQuery::default()
        };
        assert!(q.wants(EpisodeId::new(0, 3)));
        assert!(!q.wants(EpisodeId::new(1, 3)));
        assert_eq!(q.enough(), 5 + MAX_LIMIT);
        let one = FeedQuery {
            season: Some(1),
            episode: Some(2),
            limit: 10,
            ..FeedQuery::default()
        };
        assert!(one.wants(EpisodeId::new(1, 2)));
        assert!(!one.wants(EpisodeId::new(1, 3)));
    }
}
