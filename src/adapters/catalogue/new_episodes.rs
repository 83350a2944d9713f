//! Reads the site's new-episodes page (`/neue-episoden`): every link to an episode or film
//! page of a series, with the language its flag shows (PROVIDER.md, "New episodes").

use std::sync::LazyLock;

use scraper::{Html, Selector};

use super::html::{missing, selector};
use super::links::{key_of_series_path, number_after, path_of};
use crate::domain::catalogue::{Language, NewEpisode, ProviderError};
use crate::domain::episode::{EpisodeId, FILM_SEASON};

const EPISODE_LINKS: &str = "a[href*=\"/anime/stream/\"]";

static LINKS: LazyLock<Selector> = LazyLock::new(|| selector(EPISODE_LINKS));
static FLAGS: LazyLock<Selector> = LazyLock::new(|| selector("img[src]"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("strong"));

/// The series key and episode of an episode (or film) page path, if it is one.
fn episode_of(path: &str) -> Option<(crate::domain::series::SeriesKey, EpisodeId)> {
    let path = path.trim_end_matches('/');
    let (series, rest) = split_after_key(path)?;
    let key = key_of_series_path(series)?;
    let (season_part, episode_part) = rest.split_once('/')?;
    let id = if season_part == "filme" {
        EpisodeId::new(FILM_SEASON, number_after(episode_part, "film-")?)
    } else {
        let season = number_after(season_part, "staffel-")?;
        EpisodeId::new(season, number_after(episode_part, "episode-")?)
    };
    (id.episode > 0).then_some((key, id))
}

/// `/anime/stream/<key>` and what follows it after a slash.
fn split_after_key(path: &str) -> Option<(&str, &str)> {
    let start = path.find("/anime/stream/")?;
    let path = &path[start..];
    let key_start = "/anime/stream/".len();
    let key_end = path[key_start..].find('/')? + key_start;
    Some((&path[..key_end], &path[key_end + 1..]))
}

/// Parses the new-episodes page: each distinct episode once, in page order.
///
/// # Errors
/// [`ProviderError::Layout`] naming the episode links when the page holds none: an empty
/// feed is read as a page we do not understand, so the caller refreshes every series.
pub fn parse_new_episodes(html: &str) -> Result<Vec<NewEpisode>, ProviderError> {
    let doc = Html::parse_document(html);
    let mut entries: Vec<NewEpisode> = Vec::new();
    for link in doc.select(&LINKS) {
        let Some((key, episode)) = link.value().attr("href").map(path_of).and_then(episode_of)
        else {
            continue;
        };
        let language = link
            .select(&FLAGS)
            .filter_map(|img| Language::from_flag(img.value().attr("src")?))
            .next();
        let series_title = link
            .select(&TITLE)
            .map(|t| t.text().collect::<String>().trim().to_owned())
            .find(|t| !t.is_empty());
        let same =
            |e: &&mut NewEpisode| e.key == key && e.episode == episode && e.language == language;
        match entries.iter_mut().find(same) {
            Some(seen) => {
                seen.series_title = seen.series_title.take().or(series_title);
            }
            None => entries.push(NewEpisode {
                key,
                episode,
                language,
                series_title,
            }),
        }
    }
    if entries.is_empty() {
        return Err(missing("new episodes page", EPISODE_LINKS));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::series::SeriesKey;

    fn entry(
        key: &str,
        season: u32,
        episode: u32,
        language: Option<Language>,
        title: Option<&str>,
    ) -> NewEpisode {
        NewEpisode {
            key: SeriesKey::parse(key).unwrap(),
            episode: EpisodeId::new(season, episode),
            language,
            series_title: title.map(str::to_owned),
        }
    }

    const PAGE: &str = r#"<html><body>
      <nav><a href="/anime/stream/one-piece">One Piece</a><a href="/neue-episoden">Neu</a></nav>
      <div class="newEpisodeList">
        <div class="row">
          <a href="/anime/stream/dr-stone/staffel-4/episode-12">
            <strong>Dr. Stone</strong> <span class="listTag">S04 E12</span>
            <img class="flag" src="/public/img/japanese-german.svg" alt="Deutsch Untertitel">
          </a>
        </div>
        <div class="row">
          <a href="https://aniworld.to/anime/stream/kaguya-sama-love-is-war/staffel-1/episode-3?x=1">
            <strong>Kaguya-sama &amp; friends</strong>
            <img src="/public/img/german.svg">
          </a>
        </div>
        <a href="/anime/stream/dr-stone/staffel-4/episode-12"><img src="/public/img/japanese-german.svg"></a>
        <a href="/anime/stream/dr-stone/filme/film-2/"><strong>Dr. Stone</strong><img src="/public/img/english.svg"></a>
        <a href="/anime/stream/dr-stone/filme/film-3/"><img src="/public/img/klingon.svg"></a>
        <a href="/anime/stream/dr-stone/staffel-x/episode-1">odd</a>
        <a href="/anime/stream/attack-on-titan/staffel-1/episode-0">zero</a>
        <a href="/anime/stream/attack-on-titan/staffel-1/episode-2"><img src="/public/img/japanese-english.svg"></a>
      </div></body></html>"#;

    #[test]
    fn every_episode_link_once_with_the_language_of_its_flag() {
        assert_eq!(
            parse_new_episodes(PAGE).unwrap(),
            vec![
                entry(
                    "dr-stone",
                    4,
                    12,
                    Some(Language::GermanSub),
                    Some("Dr. Stone")
                ),
                entry(
                    "kaguya-sama-love-is-war",
                    1,
                    3,
                    Some(Language::GermanDub),
                    Some("Kaguya-sama & friends")
                ),
                entry(
                    "dr-stone",
                    FILM_SEASON,
                    2,
                    Some(Language::EnglishDub),
                    Some("Dr. Stone")
                ),
                entry("dr-stone", FILM_SEASON, 3, None, None),
                entry("attack-on-titan", 1, 2, Some(Language::EnglishSub), None),
            ]
        );
    }

    #[test]
    fn a_page_without_episode_links_is_a_layout_error() {
        let page = r#"<a href="/anime/stream/dr-stone">Dr. Stone</a><p>Just series</p>"#;
        let error = parse_new_episodes(page).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("new episodes page layout not recognised"),
            "{error}"
        );
    }
}
