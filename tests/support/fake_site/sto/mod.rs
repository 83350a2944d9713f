//! The fake s.to (serienstream.to, PROVIDER.md "Second site"), served on a listener of its
//! own beside the fake aniworld.to: its series, season (`staffel-0` = films and specials) and
//! episode pages, the suggest API, the HTML search and the play links `/r?t=<token>`, in the
//! shapes of the fixtures in `tests/fixtures/sto/` (the parsers' unit tests read those; the
//! self-check `tests/api/sto_fake.rs` reads these pages with the same parsers).
//!
//! The hosters and media stay on the fake aniworld.to: a play link answers a 302 to the
//! aniworld.to side's embed page of that link, so the existing fake hosters resolve it and
//! serve its media byte-exact. s.to's links share the link ids and media controls with the
//! aniworld.to side (their ids start at [`FIRST_STO_LINK_ID`]).
//!
//! ```ignore
//! let site = FakeSite::builder()
//!     .sto_series(FakeSeries::new("dark", "Dark").year(2017).season(1, &[1, 2]))
//!     .spawn()
//!     .await;
//! let page = reqwest::get(site.sto_url(&sto_series_path("dark"))).await?;
//! site.challenge_sto_play_links(5); // the 6th play link on answers the Turnstile page
//! ```

mod episode_page;
mod handle;
mod pages;
mod routes;
mod search;
mod standard;
mod state;

pub use episode_page::{StoLanguage, sto_language};
pub use routes::{bind, serve};
pub use standard::standard_sto_catalogue;
pub use state::{FIRST_STO_LINK_ID, PlayChallenge, StoState, play_token};

/// The suggest API's path (`?term=<query>`).
pub const STO_SUGGEST_PATH: &str = "/api/search/suggest";
/// The HTML search's path (`?term=<query>&tab=shows&page=<n>`).
pub const STO_SEARCH_PATH: &str = "/suche";
/// The play links' path (`?t=<token>`).
pub const STO_PLAY_PATH: &str = "/r";
/// How many series cards a page of the HTML search holds.
pub const STO_SEARCH_PAGE_SIZE: usize = 24;

/// The Turnstile page a distrusted play link answers with (status 200), as the site serves it.
pub const STO_CHALLENGE_PAGE: &str = include_str!("../../../fixtures/sto/play_challenge.html");

/// `/serie/<slug>`.
pub fn sto_series_path(slug: &str) -> String {
    format!("/serie/{slug}")
}

/// `/serie/<slug>/staffel-<n>`; season 0 holds films and specials.
pub fn sto_season_path(slug: &str, season: u32) -> String {
    format!("/serie/{slug}/staffel-{season}")
}

/// `/serie/<slug>/staffel-<s>/episode-<e>`.
pub fn sto_episode_path(slug: &str, season: u32, episode: u32) -> String {
    format!("/serie/{slug}/staffel-{season}/episode-{episode}")
}
