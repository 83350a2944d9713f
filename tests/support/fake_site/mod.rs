//! A fake catalogue site with its hosters and media, served by poem on `127.0.0.1:0`.
//!
//! Build it from the data model ([`FakeSeries`], [`FakeSeason`], [`FakeEpisode`], [`FakeLink`]),
//! or take [`FakeSite::standard`]; disturb single paths with faults ([`FakeSite::fail_times`],
//! [`FakeSite::hang`], ...); make a link's media signed and expiring ([`FakeLink::signed`],
//! [`FakeSite::expire_after`]) or slow ([`FakeSite::throttle_media`]); read per-path request
//! counts, media bytes served and the highest concurrency seen. The server stops when the
//! handle drops. A fake s.to (`sto/`) runs beside it on its own port, with its own pages,
//! faults and counts, sending its play links to this site's hosters
//! ([`FakeSiteBuilder::sto_series`], [`FakeSite::sto_base_url`]).
//!
//! ```ignore
//! let site = FakeSite::builder()
//!     .series(FakeSeries::new("dr-stone", "Dr. Stone").year(2019).season(1, &[1, 2, 4]))
//!     .spawn()
//!     .await;
//! site.fail_times("/anime/stream/dr-stone", 1, 500);
//! ```

pub mod cover;
pub mod doodstream;
pub mod episode_page;
pub mod faults;
pub mod feed;
pub mod filemoon;
pub mod guard;
mod hoster_apis;
pub mod hosters;
pub mod luluvdo;
pub mod media;
mod media_control;
mod media_routes;
pub mod metadata;
pub mod model;
pub mod pages;
mod routes;
#[cfg(test)]
mod self_check;
mod site;
mod standard;
mod state;
pub mod sto;
pub mod vidara;
pub mod voe;

pub use cover::cover_bytes;
pub use faults::Fault;
pub use feed::FeedEntry;
pub use guard::CHALLENGE_PAGE;
pub use media_control::Expiry;
pub use metadata::FakeMetadata;
pub use model::{
    EmbedBehaviour, FakeEpisode, FakeHoster, FakeLink, FakeMedia, FakeSeason, FakeSeries,
};
pub use pages::episode_path;
pub use site::{FakeSite, FakeSiteBuilder};
pub use standard::standard_catalogue;
pub use state::{FakeLinkInfo, SiteState};

/// The path of a series page.
pub fn series_path(key: &str) -> String {
    format!("/anime/stream/{key}")
}

/// The path of a season page; season 0 is the films page.
pub fn season_path(key: &str, season: u32) -> String {
    if season == 0 {
        format!("/anime/stream/{key}/filme")
    } else {
        format!("/anime/stream/{key}/staffel-{season}")
    }
}

/// The path of the search endpoint.
pub const SEARCH_PATH: &str = "/ajax/search";
