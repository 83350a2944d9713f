//! A ready catalogue for the fake s.to: a title with an apostrophe, films and specials
//! (`staffel-0`), a season with gaps, and an episode with every language s.to shows (German,
//! English, English with German subtitles) plus one it does not (English Sub, left out by the
//! readers); with cover, genres and IMDb id.

use super::super::model::{FakeHoster, FakeLink, FakeSeries};

/// The catalogue [`super::super::FakeSiteBuilder::sto_standard_catalogue`] adds.
pub fn standard_sto_catalogue() -> Vec<FakeSeries> {
    let mut greys = FakeSeries::new("greys-anatomy", "Grey's Anatomy")
        .year(2005)
        .description("Meredith Grey & ihre Kollegen am \"Seattle Grace\".")
        .season(1, &[1, 2, 3])
        .season(2, &[1, 2, 4, 7])
        .films(&[1])
        .cover("/media/images/channel/desktop/greys-anatomy-Zq1xT0.webp")
        .genres(&["Drama", "Romanze"])
        .imdb("tt0413573");
    if let Some(first) = greys.episode_mut(1, 1) {
        first.title_german = Some("Nichts als Chaos".into());
        first.title_english = Some("A Hard Day's Night".into());
        first.links = vec![
            FakeLink::new(FakeHoster::Voe, 1),
            FakeLink::new(FakeHoster::Vidoza, 4),
            FakeLink::new(FakeHoster::Doodstream, 3),
            FakeLink::new(FakeHoster::Vidmoly, 2),
        ];
    }
    vec![
        greys,
        FakeSeries::new("station-19", "Station 19")
            .year(2018)
            .season(1, &[1, 2])
            .genres(&["Drama", "Action"]),
        FakeSeries::new("dark", "Dark")
            .year(2017)
            .season(1, &[1])
            .cover("/media/images/channel/desktop/dark-b2x.webp"),
    ]
}
