//! Reads an s.to series page (`/serie/<slug>`): title `h1`, description
//! `span.description-text`, first year (a link to `/jahr/<yyyy>`), the season pills
//! (`#season-nav ul li a` or `a[data-season-pill]` to `/serie/<slug>/staffel-N`; `staffel-0`
//! holds films and specials) and the metadata the page gives: cover, genres, IMDb id.
//!
//! Pages link other series' seasons too (related series, the popular box): only links of this
//! series' slug count.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::super::html::{missing, non_empty, selector, text_of};
use super::super::links::{number_after, path_of};
use super::super::series_metadata::cover_url;
use super::super::site_pages::SeriesPage;
use super::urls::{StoUrls, rest_of_own_path};
use crate::domain::catalogue::ProviderError;
use crate::domain::episode::FILM_SEASON;
use crate::domain::series::SeriesKey;
use crate::domain::series_metadata::{ImdbId, Names, SeriesMetadata};

const PAGE: &str = "series page";
const SEASON_PILLS: &str = "#season-nav ul li a[href], a[data-season-pill][href]";
/// Where the site keeps channel (series) images; the cover is one of them.
const CHANNEL_IMAGES: &str = "/media/images/channel/";

static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static DESCRIPTION: LazyLock<Selector> = LazyLock::new(|| selector("span.description-text"));
static LINKS: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));
static PILLS: LazyLock<Selector> = LazyLock::new(|| selector(SEASON_PILLS));
static SEASON_NAV: LazyLock<Selector> = LazyLock::new(|| selector("#season-nav"));
static IMAGES: LazyLock<Selector> = LazyLock::new(|| selector("img"));
static GROUPS: LazyLock<Selector> = LazyLock::new(|| selector("li.series-group"));
static GROUP_NAME: LazyLock<Selector> = LazyLock::new(|| selector("strong"));
static GROUP_ITEMS: LazyLock<Selector> = LazyLock::new(|| selector("a"));

/// What an s.to series page says: the series page of either site. Cover, genres and IMDb id
/// where the page gives them; the other parts of the metadata stay empty.
pub type StoSeriesPage = SeriesPage;

/// Parses the series page of `key`; `urls` makes the cover absolute.
///
/// # Errors
/// [`ProviderError::Layout`] naming `h1` when the page has no title, or naming the season
/// pills when it has neither a season navigation nor any season link of this series.
pub fn parse_series_page(
    html: &str,
    key: &SeriesKey,
    urls: &StoUrls,
) -> Result<StoSeriesPage, ProviderError> {
    let doc = Html::parse_document(html);
    let name = doc
        .select(&TITLE)
        .map(text_of)
        .find(|t| !t.is_empty())
        .ok_or_else(|| missing(PAGE, "h1"))?;
    let description = doc.select(&DESCRIPTION).map(text_of).find_map(non_empty);
    let year = doc
        .select(&LINKS)
        .filter_map(|a| a.value().attr("href"))
        .find_map(year_of_link);

    let mut seasons = BTreeSet::new();
    let mut has_films = false;
    for href in doc.select(&PILLS).filter_map(|a| a.value().attr("href")) {
        let Some(rest) = rest_of_own_path(path_of(href), key.slug()) else {
            continue;
        };
        match number_after(rest.trim_matches('/'), "staffel-") {
            Some(FILM_SEASON) => has_films = true,
            Some(n) => {
                seasons.insert(n);
            }
            None => {}
        }
    }
    if seasons.is_empty() && !has_films && doc.select(&SEASON_NAV).next().is_none() {
        return Err(missing(PAGE, SEASON_PILLS));
    }
    Ok(StoSeriesPage {
        name,
        description,
        year,
        seasons: seasons.into_iter().collect(),
        has_films,
        metadata: metadata(&doc, urls),
    })
}

/// The year of a link to `/jahr/<yyyy>` (under any prefix, e.g. `/serien/jahr/2008`).
fn year_of_link(href: &str) -> Option<i32> {
    let path = path_of(href).trim_end_matches('/');
    let (before, year) = path.rsplit_once('/')?;
    if !before.ends_with("/jahr") || year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    year.parse().ok().filter(|y| (1900..=2200).contains(y))
}

/// Cover, genres and IMDb id; each part is left out when missing or junk.
fn metadata(doc: &Html, urls: &StoUrls) -> SeriesMetadata {
    let cover = doc.select(&IMAGES).find_map(|img| {
        ["src", "data-src"]
            .iter()
            .filter_map(|name| img.value().attr(name))
            .filter(|raw| raw.contains(CHANNEL_IMAGES))
            .find_map(|raw| cover_url(raw, urls.site()))
    });
    let genres = doc
        .select(&GROUPS)
        .find(|group| group_name(*group).is_some_and(|n| n.eq_ignore_ascii_case("genre")))
        .map(|group| Names::distinct(group.select(&GROUP_ITEMS).map(text_of)))
        .unwrap_or_default();
    let imdb = doc
        .select(&LINKS)
        .filter_map(|a| a.value().attr("href"))
        .find_map(imdb_of_link);
    SeriesMetadata {
        cover,
        genres,
        imdb,
        ..SeriesMetadata::default()
    }
}

/// The name of a `li.series-group`: its `strong` without the colon (`Genre:` → `Genre`).
fn group_name(group: ElementRef<'_>) -> Option<String> {
    let label = text_of(group.select(&GROUP_NAME).next()?);
    Some(label.trim_end_matches(':').trim().to_owned())
}

/// The title id of a link to `imdb.com/title/tt.../`.
fn imdb_of_link(href: &str) -> Option<ImdbId> {
    let (host, rest) = href.split_once("imdb.com/title/")?;
    if !(host.is_empty() || host.ends_with("//") || host.ends_with('.')) {
        return None;
    }
    let id = rest.split(['/', '?', '#']).next()?;
    ImdbId::parse(id).ok()
}

#[cfg(test)]
mod tests;
