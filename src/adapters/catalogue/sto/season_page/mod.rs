//! Reads an s.to season page (`/serie/<slug>/staffel-N`; N = 0 holds films and specials):
//! the rows `table.episode-table tr.episode-row`, each going to its episode page by
//! `onclick="window.location='/serie/<slug>/staffel-N/episode-M'"` (or a link inside the row),
//! with titles `.episode-title-ger` / `.episode-title-eng` and language flags
//! `<use href="#icon-flag-...">`.
//!
//! Rows of another season or series are skipped, and so are rows marked `upcoming`: an
//! announced episode has no hosters yet, and the next refresh lists it once it is out.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::super::html::{fold, missing, non_empty, selector, text_of};
use super::super::links::{number_after, path_of};
use super::urls::rest_of_own_path;
use crate::domain::catalogue::{EpisodeListing, Language, ProviderError};
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;

const ROWS: &str = "table.episode-table tr.episode-row";

static TABLE: LazyLock<Selector> = LazyLock::new(|| selector("table.episode-table"));
static ROW: LazyLock<Selector> = LazyLock::new(|| selector(ROWS));
static LINKS: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));
static GERMAN: LazyLock<Selector> = LazyLock::new(|| selector(".episode-title-ger"));
static ENGLISH: LazyLock<Selector> = LazyLock::new(|| selector(".episode-title-eng"));
static FLAGS: LazyLock<Selector> = LazyLock::new(|| selector("use"));

/// One episode as a season page lists it, with the languages its flags show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoEpisodeRow {
    pub listing: EpisodeListing,
    /// The languages of the row's flags, in row order, each once.
    pub languages: Vec<Language>,
}

impl From<StoEpisodeRow> for EpisodeListing {
    fn from(row: StoEpisodeRow) -> Self {
        row.listing
    }
}

/// Parses the page of `season` of `key`, ordered by episode number (gaps kept). When two rows
/// name the same episode, the first one's titles stand and the flags of both count.
///
/// # Errors
/// [`ProviderError::Layout`] naming the episode rows when the page has no
/// `table.episode-table` (a table without rows is a season without episodes).
pub fn parse_season_page(
    html: &str,
    key: &SeriesKey,
    season: u32,
) -> Result<Vec<StoEpisodeRow>, ProviderError> {
    let doc = Html::parse_document(html);
    if doc.select(&TABLE).next().is_none() {
        return Err(missing("season page", ROWS));
    }
    let mut rows: BTreeMap<u32, StoEpisodeRow> = BTreeMap::new();
    for row in doc.select(&ROW) {
        if row.value().classes().any(|c| c == "upcoming") {
            continue;
        }
        let Some(number) = episode_of_row(row, key.slug(), season) else {
            continue;
        };
        let languages = flags(row);
        let entry = rows.entry(number).or_insert_with(|| StoEpisodeRow {
            listing: EpisodeListing {
                id: EpisodeId::new(season, number),
                title_german: row.select(&GERMAN).next().and_then(full_title),
                title_english: row.select(&ENGLISH).next().and_then(full_title),
            },
            languages: Vec::new(),
        });
        for language in languages {
            if !entry.languages.contains(&language) {
                entry.languages.push(language);
            }
        }
    }
    Ok(rows.into_values().collect())
}

/// The episode number a row goes to within `season` of `slug`: from its `onclick`, else from
/// a link inside it.
fn episode_of_row(row: ElementRef<'_>, slug: &str, season: u32) -> Option<u32> {
    let onclick = row.value().attr("onclick").and_then(location_target);
    let links = row.select(&LINKS).filter_map(|a| a.value().attr("href"));
    onclick
        .into_iter()
        .chain(links)
        .find_map(|href| episode_of_path(path_of(href), slug, season))
}

/// The URL a `window.location='...'` (or `location.href = "..."`) script assigns.
fn location_target(script: &str) -> Option<&str> {
    let after = &script[script.find("location")?..];
    let after = after[after.find('=')? + 1..].trim_start();
    let quote = after.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = &after[1..];
    Some(&body[..body.find(quote)?])
}

/// `m` of `/serie/<slug>/staffel-<season>/episode-<m>`.
fn episode_of_path(path: &str, slug: &str, season: u32) -> Option<u32> {
    let rest = rest_of_own_path(path, slug)?.strip_prefix('/')?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (season_part, episode_part) = rest.split_once('/')?;
    (number_after(season_part, "staffel-")? == season)
        .then(|| number_after(episode_part, "episode-"))
        .flatten()
}

/// A title element's full title: its `title` attribute (the text may be cut short with an
/// ellipsis), else its text; `None` when both are empty.
pub(super) fn full_title(cell: ElementRef<'_>) -> Option<String> {
    cell.value()
        .attr("title")
        .map(fold)
        .and_then(non_empty)
        .or_else(|| non_empty(text_of(cell)))
}

/// The languages of a row's flags, `<use href="#icon-flag-...">` (or `xlink:href`), in row
/// order, each once; flags of other languages are left out.
fn flags(row: ElementRef<'_>) -> Vec<Language> {
    let mut languages = Vec::new();
    for flag in row.select(&FLAGS) {
        // `xlink:href` is namespaced in SVG: its local name is `href` too.
        let language = flag
            .value()
            .attrs()
            .filter(|(name, _)| *name == "href")
            .find_map(|(_, value)| language_of_flag(value));
        if let Some(language) = language.filter(|l| !languages.contains(l)) {
            languages.push(language);
        }
    }
    languages
}

/// The language a flag icon stands for on s.to: German audio is German Dub, English audio
/// English Dub, English audio with German subtitles German Sub.
pub(super) fn language_of_flag(reference: &str) -> Option<Language> {
    match reference.trim().trim_start_matches('#') {
        "icon-flag-german" => Some(Language::GermanDub),
        "icon-flag-english" => Some(Language::EnglishDub),
        "icon-flag-english-german" => Some(Language::GermanSub),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
