//! The episode page fixture (VOE German, Vidoza English, Doodstream English with German
//! subtitles, a Japanese link, an offline link, a trailer button, a list of other episodes)
//! and pages with the landmarks missing.

use super::*;

const PAGE: &str = include_str!("../../../../../tests/fixtures/sto/episode.html");

fn urls() -> StoUrls {
    StoUrls::new("https://serienstream.to/").unwrap()
}

fn parse(html: &str) -> Result<EpisodeDetails, ProviderError> {
    parse_episode_page(html, EpisodeId::new(2, 4), &urls())
}

/// The play URL the fixture writes for the link with this `data-link-id`, `&amp;` decoded.
fn token(page: &str, link_id: &str) -> String {
    let at = page.find(&format!("data-link-id=\"{link_id}\"")).unwrap();
    let box_start = page[..at].rfind('<').unwrap();
    let rest = &page[box_start..];
    let url = rest.split("data-play-url=\"").nth(1).unwrap();
    url[..url.find('"').unwrap()].replace("&amp;", "&")
}

#[test]
fn every_link_of_a_known_language_is_a_hoster_link_in_page_order() {
    let details = parse(PAGE).unwrap();
    let links: Vec<_> = details
        .hosters
        .iter()
        .map(|h| (h.hoster.as_str(), h.language))
        .collect();
    assert_eq!(
        links,
        vec![
            ("VOE", Language::GermanDub),
            ("Vidoza", Language::EnglishDub),
            ("Doodstream", Language::GermanSub),
            ("Vidmoly", Language::GermanSub),
        ]
    );
    assert_eq!(
        details.languages,
        vec![
            Language::GermanDub,
            Language::EnglishDub,
            Language::GermanSub
        ]
    );
}

#[test]
fn play_urls_are_absolute_with_the_token_byte_exact_and_entities_decoded() {
    let details = parse(PAGE).unwrap();
    let expected: Vec<String> = ["5518230", "5518231", "5518232", "5518235"]
        .iter()
        .map(|id| format!("https://serienstream.to{}", token(PAGE, id)))
        .collect();
    let seen: Vec<&str> = details
        .hosters
        .iter()
        .map(|h| h.redirect_url.as_str())
        .collect();
    assert_eq!(seen, expected);
    assert!(seen[1].ends_with("IiJ9fQ%3D%3D"), "{}", seen[1]);
    assert!(seen[3].ends_with("IiJ9&ref=episode"), "{}", seen[3]);
}

#[test]
fn titles_come_from_the_episode_heading_not_the_list_of_other_episodes() {
    let details = parse(PAGE).unwrap();
    assert_eq!(details.id, EpisodeId::new(2, 4));
    assert_eq!(
        details.title_german.as_deref(),
        Some("Die Abrechnung & der Preis")
    );
    assert_eq!(
        details.title_english.as_deref(),
        Some("Make Me Lose Control")
    );
}

#[test]
fn an_episode_page_without_links_is_an_episode_without_hosters() {
    let html = r#"<main><h2 class="episode-title"><span class="episode-title-ger"></span></h2>
        <section id="episode-links"><p>Noch keine Links.</p></section>
        <button class="trailer-button" data-play-url="https://www.youtube-nocookie.com/embed/x">Trailer</button></main>"#;
    let details = parse(html).unwrap();
    assert!(details.hosters.is_empty() && details.languages.is_empty());
    assert_eq!((details.title_german, details.title_english), (None, None));
}

#[test]
fn a_page_with_neither_links_nor_their_section_is_a_layout_error() {
    assert_eq!(
        parse("<html><body><h1>Wartungsarbeiten</h1></body></html>"),
        Err(ProviderError::Layout(
            "episode page: #episode-links or [data-play-url][data-provider-name]".into()
        ))
    );
}

#[test]
fn links_without_url_name_or_known_language_are_left_out_and_repeats_listed_once() {
    let html = r#"<button class="link-box" data-play-url="/r?t=a" data-provider-name="VOE" data-language-id="1"></button>
        <button class="link-box" data-play-url=" " data-provider-name="VOE" data-language-id="1"></button>
        <button class="link-box" data-play-url="/r?t=b" data-provider-name="  " data-language-id="1"></button>
        <button class="link-box" data-play-url="/r?t=c" data-provider-name="VOE"></button>
        <button class="link-box" data-play-url="/r?t=d" data-provider-name="VOE" data-language-id="4"></button>
        <div class="link-box-mobile" data-play-url="/r?t=a" data-provider-name="VOE" data-language-id="1"></div>"#;
    let details = parse(html).unwrap();
    let urls: Vec<_> = details
        .hosters
        .iter()
        .map(|h| h.redirect_url.as_str())
        .collect();
    assert_eq!(urls, vec!["https://serienstream.to/r?t=a"]);
}

#[test]
fn language_ids_and_labels_map_to_the_products_languages() {
    let cases = [
        ("1", "Deutsch", Some(Language::GermanDub)),
        ("2", "Englisch", Some(Language::EnglishDub)),
        (
            "2",
            "Englisch mit deutschen Untertiteln",
            Some(Language::GermanSub),
        ),
        ("1", "Deutsch Untertitel", Some(Language::GermanSub)),
        ("2", "Englisch (UT)", Some(Language::GermanSub)),
        ("2", "English SUB", Some(Language::GermanSub)),
        ("2", "Eng-GerSub", Some(Language::GermanSub)),
        ("2", "OmU", Some(Language::GermanSub)),
        ("1", "DEUTSCH", Some(Language::GermanDub)),
        ("2", "", Some(Language::EnglishDub)),
        ("3", "Japanisch mit deutschen Untertiteln", None),
        ("", "Deutsch", None),
    ];
    for (id, label, expected) in cases {
        assert_eq!(language_of_link(id, label), expected, "{id} {label}");
    }
}
