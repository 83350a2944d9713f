//! Episode → media source through the real adapters only: the catalogue scraper, the hoster
//! extractors and the use case that tries languages and hosters in preference order.

use std::sync::Arc;

use aniworld::adapters::catalogue::{AniworldCatalogue, CatalogueSettings};
use aniworld::adapters::fetch::Fetcher;
use aniworld::adapters::hosters;
use aniworld::app::media::{AttemptOutcome, MediaResolver, ResolveError};
use aniworld::app::provider_health::ProviderHealth;
use aniworld::domain::catalogue::{Language, MediaKind, ProviderError};
use aniworld::domain::episode::EpisodeId;
use aniworld::domain::series::SeriesKey;

use crate::support::fake_site::{
    Expiry, FakeEpisode, FakeHoster, FakeLink, FakeSeason, FakeSeries, FakeSite,
};

fn resolver(site: &FakeSite) -> MediaResolver {
    let settings = CatalogueSettings {
        base_url: site.base_url().to_owned(),
        ..CatalogueSettings::default()
    };
    let fetcher = Fetcher::new(settings.timeout, settings.max_body_bytes).unwrap();
    let catalogue = AniworldCatalogue::with_fetcher(settings, fetcher.clone()).unwrap();
    MediaResolver::new(
        Arc::new(catalogue),
        hosters::all(fetcher),
        ProviderHealth::in_memory(),
    )
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
    let embed = voe.embed_url();
    assert_eq!(
        site.requests(embed.trim_start_matches(site.base_url())),
        1,
        "the redirect's target is the extractor's to fetch, not fetched twice"
    );
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

/// A site whose only episode has one signed VOE link in German Dub.
async fn signed_voe_site() -> FakeSite {
    let episode = FakeEpisode::new(1).links(vec![FakeLink::new(FakeHoster::Voe, 1).signed()]);
    let season = FakeSeason {
        number: 1,
        episodes: vec![episode],
    };
    FakeSite::builder()
        .series(FakeSeries::new("frieren", "Frieren").with_season(season))
        .spawn()
        .await
}

/// Moves a signed HLS link's generation on: arms an expiry after one segment and fetches the
/// first segment of the first variant.
async fn move_generation_on(site: &FakeSite, master_url: &str, link_id: u64) {
    site.expire_after(link_id, Expiry::Segments(1));
    let get = |url: url::Url| async move { reqwest::get(url).await.unwrap().text().await.unwrap() };
    let first_uri = |text: &str| {
        text.lines()
            .find(|l| !l.starts_with('#'))
            .unwrap()
            .to_owned()
    };
    let master = url::Url::parse(master_url).unwrap();
    let variant = master.join(&first_uri(&get(master.clone()).await)).unwrap();
    let segment = variant
        .join(&first_uri(&get(variant.clone()).await))
        .unwrap();
    reqwest::get(segment).await.unwrap();
}

#[tokio::test]
async fn a_voe_link_behind_two_forwards_resolves_to_the_playlist_of_its_current_generation() {
    let site = signed_voe_site().await;
    let key = SeriesKey::parse("frieren").unwrap();
    let resolve = || async {
        resolver(&site)
            .resolve(&key, EpisodeId::new(1, 1), &ALL_LANGUAGES, &names(&["VOE"]))
            .await
            .unwrap()
    };
    let voe = site.links("frieren", 1, 1).remove(0);
    let id = voe.link.id;

    let found = resolve().await;

    assert_eq!(found.source.hoster, "VOE");
    assert_eq!(found.source.kind, MediaKind::Hls);
    assert_eq!(found.source.url, voe.extracted_media_url());
    assert!(found.source.url.ends_with("?sig=1"), "{}", found.source.url);
    // The embed page is also read when the catalogue follows `/redirect/<id>`.
    assert!(site.requests(&format!("/hoster/voe/e/{id}")) >= 1);
    for hop in ["t", "p"] {
        assert_eq!(
            site.requests(&format!("/hoster/voe/{hop}/{id}")),
            1,
            "{hop}"
        );
    }
    let referer = found.source.headers.iter().find(|(n, _)| n == "Referer");
    assert_eq!(referer.unwrap().1, site.url(&format!("/hoster/voe/p/{id}")));

    move_generation_on(&site, &found.source.url, id).await;
    assert_eq!(site.generation(id), 2);
    let again = resolve().await;
    assert_eq!(
        again.source.url,
        site.link(id).unwrap().extracted_media_url()
    );
    assert!(again.source.url.ends_with("?sig=2"), "{}", again.source.url);
}

#[tokio::test]
async fn a_challenge_on_the_catalogues_redirect_is_a_challenge_of_that_attempt() {
    let site = FakeSite::standard().await;
    let key = SeriesKey::parse("attack-on-titan").unwrap();
    let voe = site
        .links("attack-on-titan", 1, 3)
        .into_iter()
        .find(|l| l.link.hoster == FakeHoster::Voe && l.link.language == 1)
        .unwrap();
    let redirect = voe.redirect_url();
    site.serve_html(
        redirect.trim_start_matches(site.base_url()),
        crate::search::CHALLENGE_PAGE,
    );
    let err = resolver(&site)
        .resolve(
            &key,
            EpisodeId::new(1, 3),
            &[Language::GermanDub],
            &names(&["VOE"]),
        )
        .await
        .unwrap_err();
    let ResolveError::AllHostersFailed { attempts } = err else {
        panic!("expected failed attempts, got {err}");
    };
    assert!(
        matches!(&attempts[0].outcome, AttemptOutcome::Failed(ProviderError::Challenge(host)) if host == "127.0.0.1"),
        "{attempts:?}"
    );
}
