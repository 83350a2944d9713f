//! # aniworld
//!
//! A self-hosted manager that keeps an anime library complete: it finds series on the
//! catalogue site (aniworld.to), works out which episodes the library on disk lacks, downloads
//! them through the site's video hosters in a persistent priority queue, and shows all of it in
//! a browser UI and a REST + WebSocket API.
//!
//! The crate is a hexagon you can see from the folder list:
//! - [`domain`]: pure types and rules (no I/O, no runtime, no web or database types): series,
//!   episodes, the queue's item and its typed states, settings parsed into types, events;
//! - [`ports`]: the traits the core needs from the outside world (no tokio type in them);
//! - [`app`]: the use cases, orchestrating domain rules through ports (auth, config, library,
//!   queue, media resolution, provider health, the scheduler);
//! - [`adapters`]: the outside world: HTTP in (`http/`, one folder per API section), redb
//!   (`store/`), the catalogue site (`catalogue/`) and hosters (`hosters/`) through one
//!   browser-like client (`fetch/`), media transfers (`media/`) and the file system (`fs/`);
//! - [`lock`]: the one policy for a poisoned std lock (take the value and go on);
//! - [`wiring`]: builds the server from configuration.
//!
//! `main.rs` only parses the command line and calls [`wiring`], so tests and benches build the
//! very same server. The library has no unsafe code: the three BoringSSL calls `boring` does
//! not wrap live in `crates/boring-ext`, behind a safe API.

// No unsafe code in the service: the FFI calls BoringSSL needs live in crates/boring-ext
// behind a safe API.
#![forbid(unsafe_code)]

pub mod adapters;
pub mod app;
pub mod domain;
pub mod lock;
pub mod ports;
pub mod wiring;

/// The parsers and decoders the fuzz targets (`fuzz/`, cargo-fuzz) run, in one place. Not an
/// API: everything else reaches them through the adapters and the domain.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::adapters::catalogue::fuzzing as catalogue;
    pub use crate::adapters::hosters::fuzzing as hosters;
    pub use crate::domain::episode::{EpisodeId, episode_file_path, episode_of_file_name};
    pub use crate::domain::hls::{Playlist, best_variant, iv_for, parse as parse_playlist};
    pub use crate::domain::series::{FolderName, SeriesKey};
}
