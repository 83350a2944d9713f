//! Episode → media source through the real adapters only: the catalogue scraper, the hoster
//! extractors and the use case that tries languages and hosters in preference order.

use std::sync::Arc;

use aniworld::adapters::catalogue::{AniworldCatalogue, CatalogueSettings};
use aniworld::adapters::fetch::Fetcher;
use aniworld::adapters::hosters;
use aniworld::app::media::{AttemptOutcome, MediaResolver, ResolveError};
use aniworld::domain::catalogue::{Language, MediaKind, ProviderError};
use aniworld::domain::episode::EpisodeId;
use aniworld::domain::series::SeriesKey;

use crate::support::fake_site::{FakeHoster, FakeSite};

fn resolver(site: &FakeSite) -> MediaResolver {
    let settings = CatalogueSettings {
        base_url: site.base_url().to_owned(),
        ..CatalogueSettings::default()
    };
    let fetcher = Fetcher::new(settings.timeout, settings.max_body_bytes).unwrap();
    let catalogue = AniworldCatalogue::with_fetcher(settings, fetcher.clone()).unwrap();
    MediaResolver::new(Arc::new(catalogue), hosters::all(fetcher))
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const ALL_LANGUAGES: [Language; 3] = [
    Language::GermanDub,
    Language::GermanSub,
    Language::EnglishSub,
];

#[tokio::test]
async fn the_first_preferred_hoster_in_the_first_language_is_resolved() {
    let site = FakeSite::standard().await;
    let key = SeriesKey::parse("attack-on-titan").unwrap();
    let found = resolver(&site)
        .resolve(
            &key,
            EpisodeId::new(1, 1),
            &ALL_LANGUAGES,
            &names(&["VOE", "Vidoza", "Vidmoly", "Streamtape"]),
        )
        .await
        .unwrap();
    let voe = site
        .links("attack-on-titan", 1, 1)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Voe && l.link.language == 1)
        .unwrap();
    assert_eq!(found.language, Language::GermanDub);
    assert_eq!(found.source.hoster, "VOE");
    assert_eq!(found.source.kind, MediaKind::Hls);
    assert_eq!(found.source.url, voe.extracted_media_url());
    assert!(
        found
            .source
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("referer"))
    );
    assert_eq!(found.attempts.len(), 1);
}

#[tokio::test]
async fn hoster_preference_and_language_preference_are_both_honoured() {
    let site = FakeSite::standard().await;
    let key = SeriesKey::parse("attack-on-titan").unwrap();
    let found = resolver(&site)
        .resolve(
            &key,
            EpisodeId::new(1, 1),
            &[Language::GermanSub],
            &names(&["Streamtape", "VOE"]),
        )
        .await
        .unwrap();
    let streamtape = site
        .links("attack-on-titan", 1, 1)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Streamtape)
        .unwrap();
    assert_eq!(found.source.hoster, "Streamtape");
    assert_eq!(found.source.kind, MediaKind::Direct);
    assert_eq!(found.source.url, streamtape.extracted_media_url());
    assert_eq!(found.language, Language::GermanSub);
}

#[tokio::test]
async fn failing_hosters_are_skipped_and_every_attempt_is_recorded() {
    let site = FakeSite::standard().await;
    let key = SeriesKey::parse("attack-on-titan").unwrap();
    // Episode 1-2: VOE's page is unrecognised, Vidoza's is gone, Vidmoly works.
    let found = resolver(&site)
        .resolve(
            &key,
            EpisodeId::new(1, 2),
            &ALL_LANGUAGES,
            &names(&["VOE", "Vidoza", "Vidmoly"]),
        )
        .await
        .unwrap();
    assert_eq!(found.source.hoster, "Vidmoly");
    let outcomes: Vec<(&str, &AttemptOutcome)> = found
        .attempts
        .iter()
        .map(|a| (a.hoster.as_str(), &a.outcome))
        .collect();
    assert_eq!(outcomes.len(), 3);
    assert!(
        matches!(
            outcomes[0],
            ("VOE", AttemptOutcome::Failed(ProviderError::Layout(_)))
        ),
        "{outcomes:?}"
    );
    assert!(
        matches!(
            outcomes[1],
            ("Vidoza", AttemptOutcome::Failed(ProviderError::NotFound))
        ),
        "{outcomes:?}"
    );
    assert!(
        matches!(outcomes[2], ("Vidmoly", AttemptOutcome::Resolved)),
        "{outcomes:?}"
    );
}

#[tokio::test]
async fn a_language_the_episode_lacks_gives_no_links() {
    let site = FakeSite::standard().await;
    let key = SeriesKey::parse("attack-on-titan").unwrap();
    let err = resolver(&site)
        .resolve(
            &key,
            EpisodeId::new(1, 2),
            &[Language::EnglishSub],
            &names(&["VOE"]),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, ResolveError::NoLinks), "{err}");
}
