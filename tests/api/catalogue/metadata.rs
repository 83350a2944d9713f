//! The metadata line of the fake site's series pages through the catalogue adapter: read past
//! the page's decoys, junk values left out, a page without the line giving none.

use aniworld::domain::series_metadata::{Names, SeriesMetadata};
use aniworld::ports::Catalogue;

use super::{catalogue, key};
use crate::support::fake_site::FakeSite;

fn names(list: &Names) -> Vec<&str> {
    list.as_slice().iter().map(String::as_str).collect()
}

async fn metadata_of(site: &FakeSite, series: &str) -> SeriesMetadata {
    catalogue(site).series(&key(series)).await.unwrap().metadata
}

#[tokio::test]
async fn a_series_page_gives_its_full_metadata_line() {
    let site = FakeSite::standard().await;
    let m = metadata_of(&site, "attack-on-titan").await;
    let cover = m.cover.as_ref().map(|c| c.as_str().to_owned()).unwrap();
    assert!(cover.starts_with(&format!(
        "{}/public/img/cover/attack-on-titan-stream-cover-",
        site.base_url()
    )));
    assert!(cover.ends_with("_220x330.png"), "{cover}");
    assert_eq!(
        names(&m.alternative_titles),
        ["Shingeki no Kyojin", "進撃の巨人", "AoT"]
    );
    assert_eq!(m.last_year, Some(2023));
    assert_eq!(
        names(&m.genres),
        ["Action", "Drama", "Fantasy", "Horror & Gore"]
    );
    assert_eq!(m.fsk.map(|f| f.age()), Some(16));
    assert_eq!(m.imdb.map(String::from).as_deref(), Some("tt2560140"));
}

#[tokio::test]
async fn junk_fsk_and_imdb_values_are_left_out_and_missing_parts_are_none() {
    let site = FakeSite::standard().await;
    let junior = metadata_of(&site, "attack-on-titan-junior-high").await;
    assert_eq!((junior.fsk, junior.imdb), (None, None));
    assert_eq!(names(&junior.genres), ["Komödie"]);
    assert_eq!(junior.last_year, Some(2015));
    assert!(junior.cover.is_some() && junior.alternative_titles.is_empty());

    let kaguya = metadata_of(&site, "kaguya-sama-love-is-war").await;
    assert_eq!(
        names(&kaguya.alternative_titles),
        ["Kaguya-sama wa Kokurasetai", "Kaguya & Shirogane"]
    );
    assert_eq!(kaguya.fsk.map(|f| f.age()), Some(12));
    assert_eq!(
        (kaguya.cover, kaguya.last_year, kaguya.imdb),
        (None, None, None)
    );

    let jojo = metadata_of(&site, "jojos-bizarre-adventure").await;
    assert_eq!(jojo, SeriesMetadata::default());
}
