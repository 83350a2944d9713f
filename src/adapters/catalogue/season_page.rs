//! Reads a season page (`.../staffel-<n>`) or the films page (`.../filme`): the distinct
//! episode links, numbers as they are (gaps allowed), and titles from the episode table.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::html::{missing, non_empty, selector, text_of};
use super::links::{number_after, path_of, series_path};
use crate::domain::catalogue::{EpisodeListing, ProviderError};
use crate::domain::episode::{EpisodeId, FILM_SEASON};
use crate::domain::series::SeriesKey;

static TITLE_BOX: LazyLock<Selector> = LazyLock::new(|| selector("div.series-title"));
static LINKS: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));
static ROWS: LazyLock<Selector> = LazyLock::new(|| selector("tr[data-episode-season-id]"));
static TITLE_CELL: LazyLock<Selector> = LazyLock::new(|| selector("td.seasonEpisodeTitle"));
static GERMAN: LazyLock<Selector> = LazyLock::new(|| selector("strong"));
static ENGLISH: LazyLock<Selector> = LazyLock::new(|| selector("span"));

/// The path part after the series path that marks an episode of `season`.
fn marker(season: u32) -> String {
    if season == FILM_SEASON {
        "filme/film-".into()
    } else {
        format!("staffel-{season}/episode-")
    }
}

/// The episode number an `href` links to within `season` of the series, if it does.
fn episode_of(href: &str, own: &str, marker: &str) -> Option<u32> {
    let rest = path_of(href).strip_prefix(own)?;
    number_after(rest, marker)
}

/// Parses the season page of `season` (0 = films page) of `key`, ordered by episode number.
///
/// # Errors
/// [`ProviderError::Layout`] naming the episode-link landmark when the page has no episode
/// links and is not a series page at all (a page of the site with the series head but no
/// episodes is an announced, empty season).
pub fn parse_season_page(
    html: &str,
    key: &SeriesKey,
    season: u32,
) -> Result<Vec<EpisodeListing>, ProviderError> {
    let doc = Html::parse_document(html);
    let own = format!("{}/", series_path(key));
    let marker = marker(season);
    let mut episodes: BTreeMap<u32, EpisodeListing> = doc
        .select(&LINKS)
        .filter_map(|a| episode_of(a.value().attr("href")?, &own, &marker))
        .map(|n| {
            let listing = EpisodeListing {
                id: EpisodeId::new(season, n),
                title_german: None,
                title_english: None,
            };
            (n, listing)
        })
        .collect();
    if episodes.is_empty() && doc.select(&TITLE_BOX).next().is_none() {
        let page = if season == FILM_SEASON {
            "films page"
        } else {
            "season page"
        };
        return Err(missing(page, &format!("a[href*=\"/{marker}<m>\"]")));
    }
    for row in doc.select(&ROWS) {
        let number = row
            .select(&LINKS)
            .find_map(|a| episode_of(a.value().attr("href")?, &own, &marker));
        let Some(listing) = number.and_then(|n| episodes.get_mut(&n)) else {
            continue;
        };
        let cell = row.select(&TITLE_CELL).next().unwrap_or(row);
        listing.title_german = first_text(cell, &GERMAN);
        listing.title_english = first_text(cell, &ENGLISH);
    }
    Ok(episodes.into_values().collect())
}

/// The text of the first element matching `selector` inside `scope`, unless empty.
fn first_text(scope: ElementRef<'_>, selector: &Selector) -> Option<String> {
    scope
        .select(selector)
        .next()
        .map(text_of)
        .and_then(non_empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SeriesKey {
        SeriesKey::parse("dr-stone").unwrap()
    }

    fn ids(list: &[EpisodeListing]) -> Vec<(u32, u32)> {
        list.iter().map(|e| (e.id.season, e.id.episode)).collect()
    }

    const SEASON_2: &str = r#"<div class="series-title"><h1><span>Dr. Stone</span></h1></div>
        <ul><li><a href="/anime/stream/dr-stone/staffel-1">1</a></li>
            <li><a href="/anime/stream/dr-stone/staffel-2/episode-4" title="x">4</a></li>
            <li><a href="/anime/stream/dr-stone/staffel-2/episode-1">1</a></li>
            <li><a href="/anime/stream/dr-stone/staffel-1/episode-9">other season</a></li>
            <li><a href="/anime/stream/other/staffel-2/episode-7">other series</a></li></ul>
        <table><tbody>
          <tr data-episode-season-id="1"><td><a href="/anime/stream/dr-stone/staffel-2/episode-1">Folge 1</a></td>
            <td class="seasonEpisodeTitle"><a href="/anime/stream/dr-stone/staffel-2/episode-1"><strong>Stein &amp; Welt</strong> - <span>Stone World</span></a></td></tr>
          <tr data-episode-season-id="4"><td class="seasonEpisodeTitle"><a href="https://aniworld.to/anime/stream/dr-stone/staffel-2/episode-4"><strong> </strong> - <span></span></a></td></tr>
        </tbody></table>"#;

    #[test]
    fn a_season_page_lists_its_distinct_episodes_in_order_with_gaps_kept() {
        let list = parse_season_page(SEASON_2, &key(), 2).unwrap();
        assert_eq!(ids(&list), vec![(2, 1), (2, 4)]);
    }

    #[test]
    fn titles_come_from_the_episode_table_and_empty_titles_are_none() {
        let list = parse_season_page(SEASON_2, &key(), 2).unwrap();
        assert_eq!(list[0].title_german.as_deref(), Some("Stein & Welt"));
        assert_eq!(list[0].title_english.as_deref(), Some("Stone World"));
        assert_eq!(
            (
                list[1].title_german.as_deref(),
                list[1].title_english.as_deref()
            ),
            (None, None)
        );
    }

    #[test]
    fn the_films_page_lists_films_as_season_zero() {
        let html = r#"<a href="/anime/stream/dr-stone/filme/film-2">2</a><a href="/anime/stream/dr-stone/filme/film-1">1</a>"#;
        let list = parse_season_page(html, &key(), 0).unwrap();
        assert_eq!(ids(&list), vec![(0, 1), (0, 2)]);
    }

    #[test]
    fn a_series_page_without_episode_links_is_an_empty_season() {
        let html = "<div class=\"series-title\"><h1><span>Dr. Stone</span></h1></div>";
        assert_eq!(parse_season_page(html, &key(), 3), Ok(vec![]));
    }

    #[test]
    fn garbage_is_a_layout_error_naming_the_episode_links() {
        let err = parse_season_page("<p>Wartungsarbeiten", &key(), 3).unwrap_err();
        assert_eq!(
            err,
            ProviderError::Layout("season page: a[href*=\"/staffel-3/episode-<m>\"]".into())
        );
    }
}
