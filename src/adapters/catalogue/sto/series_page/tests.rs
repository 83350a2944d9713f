//! The series page fixture (seasons 0–3, decoys of other series around them) and pages with
//! landmarks missing.

use super::*;
use crate::domain::site::Site;

const PAGE_HTML: &str = include_str!("../../../../../tests/fixtures/sto/series.html");

fn key(slug: &str) -> SeriesKey {
    SeriesKey::on(Site::Sto, slug).unwrap()
}

fn parse(html: &str) -> Result<StoSeriesPage, ProviderError> {
    let urls = StoUrls::new("https://serienstream.to").unwrap();
    parse_series_page(html, &key("greys-anatomy"), &urls)
}

#[test]
fn the_series_page_gives_title_description_year_seasons_and_films() {
    let page = parse(PAGE_HTML).unwrap();
    assert_eq!(page.name, "Grey's Anatomy");
    assert_eq!(
        page.description.as_deref(),
        Some(
            "Meredith Grey & ihre Kollegen am \"Seattle Grace\" lernen: Chirurgie ist nichts für Feiglinge – und die Liebe auch nicht."
        )
    );
    assert_eq!(page.year, Some(2005));
    assert_eq!(page.seasons, vec![1, 2, 3]);
    assert!(page.has_films);
}

#[test]
fn the_metadata_holds_cover_genres_and_imdb_and_nothing_else() {
    let metadata = parse(PAGE_HTML).unwrap().metadata;
    assert_eq!(
        metadata.cover.as_ref().map(|c| c.as_str()),
        Some("https://serienstream.to/media/images/channel/desktop/greys-anatomy-Zq1xT0.webp")
    );
    assert_eq!(
        metadata.genres.as_slice(),
        ["Drama", "Romanze", "Krankenhaus & Medizin"]
    );
    assert_eq!(
        metadata.imdb.as_ref().map(|i| i.as_str()),
        Some("tt0413573")
    );
    assert_eq!(
        (
            metadata.fsk,
            metadata.last_year,
            metadata.alternative_titles.is_empty()
        ),
        (None, None, true)
    );
}

#[test]
fn season_links_of_other_series_are_not_this_series_seasons() {
    // The fixture's decoys: a related series whose slug starts with this one's, a pill of
    // another series, the old path form of another series, a popular series' specials.
    let page = parse(PAGE_HTML).unwrap();
    assert!(!page.seasons.contains(&4) && !page.seasons.contains(&5));
    let html = r#"<h1>X</h1><a data-season-pill="0" href="/serie/greys-anatomy-b-team/staffel-0">0</a>
        <a data-season-pill="7" href="/serie/other/staffel-7">7</a>"#;
    assert_eq!(
        parse(html),
        Err(ProviderError::Layout(
            "series page: #season-nav ul li a[href], a[data-season-pill][href]".into()
        ))
    );
}

#[test]
fn the_old_path_form_and_unordered_repeated_pills_are_read_once_in_order() {
    let html = r#"<h1>X</h1><nav id="season-nav"><ul><li><a href="/serie/stream/greys-anatomy/staffel-3">3</a></li>
        <li><a href="/serie/greys-anatomy/staffel-1">1</a></li><li><a href="/serie/greys-anatomy/staffel-1">1</a></li>
        <li><a href="/serie/greys-anatomy/staffel-2/episode-4">E4</a></li><li><a href="/serie/greys-anatomy/staffel-x">x</a></li></ul></nav>"#;
    let page = parse(html).unwrap();
    assert_eq!(page.seasons, vec![1, 3]);
    assert!(!page.has_films);
}

#[test]
fn a_page_without_a_title_is_a_layout_error_naming_h1() {
    let html = PAGE_HTML
        .replace("<h1 class=\"h2 mb-1\">", "<h2>")
        .replace("</h1>", "</h2>");
    assert_eq!(
        parse(&html),
        Err(ProviderError::Layout("series page: h1".into()))
    );
}

#[test]
fn a_season_navigation_without_seasons_is_a_series_without_episodes_yet() {
    let html = r#"<h1>Bald</h1><nav id="season-nav"><ul class="nav"></ul></nav>"#;
    let page = parse(html).unwrap();
    assert_eq!(
        (
            page.seasons.len(),
            page.has_films,
            page.year,
            page.description
        ),
        (0, false, None, None)
    );
    assert!(page.metadata.is_empty());
}

#[test]
fn years_and_imdb_ids_are_read_only_from_their_own_links() {
    assert_eq!(year_of_link("/jahr/2008"), Some(2008));
    assert_eq!(
        year_of_link("https://serienstream.to/serien/jahr/1999/"),
        Some(1999)
    );
    assert_eq!(year_of_link("/jahr/20088"), None);
    assert_eq!(year_of_link("/jahrgang/2008"), None);
    assert_eq!(year_of_link("/jahr/0042"), None);
    let id = |href| imdb_of_link(href).map(|i| i.as_str().to_owned());
    assert_eq!(
        id("https://www.imdb.com/title/tt0903747/"),
        Some("tt0903747".into())
    );
    assert_eq!(
        id("//imdb.com/title/tt0903747?ref=x"),
        Some("tt0903747".into())
    );
    assert_eq!(id("https://notimdb.com/title/tt0903747"), None);
    assert_eq!(id("https://www.imdb.com/title/nm0903747"), None);
    assert_eq!(id("https://www.imdb.com/chart/top/"), None);
}

#[test]
fn a_cover_outside_the_channel_images_or_of_another_scheme_is_no_cover() {
    let html = r#"<h1>X</h1><nav id="season-nav"></nav><img src="/img/logo.svg">
        <img src="data:image/gif;base64,/media/images/channel/x" data-src="javascript:/media/images/channel/y">"#;
    assert_eq!(parse(html).unwrap().metadata.cover, None);
}
