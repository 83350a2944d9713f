//! The catalogue most tests start from: a title with a colon, one with an entity, a series
//! without a year, season gaps, films, an untitled episode, failing and unknown hosters; each
//! series with its metadata line (one with junk FSK and IMDb values, one without any).

use super::model::{EmbedBehaviour, FakeHoster, FakeLink, FakeSeries};

/// The catalogue [`super::FakeSite::standard`] serves: a colon title, an entity title, a series
/// without a year, season gaps, films, failing and unknown hosters.
pub fn standard_catalogue() -> Vec<FakeSeries> {
    let mut titan = FakeSeries::new("attack-on-titan", "Attack on Titan")
        .year(2013)
        .description("Eren & his friends fight the Titans: \"humanity's\" last stand <3.")
        .season(1, &[1, 2, 3])
        .season(2, &[1, 2, 4, 5])
        .films(&[1, 2])
        .cover("/public/img/cover/attack-on-titan-stream-cover-rqhWIxFN1Yj5tDpJd2sAwrZV9xqFtVXO_220x330.png")
        .alternative_titles(&["Shingeki no Kyojin", "進撃の巨人", " AoT ", "Shingeki no Kyojin"])
        .end_year(2023)
        .genres(&["Action", "Drama", "Fantasy", "Drama", "Horror & Gore"])
        .fsk("16")
        .imdb("tt2560140");
    if let Some(first) = titan.episode_mut(1, 1) {
        first.title_german = Some("An dich, in 2000 Jahren".into());
        first.title_english = Some("To You, in 2000 Years: The Fall of Shiganshina".into());
        first.links = FakeLink::full_set();
    }
    if let Some(second) = titan.episode_mut(1, 2) {
        second.links = vec![
            FakeLink::new(FakeHoster::Voe, 1).embed(EmbedBehaviour::Unrecognised),
            FakeLink::new(FakeHoster::Vidoza, 1).embed(EmbedBehaviour::Gone),
            FakeLink::new(FakeHoster::Vidmoly, 1),
        ];
    }
    if let Some(untitled) = titan.episode_mut(2, 5) {
        *untitled = untitled.clone().untitled();
    }
    vec![
        titan,
        FakeSeries::new(
            "attack-on-titan-junior-high",
            "Attack on Titan: Junior High",
        )
        .year(2015)
        .season(1, &[1, 2])
        .cover("/public/img/cover/attack-on-titan-junior-high-stream-cover_220x330.jpg")
        .end_year(2015)
        .genres(&["Komödie"])
        .fsk("ab 6")
        .imdb("imdb:5013010"),
        FakeSeries::new("kaguya-sama-love-is-war", "Kaguya-sama: Love is War")
            .description("Two geniuses & one war of love.")
            .season(1, &[1, 2])
            .alternative_titles(&["Kaguya-sama wa Kokurasetai", "Kaguya & Shirogane"])
            .genres(&["Romanze", "Komödie"])
            .fsk("12"),
        FakeSeries::new("jojos-bizarre-adventure", "JoJo's Bizarre Adventure")
            .year(2012)
            .season(1, &[1])
            .season(2, &[1, 2]),
    ]
}
