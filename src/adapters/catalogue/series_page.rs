//! Reads a series page (`/anime/stream/<key>`): title, description, first year, season numbers,
//! whether a films page exists, and the metadata line (`series_metadata.rs`). A plain sync
//! function: `scraper::Html` is not `Send`.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use scraper::{Html, Selector};

use super::html::{fold, missing, non_empty, selector, text_of};
use super::links::{SiteUrls, number_after, path_of, series_path};
use super::series_metadata::parse_metadata;
use super::site_pages::SeriesPage;
use crate::domain::catalogue::ProviderError;
use crate::domain::series::SeriesKey;

const PAGE: &str = "series page";
const TITLE: &str = "div.series-title h1 span";
const SEASON_LINKS: &str =
    "a[href=\"/anime/stream/<key>/staffel-<n>\"] or meta[itemprop=numberOfSeasons]";

static TITLE_BOX: LazyLock<Selector> = LazyLock::new(|| selector("div.series-title"));
static TITLE_SPAN: LazyLock<Selector> = LazyLock::new(|| selector(TITLE));
static DESCRIPTION: LazyLock<Selector> =
    LazyLock::new(|| selector("p.seri_des[data-full-description]"));
static SEASON_COUNT: LazyLock<Selector> =
    LazyLock::new(|| selector("meta[itemprop=\"numberOfSeasons\"][content]"));
static START_YEAR: LazyLock<Selector> =
    LazyLock::new(|| selector("span[itemprop=\"startDate\"] a"));
static LINKS: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));

/// Parses the series page of `key`; the cover is made absolute on `urls`' base.
///
/// # Errors
/// [`ProviderError::NotFound`] without `div.series-title` (the site's answer to an unknown key);
/// [`ProviderError::Layout`] naming the landmark when the title or every season marker is missing.
pub fn parse_series_page(
    html: &str,
    key: &SeriesKey,
    urls: &SiteUrls,
) -> Result<SeriesPage, ProviderError> {
    let doc = Html::parse_document(html);
    if doc.select(&TITLE_BOX).next().is_none() {
        return Err(ProviderError::NotFound);
    }
    let name = doc
        .select(&TITLE_SPAN)
        .map(text_of)
        .find(|t| !t.is_empty())
        .ok_or_else(|| missing(PAGE, TITLE))?;
    let description = doc
        .select(&DESCRIPTION)
        .filter_map(|p| p.value().attr("data-full-description"))
        .find_map(|d| non_empty(fold(d)));
    let year = doc
        .select(&START_YEAR)
        .find_map(|a| first_year(&text_of(a)));

    let own = format!("{}/", series_path(key));
    let mut seasons = BTreeSet::new();
    let mut has_films = false;
    for href in doc.select(&LINKS).filter_map(|a| a.value().attr("href")) {
        let Some(rest) = path_of(href).strip_prefix(own.as_str()) else {
            continue;
        };
        if rest == "filme" {
            has_films = true;
        } else if let Some(n) = number_after(rest, "staffel-").filter(|n| *n > 0) {
            seasons.insert(n);
        }
    }
    if seasons.is_empty() {
        // Without season links the count in the page's metadata still tells the seasons.
        let count = doc
            .select(&SEASON_COUNT)
            .find_map(|m| m.value().attr("content")?.trim().parse::<u32>().ok());
        match count {
            Some(n) => seasons.extend(1..=n.min(MAX_SEASONS)),
            None if !has_films => return Err(missing(PAGE, SEASON_LINKS)),
            None => {}
        }
    }
    Ok(SeriesPage {
        name,
        description,
        year,
        seasons: seasons.into_iter().collect(),
        has_films,
        metadata: parse_metadata(&doc, urls, year),
    })
}

/// A bound on the season count taken from metadata, so a garbled number cannot make a scan
/// request thousands of pages.
const MAX_SEASONS: u32 = 100;

/// The first run of four digits that reads as a plausible year.
pub(super) fn first_year(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 4)
        .filter_map(|run| run.parse().ok())
        .find(|year| (1900..=2200).contains(year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SeriesKey {
        SeriesKey::parse("re-zero").unwrap()
    }

    fn parse_series_page(html: &str, key: &SeriesKey) -> Result<SeriesPage, ProviderError> {
        super::parse_series_page(html, key, &SiteUrls::new("https://aniworld.to").unwrap())
    }

    const PAGE_HTML: &str = r#"<html><body>
        <nav><a href="/anime/stream/other/staffel-3">Other</a><a href="/animes">All</a></nav>
        <div class="series-title"><h1 title="Anime Stream Re:Zero &amp; Co"><span> Re:Zero
            &amp; Co </span></h1>
          <small><span itemprop="startDate"><a href="/animes/jahr/2016">2016</a></span></small></div>
        <meta content="3" itemprop="numberOfSeasons">
        <p data-full-description="Subaru &#039;returns&#039; &lt;by death&gt;." class="seri_des">Sub…</p>
        <ul><li><a href="/anime/stream/re-zero/filme" title="Alle Filme">Filme</a></li>
          <li><a class="active" href="https://aniworld.to/anime/stream/re-zero/staffel-2">2</a></li>
          <li><a href="/anime/stream/re-zero/staffel-1">1</a></li>
          <li><a href="/anime/stream/re-zero/staffel-1/episode-4">4</a></li>
          <li><a href="/anime/stream/re-zero/staffel-1">1 again</a></li></ul>
        </body></html>"#;

    #[test]
    fn a_series_page_gives_title_description_year_seasons_and_films() {
        let page = parse_series_page(PAGE_HTML, &key()).unwrap();
        assert_eq!(page.name, "Re:Zero & Co");
        assert_eq!(
            page.description.as_deref(),
            Some("Subaru 'returns' <by death>.")
        );
        assert_eq!(page.year, Some(2016));
        assert_eq!(page.seasons, vec![1, 2]);
        assert!(page.has_films);
        assert_eq!(
            page.metadata,
            crate::domain::series_metadata::SeriesMetadata::default()
        );
    }

    #[test]
    fn a_page_without_the_series_title_box_means_the_series_does_not_exist() {
        let home = "<html><body><h1>Willkommen</h1><a href=\"/anime/stream/re-zero/staffel-1\">x</a></body></html>";
        assert_eq!(
            parse_series_page(home, &key()),
            Err(ProviderError::NotFound)
        );
    }

    #[test]
    fn a_title_box_without_its_title_is_a_layout_error_naming_the_landmark() {
        let html = "<div class=\"series-title\"><h2>Re:Zero</h2></div>";
        assert_eq!(
            parse_series_page(html, &key()),
            Err(ProviderError::Layout(
                "series page: div.series-title h1 span".into()
            ))
        );
    }

    #[test]
    fn the_season_count_stands_in_when_season_links_are_missing() {
        let html = "<div class=\"series-title\"><h1><span>X</span></h1></div><meta itemprop=\"numberOfSeasons\" content=\"2\">";
        let page = parse_series_page(html, &key()).unwrap();
        assert_eq!(page.seasons, vec![1, 2]);
        assert_eq!(
            (page.year, page.description, page.has_films),
            (None, None, false)
        );
    }

    #[test]
    fn a_page_with_neither_seasons_nor_films_nor_a_count_is_a_layout_error() {
        let html = "<div class=\"series-title\"><h1><span>X</span></h1></div>";
        let err = parse_series_page(html, &key()).unwrap_err();
        assert!(matches!(err, ProviderError::Layout(l) if l.contains("staffel-<n>")));
    }

    #[test]
    fn a_year_link_without_a_year_gives_no_year() {
        assert_eq!(first_year("Heute"), None);
        assert_eq!(first_year("seit 2013 - 2023"), Some(2013));
        assert_eq!(first_year("12345"), None);
    }
}
