//! Reads the metadata line of a series page (PROVIDER.md, "Series page"): the cover image,
//! alternative titles, last year, genres, FSK rating and IMDb id. Every part is optional: a
//! landmark that is missing or holds junk leaves its part out and never fails the page.

use std::sync::LazyLock;

use scraper::{Html, Selector};

use super::html::{selector, text_of};
use super::links::SiteUrls;
use super::series_page::first_year;
use crate::domain::series_metadata::{CoverUrl, Fsk, ImdbId, Names, SeriesMetadata};

static COVER: LazyLock<Selector> = LazyLock::new(|| selector("div.seriesCoverBox img"));
static ALTERNATIVE_TITLES: LazyLock<Selector> =
    LazyLock::new(|| selector("h1[data-alternativetitles]"));
static END_YEAR: LazyLock<Selector> = LazyLock::new(|| selector("span[itemprop=\"endDate\"] a"));
static GENRES: LazyLock<Selector> = LazyLock::new(|| selector("a.genreButton"));
static FSK: LazyLock<Selector> = LazyLock::new(|| selector("div.fsk[data-fsk]"));
static IMDB: LazyLock<Selector> = LazyLock::new(|| selector("a.imdb-link[data-imdb]"));

/// The metadata of a parsed series page; `first` is the page's first year, which a last year
/// before it contradicts (that last year is left out).
pub fn parse_metadata(doc: &Html, urls: &SiteUrls, first: Option<i32>) -> SeriesMetadata {
    let cover = doc.select(&COVER).find_map(|img| {
        let attrs = img.value();
        ["data-src", "src"]
            .iter()
            .filter_map(|name| attrs.attr(name))
            .find_map(|raw| cover_url(raw, urls))
    });
    let alternative_titles = doc
        .select(&ALTERNATIVE_TITLES)
        .filter_map(|h1| h1.value().attr("data-alternativetitles"))
        .map(|list| Names::distinct(list.split(',')))
        .find(|names| !names.is_empty())
        .unwrap_or_default();
    let last_year = doc
        .select(&END_YEAR)
        .find_map(|a| first_year(&text_of(a)))
        .filter(|last| first.is_none_or(|first| *last >= first));
    let genres = Names::distinct(
        doc.select(&GENRES)
            .map(text_of)
            .filter(|text| !is_expander(text)),
    );
    let fsk = doc
        .select(&FSK)
        .filter_map(|div| div.value().attr("data-fsk"))
        .find_map(|raw| Fsk::parse(raw).ok());
    let imdb = doc
        .select(&IMDB)
        .filter_map(|a| a.value().attr("data-imdb"))
        .find_map(|raw| ImdbId::parse(raw).ok());
    SeriesMetadata {
        cover,
        alternative_titles,
        last_year,
        genres,
        fsk,
        imdb,
    }
}

/// A cover path or URL made absolute on the site; `None` for other schemes (`data:` — the
/// lazy loader's placeholder in `src` — and `javascript:`) and for junk.
pub(super) fn cover_url(raw: &str, urls: &SiteUrls) -> Option<CoverUrl> {
    let raw = raw.trim();
    let http = raw.starts_with("http://") || raw.starts_with("https://");
    let other_scheme = raw
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'));
    if raw.is_empty() || (other_scheme && !http) {
        return None;
    }
    CoverUrl::parse(&urls.absolute(raw)).ok()
}

/// A "+ 3" button that unfolds more genres: a button, not a genre.
fn is_expander(text: &str) -> bool {
    text.strip_prefix('+')
        .map(str::trim)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests;
