//! The sites together: a key goes to its site, a search merges what answered.

use super::*;
use crate::domain::catalogue::SearchHit;
use crate::ports::catalogue::MockCatalogue;

fn hit(key: &str) -> SearchHit {
    SearchHit {
        key: SeriesKey::parse(key).unwrap(),
        name: key.into(),
        link: format!("https://example.test/{key}"),
    }
}

fn settings(sto_enabled: bool) -> watch::Receiver<Arc<Settings>> {
    let mut s = Settings::default();
    s.provider.sto_enabled = sto_enabled;
    watch::channel(Arc::new(s)).1
}

fn answering(hits: &'static [&'static str]) -> Arc<dyn Catalogue> {
    let mut c = MockCatalogue::new();
    c.expect_search()
        .returning(move |_, _| Ok(SearchResults::of(hits.iter().map(|k| hit(k)).collect())));
    Arc::new(c)
}

fn failing(error: ProviderError) -> Arc<dyn Catalogue> {
    let mut c = MockCatalogue::new();
    c.expect_search().returning(move |_, _| Err(error.clone()));
    Arc::new(c)
}

fn untouched() -> Arc<dyn Catalogue> {
    Arc::new(MockCatalogue::new())
}

#[tokio::test]
async fn both_sites_answer_in_one_list_with_the_same_slug_twice() {
    let sites = Sites::new(
        answering(&["breaking-bad"]),
        answering(&["sto:breaking-bad"]),
        settings(true),
    );
    let found = sites.search("breaking", None).await.unwrap();
    let keys: Vec<&str> = found.hits.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(keys, ["breaking-bad", "sto:breaking-bad"]);
    assert!(found.warnings.is_empty());
}

#[tokio::test]
async fn a_failing_site_is_a_warning_while_the_other_answers() {
    let sites = Sites::new(
        answering(&["dr-stone"]),
        failing(ProviderError::Status(500)),
        settings(true),
    );
    let found = sites.search("stone", None).await.unwrap();
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.warnings, ["s.to: upstream answered HTTP 500"]);
}

#[tokio::test]
async fn every_site_failing_is_the_first_sites_error() {
    let sites = Sites::new(
        failing(ProviderError::Timeout),
        failing(ProviderError::Status(500)),
        settings(true),
    );
    assert_eq!(sites.search("x", None).await, Err(ProviderError::Timeout));
}

#[tokio::test]
async fn a_switched_off_site_is_not_asked() {
    let sites = Sites::new(answering(&["dr-stone"]), untouched(), settings(false));
    let found = sites.search("stone", None).await.unwrap();
    assert_eq!(found.hits.len(), 1);
    assert_eq!(
        sites.search("stone", Some(Site::Sto)).await,
        Err(ProviderError::SiteOff("s.to".into()))
    );
    let key = SeriesKey::parse("sto:dark").unwrap();
    assert_eq!(
        sites.series(&key).await.unwrap_err(),
        ProviderError::SiteOff("s.to".into())
    );
}

#[tokio::test]
async fn only_the_site_named_is_asked() {
    let sites = Sites::new(untouched(), answering(&["sto:dark"]), settings(true));
    let found = sites.search("dark", Some(Site::Sto)).await.unwrap();
    assert_eq!(found.hits[0].key.as_str(), "sto:dark");
}

#[tokio::test]
async fn a_link_is_read_by_its_site_and_a_switched_off_sites_series_is_not_asked() {
    let mut aniworld = MockCatalogue::new();
    aniworld.expect_key_of_link().returning(|_| None);
    let mut sto = MockCatalogue::new();
    sto.expect_key_of_link().returning(|l| {
        l.contains("/serie/")
            .then(|| SeriesKey::parse("sto:dark").unwrap())
    });
    let (aniworld, sto) = (Arc::new(aniworld), Arc::new(sto));
    let on = Sites::new(aniworld.clone(), sto.clone(), settings(true));
    let link = "https://serienstream.to/serie/dark";
    assert_eq!(on.key_of_link(link).unwrap().as_str(), "sto:dark");
    let off = Sites::new(aniworld, sto, settings(false));
    let key = off.key_of_link(link).unwrap();
    assert_eq!(
        off.series(&key).await.unwrap_err(),
        ProviderError::SiteOff("s.to".into())
    );
}
