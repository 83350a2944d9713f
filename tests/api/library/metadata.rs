//! Series metadata through the real server: adding a series stores what its page says
//! (cover, other titles, last year, genres, FSK, IMDb id) and a scheduled refresh brings it up
//! to date. The API does not show it yet, so it is read where it lives: the redb file, opened
//! through the store adapter after the server has shut down cleanly. The sidecar stays the
//! four documented fields.

use std::fs;

use aniworld::adapters::store::Store;
use aniworld::domain::library::LibrarySeries;
use aniworld::ports::SeriesStore;
use serde_json::json;

use super::{add, library_app};
use crate::feed::scheduled_run;
use crate::helpers::TestApp;

/// Stops the server and reads every series from its database file.
async fn stored_series(app: &mut TestApp) -> Vec<LibrarySeries> {
    app.stop().await;
    let store = Store::open(&app.data_dir.path().join("aniworld.redb")).expect("database opens");
    let mut all = store.all().await.expect("series read");
    all.sort_by_key(|r| r.id);
    all
}

fn names(list: &aniworld::domain::series_metadata::Names) -> Vec<&str> {
    list.as_slice().iter().map(String::as_str).collect()
}

#[tokio::test]
async fn adding_a_series_stores_the_metadata_of_its_page_but_not_in_its_sidecar() {
    let (mut app, site, token) = library_app().await;
    add(&app, &site, &token, "attack-on-titan").await;
    add(&app, &site, &token, "jojos-bizarre-adventure").await;
    let sidecar = fs::read(
        app.anime_path()
            .join("Attack on Titan (2013)/aniworld.json"),
    )
    .unwrap();
    let link = site.url("/anime/stream/attack-on-titan");
    let expected = format!(
        "{{\n  \"key\": \"attack-on-titan\",\n  \"name\": \"Attack on Titan\",\n  \"site\": \"aniworld.to\",\n  \"link\": \"{link}\"\n}}"
    );
    assert_eq!(String::from_utf8(sidecar).unwrap(), expected);

    let stored = stored_series(&mut app).await;
    let keys: Vec<_> = stored.iter().map(|r| r.series.key.as_str()).collect();
    assert_eq!(keys, ["attack-on-titan", "jojos-bizarre-adventure"]);
    let titan = &stored[0].metadata;
    assert_eq!(
        titan.cover.as_ref().map(|c| c.as_str().to_owned()),
        Some(site.url("/public/img/cover/attack-on-titan-stream-cover-rqhWIxFN1Yj5tDpJd2sAwrZV9xqFtVXO_220x330.png"))
    );
    assert_eq!(
        names(&titan.alternative_titles),
        ["Shingeki no Kyojin", "進撃の巨人", "AoT"]
    );
    assert_eq!((stored[0].year, titan.last_year), (Some(2013), Some(2023)));
    assert_eq!(
        names(&titan.genres),
        ["Action", "Drama", "Fantasy", "Horror & Gore"]
    );
    assert_eq!(titan.fsk.map(|f| f.age()), Some(16));
    assert_eq!(titan.imdb.as_ref().map(|i| i.as_str()), Some("tt2560140"));
    assert!(stored[1].metadata.is_empty(), "{:?}", stored[1].metadata);
}

#[tokio::test]
async fn a_scheduled_refresh_brings_the_stored_metadata_up_to_date() {
    let (mut app, site, token) = library_app().await;
    add(&app, &site, &token, "kaguya-sama-love-is-war").await;
    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "provider": { "cache_minutes": 0 }, "scheduler": { "enabled": false } })),
        )
        .await;
    assert_eq!(r.status(), 200);
    site.edit_series("kaguya-sama-love-is-war", |s| {
        s.metadata.genres = vec!["Romanze".into(), "Schule".into()];
        s.metadata.fsk = Some("16".into());
        s.metadata.end_year = Some(2022);
        // Gone from this reading of the page: what was known stays.
        s.metadata.alternative_titles.clear();
    });
    // The new-episodes page cannot be read: the run refreshes every series.
    site.fail_times("/neue-episoden", 1, 500);
    scheduled_run(&app, &token).await;

    let stored = stored_series(&mut app).await;
    let kaguya = &stored[0].metadata;
    assert_eq!(names(&kaguya.genres), ["Romanze", "Schule"]);
    assert_eq!(kaguya.fsk.map(|f| f.age()), Some(16));
    assert_eq!(kaguya.last_year, Some(2022));
    assert_eq!(
        names(&kaguya.alternative_titles),
        ["Kaguya-sama wa Kokurasetai", "Kaguya & Shirogane"]
    );
    assert_eq!((kaguya.cover.clone(), kaguya.imdb.clone()), (None, None));
}
