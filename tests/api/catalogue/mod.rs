//! The catalogue adapter against the fake catalogue site: every landmark of every page
//! ([`pages`]; the series page's metadata line in [`metadata`]) and the behaviour under
//! faults, caching and load ([`resilience`]); and the fake site's hoster pages and media that
//! later hoster and download tests rely on ([`fake_hosters`]).

mod fake_hosters;
mod metadata;
mod pages;
mod resilience;

use std::time::Duration;

use aniworld::adapters::catalogue::{AniworldCatalogue, CatalogueSettings};
use aniworld::domain::series::SeriesKey;

use crate::support::fake_site::FakeSite;

/// An adapter for the fake site, with a trailing slash on the base URL as users type it.
fn catalogue(site: &FakeSite) -> AniworldCatalogue {
    catalogue_with(site, |_| {})
}

/// An adapter for the fake site with adjusted settings.
fn catalogue_with(
    site: &FakeSite,
    adjust: impl FnOnce(&mut CatalogueSettings),
) -> AniworldCatalogue {
    let mut settings = CatalogueSettings {
        base_url: format!("{}/", site.base_url()),
        timeout: Duration::from_secs(5),
        ..CatalogueSettings::default()
    };
    adjust(&mut settings);
    AniworldCatalogue::new(settings).expect("settings are valid")
}

fn key(text: &str) -> SeriesKey {
    SeriesKey::parse(text).expect("valid key")
}
