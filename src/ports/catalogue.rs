//! The catalogue site and the video hosters, as the core sees them.

use async_trait::async_trait;

use crate::domain::catalogue::{
    EpisodeDetails, EpisodeListing, HosterLink, MediaSource, NewEpisode, ProviderError,
    SearchResults, SeriesDetails,
};
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;

/// A catalogue: one site (aniworld.to, s.to), or the sites together, each series asked of
/// the site its key names.
///
/// # Errors
/// Every method returns [`ProviderError::NotFound`] for an unknown series, season or episode,
/// [`ProviderError::Layout`] naming the missing landmark when a page is not understood,
/// [`ProviderError::Status`] for other HTTP failures, [`ProviderError::Timeout`] when the
/// configured time ran out and [`ProviderError::TooLarge`] when an answer passed the size cap.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait Catalogue: Send + Sync {
    /// The absolute URL of a series page.
    fn series_link(&self, key: &SeriesKey) -> String;

    /// The key of a series link of this site (aniworld.to's `{base}/anime/stream/<slug>`,
    /// s.to's `{base}/serie/<slug>`, with or without a trailing slash); `None` for any other
    /// URL.
    fn key_of_link(&self, link: &str) -> Option<SeriesKey>;

    /// Series matching a query, on `only` that site or on every site asked; season, episode
    /// and unrelated links are left out. A site that fails while another answers is named
    /// in the warnings; when every site asked fails, the first one's error is the answer.
    async fn search(&self, query: &str, only: Option<Site>)
    -> Result<SearchResults, ProviderError>;

    /// The series page.
    async fn series(&self, key: &SeriesKey) -> Result<SeriesDetails, ProviderError>;

    /// The episodes of one season; season 0 is the films page.
    async fn season(
        &self,
        key: &SeriesKey,
        season: u32,
    ) -> Result<Vec<EpisodeListing>, ProviderError>;

    /// The episodes of every season and the films of a series, fetched concurrently (bounded),
    /// in ascending order.
    async fn all_episodes(
        &self,
        series: &SeriesDetails,
    ) -> Result<Vec<EpisodeListing>, ProviderError>;

    /// One episode page: titles, languages and hoster links.
    async fn episode(
        &self,
        key: &SeriesKey,
        id: EpisodeId,
    ) -> Result<EpisodeDetails, ProviderError>;

    /// The site's list of recently published episodes (PROVIDER.md, "New episodes"); a
    /// page without episode links is [`ProviderError::Layout`], so the caller falls back to
    /// refreshing every series.
    async fn new_episodes(&self) -> Result<Vec<NewEpisode>, ProviderError>;

    /// Follows a hoster link's redirect and returns the URL of the hoster's embed page.
    async fn embed_url(&self, link: &HosterLink) -> Result<String, ProviderError>;
}

/// The page a hoster link landed on: where the redirects ended, its text, and the catalogue
/// URL that linked to it (some hosters want to be told the site, e.g. Luluvdo's `referer=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedPage {
    /// The final URL, after every HTTP redirect.
    pub url: String,
    pub body: String,
    /// The catalogue's `/redirect/<id>` URL that led here.
    pub linked_from: String,
}

/// How surely a landed page is one hoster's; the surer claim wins (PROVIDER.md: the label
/// is not the hoster, where the redirect lands is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Recognition {
    /// Nothing on the page is this hoster's.
    Unknown,
    /// The page holds this hoster's landmarks (its host may be a new mirror).
    Landmarks,
    /// The page is on one of this hoster's known domains.
    Host,
}

/// One video hoster: turns its embed page into a downloadable media source.
///
/// The caller opens the page a link lands on once ([`Hoster::open`], through the hoster the
/// link's label names), asks every hoster whether it [recognises](Hoster::recognises) it,
/// and lets the surest one [resolve](Hoster::resolve) it; when none does, the label's.
///
/// # Errors
/// [`ProviderError::Layout`] ("VOE page layout not recognised") when the page holds none of
/// the hoster's patterns; the transport errors as for [`Catalogue`].
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait Hoster: Send + Sync {
    /// The name the catalogue's episode pages use for this hoster (`VOE`, `Vidoza`, ...).
    fn name(&self) -> &str;

    /// Fetches an embed page (following its HTTP redirects); `linked_from` is the
    /// catalogue URL of the link.
    async fn open(&self, embed_url: &str, linked_from: &str) -> Result<EmbedPage, ProviderError>;

    /// Whether the landed page is this hoster's: by its host, else by its landmarks. Pure:
    /// no request is made.
    fn recognises(&self, page: &EmbedPage) -> Recognition;

    /// Resolves an opened embed page to the media URL and the headers it needs (fetching
    /// whatever else the hoster needs: hops, APIs, scripts).
    async fn resolve(&self, page: &EmbedPage) -> Result<MediaSource, ProviderError>;
}
