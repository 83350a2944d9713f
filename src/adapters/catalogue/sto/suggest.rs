//! Reads the answer of s.to's `GET /api/search/suggest?term=<q>`: a JSON object
//! `{"shows": [{"name", "url": "/serie/<slug>"}], "people": [...], "genres": [...]}` of which
//! only the shows that are series pages count; names may carry highlight tags and entities.

use serde::Deserialize;

use super::super::links::path_of;
use super::super::search::plain_text;
use super::urls::{StoUrls, slug_of_path};
use crate::domain::catalogue::{ProviderError, SearchHit};
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;

/// The landmark the answer must hold.
const SHOWS: &str = "suggest answer: shows";

/// The answer; `people` and `genres` are not series and are ignored.
#[derive(Debug, Deserialize)]
struct Answer {
    shows: Vec<serde_json::Value>,
}

/// One entry of `shows`; missing fields are empty.
#[derive(Debug, Deserialize)]
struct Show {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Parses a suggest answer into series hits, first occurrence first, each key once. Entries
/// whose `url` is not a series page (`/serie/<slug>`, or the old `/serie/stream/<slug>`) are
/// skipped, as are entries of another shape.
///
/// # Errors
/// [`ProviderError::Layout`] naming `shows` when the answer is not a JSON object with a
/// `shows` array (an empty answer is no hits).
pub fn parse_suggest(body: &str, urls: &StoUrls) -> Result<Vec<SearchHit>, ProviderError> {
    let body = body.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Ok(Vec::new());
    }
    let answer: Answer =
        serde_json::from_str(body).map_err(|_| ProviderError::Layout(SHOWS.into()))?;
    let mut hits: Vec<SearchHit> = Vec::new();
    for show in answer.shows {
        let Ok(Show { name, url }) = serde_json::from_value::<Show>(show) else {
            continue;
        };
        let key = url
            .as_deref()
            .map(path_of)
            .and_then(slug_of_path)
            .and_then(|slug| SeriesKey::on(Site::Sto, slug).ok());
        let Some(key) = key else {
            continue;
        };
        if hits.iter().any(|h| h.key == key) {
            continue;
        }
        let name = name
            .as_deref()
            .map(plain_text)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| key.slug().to_owned());
        hits.push(SearchHit {
            link: urls.series(&key),
            key,
            name,
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = include_str!("../../../../tests/fixtures/sto/suggest.json");

    fn urls() -> StoUrls {
        StoUrls::new("https://serienstream.to").unwrap()
    }

    fn seen(hits: &[SearchHit]) -> Vec<(&str, &str, &str)> {
        hits.iter()
            .map(|h| (h.key.as_str(), h.name.as_str(), h.link.as_str()))
            .collect()
    }

    #[test]
    fn shows_that_are_series_become_hits_once_with_clean_names() {
        let hits = parse_suggest(ANSWER, &urls()).unwrap();
        assert_eq!(
            seen(&hits),
            vec![
                (
                    "sto:greys-anatomy",
                    "Grey's Anatomy",
                    "https://serienstream.to/serie/greys-anatomy"
                ),
                (
                    "sto:greys-anatomy-b-team",
                    "Grey's Anatomy: B-Team",
                    "https://serienstream.to/serie/greys-anatomy-b-team"
                ),
                (
                    "sto:station-19",
                    "Station 19 & Grey's",
                    "https://serienstream.to/serie/station-19"
                ),
                (
                    "sto:private-practice",
                    "private-practice",
                    "https://serienstream.to/serie/private-practice"
                ),
            ]
        );
    }

    #[test]
    fn people_genres_and_other_paths_are_no_series() {
        let hits = parse_suggest(ANSWER, &urls()).unwrap();
        assert!(hits.iter().all(|h| !h.name.contains("Ellen")));
        assert!(hits.iter().all(|h| h.name != "Drama"));
        let body = r#"{"shows":[{"name":"S2","url":"/serie/dark/staffel-2"},{"name":"x","url":"/film/dark"},{"name":"y"},7,"z"],"people":[],"genres":[]}"#;
        assert_eq!(parse_suggest(body, &urls()), Ok(vec![]));
    }

    #[test]
    fn an_empty_answer_has_no_hits_and_other_json_is_a_layout_error_naming_shows() {
        assert_eq!(parse_suggest(" \n", &urls()), Ok(vec![]));
        assert_eq!(
            parse_suggest("{\"shows\":[],\"people\":[]}", &urls()),
            Ok(vec![])
        );
        for body in [
            "[]",
            "{\"people\":[]}",
            "{\"shows\":{}}",
            "<html>Wartung</html>",
        ] {
            assert_eq!(
                parse_suggest(body, &urls()),
                Err(ProviderError::Layout("suggest answer: shows".into())),
                "{body}"
            );
        }
    }

    #[test]
    fn absolute_and_old_form_urls_name_the_same_series() {
        let body = "\u{feff}{\"shows\":[{\"name\":\"Dark\",\"url\":\"https://serienstream.to/serie/stream/dark\"},{\"name\":\"Dark!\",\"url\":\"/serie/dark/\"}]}";
        let hits = parse_suggest(body, &urls()).unwrap();
        assert_eq!(
            seen(&hits),
            vec![("sto:dark", "Dark", "https://serienstream.to/serie/dark")]
        );
    }
}
