//! Bot protection on the fake site: a guarded path answers a Cloudflare challenge page (403)
//! unless the request carries the clearance cookie together with the User-Agent of the
//! browser that earned it, as the fake FlareSolverr (`support::flaresolverr`) sends them.

use std::sync::RwLock;

use poem::http::HeaderMap;

/// A Cloudflare challenge page as bot protection serves it.
pub const CHALLENGE_PAGE: &str = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><div id=\"challenge-stage\"><div class=\"cf-turnstile\" data-sitekey=\"0x4AAAAAAA\"></div></div><script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1\"></script></body></html>";

/// The clearance cookie the fake solver earns.
pub const CLEARANCE_COOKIE: &str = "cf_clearance=fake-clearance-7f3a";
/// The User-Agent of the fake solver's browser; the cookie is valid only with it.
pub const SOLVER_USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) FakeSolver/3.3 Chrome/142.0";

/// The guarded path prefixes.
#[derive(Debug, Default)]
pub struct Guard {
    prefixes: RwLock<Vec<String>>,
}

impl Guard {
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
fn cleared(headers: &HeaderMap) -> bool {
    let has_cookie = headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim() == CLEARANCE_COOKIE);
    let agent = headers.get("user-agent").and_then(|v| v.to_str().ok());
    has_cookie && agent == Some(SOLVER_USER_AGENT)
}
