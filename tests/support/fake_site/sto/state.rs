//! What the fake s.to keeps: its base URL, its catalogue (changeable while it runs, link ids
//! from [`FIRST_STO_LINK_ID`]), its own fault book and request counts, and the switch that
//! makes play links answer the Turnstile page.

use std::sync::{Arc, Mutex, RwLock};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use poem::http::HeaderMap;

use super::super::faults::Faults;
use super::super::guard::cleared;
use super::super::model::FakeSeries;
use super::super::state::assign_link_ids;

/// The first link id s.to's links get: far from the aniworld.to side's ids, which share the
/// hoster and media routes.
pub const FIRST_STO_LINK_ID: u64 = 9_100_000;

/// The fake s.to's share of the site state.
#[derive(Debug)]
pub struct StoState {
    /// `http://127.0.0.1:<port>` of the s.to listener, without trailing slash.
    pub base_url: String,
    catalogue: RwLock<Arc<Vec<FakeSeries>>>,
    /// Faults and request counts of s.to's paths (apart from the aniworld.to side's).
    pub faults: Arc<Faults>,
    pub play: PlayChallenge,
}

impl StoState {
    /// The state of an s.to at `base_url` serving `catalogue` (links get their ids here).
    pub fn new(base_url: String, mut catalogue: Vec<FakeSeries>) -> Self {
        assign_link_ids(&mut catalogue, FIRST_STO_LINK_ID);
        Self {
            base_url,
            catalogue: RwLock::new(Arc::new(catalogue)),
            faults: Arc::default(),
            play: PlayChallenge::default(),
        }
    }

    /// A snapshot of the catalogue.
    pub fn series(&self) -> Arc<Vec<FakeSeries>> {
        Arc::clone(&self.catalogue.read().expect("s.to catalogue poisoned"))
    }

    /// Changes the catalogue and gives new links their ids.
    pub fn edit(&self, change: impl FnOnce(&mut Vec<FakeSeries>)) {
        let mut guard = self.catalogue.write().expect("s.to catalogue poisoned");
        let catalogue = Arc::make_mut(&mut guard);
        change(catalogue);
        assign_link_ids(catalogue, FIRST_STO_LINK_ID);
    }
}

/// The opaque token of a link's play URL (`/r?t=<token>`): URL-safe base64 of the link id
/// and some noise, so it looks like the site's encrypted tokens and needs no escaping.
pub fn play_token(link_id: u64) -> String {
    let noise = link_id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    URL_SAFE_NO_PAD.encode(format!("{{\"l\":{link_id},\"n\":\"{noise:06x}\",\"v\":2}}"))
}

/// When play links answer the Turnstile page instead of their redirect, as the site does from
/// a distrusted address and after some episodes in a row. Off by default.
#[derive(Debug, Default)]
pub struct PlayChallenge {
    /// `Some(n)`: `n` more play requests pass, the ones after are challenged.
    passes_left: Mutex<Option<usize>>,
}

impl PlayChallenge {
    /// Lets the next `passes` play requests through, then challenges every one.
    pub fn after(&self, passes: usize) {
        *self.passes_left.lock().expect("play challenge poisoned") = Some(passes);
    }

    /// Stops challenging.
    pub fn stop(&self) {
        *self.passes_left.lock().expect("play challenge poisoned") = None;
    }

    /// Whether this play request meets the challenge (counting it as one that passed
    /// otherwise). A request with the fake solver's clearance and User-Agent passes.
    pub fn challenges(&self, headers: &HeaderMap) -> bool {
        let mut left = self.passes_left.lock().expect("play challenge poisoned");
        match left.as_mut() {
            None => false,
            Some(_) if cleared(headers) => false,
            Some(0) => true,
            Some(n) => {
                *n -= 1;
                false
            }
        }
    }
}
