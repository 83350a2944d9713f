//! Reads s.to's HTML search, the fallback for the suggest API:
//! `/suche?term=<q>&tab=shows&page=N` holds series cards `div.card.cover-card` whose link goes
//! to `/serie/<slug>` and whose title is `h6.show-title`, 24 a page, and a link `a[rel=next]`
//! to the next page. The site's header, a "popular series" box and the footer link series too;
//! only the cards count.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::super::html::{fold, missing, non_empty, selector, text_of};
use super::super::links::path_of;
use super::urls::{StoUrls, slug_of_path};
use crate::domain::catalogue::{ProviderError, SearchHit};
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;

/// The search form inside the page's `main`: every search page has it, with or without
/// results (the header's search form sits outside `main` on every page of the site).
const SEARCH_FORM: &str = "main form[action$=\"/suche\"]";

static FORM: LazyLock<Selector> = LazyLock::new(|| selector(SEARCH_FORM));
static CARD_LINKS: LazyLock<Selector> = LazyLock::new(|| selector("div.card.cover-card a[href]"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("h6.show-title"));
static IMAGE: LazyLock<Selector> = LazyLock::new(|| selector("img[alt]"));
static NEXT: LazyLock<Selector> = LazyLock::new(|| selector("a[rel~=\"next\"][href]"));

/// One page of the HTML search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPage {
    /// The series on this page, in page order, each once.
    pub hits: Vec<SearchHit>,
    /// The absolute URL of the next page, when the page links one.
    pub next: Option<String>,
}

/// Parses one page of the HTML search; `urls` makes the links absolute.
///
/// A card's name is its `h6.show-title`, else the link's `title`, else the cover's `alt`,
/// else the slug. A card linking anything but a series page (a season, another host's path)
/// is skipped.
///
/// # Errors
/// [`ProviderError::Layout`] naming the search form when the page has neither a series card
/// nor the search form in its `main` (not a search page at all); a search page without cards
/// is an empty result.
pub fn parse_search_page(html: &str, urls: &StoUrls) -> Result<SearchPage, ProviderError> {
    let doc = Html::parse_document(html);
    let mut hits: Vec<SearchHit> = Vec::new();
    let mut cards = 0;
    for link in doc.select(&CARD_LINKS) {
        cards += 1;
        let Some(hit) = card(link, urls) else {
            continue;
        };
        if !hits.iter().any(|h| h.key == hit.key) {
            hits.push(hit);
        }
    }
    if cards == 0 && doc.select(&FORM).next().is_none() {
        return Err(missing("search page", SEARCH_FORM));
    }
    let next = doc
        .select(&NEXT)
        .filter_map(|a| a.value().attr("href"))
        .find(|href| path_of(href).ends_with("/suche"))
        .map(|href| urls.absolute(href));
    Ok(SearchPage { hits, next })
}

/// The hit of one card's link, unless it links no series page.
fn card(link: ElementRef<'_>, urls: &StoUrls) -> Option<SearchHit> {
    let slug = slug_of_path(path_of(link.value().attr("href")?))?;
    let key = SeriesKey::on(Site::Sto, slug).ok()?;
    let name = link
        .select(&TITLE)
        .next()
        .map(text_of)
        .and_then(non_empty)
        .or_else(|| link.value().attr("title").map(fold))
        .filter(|n| !n.is_empty())
        .or_else(|| {
            link.select(&IMAGE)
                .filter_map(|img| img.value().attr("alt"))
                .map(fold)
                .find(|alt| !alt.is_empty())
        })
        .unwrap_or_else(|| slug.to_owned());
    Some(SearchHit {
        link: urls.series(&key),
        key,
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_1: &str = include_str!("../../../../tests/fixtures/sto/search_page_1.html");
    const PAGE_2: &str = include_str!("../../../../tests/fixtures/sto/search_page_2.html");

    fn urls() -> StoUrls {
        StoUrls::new("https://serienstream.to").unwrap()
    }

    fn seen(page: &SearchPage) -> Vec<(&str, &str)> {
        page.hits
            .iter()
            .map(|h| (h.key.as_str(), h.name.as_str()))
            .collect()
    }

    #[test]
    fn the_first_page_gives_its_cards_once_each_and_the_next_page() {
        let page = parse_search_page(PAGE_1, &urls()).unwrap();
        assert_eq!(
            seen(&page),
            vec![
                ("sto:greys-anatomy", "Grey's Anatomy"),
                ("sto:greys-anatomy-b-team", "Grey's Anatomy: B-Team"),
                ("sto:station-19", "Station 19 & Grey's"),
                ("sto:grey-gardens", "Grey Gardens \"Die Doku\""),
                ("sto:shades-of-grey", "shades-of-grey"),
            ]
        );
        assert_eq!(
            page.hits[0].link,
            "https://serienstream.to/serie/greys-anatomy"
        );
        assert_eq!(
            page.next.as_deref(),
            Some("https://serienstream.to/suche?term=grey&tab=shows&page=2")
        );
    }

    #[test]
    fn the_last_page_has_no_next_page_and_the_popular_box_is_no_result() {
        let page = parse_search_page(PAGE_2, &urls()).unwrap();
        assert_eq!(
            seen(&page),
            vec![
                ("sto:the-grey-man", "The Grey Man"),
                ("sto:earl-grey-und-das-gespenst", "Earl Grey & das Gespenst"),
            ]
        );
        assert_eq!(page.next, None);
    }

    #[test]
    fn a_search_page_without_cards_is_an_empty_result() {
        let html = "<html><body><main><form action=\"/suche\"><input name=\"term\"></form><p>Keine Serien gefunden.</p></main></body></html>";
        assert_eq!(
            parse_search_page(html, &urls()),
            Ok(SearchPage {
                hits: vec![],
                next: None
            })
        );
    }

    #[test]
    fn a_page_that_is_no_search_page_is_a_layout_error_naming_the_form() {
        let home = "<html><body><nav><form action=\"/suche\"><input name=\"term\"></form></nav><main><a href=\"/serie/dark\">Dark</a></main></body></html>";
        assert_eq!(
            parse_search_page(home, &urls()),
            Err(ProviderError::Layout(
                "search page: main form[action$=\"/suche\"]".into()
            ))
        );
    }

    #[test]
    fn a_card_names_itself_by_its_link_title_or_cover_when_the_heading_is_empty() {
        let html = r#"<main><div class="card cover-card"><a href="/serie/dark" title=" Dark &amp; Co "><h6 class="show-title"> </h6></a></div>
            <div class="card cover-card"><a href="/serie/1899"><img src="x.webp" alt=""><img alt="1899"></a></div></main>"#;
        let page = parse_search_page(html, &urls()).unwrap();
        assert_eq!(
            seen(&page),
            vec![("sto:dark", "Dark & Co"), ("sto:1899", "1899")]
        );
    }
}
