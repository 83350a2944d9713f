//! The metadata values' checks, the merge of a newer reading, and the stored form.

use super::*;

#[test]
fn a_cover_url_must_be_absolute_http_without_white_space_or_quotes() {
    let ok = "https://aniworld.to/public/img/cover/x_220x330.png";
    assert_eq!(CoverUrl::parse(ok).unwrap().as_str(), ok);
    assert!(CoverUrl::parse("http://127.0.0.1:8080/c.jpg").is_ok());
    let long = format!("https://a/{}", "x".repeat(CoverUrl::MAX_LEN));
    for bad in [
        "",
        "/public/img/cover/x.png",
        "data:image/gif;base64,R0lGOD",
        "javascript:alert(1)",
        "https://",
        "https:///x.png",
        "https://a/b c.png",
        "https://a/\"onerror=x",
        long.as_str(),
    ] {
        assert!(CoverUrl::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn an_fsk_rating_is_one_of_the_five_ratings_in_plain_digits() {
    assert_eq!(Fsk::parse(" 16 ").unwrap().age(), 16);
    assert_eq!(Fsk::parse("0").unwrap().age(), 0);
    for bad in [
        "", "ab 12", "12+", "-6", "13", "1 2", "255", "99999", "１２",
    ] {
        assert!(Fsk::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn an_imdb_id_is_tt_and_seven_to_twelve_digits() {
    assert_eq!(ImdbId::parse(" tt2560140 ").unwrap().as_str(), "tt2560140");
    assert!(ImdbId::parse("tt10919420").is_ok());
    for bad in [
        "",
        "tt",
        "tt123",
        "TT2560140",
        "2560140",
        "tt2560140x",
        "https://www.imdb.com/title/tt2560140/",
        "tt1234567890123",
    ] {
        assert!(ImdbId::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn names_are_folded_distinct_non_empty_and_bounded() {
    let names = Names::distinct([
        " Shingeki  no Kyojin ",
        "",
        "AoT",
        "Shingeki no Kyojin",
        "  ",
    ]);
    assert_eq!(names.as_slice(), ["Shingeki no Kyojin", "AoT"]);
    let many = Names::distinct((0..80).map(|n| format!("g{n}")));
    assert_eq!(many.as_slice().len(), Names::MAX_COUNT);
    let long = Names::distinct(["x".repeat(500)]);
    assert_eq!(long.as_slice()[0].chars().count(), Names::MAX_CHARS);
}

fn full() -> SeriesMetadata {
    SeriesMetadata {
        cover: Some(CoverUrl::parse("https://aniworld.to/c.png").unwrap()),
        alternative_titles: Names::distinct(["Shingeki no Kyojin"]),
        last_year: Some(2023),
        genres: Names::distinct(["Action", "Drama"]),
        fsk: Some(Fsk::parse("16").unwrap()),
        imdb: Some(ImdbId::parse("tt2560140").unwrap()),
    }
}

#[test]
fn a_newer_reading_replaces_what_it_has_and_keeps_what_it_lacks() {
    let newer = SeriesMetadata {
        genres: Names::distinct(["Action", "Fantasy"]),
        fsk: Some(Fsk::parse("18").unwrap()),
        ..SeriesMetadata::default()
    };
    let merged = full().refreshed_by(newer);
    assert_eq!(merged.genres.as_slice(), ["Action", "Fantasy"]);
    assert_eq!(merged.fsk.map(Fsk::age), Some(18));
    assert_eq!(merged.last_year, Some(2023));
    assert_eq!(merged.imdb, full().imdb);
    assert_eq!(merged.alternative_titles, full().alternative_titles);
    assert_eq!(merged.cover, full().cover);
    assert_eq!(SeriesMetadata::default().refreshed_by(full()), full());
}

#[test]
fn metadata_is_stored_as_plain_json_without_the_parts_it_lacks() {
    let json = serde_json::to_value(full()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"cover": "https://aniworld.to/c.png",
            "alternative_titles": ["Shingeki no Kyojin"], "last_year": 2023,
            "genres": ["Action", "Drama"], "fsk": 16, "imdb": "tt2560140"})
    );
    assert_eq!(
        serde_json::from_value::<SeriesMetadata>(json).unwrap(),
        full()
    );
    assert_eq!(
        serde_json::to_string(&SeriesMetadata::default()).unwrap(),
        "{}"
    );
    assert!(serde_json::from_str::<SeriesMetadata>(r#"{"fsk": 13}"#).is_err());
}
