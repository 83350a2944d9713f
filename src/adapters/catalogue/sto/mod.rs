//! serienstream.to ("s.to", relaunched 2026-01-29; PROVIDER.md, "Second site"): the page
//! readers of the second catalogue site. Its pages differ from aniworld.to's, its hosters are
//! the same. Each reader is a plain sync function from the page's text to domain values or a
//! [`ProviderError`](crate::domain::catalogue::ProviderError) naming the missing landmark, on
//! the shared helpers of `html.rs` and `links.rs`:
//! - `urls.rs`: [`StoUrls`], every URL of the site and series keys (`sto:<slug>`) from links;
//! - `suggest.rs`: the search API's JSON; `search_page.rs`: the HTML search, page by page;
//! - `series_page.rs`, `season_page.rs` (`staffel-0` = films and specials), `episode_page.rs`;
//! - `adapter.rs`: [`StoCatalogue`], the `Catalogue` port on these readers.
//!
//! The readers are public for the fake site's self-check (`tests/api/sto_fake.rs`).

mod adapter;
mod episode_page;
#[cfg(test)]
mod garbage;
mod search_page;
mod season_page;
mod series_page;
mod suggest;
mod urls;

pub use self::adapter::StoCatalogue;
pub use self::episode_page::{language_of_link, parse_episode_page};
pub use self::search_page::{SearchPage, parse_search_page};
pub use self::season_page::{StoEpisodeRow, parse_season_page};
pub use self::series_page::{StoSeriesPage, parse_series_page};
pub use self::suggest::parse_suggest;
pub use self::urls::{StoUrls, slug_of_path};
