//! Property tests: whatever bytes the site sends, the parsers answer with a value or a typed
//! error and never panic.

use proptest::prelude::*;

use super::episode_page::parse_episode_page;
use super::links::SiteUrls;
use super::new_episodes::parse_new_episodes;
use super::search::parse_search;
use super::season_page::parse_season_page;
use super::series_page::parse_series_page;
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;

/// Text made of the pieces the pages are built from, shuffled into nonsense.
fn page_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<div class=\"series-title\">",
        "<h1><span>",
        "</span></h1>",
        "</div>",
        "<a href=\"/anime/stream/k/staffel-",
        "<a href=\"/anime/stream/k/filme/film-",
        "/episode-",
        "\">",
        "</a>",
        "<meta itemprop=\"numberOfSeasons\" content=\"",
        "<div class=\"changeLanguageBox\"><img data-lang-key=\"",
        "<li class=\"episodeLink",
        "<h4>",
        "<a class=\"watchEpisode\" href=\"",
        "<tr data-episode-season-id=\"1\">",
        "99999999999",
        "1",
        "&amp;",
        "&#",
        "\u{0}",
        "ä",
        "[{\"title\":",
        "\"link\":\"/anime/stream/",
        "}]",
        "<img src=\"/public/img/japanese-german.svg\">",
        "<strong>",
        "/anime/stream/k/staffel-1/episode-",
        "<div class=\"seriesCoverBox\"><img data-src=\"",
        "<img src=\"data:image/gif;base64,R0lGOD",
        "<h1 data-alternativetitles=\"",
        ", ",
        "<span itemprop=\"endDate\"><a href=\"/animes/jahr/",
        "2026",
        "Heute",
        "<a class=\"genreButton\" href=\"/genre/action\">",
        "+ 3",
        "<div class=\"fsk\" data-fsk=\"",
        "<a class=\"imdb-link\" data-imdb=\"tt",
        "\" ",
        ">",
    ]);
    prop::collection::vec(prop_oneof![pieces.prop_map(String::from), ".{0,8}"], 0..40)
        .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_page_parser_panics_on_garbage(text in page_soup()) {
        let key = SeriesKey::parse("k").unwrap();
        let urls = SiteUrls::new("https://aniworld.to").unwrap();
        let _ = parse_series_page(&text, &key, &urls);
        let _ = parse_season_page(&text, &key, 1);
        let _ = parse_season_page(&text, &key, 0);
        let _ = parse_episode_page(&text, EpisodeId::new(1, 1), &urls);
        let _ = parse_search(&text, &urls);
        let _ = parse_new_episodes(&text);
    }
}
