//! Reads the answer of `POST /ajax/search`: a JSON array of `{title, description, link}` in
//! which only `/anime/stream/<key>` links are series; titles carry `<em>` tags and entities.

use scraper::Html;
use serde::Deserialize;

use super::html::fold;
use super::links::{SiteUrls, key_of_series_path, path_of};
use crate::domain::catalogue::{ProviderError, SearchHit};

/// One entry of the search answer; other fields are ignored, missing ones are empty.
#[derive(Debug, Deserialize)]
struct Entry {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    link: Option<String>,
}

/// Parses a search answer into series hits, first occurrence first, each key once.
///
/// # Errors
/// [`ProviderError::Layout`] when the answer is not a JSON array (an empty answer is no hits).
pub fn parse_search(body: &str, urls: &SiteUrls) -> Result<Vec<SearchHit>, ProviderError> {
    // Some servers put a byte-order mark in front of JSON; serde_json does not skip it.
    let body = body.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Ok(Vec::new());
    }
    // Entries of another shape (a number, a string) are skipped rather than failing the search.
    let entries: Vec<serde_json::Value> = serde_json::from_str(body)
        .map_err(|_| ProviderError::Layout("search answer: JSON array".into()))?;
    let mut hits: Vec<SearchHit> = Vec::new();
    for entry in entries {
        let Ok(Entry { title, link }) = serde_json::from_value::<Entry>(entry) else {
            continue;
        };
        let Some(key) = link.as_deref().map(path_of).and_then(key_of_series_path) else {
            continue;
        };
        if hits.iter().any(|h| h.key == key) {
            continue;
        }
        let name = title
            .as_deref()
            .map(plain_text)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| key.to_string());
        hits.push(SearchHit {
            link: urls.series(&key),
            key,
            name,
        });
    }
    Ok(hits)
}

/// A title fragment without tags and with entities decoded: `<em>Attack</em> &amp; Co` becomes
/// `Attack & Co`.
pub fn plain_text(fragment: &str) -> String {
    let html = Html::parse_fragment(fragment);
    fold(&html.root_element().text().collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_before_the_json_is_skipped() {
        let urls = SiteUrls::new("https://aniworld.to").unwrap();
        let body = "\u{feff}[{\"title\":\"Naruto\",\"link\":\"/anime/stream/naruto\"}]";
        let hits = parse_search(body, &urls).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].name, "Naruto");
    }

    fn urls() -> SiteUrls {
        SiteUrls::new("https://aniworld.to").unwrap()
    }

    #[test]
    fn only_series_links_are_kept_once_with_clean_titles() {
        let body = r#"[
            {"title":"<em>Attack<\/em> on Titan","description":"x","link":"\/anime\/stream\/attack-on-titan"},
            {"title":"<em>Attack<\/em> on Titan Staffel 2","link":"/anime/stream/attack-on-titan/staffel-2"},
            {"title":"Episode","link":"/anime/stream/attack-on-titan/staffel-1/episode-1"},
            {"title":"Support &amp; Hilfe","link":"/support/anime-wunsch"},
            {"title":"JoJo&#039;s <em>Bizarre<\/em> Adventure","link":"/anime/stream/jojos-bizarre-adventure"},
            {"title":"dup","link":"/anime/stream/attack-on-titan"},
            {"link":"/anime/stream/no-title"},
            {"title":"Bad key","link":"/anime/stream/Bad Key"},
            42
        ]"#;
        let hits = parse_search(body, &urls()).unwrap();
        let seen: Vec<_> = hits
            .iter()
            .map(|h| (h.key.as_str(), h.name.as_str(), h.link.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (
                    "attack-on-titan",
                    "Attack on Titan",
                    "https://aniworld.to/anime/stream/attack-on-titan"
                ),
                (
                    "jojos-bizarre-adventure",
                    "JoJo's Bizarre Adventure",
                    "https://aniworld.to/anime/stream/jojos-bizarre-adventure"
                ),
                (
                    "no-title",
                    "no-title",
                    "https://aniworld.to/anime/stream/no-title"
                ),
            ]
        );
    }

    #[test]
    fn an_empty_answer_has_no_hits_and_an_object_is_a_layout_error() {
        assert_eq!(parse_search(" ", &urls()), Ok(vec![]));
        assert_eq!(parse_search("[]", &urls()), Ok(vec![]));
        assert_eq!(
            parse_search("{\"error\":1}", &urls()),
            Err(ProviderError::Layout("search answer: JSON array".into()))
        );
    }

    #[test]
    fn highlight_tags_are_stripped_and_entities_decoded() {
        assert_eq!(
            plain_text("<em>Kaguya</em>-sama: Love &amp; War &#039;"),
            "Kaguya-sama: Love & War '"
        );
    }
}
