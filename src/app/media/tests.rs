//! The hoster and language fallback rules of [`MediaResolver`], with mocked catalogue and
//! hosters.

use std::sync::Arc;

use super::*;
use crate::domain::catalogue::{EpisodeDetails, MediaKind};
use crate::ports::catalogue::{MockCatalogue, MockHoster, Recognition};

use Language::{EnglishSub, GermanDub, GermanSub};

fn key() -> SeriesKey {
    SeriesKey::parse("attack-on-titan").unwrap()
}

/// A catalogue whose episode page links the given hosters, each redirecting to
/// `https://embed.example/<hoster>/<language>`.
fn catalogue(links: &[(&str, Language)]) -> Arc<dyn Catalogue> {
    let details = EpisodeDetails {
        id: EpisodeId::new(1, 5),
        title_german: None,
        title_english: None,
        languages: links.iter().map(|(_, l)| *l).collect(),
        hosters: links
            .iter()
            .map(|(hoster, language)| HosterLink {
                site: crate::domain::site::Site::Aniworld,
                hoster: (*hoster).to_owned(),
                language: *language,
                redirect_url: format!("https://aniworld.example/redirect/{hoster}"),
            })
            .collect(),
    };
    let mut catalogue = MockCatalogue::new();
    catalogue
        .expect_episode()
        .returning(move |_, _| Ok(details.clone()));
    catalogue.expect_embed_url().returning(|link| {
        Ok(format!(
            "https://embed.example/{}/{}",
            link.hoster,
            link.language.name()
        ))
    });
    Arc::new(catalogue)
}

/// A hoster that resolves embed pages for the listed languages and fails with a layout
/// error for the others.
fn hoster(name: &'static str, works_for: &'static [Language]) -> Arc<dyn Hoster> {
    let mut hoster = MockHoster::new();
    hoster.expect_name().return_const(name.to_owned());
    opening(&mut hoster, Recognition::Unknown);
    hoster.expect_resolve().returning(move |page| {
        let embed = page.url.as_str();
        if works_for.iter().any(|l| embed.ends_with(l.name())) {
            Ok(MediaSource {
                url: format!("https://media.example/{name}.mp4"),
                kind: MediaKind::Direct,
                headers: vec![("Referer".into(), embed.to_owned())],
                hoster: name.to_owned(),
            })
        } else {
            Err(ProviderError::Layout(name.to_owned()))
        }
    });
    Arc::new(hoster)
}

/// The hoster opens any embed URL as an empty page and claims every page with `claim`.
pub(super) fn opening(hoster: &mut MockHoster, claim: Recognition) {
    hoster.expect_open().returning(|url, from| {
        Ok(EmbedPage {
            url: url.to_owned(),
            body: String::new(),
            linked_from: from.to_owned(),
        })
    });
    hoster.expect_recognises().return_const(claim);
}

fn names(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn attempt(hoster: &str, language: Language, outcome: AttemptOutcome) -> HosterAttempt {
    HosterAttempt {
        hoster: hoster.to_owned(),
        extractor: None,
        language,
        outcome,
    }
}

fn layout(hoster: &str) -> AttemptOutcome {
    AttemptOutcome::Failed(ProviderError::Layout(hoster.to_owned()))
}

async fn resolve(
    catalogue: Arc<dyn Catalogue>,
    hosters: Vec<Arc<dyn Hoster>>,
    languages: &[Language],
    preferred: &[&str],
) -> Result<ResolvedMedia, ResolveError> {
    MediaResolver::new(catalogue, hosters, ProviderHealth::in_memory())
        .resolve(&key(), EpisodeId::new(1, 5), languages, &names(preferred))
        .await
}

#[tokio::test]
async fn the_first_preferred_hoster_is_used_even_when_the_page_lists_another_first() {
    let catalogue = catalogue(&[("VOE", GermanDub), ("Vidoza", GermanDub)]);
    let hosters = vec![hoster("VOE", &[GermanDub]), hoster("Vidoza", &[GermanDub])];

    let media = resolve(catalogue, hosters, &[GermanDub], &["vidoza", "VOE"])
        .await
        .unwrap();

    assert_eq!(media.source.hoster, "Vidoza");
    assert_eq!(
        media.source.headers[0].1,
        "https://embed.example/Vidoza/German Dub"
    );
    assert_eq!(media.language, GermanDub);
    assert_eq!(
        media.attempts,
        vec![attempt("Vidoza", GermanDub, AttemptOutcome::Resolved)]
    );
}

#[tokio::test]
async fn a_failing_hoster_falls_back_to_the_next_preferred_hoster() {
    let catalogue = catalogue(&[("VOE", GermanDub), ("Vidoza", GermanDub)]);
    let hosters = vec![hoster("VOE", &[]), hoster("Vidoza", &[GermanDub])];

    let media = resolve(catalogue, hosters, &[GermanDub], &["VOE", "Vidoza"])
        .await
        .unwrap();

    assert_eq!(media.source.url, "https://media.example/Vidoza.mp4");
    assert_eq!(
        media.attempts,
        vec![
            attempt("VOE", GermanDub, layout("VOE")),
            attempt("Vidoza", GermanDub, AttemptOutcome::Resolved),
        ]
    );
}

#[tokio::test]
async fn when_every_hoster_of_a_language_fails_the_next_language_is_tried() {
    let catalogue = catalogue(&[("VOE", GermanDub), ("VOE", GermanSub)]);
    let hosters = vec![hoster("VOE", &[GermanSub])];

    let media = resolve(catalogue, hosters, &[GermanDub, GermanSub], &["VOE"])
        .await
        .unwrap();

    assert_eq!(media.language, GermanSub);
    assert_eq!(
        media.attempts,
        vec![
            attempt("VOE", GermanDub, layout("VOE")),
            attempt("VOE", GermanSub, AttemptOutcome::Resolved),
        ]
    );
}

#[tokio::test]
async fn a_preferred_language_without_links_is_passed_over() {
    let catalogue = catalogue(&[("VOE", EnglishSub), ("VOE", GermanSub)]);
    let hosters = vec![hoster("VOE", &[EnglishSub, GermanSub])];

    let media = resolve(
        catalogue,
        hosters,
        &[GermanDub, GermanSub, EnglishSub],
        &["VOE"],
    )
    .await
    .unwrap();

    assert_eq!(media.language, GermanSub);
    assert_eq!(media.attempts.len(), 1);
}

#[tokio::test]
async fn hoster_names_without_extractor_are_skipped_and_recorded() {
    let catalogue = catalogue(&[("Doodstream", GermanDub), ("VOE", GermanDub)]);
    let hosters = vec![hoster("VOE", &[GermanDub])];

    let media = resolve(
        catalogue,
        hosters,
        &[GermanDub],
        &["Filemoon", "Doodstream", "VOE"],
    )
    .await
    .unwrap();

    assert_eq!(media.source.hoster, "VOE");
    // Filemoon is not linked at all, so it is no attempt; Doodstream is linked but unknown.
    assert_eq!(
        media.attempts,
        vec![
            attempt("Doodstream", GermanDub, AttemptOutcome::Unsupported),
            attempt("VOE", GermanDub, AttemptOutcome::Resolved),
        ]
    );
}

#[tokio::test]
async fn hosters_the_user_did_not_name_are_not_used() {
    let catalogue = catalogue(&[("Streamtape", GermanDub)]);
    let hosters = vec![hoster("Streamtape", &[GermanDub])];

    let error = resolve(catalogue, hosters, &[GermanDub], &["VOE"]).await;

    assert_eq!(error, Err(ResolveError::NoLinks));
}

#[tokio::test]
async fn when_everything_fails_the_error_lists_every_attempt() {
    let catalogue = catalogue(&[
        ("VOE", GermanDub),
        ("Vidoza", GermanDub),
        ("VOE", EnglishSub),
    ]);
    let hosters = vec![hoster("VOE", &[]), hoster("Vidoza", &[])];

    let error = resolve(
        catalogue,
        hosters,
        &[GermanDub, EnglishSub],
        &["VOE", "Vidoza"],
    )
    .await
    .unwrap_err();

    let expected = vec![
        attempt("VOE", GermanDub, layout("VOE")),
        attempt("Vidoza", GermanDub, layout("Vidoza")),
        attempt("VOE", EnglishSub, layout("VOE")),
    ];
    assert_eq!(
        error.to_string(),
        "every hoster failed: VOE (German Dub): VOE page layout not recognised; \
         Vidoza (German Dub): Vidoza page layout not recognised; \
         VOE (English Sub): VOE page layout not recognised"
    );
    assert_eq!(error, ResolveError::AllHostersFailed { attempts: expected });
}

#[tokio::test]
async fn a_failing_redirect_counts_as_a_failed_attempt_of_that_hoster() {
    let mut catalogue = MockCatalogue::new();
    let details = EpisodeDetails {
        id: EpisodeId::new(1, 5),
        title_german: None,
        title_english: None,
        languages: vec![GermanDub],
        hosters: ["VOE", "Vidoza"]
            .map(|h| HosterLink {
                site: crate::domain::site::Site::Aniworld,
                hoster: h.into(),
                language: GermanDub,
                redirect_url: format!("https://aniworld.example/redirect/{h}"),
            })
            .to_vec(),
    };
    catalogue
        .expect_episode()
        .returning(move |_, _| Ok(details.clone()));
    catalogue
        .expect_embed_url()
        .returning(|link| match link.hoster.as_str() {
            "VOE" => Err(ProviderError::Status(502)),
            _ => Ok("https://embed.example/Vidoza/German Dub".into()),
        });
    let hosters = vec![hoster("VOE", &[GermanDub]), hoster("Vidoza", &[GermanDub])];

    let media = resolve(
        Arc::new(catalogue),
        hosters,
        &[GermanDub],
        &["VOE", "Vidoza"],
    )
    .await
    .unwrap();

    assert_eq!(media.source.hoster, "Vidoza");
    assert_eq!(
        media.attempts[0],
        attempt(
            "VOE",
            GermanDub,
            AttemptOutcome::Failed(ProviderError::Status(502))
        )
    );
}

#[tokio::test]
async fn no_link_in_any_preferred_language_is_no_links() {
    let catalogue = catalogue(&[("VOE", EnglishSub)]);
    let hosters = vec![hoster("VOE", &[EnglishSub])];

    let error = resolve(catalogue, hosters, &[GermanDub, GermanSub], &["VOE"]).await;

    assert_eq!(error, Err(ResolveError::NoLinks));
}

#[tokio::test]
async fn an_unreadable_episode_page_is_a_catalogue_error() {
    let mut catalogue = MockCatalogue::new();
    catalogue
        .expect_episode()
        .returning(|_, _| Err(ProviderError::NotFound));

    let error = resolve(Arc::new(catalogue), vec![], &[GermanDub], &["VOE"]).await;

    assert_eq!(error, Err(ResolveError::Catalogue(ProviderError::NotFound)));
}

#[tokio::test]
async fn a_challenged_hoster_rests_and_is_not_asked_again_while_the_next_carries_on() {
    let mut voe = MockHoster::new();
    voe.expect_name().return_const("VOE".to_owned());
    opening(&mut voe, Recognition::Unknown);
    voe.expect_resolve()
        .times(1)
        .returning(|_| Err(ProviderError::Challenge("voe.example".into())));
    let resolver = MediaResolver::new(
        catalogue(&[("VOE", GermanDub), ("Vidoza", GermanDub)]),
        vec![Arc::new(voe), hoster("Vidoza", &[GermanDub])],
        ProviderHealth::in_memory(),
    );
    let hosters = names(&["VOE", "Vidoza"]);
    let first = resolver
        .resolve(&key(), EpisodeId::new(1, 5), &[GermanDub], &hosters)
        .await
        .unwrap();
    assert_eq!(first.source.hoster, "Vidoza");
    assert_eq!(
        first.attempts[0],
        attempt(
            "VOE",
            GermanDub,
            AttemptOutcome::Failed(ProviderError::Challenge("voe.example".into()))
        )
    );
    let second = resolver
        .resolve(&key(), EpisodeId::new(1, 5), &[GermanDub], &hosters)
        .await
        .unwrap();
    assert_eq!(second.source.hoster, "Vidoza");
    assert!(
        matches!(second.attempts[0].outcome, AttemptOutcome::Resting(secs) if secs > 0),
        "{:?}",
        second.attempts
    );
    assert!(
        second.attempts[0]
            .to_string()
            .contains("resting after a browser challenge")
    );
}

#[tokio::test]
async fn every_attempt_is_counted_on_the_hosters_scoreboard() {
    let health = ProviderHealth::in_memory();
    let resolver = MediaResolver::new(
        catalogue(&[
            ("VOE", GermanDub),
            ("vidoza", GermanDub),
            ("LoadX", GermanDub),
        ]),
        vec![hoster("VOE", &[]), hoster("Vidoza", &[GermanDub])],
        health.clone(),
    );
    resolver
        .resolve(
            &key(),
            EpisodeId::new(1, 5),
            &[GermanDub],
            &names(&["LoadX", "VOE", "Vidoza"]),
        )
        .await
        .unwrap();
    let voe = health.get(&Source::Hoster("VOE".into()));
    assert_eq!(
        (voe.attempts, voe.successes, voe.failures.layout),
        (1, 0, 1)
    );
    assert!(
        voe.last_error
            .unwrap()
            .contains("VOE page layout not recognised")
    );
    let vidoza = health.get(&Source::Hoster("Vidoza".into()));
    assert_eq!(
        (vidoza.attempts, vidoza.successes),
        (1, 1),
        "under the extractor's name"
    );
    assert_eq!(
        health.get(&Source::Hoster("LoadX".into())).attempts,
        0,
        "a hoster without an extractor was not asked"
    );
}

#[tokio::test]
async fn the_adaptive_order_tries_a_failing_hoster_last_within_its_language() {
    let health = ProviderHealth::in_memory();
    let resolver = MediaResolver::new(
        catalogue(&[
            ("VOE", GermanDub),
            ("Vidoza", GermanDub),
            ("VOE", GermanSub),
            ("Vidoza", GermanSub),
        ]),
        vec![
            hoster("VOE", &[]),
            hoster("Vidoza", &[GermanDub, GermanSub]),
        ],
        health.clone(),
    );
    let hosters = names(&["VOE", "Vidoza"]);
    let order = |links: Vec<HosterLink>| {
        links
            .into_iter()
            .map(|l| format!("{} {}", l.hoster, l.language.name()))
            .collect::<Vec<_>>()
    };
    let languages = [GermanDub, GermanSub];
    for _ in 0..2 {
        resolver
            .resolve(&key(), EpisodeId::new(1, 5), &languages, &hosters)
            .await
            .unwrap();
    }
    let series = key();
    let links = resolver.links(&series, EpisodeId::new(1, 5), &languages, &hosters);
    assert_eq!(
        order(links.await.unwrap()),
        [
            "VOE German Dub",
            "Vidoza German Dub",
            "VOE German Sub",
            "Vidoza German Sub"
        ],
        "off by default: the user's order"
    );
    resolver.set_adaptive_order(true);
    let links = resolver.links(&series, EpisodeId::new(1, 5), &languages, &hosters);
    assert_eq!(
        order(links.await.unwrap()),
        [
            "Vidoza German Dub",
            "VOE German Dub",
            "Vidoza German Sub",
            "VOE German Sub"
        ],
        "the failing VOE moves behind, but never across languages"
    );
    let resolved = resolver
        .resolve(&key(), EpisodeId::new(1, 5), &languages, &hosters)
        .await
        .unwrap();
    assert_eq!(resolved.attempts.len(), 1, "no time lost on VOE");
}

/// A catalogue whose episodes link VOE on `site`; its play links answer a challenge when
/// `challenged`.
fn site_catalogue(site: Site, challenged: bool) -> MockCatalogue {
    let mut catalogue = MockCatalogue::new();
    catalogue.expect_episode().returning(move |_, id| {
        Ok(EpisodeDetails {
            id,
            title_german: None,
            title_english: None,
            languages: vec![GermanDub],
            hosters: vec![HosterLink {
                site,
                hoster: "VOE".into(),
                language: GermanDub,
                redirect_url: format!("https://{}/play", site.name()),
            }],
        })
    });
    catalogue.expect_embed_url().returning(move |link| {
        if challenged {
            Err(ProviderError::Challenge(link.site.name().to_owned()))
        } else {
            Ok(format!("https://embed.example/VOE/{}", GermanDub.name()))
        }
    });
    catalogue
}

#[tokio::test(start_paused = true)]
async fn a_challenged_sto_play_link_rests_sto_while_aniworld_goes_on() {
    let sto = MediaResolver::new(
        Arc::new(site_catalogue(Site::Sto, true)),
        vec![hoster("VOE", &[GermanDub])],
        ProviderHealth::in_memory(),
    );
    let voe = names(&["VOE"]);
    let sto_key = SeriesKey::parse("sto:dark").unwrap();
    let first = sto
        .resolve(&sto_key, EpisodeId::new(1, 1), &[GermanDub], &voe)
        .await
        .unwrap_err();
    assert!(
        first
            .to_string()
            .contains("s.to asks for a browser challenge"),
        "{first}"
    );
    assert_eq!(
        sto.site_resting(Site::Sto),
        Some(Duration::from_secs(30 * 60))
    );
    let ResolveError::AllHostersFailed { attempts } = sto
        .resolve(&sto_key, EpisodeId::new(1, 2), &[GermanDub], &voe)
        .await
        .unwrap_err()
    else {
        panic!("every hoster failed")
    };
    assert!(
        matches!(attempts[0].outcome, AttemptOutcome::Resting(secs) if secs > 29 * 60),
        "{attempts:?}"
    );
    assert_eq!(sto.site_resting(Site::Aniworld), None);
}

#[tokio::test(start_paused = true)]
async fn sto_play_links_are_the_site_pause_apart_and_aniworld_redirects_are_not_paced() {
    let sto = MediaResolver::new(
        Arc::new(site_catalogue(Site::Sto, false)),
        vec![hoster("VOE", &[GermanDub])],
        ProviderHealth::in_memory(),
    );
    sto.set_site_pause(Duration::from_secs(5));
    let voe = names(&["VOE"]);
    let start = tokio::time::Instant::now();
    for episode in 1..=3 {
        let key = SeriesKey::parse("sto:dark").unwrap();
        sto.resolve(&key, EpisodeId::new(1, episode), &[GermanDub], &voe)
            .await
            .unwrap();
    }
    assert_eq!(start.elapsed(), Duration::from_secs(10));
    let aniworld = MediaResolver::new(
        Arc::new(site_catalogue(Site::Aniworld, false)),
        vec![hoster("VOE", &[GermanDub])],
        ProviderHealth::in_memory(),
    );
    aniworld.set_site_pause(Duration::from_secs(5));
    let start = tokio::time::Instant::now();
    for episode in 1..=3 {
        aniworld
            .resolve(&key(), EpisodeId::new(1, episode), &[GermanDub], &voe)
            .await
            .unwrap();
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
}
