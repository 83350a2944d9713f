//! What the adapter reads from each page of the fake site: search, series, season, films and
//! episode pages, and the redirects to the hosters' embed pages.

use aniworld::domain::catalogue::{Language, ProviderError, SearchResults};
use aniworld::domain::episode::EpisodeId;
use aniworld::ports::Catalogue;

use super::{catalogue, key};
use crate::support::fake_site::{FakeSite, SEARCH_PATH, series_path};

fn ids(list: &[aniworld::domain::catalogue::EpisodeListing]) -> Vec<(u32, u32)> {
    list.iter().map(|e| (e.id.season, e.id.episode)).collect()
}

#[tokio::test]
async fn search_keeps_only_series_links_once_with_clean_titles() {
    let site = FakeSite::standard().await;
    let found = catalogue(&site).search(" attack ", None).await.unwrap();
    let seen: Vec<_> = found
        .hits
        .iter()
        .map(|h| (h.key.as_str(), h.name.as_str(), h.link.clone()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "attack-on-titan",
                "Attack on Titan",
                site.url("/anime/stream/attack-on-titan")
            ),
            (
                "attack-on-titan-junior-high",
                "Attack on Titan: Junior High",
                site.url("/anime/stream/attack-on-titan-junior-high")
            ),
        ]
    );
    let headers = site.last_headers(SEARCH_PATH).unwrap();
    assert!(headers.contains(&("x-requested-with".into(), "XMLHttpRequest".into())));
}

#[tokio::test]
async fn search_decodes_entities_in_titles() {
    let site = FakeSite::standard().await;
    let hits = catalogue(&site).search("jojo", None).await.unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].name, "JoJo's Bizarre Adventure");
}

#[tokio::test]
async fn an_empty_search_asks_nothing_and_finds_nothing() {
    let site = FakeSite::standard().await;
    let nothing = Ok(SearchResults::default());
    assert_eq!(catalogue(&site).search("  ", None).await, nothing);
    assert_eq!(catalogue(&site).search("zzz", None).await, nothing);
    assert_eq!(
        catalogue(&site)
            .search("attack", Some(aniworld::domain::site::Site::Sto))
            .await,
        nothing
    );
    assert_eq!(site.requests(SEARCH_PATH), 1);
}

#[tokio::test]
async fn a_series_page_gives_title_description_year_seasons_and_films() {
    let site = FakeSite::standard().await;
    let series = catalogue(&site)
        .series(&key("attack-on-titan"))
        .await
        .unwrap();
    assert_eq!(series.name, "Attack on Titan");
    assert_eq!(
        series.description.as_deref(),
        Some("Eren & his friends fight the Titans: \"humanity's\" last stand <3.")
    );
    assert_eq!(series.year, Some(2013));
    assert_eq!(series.seasons, vec![1, 2]);
    assert!(series.has_films);
    assert_eq!(series.link, site.url("/anime/stream/attack-on-titan"));
}

#[tokio::test]
async fn a_title_with_a_colon_and_no_year_is_read_as_it_is() {
    let site = FakeSite::standard().await;
    let adapter = catalogue(&site);
    let kaguya = adapter
        .series(&key("kaguya-sama-love-is-war"))
        .await
        .unwrap();
    assert_eq!(kaguya.name, "Kaguya-sama: Love is War");
    assert_eq!((kaguya.year, kaguya.has_films), (None, false));
    assert_eq!(kaguya.seasons, vec![1]);
    let jojo = adapter
        .series(&key("jojos-bizarre-adventure"))
        .await
        .unwrap();
    assert_eq!(jojo.name, "JoJo's Bizarre Adventure");
}

#[tokio::test]
async fn an_unknown_series_is_not_found_after_exactly_one_request() {
    let site = FakeSite::standard().await;
    let result = catalogue(&site).series(&key("no-such-series")).await;
    assert_eq!(result, Err(ProviderError::NotFound));
    assert_eq!(site.requests(&series_path("no-such-series")), 1);
}

#[tokio::test]
async fn a_page_without_the_series_title_means_not_found() {
    let site = FakeSite::standard().await;
    let path = series_path("attack-on-titan");
    site.serve_html(
        &path,
        "<html><body><h1>Willkommen bei AniWorld</h1></body></html>",
    );
    let result = catalogue(&site).series(&key("attack-on-titan")).await;
    assert_eq!(result, Err(ProviderError::NotFound));
}

#[tokio::test]
async fn a_season_lists_its_episodes_with_gaps_and_titles() {
    let site = FakeSite::standard().await;
    let season = catalogue(&site)
        .season(&key("attack-on-titan"), 2)
        .await
        .unwrap();
    assert_eq!(ids(&season), vec![(2, 1), (2, 2), (2, 4), (2, 5)]);
    assert_eq!(season[2].title_german.as_deref(), Some("Folge 4"));
    assert_eq!(season[2].title_english.as_deref(), Some("Episode 4"));
    assert_eq!(
        (
            season[3].title_german.clone(),
            season[3].title_english.clone()
        ),
        (None, None)
    );
}

#[tokio::test]
async fn films_are_season_zero() {
    let site = FakeSite::standard().await;
    let films = catalogue(&site)
        .season(&key("attack-on-titan"), 0)
        .await
        .unwrap();
    assert_eq!(ids(&films), vec![(0, 1), (0, 2)]);
    assert_eq!(films[1].title_german.as_deref(), Some("Film 2"));
}

#[tokio::test]
async fn all_episodes_of_seasons_and_films_come_sorted() {
    let site = FakeSite::standard().await;
    let adapter = catalogue(&site);
    let series = adapter.series(&key("attack-on-titan")).await.unwrap();
    let all = adapter.all_episodes(&series).await.unwrap();
    assert_eq!(
        ids(&all),
        vec![
            (0, 1),
            (0, 2),
            (1, 1),
            (1, 2),
            (1, 3),
            (2, 1),
            (2, 2),
            (2, 4),
            (2, 5)
        ]
    );
    assert_eq!(
        all[2].title_english.as_deref(),
        Some("To You, in 2000 Years: The Fall of Shiganshina")
    );
}

#[tokio::test]
async fn an_episode_page_gives_titles_languages_and_every_hoster_link() {
    let site = FakeSite::standard().await;
    let episode = catalogue(&site)
        .episode(&key("attack-on-titan"), EpisodeId::new(1, 1))
        .await
        .unwrap();
    assert_eq!(episode.id, EpisodeId::new(1, 1));
    assert_eq!(
        episode.title_german.as_deref(),
        Some("An dich, in 2000 Jahren")
    );
    assert_eq!(
        episode.languages,
        vec![
            Language::GermanDub,
            Language::EnglishSub,
            Language::GermanSub
        ]
    );
    let expected: Vec<_> = site
        .links("attack-on-titan", 1, 1)
        .iter()
        .map(|l| {
            let language = Language::from_site_key(&l.link.language.to_string()).unwrap();
            (l.link.hoster.name().to_owned(), language, l.redirect_url())
        })
        .collect();
    let found: Vec<_> = episode
        .hosters
        .iter()
        .map(|h| (h.hoster.clone(), h.language, h.redirect_url.clone()))
        .collect();
    assert_eq!(found, expected);
    let names: Vec<_> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "VOE",
            "Doodstream",
            "Vidoza",
            "Vidmoly",
            "Streamtape",
            "VOE",
            "SpeedFiles"
        ]
    );
}

#[tokio::test]
async fn a_film_page_is_read_like_an_episode_page() {
    let site = FakeSite::standard().await;
    let film = catalogue(&site)
        .episode(&key("attack-on-titan"), EpisodeId::new(0, 2))
        .await
        .unwrap();
    assert_eq!(film.title_english.as_deref(), Some("Movie 2"));
    assert_eq!(film.hosters.len(), 3);
    let missing = catalogue(&site)
        .episode(&key("attack-on-titan"), EpisodeId::new(0, 9))
        .await;
    assert_eq!(missing, Err(ProviderError::NotFound));
}

#[tokio::test]
async fn each_hoster_link_redirects_to_its_embed_page() {
    let site = FakeSite::standard().await;
    let adapter = catalogue(&site);
    for s_e in [(1, 1), (1, 2)] {
        let episode = adapter
            .episode(&key("attack-on-titan"), EpisodeId::new(s_e.0, s_e.1))
            .await
            .unwrap();
        let expected: Vec<_> = site
            .links("attack-on-titan", s_e.0, s_e.1)
            .iter()
            .map(|l| l.embed_url())
            .collect();
        let mut embeds = Vec::new();
        for link in &episode.hosters {
            // A hoster whose embed page is gone still has its URL: that failure is the
            // hoster's to report.
            embeds.push(adapter.embed_url(link).await.unwrap());
        }
        assert_eq!(embeds, expected);
    }
}

#[tokio::test]
async fn an_unknown_redirect_is_not_found() {
    let site = FakeSite::standard().await;
    let adapter = catalogue(&site);
    let episode = adapter
        .episode(&key("attack-on-titan"), EpisodeId::new(1, 3))
        .await
        .unwrap();
    let mut link = episode.hosters[0].clone();
    link.redirect_url = site.url("/redirect/1");
    assert_eq!(adapter.embed_url(&link).await, Err(ProviderError::NotFound));
}

#[tokio::test]
async fn links_follow_the_base_url() {
    let site = FakeSite::standard().await;
    let adapter = catalogue(&site);
    let link = adapter.series_link(&key("dr-stone"));
    assert_eq!(link, site.url("/anime/stream/dr-stone"));
    assert_eq!(adapter.key_of_link(&link), Some(key("dr-stone")));
    assert_eq!(
        adapter.key_of_link(&format!("{link}/")),
        Some(key("dr-stone"))
    );
    assert_eq!(adapter.key_of_link(&format!("{link}/staffel-1")), None);
    assert_eq!(
        adapter.key_of_link("https://aniworld.to/anime/stream/dr-stone"),
        None
    );
}
