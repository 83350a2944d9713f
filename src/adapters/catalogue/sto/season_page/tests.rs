//! The season page fixture (gaps, a row of another season, one of another series, an upcoming
//! episode, a row with a link instead of `onclick`) and pages with the table missing.

use super::*;
use crate::domain::site::Site;

const SEASON_2: &str = include_str!("../../../../../tests/fixtures/sto/season.html");

fn key() -> SeriesKey {
    SeriesKey::on(Site::Sto, "greys-anatomy").unwrap()
}

fn ids(rows: &[StoEpisodeRow]) -> Vec<(u32, u32)> {
    rows.iter()
        .map(|r| (r.listing.id.season, r.listing.id.episode))
        .collect()
}

#[test]
fn the_season_lists_its_own_released_episodes_in_order_with_gaps_kept() {
    let rows = parse_season_page(SEASON_2, &key(), 2).unwrap();
    assert_eq!(ids(&rows), vec![(2, 1), (2, 2), (2, 4), (2, 7)]);
}

#[test]
fn titles_are_the_full_titles_with_entities_decoded_and_empty_ones_none() {
    let rows = parse_season_page(SEASON_2, &key(), 2).unwrap();
    let titles: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.listing.title_german.as_deref(),
                r.listing.title_english.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        titles,
        vec![
            (
                Some("Zeit für die Wahrheit"),
                Some("Raindrops Keep Falling on My Head")
            ),
            (
                Some("Ende & Anfang – Teil \"1\""),
                Some("Enough Is Enough (No More Tears)")
            ),
            (Some("Die Abrechnung"), Some("Make Me Lose Control")),
            (Some("Wer bist du?"), None),
        ]
    );
}

#[test]
fn flags_give_each_rows_languages_xlink_included() {
    let rows = parse_season_page(SEASON_2, &key(), 2).unwrap();
    let languages: Vec<_> = rows.iter().map(|r| r.languages.clone()).collect();
    assert_eq!(
        languages,
        vec![
            vec![Language::GermanDub, Language::EnglishDub],
            vec![Language::GermanDub],
            vec![Language::GermanSub],
            vec![Language::EnglishDub],
        ]
    );
}

#[test]
fn another_season_of_the_same_page_lists_only_its_rows() {
    let rows = parse_season_page(SEASON_2, &key(), 1).unwrap();
    assert_eq!(ids(&rows), vec![(1, 3)]);
    assert_eq!(
        EpisodeListing::from(rows[0].clone())
            .title_german
            .as_deref(),
        Some("Falsche Staffel")
    );
}

#[test]
fn films_and_specials_are_season_zero() {
    let html = r#"<table class="episode-table"><tr class="episode-row" onclick="window.location.href='/serie/greys-anatomy/staffel-0/episode-2'"><th class="episode-number-cell">2</th></tr>
        <tr class="episode-row" onclick="window.location='https://serienstream.to/serie/stream/greys-anatomy/staffel-0/episode-1/'"></tr></table>"#;
    let rows = parse_season_page(html, &key(), 0).unwrap();
    assert_eq!(ids(&rows), vec![(0, 1), (0, 2)]);
    assert!(rows[0].languages.is_empty() && rows[0].listing.title_german.is_none());
}

#[test]
fn a_repeated_row_keeps_the_first_titles_and_both_rows_flags() {
    let html = r##"<table class="episode-table">
        <tr class="episode-row" onclick="window.location='/serie/greys-anatomy/staffel-3/episode-1'"><td><span class="episode-title-ger">Erst</span><use href="#icon-flag-german"/></td></tr>
        <tr class="episode-row" onclick="window.location='/serie/greys-anatomy/staffel-3/episode-1'"><td><span class="episode-title-ger">Zweit</span><use href="#icon-flag-english-german"/></td></tr></table>"##;
    let rows = parse_season_page(html, &key(), 3).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].listing.title_german.as_deref(), Some("Erst"));
    assert_eq!(
        rows[0].languages,
        vec![Language::GermanDub, Language::GermanSub]
    );
}

#[test]
fn an_empty_table_is_a_season_without_episodes_and_no_table_is_a_layout_error() {
    let html = "<h1>X</h1><table class=\"table episode-table\"><tbody></tbody></table>";
    assert_eq!(parse_season_page(html, &key(), 4), Ok(vec![]));
    let series_page = "<h1>X</h1><nav id=\"season-nav\"></nav><tr class=\"episode-row\" onclick=\"window.location='/serie/greys-anatomy/staffel-4/episode-1'\"></tr>";
    assert_eq!(
        parse_season_page(series_page, &key(), 4),
        Err(ProviderError::Layout(
            "season page: table.episode-table tr.episode-row".into()
        ))
    );
}

#[test]
fn location_scripts_are_read_in_their_common_forms() {
    assert_eq!(location_target("window.location='/a'"), Some("/a"));
    assert_eq!(
        location_target("window.location.href = \"/b\";"),
        Some("/b")
    );
    assert_eq!(location_target("location.assign('/c')"), None);
    assert_eq!(location_target("window.location='/unterminated"), None);
    assert_eq!(location_target("window.location="), None);
    assert_eq!(
        episode_of_path(
            "/serie/greys-anatomy/staffel-2/episode-x",
            "greys-anatomy",
            2
        ),
        None
    );
    assert_eq!(
        episode_of_path(
            "/serie/greys-anatomy/staffel-2/episode-3/extra",
            "greys-anatomy",
            2
        ),
        None
    );
}
