//! Bot protection on the fake site, as aniworld.to has it since August 2026 (PROVIDER.md,
//! "Looking like a browser, and being refused"):
//! - the catalogue's pages refuse (a plain 403, no challenge page) every request that does
//!   not carry Chrome's `Sec-Fetch-*` headers, an `Accept-Language` and a `sec-ch-ua` whose
//!   version is the User-Agent's Chrome version (on unless [`Guard::admit_any_client`]);
//! - with [`Guard::refuse_uncleared`], the catalogue refuses everyone without the clearance
//!   cookie a solver earned, together with the solver's User-Agent;
//! - a guarded path prefix answers a Cloudflare challenge page (403) unless the request
//!   carries that clearance, as the fake FlareSolverr (`support::flaresolverr`) sends it.

use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

use poem::http::HeaderMap;

/// A Cloudflare challenge page as bot protection serves it.
pub const CHALLENGE_PAGE: &str = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><div id=\"challenge-stage\"><div class=\"cf-turnstile\" data-sitekey=\"0x4AAAAAAA\"></div></div><script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1\"></script></body></html>";

/// The clearance cookie the fake solver earns.
pub const CLEARANCE_COOKIE: &str = "cf_clearance=fake-clearance-7f3a";
/// The User-Agent of the fake solver's browser; the cookie is valid only with it.
pub const SOLVER_USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) FakeSolver/3.3 Chrome/142.0";

/// What the fake bot protection does with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// A challenge page.
    Challenge,
    /// A plain 403: not a browser, or not cleared.
    Refuse,
}

/// The guarded path prefixes and the catalogue's rules.
#[derive(Debug, Default)]
pub struct Guard {
    prefixes: RwLock<Vec<String>>,
    any_client: AtomicBool,
    uncleared_refused: AtomicBool,
}

/// The catalogue's own paths (not the hosters' and the media the fake site also serves).
fn catalogue_path(path: &str) -> bool {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    matches!(first, "" | "ajax" | "anime" | "neue-episoden" | "redirect")
}

/// Whether the headers are a Chrome's: `Sec-Fetch-Site`, `-Mode` and `-Dest`, an
/// `Accept-Language`, and a `sec-ch-ua` that names the User-Agent's Chrome version.
pub fn looks_like_chrome(headers: &HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let fetch_meta = ["sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest"]
        .iter()
        .all(|n| get(n).is_some_and(|v| !v.is_empty()));
    let language = get("accept-language").is_some_and(|v| !v.is_empty());
    let version = get("user-agent")
        .and_then(|ua| ua.split("Chrome/").nth(1))
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .filter(|v| !v.is_empty());
    let hints = match (version, get("sec-ch-ua")) {
        (Some(v), Some(brands)) => brands.contains(&format!("\"Chromium\";v=\"{v}\"")),
        _ => false,
    };
    fetch_meta && language && hints
}

impl Guard {
    /// Lets any client into the catalogue, browser or not (as before August 2026).
    pub fn admit_any_client(&self) {
        self.any_client.store(true, Ordering::Relaxed);
    }

    /// Refuses every catalogue request that lacks a solver's clearance.
    pub fn refuse_uncleared(&self) {
        self.uncleared_refused.store(true, Ordering::Relaxed);
    }

    /// What a request for `path` with `headers` meets.
    pub fn verdict(&self, path: &str, headers: &HeaderMap) -> Verdict {
        if self.challenges(path, headers) {
            return Verdict::Challenge;
        }
        if !catalogue_path(path) {
            return Verdict::Pass;
        }
        let not_browser = !self.any_client.load(Ordering::Relaxed) && !looks_like_chrome(headers);
        let uncleared = self.uncleared_refused.load(Ordering::Relaxed) && !cleared(headers);
        if not_browser || uncleared {
            Verdict::Refuse
        } else {
            Verdict::Pass
        }
    }

    pub fn add(&self, prefix: &str) {
        self.prefixes
            .write()
            .expect("guard poisoned")
            .push(prefix.to_owned());
    }

    /// Whether a request for `path` with `headers` meets a challenge.
    pub fn challenges(&self, path: &str, headers: &HeaderMap) -> bool {
        let guarded = self
            .prefixes
            .read()
            .expect("guard poisoned")
            .iter()
            .any(|p| path.starts_with(p.as_str()));
        guarded && !cleared(headers)
    }
}

/// The clearance cookie with the solver's User-Agent.
pub fn cleared(headers: &HeaderMap) -> bool {
    let has_cookie = headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim() == CLEARANCE_COOKIE);
    let agent = headers.get("user-agent").and_then(|v| v.to_str().ok());
    has_cookie && agent == Some(SOLVER_USER_AGENT)
}
