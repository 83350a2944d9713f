//! Property tests: whatever bytes s.to sends, its readers answer with a value or a typed
//! error and never panic.

use proptest::prelude::*;

use super::*;
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;
use crate::domain::site::Site;

/// Text made of the pieces s.to's pages and answers are built from, shuffled into nonsense.
fn page_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<h1>",
        "</h1>",
        "<span class=\"description-text\">",
        "<a href=\"/jahr/",
        "<a href=\"https://www.imdb.com/title/tt",
        "<img src=\"/media/images/channel/",
        "<li class=\"series-group\"><strong>Genre:</strong><a>",
        "<nav id=\"season-nav\"><ul><li><a href=\"/serie/k/staffel-",
        "<a data-season-pill=\"1\" href=\"/serie/stream/k/staffel-",
        "/episode-",
        "<table class=\"episode-table\">",
        "<tr class=\"episode-row\" onclick=\"window.location='/serie/k/staffel-",
        "<tr class=\"episode-row upcoming\">",
        "window.location=",
        "'",
        "\"",
        "<strong class=\"episode-title-ger\" title=\"",
        "<use xlink:href=\"#icon-flag-english-german\"/>",
        "<use href=\"#icon-flag-",
        "<section id=\"episode-links\">",
        "<h2 class=\"episode-title\"><span class=\"episode-title-eng\">",
        "<button class=\"link-box\" data-play-url=\"/r?t=",
        "\" data-provider-name=\"",
        "\" data-language-id=\"",
        "\" data-language-label=\"Englisch mit deutschen Untertiteln",
        "<main><form action=\"/suche\">",
        "<div class=\"card cover-card\"><a href=\"/serie/",
        "<h6 class=\"show-title\">",
        "<a rel=\"next\" href=\"/suche?term=",
        "{\"shows\":[{\"name\":\"",
        "\",\"url\":\"/serie/",
        "\"}],\"people\":[]}",
        "cf-turnstile",
        "99999999999",
        "0",
        "1",
        "2",
        "&amp;",
        "&#",
        "\u{0}",
        "ä",
        ">",
    ]);
    prop::collection::vec(prop_oneof![pieces.prop_map(String::from), ".{0,8}"], 0..40)
        .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_sto_reader_panics_on_garbage(text in page_soup()) {
        let key = SeriesKey::on(Site::Sto, "k").unwrap();
        let urls = StoUrls::new("https://serienstream.to").unwrap();
        let _ = parse_suggest(&text, &urls);
        let _ = parse_search_page(&text, &urls);
        let _ = parse_series_page(&text, &key, &urls);
        let _ = parse_season_page(&text, &key, 1);
        let _ = parse_season_page(&text, &key, 0);
        let _ = parse_episode_page(&text, EpisodeId::new(1, 1), &urls);
        let _ = urls.key_of_link(&text);
        let _ = slug_of_path(&text);
    }
}
