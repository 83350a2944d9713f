//! The metadata line of a series page: each landmark present, missing and holding junk, with
//! the decoys the real page has around it; and mutated pages never make it panic.

use proptest::prelude::*;
use scraper::Html;

use super::*;

const BASE: &str = "https://aniworld.to";

/// A series page's head as the site writes it, with decoys: a logo `img` outside the cover
/// box, the lazy loader's placeholder in `src`, a "+ 2" genre expander, a link to all genres
/// that is no genre button, a second FSK box without a rating.
const PAGE: &str = r##"<html><body>
  <a href="/" class="logo"><img src="/public/img/logo.svg" data-src="/public/img/logo-big.svg"></a>
  <nav><a class="genreButtons" href="/genres">Alle Genres</a><span class="genreButton">Horror</span></nav>
  <div class="seriesCoverBox"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="
    data-src="/public/img/cover/re-zero-stream-cover_220x330.png" alt="Re:Zero" itemprop="image"></div>
  <div class="series-title">
    <h1 itemprop="name" data-alternativetitles=" Re:Zero kara Hajimeru Isekai Seikatsu, Re:Zero &amp; Co,,  Re:ゼロ , Re:Zero &amp; Co"><span>Re:Zero</span></h1>
    <small><span itemprop="startDate"><a href="/animes/jahr/2016">2016</a></span> -
      <span itemprop="endDate"><a href="/animes/jahr/2024">2024</a></span></small>
    <div class="fsk"></div><div class="fsk fsk16" data-fsk="16" title="FSK 16"></div>
    <a class="imdb-link" data-imdb="tt5607616" href="https://www.imdb.com/title/tt5607616">IMDB</a>
  </div>
  <div class="genres"><ul data-main-genre="Fantasy">
    <li><a href="/genre/fantasy" class="genreButton clearbutton" itemprop="genre">Fantasy</a></li>
    <li><a href="/genre/drama" class="genreButton clearbutton" itemprop="genre"> Drama &amp;
      Psycho </a></li>
    <li><a href="/genre/fantasy" class="genreButton clearbutton" itemprop="genre">Fantasy</a></li>
    <li><a href="#" class="genreButton clearbutton">+ 2</a></li></ul></div>
</body></html>"##;

fn metadata(html: &str, first: Option<i32>) -> SeriesMetadata {
    parse_metadata(
        &Html::parse_document(html),
        &SiteUrls::new(BASE).unwrap(),
        first,
    )
}

fn names(list: &Names) -> Vec<&str> {
    list.as_slice().iter().map(String::as_str).collect()
}

#[test]
fn a_full_metadata_line_is_read_past_its_decoys() {
    let m = metadata(PAGE, Some(2016));
    assert_eq!(
        m.cover.as_ref().map(CoverUrl::as_str),
        Some("https://aniworld.to/public/img/cover/re-zero-stream-cover_220x330.png")
    );
    assert_eq!(
        names(&m.alternative_titles),
        [
            "Re:Zero kara Hajimeru Isekai Seikatsu",
            "Re:Zero & Co",
            "Re:ゼロ"
        ]
    );
    assert_eq!(m.last_year, Some(2024));
    assert_eq!(names(&m.genres), ["Fantasy", "Drama & Psycho"]);
    assert_eq!(m.fsk.map(Fsk::age), Some(16));
    assert_eq!(m.imdb.as_ref().map(ImdbId::as_str), Some("tt5607616"));
}

#[test]
fn a_page_without_the_metadata_line_has_no_metadata() {
    let html = r#"<div class="series-title"><h1><span>X</span></h1></div>
        <img src="/public/img/cover/x.png"><a href="/genre/action">Action</a>"#;
    assert_eq!(metadata(html, None), SeriesMetadata::default());
}

#[test]
fn the_cover_is_data_src_else_src_made_absolute_and_never_another_scheme() {
    let cover = |img: &str| {
        let html = format!("<div class=\"seriesCoverBox\">{img}</div>");
        metadata(&html, None).cover.map(String::from)
    };
    let from_src = cover(r#"<img src="/public/img/cover/a_220x330.png">"#);
    assert_eq!(
        from_src.as_deref(),
        Some("https://aniworld.to/public/img/cover/a_220x330.png")
    );
    let empty_data_src = cover(r#"<img data-src=" " src="public/img/cover/b.png">"#);
    assert_eq!(
        empty_data_src.as_deref(),
        Some("https://aniworld.to/public/img/cover/b.png")
    );
    let cdn = cover(r#"<img data-src="//cdn.aniworld.to/c.png">"#);
    assert_eq!(cdn.as_deref(), Some("https://cdn.aniworld.to/c.png"));
    for junk in [
        r#"<img src="data:image/gif;base64,R0lGOD">"#,
        r#"<img data-src="javascript:alert(1)">"#,
        r#"<img data-src="/a b.png">"#,
        r#"<img data-src="">"#,
        "<img>",
        "<span data-src=\"/c.png\"></span>",
    ] {
        assert_eq!(cover(junk), None, "{junk}");
    }
}

#[test]
fn alternative_titles_missing_or_empty_give_none() {
    for h1 in [
        "<h1><span>X</span></h1>",
        "<h1 data-alternativetitles=\" , ,\"></h1>",
    ] {
        assert!(metadata(h1, None).alternative_titles.is_empty(), "{h1}");
    }
}

#[test]
fn the_last_year_is_a_plausible_year_not_before_the_first() {
    let end = |text: &str, first| {
        let html = format!("<span itemprop=\"endDate\"><a href=\"/animes\">{text}</a></span>");
        metadata(&html, first).last_year
    };
    assert_eq!(end("2020", Some(2016)), Some(2020));
    assert_eq!(end("2020", None), Some(2020));
    assert_eq!(end("Heute", Some(2016)), None);
    assert_eq!(end("2012", Some(2016)), None);
    assert_eq!(end("99999", None), None);
    assert_eq!(
        metadata("<span itemprop=\"endDate\">2020</span>", None).last_year,
        None
    );
}

#[test]
fn genres_are_genre_buttons_only_without_empties_or_expanders() {
    let html = r#"<a class="genreButton"> </a><a class="genreButton">+3</a>
        <a class="genreButton">+ Romance</a><a class="genreButtonLarge">Mecha</a>
        <div class="genreButton">Sport</div>"#;
    assert_eq!(names(&metadata(html, None).genres), ["+ Romance"]);
}

#[test]
fn junk_fsk_ratings_are_left_out() {
    for junk in ["ab 12", "13", "", "-6", "16+", "999999999999"] {
        let html = format!("<div class=\"fsk\" data-fsk=\"{junk}\"></div>");
        assert_eq!(metadata(&html, None).fsk, None, "{junk}");
    }
    let not_a_box = "<span class=\"fsk\" data-fsk=\"12\"></span><div data-fsk=\"12\"></div>";
    assert_eq!(metadata(not_a_box, None).fsk, None);
}

#[test]
fn junk_imdb_ids_are_left_out() {
    for junk in [
        "",
        "tt",
        "nm0001234",
        "tt12ab",
        "https://www.imdb.com/title/tt5607616/",
    ] {
        let html = format!("<a class=\"imdb-link\" data-imdb=\"{junk}\">IMDB</a>");
        assert_eq!(metadata(&html, None).imdb, None, "{junk}");
    }
    let plain_link =
        "<a href=\"https://www.imdb.com/title/tt5607616\" data-imdb=\"tt5607616\">IMDB</a>";
    assert_eq!(metadata(plain_link, None).imdb, None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The page cut anywhere and something spliced in: an answer, never a panic, and every
    /// part still checked.
    #[test]
    fn a_mutated_page_never_panics_and_keeps_its_parts_valid(
        cut in 0..PAGE.len(),
        splice in prop_oneof![
            Just(String::new()),
            Just("\" data-fsk=\"".to_owned()),
            Just("<div class=\"seriesCoverBox\"><img data-src=\"".to_owned()),
            Just("&#".to_owned()),
            ".{0,12}",
        ],
        rest in 0..PAGE.len(),
    ) {
        let cut = (0..=cut).rev().find(|&i| PAGE.is_char_boundary(i)).unwrap_or(0);
        let rest = (rest..=PAGE.len()).find(|&i| PAGE.is_char_boundary(i)).unwrap_or(PAGE.len());
        let html = format!("{}{splice}{}", &PAGE[..cut], &PAGE[rest.max(cut)..]);
        let m = metadata(&html, Some(2016));
        prop_assert!(m.genres.as_slice().iter().all(|g| !g.is_empty() && !is_expander(g)));
        prop_assert!(m.last_year.is_none_or(|y| (2016..=2200).contains(&y)));
        if let Some(cover) = &m.cover {
            prop_assert!(cover.as_str().starts_with("https://"));
        }
    }
}
