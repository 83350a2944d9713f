//! The extractor is chosen by the page a link lands on, not by its label: the hoster that
//! recognises the page surest reads it (the label's own on a tie, and when nobody does),
//! while pacing, the scoreboard and the attempt stay under the label, whose text names the
//! extractor used.

use std::sync::Arc;

use super::tests::opening;
use super::*;
use crate::domain::catalogue::{EpisodeDetails, MediaKind};
use crate::ports::catalogue::{MockCatalogue, MockHoster, Recognition};

use Language::GermanDub;

fn key() -> SeriesKey {
    SeriesKey::parse("attack-on-titan").unwrap()
}

/// An episode page with one link per label, each landing on `https://landed.example/<label>`.
fn catalogue(labels: &[&str]) -> Arc<dyn Catalogue> {
    let hosters: Vec<HosterLink> = labels
        .iter()
        .map(|label| HosterLink {
            site: crate::domain::site::Site::Aniworld,
            hoster: (*label).to_owned(),
            language: GermanDub,
            redirect_url: format!("https://aniworld.example/redirect/{label}"),
        })
        .collect();
    let details = EpisodeDetails {
        id: EpisodeId::new(1, 5),
        title_german: None,
        title_english: None,
        languages: vec![GermanDub],
        hosters,
    };
    let mut catalogue = MockCatalogue::new();
    catalogue
        .expect_episode()
        .returning(move |_, _| Ok(details.clone()));
    catalogue
        .expect_embed_url()
        .returning(|link| Ok(format!("https://landed.example/{}", link.hoster)));
    Arc::new(catalogue)
}

/// A hoster claiming every page with `claim`; it resolves when `works`, else fails with
/// its layout error; `asked` is how often it may be asked to resolve.
fn hoster(name: &'static str, claim: Recognition, works: bool, asked: usize) -> Arc<dyn Hoster> {
    let mut hoster = MockHoster::new();
    hoster.expect_name().return_const(name.to_owned());
    opening(&mut hoster, claim);
    hoster.expect_resolve().times(asked).returning(move |page| {
        if works {
            Ok(MediaSource {
                url: format!("https://media.example/{name}.m3u8"),
                kind: MediaKind::Hls,
                headers: vec![("Referer".into(), page.url.clone())],
                hoster: name.to_owned(),
            })
        } else {
            Err(ProviderError::Layout(name.to_owned()))
        }
    });
    Arc::new(hoster)
}

async fn resolve(
    labels: &[&str],
    hosters: Vec<Arc<dyn Hoster>>,
) -> (Result<ResolvedMedia, ResolveError>, Arc<ProviderHealth>) {
    let health = ProviderHealth::in_memory();
    let resolver = MediaResolver::new(catalogue(labels), hosters, health.clone());
    let names: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
    let resolved = resolver
        .resolve(&key(), EpisodeId::new(1, 5), &[GermanDub], &names)
        .await;
    (resolved, health)
}

#[tokio::test]
async fn a_vidara_link_landing_on_a_voe_page_is_read_by_voe_and_counted_under_vidara() {
    let hosters = vec![
        hoster("VOE", Recognition::Landmarks, true, 1),
        hoster("Vidara", Recognition::Unknown, true, 0),
    ];
    let (resolved, health) = resolve(&["Vidara"], hosters).await;
    let media = resolved.unwrap();
    assert_eq!(media.source.hoster, "VOE");
    assert_eq!(media.source.headers[0].1, "https://landed.example/Vidara");
    assert_eq!(media.attempts[0].extractor.as_deref(), Some("VOE"));
    assert_eq!(
        media.attempts[0].to_string(),
        "Vidara (as VOE) (German Dub): resolved"
    );
    let vidara = health.get(&Source::Hoster("Vidara".into()));
    assert_eq!((vidara.attempts, vidara.successes), (1, 1));
    assert_eq!(health.get(&Source::Hoster("VOE".into())).attempts, 0);
}

#[tokio::test]
async fn a_failure_of_the_landed_hosters_extractor_names_it_beside_the_label() {
    let hosters = vec![
        hoster("VOE", Recognition::Landmarks, false, 1),
        hoster("Vidara", Recognition::Unknown, true, 0),
    ];
    let (resolved, health) = resolve(&["Vidara"], hosters).await;
    let Err(error) = resolved else {
        panic!("every hoster failed")
    };
    assert_eq!(
        error.to_string(),
        "every hoster failed: Vidara (as VOE) (German Dub): VOE page layout not recognised"
    );
    let vidara = health.get(&Source::Hoster("Vidara".into()));
    assert_eq!(
        vidara.last_error.as_deref(),
        Some("Vidara (as VOE) (German Dub): VOE page layout not recognised")
    );
}

#[tokio::test]
async fn a_known_host_beats_landmarks_and_the_label_wins_a_tie() {
    let host_beats_landmarks = vec![
        hoster("VOE", Recognition::Landmarks, true, 0),
        hoster("Doodstream", Recognition::Host, true, 1),
    ];
    let (resolved, _) = resolve(&["VOE"], host_beats_landmarks).await;
    assert_eq!(resolved.unwrap().source.hoster, "Doodstream");

    let tie = vec![
        hoster("VOE", Recognition::Landmarks, true, 0),
        hoster("Filemoon", Recognition::Landmarks, true, 1),
    ];
    let (resolved, _) = resolve(&["Filemoon"], tie).await;
    let media = resolved.unwrap();
    assert_eq!(media.source.hoster, "Filemoon");
    assert_eq!(media.attempts[0].extractor, None);
    assert_eq!(
        media.attempts[0].to_string(),
        "Filemoon (German Dub): resolved"
    );
}

#[tokio::test]
async fn a_page_nobody_recognises_is_read_by_the_labels_extractor() {
    let hosters = vec![
        hoster("VOE", Recognition::Unknown, true, 0),
        hoster("Luluvdo", Recognition::Unknown, true, 1),
    ];
    let (resolved, _) = resolve(&["Luluvdo"], hosters).await;
    assert_eq!(resolved.unwrap().source.hoster, "Luluvdo");
}
