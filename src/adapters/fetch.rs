//! The one shared HTTP client for talking to the catalogue site and the hosters: connection
//! pooling, gzip, a browser-like User-Agent, connect and request timeouts, a cap on the size
//! of a page, and the mapping of transport failures to [`ProviderError`].
//!
//! Challenge pages (bot protection asking for a browser) are told apart from the pages asked
//! for here, once for the catalogue, its redirects and every hoster: they are
//! [`ProviderError::Challenge`], never a layout error.
//!
//! With a FlareSolverr URL configured, a challenged GET is fetched through FlareSolverr, and
//! the cookies and User-Agent it returns are sent on every later request to that host (pages,
//! redirects and media): see `clearance.rs` and `flaresolverr.rs`.
//!
//! Retries are the caller's policy (a user waiting for a search gets at most one quick retry;
//! a background scan backs off), so nothing here retries.

mod clearance;
mod flaresolverr;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{COOKIE, HeaderMap, HeaderName, HeaderValue, USER_AGENT as UA};

use self::clearance::Clearances;
use crate::domain::catalogue::ProviderError;

/// What browsers send; some hosters refuse clients that do not look like one.
pub const USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

/// A page as fetched: where the redirects ended and its text.
#[derive(Debug, Clone)]
pub struct Page {
    pub final_url: String,
    pub body: String,
}

/// Where a request ended after following redirects, read without its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landing {
    /// The URL of the last response.
    pub final_url: String,
    /// The HTTP status of the last response.
    pub status: u16,
    /// Whether at least one redirect was followed.
    pub redirected: bool,
}

/// A cheap-to-clone shared client with the size cap and timeouts applied.
#[derive(Clone, Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    max_body_bytes: u64,
    /// Milliseconds; shared by every clone, so a changed setting applies to all at once.
    timeout_ms: Arc<AtomicU64>,
    /// The FlareSolverr base URL, when one is configured.
    solver: Arc<RwLock<Option<String>>>,
    /// What the solver handed back, per domain.
    clearances: Arc<Clearances>,
}

impl Fetcher {
    /// A client whose requests end after `timeout` and whose pages may hold `max_body_bytes`.
    pub fn new(timeout: Duration, max_body_bytes: u64) -> Result<Self, ProviderError> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(Duration::from_secs(10))
            .pool_idle_timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::limited(10))
            .build()
            .map_err(|e| ProviderError::Transport(e.to_string()))?;
        Ok(Self {
            client,
            max_body_bytes,
            timeout_ms: Arc::new(AtomicU64::new(millis(timeout))),
            solver: Arc::default(),
            clearances: Arc::default(),
        })
    }

    /// Sets (or clears) the FlareSolverr URL for this fetcher and all its clones.
    pub fn set_solver(&self, url: Option<String>) {
        let url = url.filter(|u| !u.trim().is_empty());
        *self.solver.write().unwrap_or_else(|p| p.into_inner()) = url;
    }

    fn solver(&self) -> Option<String> {
        self.solver
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// `headers` for a request to `url` (a later one replacing an earlier one of the same
    /// name), with the cookies and User-Agent of a clearance for its host on top.
    fn headers_for<'h>(
        &self,
        url: &str,
        headers: impl IntoIterator<Item = (&'h str, &'h str)>,
    ) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                map.insert(name, value);
            }
        }
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned));
        if let Some(cleared) = host.and_then(|h| self.clearances.for_host(&h)) {
            if let Ok(ua) = HeaderValue::from_str(&cleared.user_agent) {
                map.insert(UA, ua);
            }
            if !cleared.cookie.is_empty() {
                let cookie = match map.get(COOKIE).and_then(|c| c.to_str().ok()) {
                    Some(own) => format!("{own}; {}", cleared.cookie),
                    None => cleared.cookie,
                };
                if let Ok(cookie) = HeaderValue::from_str(&cookie) {
                    map.insert(COOKIE, cookie);
                }
            }
        }
        map
    }

    /// A GET for a media transfer: `headers` (the media source's), plus a clearance's cookies
    /// and User-Agent for the media host. No timeout: the transfer watches its reads.
    pub fn media_get(&self, url: &str, headers: &[(String, String)]) -> reqwest::RequestBuilder {
        let headers = headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        self.client.get(url).headers(self.headers_for(url, headers))
    }

    /// Changes the per-request timeout of this fetcher and all its clones.
    pub fn set_timeout(&self, timeout: Duration) {
        self.timeout_ms.store(millis(timeout), Ordering::Relaxed);
    }

    /// The underlying client, for streaming media downloads.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms.load(Ordering::Relaxed))
    }

    /// GET a page. 404 and 410 are [`ProviderError::NotFound`], any other non-2xx status is
    /// [`ProviderError::Status`].
    ///
    /// A challenge is fetched again through FlareSolverr where one is configured.
    pub async fn get(&self, url: &str, headers: &[(&str, &str)]) -> Result<Page, ProviderError> {
        let request = self
            .client
            .get(url)
            .timeout(self.timeout())
            .headers(self.headers_for(url, headers.iter().copied()));
        match self.page(request).await {
            Err(ProviderError::Challenge(host)) => {
                let solution = self.solved(url, host).await?;
                if !(200..300).contains(&solution.status) && solution.status != 0 {
                    return Err(match solution.status {
                        404 | 410 => ProviderError::NotFound,
                        status => ProviderError::Status(status),
                    });
                }
                Ok(Page {
                    final_url: solution.url,
                    body: solution.body,
                })
            }
            other => other,
        }
    }

    /// The challenged `url` fetched through FlareSolverr, its clearance kept; without a
    /// solver, or when it fails or is challenged itself, the challenge error (naming why).
    async fn solved(
        &self,
        url: &str,
        host: String,
    ) -> Result<flaresolverr::Solution, ProviderError> {
        let Some(solver) = self.solver() else {
            return Err(ProviderError::Challenge(host));
        };
        tracing::info!(%host, "challenge: asking FlareSolverr");
        let solution = match flaresolverr::solve(&self.client, &solver, url).await {
            Ok(solution) => solution,
            Err(reason) => {
                tracing::warn!(%host, %reason, "FlareSolverr gave no page");
                return Err(ProviderError::Challenge(format!("{host} ({reason})")));
            }
        };
        if is_challenge(&solution.body) {
            return Err(ProviderError::Challenge(format!(
                "{host} (even through FlareSolverr)"
            )));
        }
        let solved_host = reqwest::Url::parse(&solution.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| host.clone());
        self.clearances
            .keep(&solved_host, &solution.cookies, &solution.user_agent);
        if solved_host != host {
            self.clearances
                .keep(&host, &solution.cookies, &solution.user_agent);
        }
        Ok(solution)
    }

    /// POST a form and read the answer as [`Fetcher::get`] does.
    pub async fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Result<Page, ProviderError> {
        let request = self
            .client
            .post(url)
            .form(form)
            .timeout(self.timeout())
            .headers(self.headers_for(url, headers.iter().copied()));
        self.page(request).await
    }

    /// GET `url`, follow its redirects and report where they ended and with which status,
    /// without reading the body (e.g. a catalogue redirect to a hoster's embed page). Only
    /// transport failures are errors: the caller decides what a status means.
    pub async fn landing(
        &self,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Landing, ProviderError> {
        let request = self
            .client
            .get(url)
            .timeout(self.timeout())
            .headers(self.headers_for(url, headers.iter().copied()));
        let response = request.send().await.map_err(transport)?;
        let final_url = response.url().to_string();
        // reqwest normalises the URL it was given (e.g. adds a trailing slash to a bare host),
        // so compare parsed forms.
        let redirected = reqwest::Url::parse(url).map_or(true, |asked| asked != *response.url());
        let status = response.status().as_u16();
        // Where a redirect was expected, a page (or a refusal) may be a challenge instead.
        if !redirected
            && (status == 200 || CHALLENGE_STATUSES.contains(&status))
            && let Some(ProviderError::Challenge(host)) = challenge_in(response, &final_url).await
        {
            let solution = self.solved(url, host).await?;
            let redirected = solution.url != url;
            return Ok(Landing {
                final_url: solution.url,
                status: if solution.status == 0 {
                    200
                } else {
                    solution.status
                },
                redirected,
            });
        }
        Ok(Landing {
            final_url,
            status,
            redirected,
        })
    }

    async fn page(&self, request: reqwest::RequestBuilder) -> Result<Page, ProviderError> {
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
            return Err(ProviderError::NotFound);
        }
        let final_url = response.url().to_string();
        if !status.is_success() {
            // A refusal may be bot protection asking for a browser: look before saying 403.
            if CHALLENGE_STATUSES.contains(&status.as_u16())
                && let Some(asks) = challenge_in(response, &final_url).await
            {
                return Err(asks);
            }
            return Err(ProviderError::Status(status.as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|n| n > self.max_body_bytes)
        {
            return Err(ProviderError::TooLarge(self.max_body_bytes));
        }
        let body = read_capped(response, self.max_body_bytes)
            .await?
            .ok_or(ProviderError::TooLarge(self.max_body_bytes))?;
        if is_challenge(&body) {
            return Err(challenge(&final_url));
        }
        Ok(Page { final_url, body })
    }
}

/// Statuses bot protection answers with (Cloudflare 403 and 503, DDoS-Guard 403, 429).
const CHALLENGE_STATUSES: [u16; 3] = [403, 429, 503];
/// How much of a refusal is read to look for a challenge.
const CHALLENGE_PAGE_CAP: u64 = 256 * 1024;

/// What challenge pages of Cloudflare, the captcha services and DDoS-Guard hold
/// (PROVIDER.md, "Challenge pages").
const CHALLENGE_MARKERS: [&str; 10] = [
    "Just a moment",
    "cf-turnstile",
    "challenges.cloudflare.com",
    "cdn-cgi/challenge-platform",
    "cf_chl_",
    "g-recaptcha",
    "hcaptcha",
    "ddos-guard",
    "__ddg1_",
    "__ddg2_",
];

/// Whether a page is a challenge instead of the page asked for.
pub fn is_challenge(page: &str) -> bool {
    CHALLENGE_MARKERS.iter().any(|m| page.contains(m))
}

/// The challenge error, naming the host that asked.
fn challenge(url: &str) -> ProviderError {
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "the site".to_owned());
    ProviderError::Challenge(host)
}

/// The challenge error when the (first 256 KiB of the) body is a challenge page.
async fn challenge_in(response: reqwest::Response, url: &str) -> Option<ProviderError> {
    let body = read_capped(response, CHALLENGE_PAGE_CAP)
        .await
        .ok()
        .flatten()?;
    is_challenge(&body).then(|| challenge(url))
}

/// The body as text; `Ok(None)` when it is larger than `cap` bytes.
async fn read_capped(
    response: reqwest::Response,
    cap: u64,
) -> Result<Option<String>, ProviderError> {
    let mut body = Vec::new();
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(transport)?;
        if body.len() as u64 + chunk.len() as u64 > cap {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(String::from_utf8_lossy(&body).into_owned()))
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// A reqwest failure as the domain's error.
pub fn transport(e: reqwest::Error) -> ProviderError {
    if e.is_timeout() {
        ProviderError::Timeout
    } else {
        // The URL can carry signed tokens: keep it out of the message.
        ProviderError::Transport(e.without_url().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudflare_captcha_and_ddos_guard_pages_are_challenges() {
        for page in [
            "<html><head><title>Just a moment...</title></head></html>",
            r#"<div class="cf-turnstile" data-sitekey="x"></div>"#,
            r#"<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>"#,
            r#"<form action="/?__cf_chl_tk=abc">"#,
            r#"<div class="g-recaptcha"></div>"#,
            r#"<script src="https://js.hcaptcha.com/1/api.js"></script>"#,
            "<title>DDoS-Guard</title><script>var __ddg1_ = 1;</script>",
        ] {
            assert!(is_challenge(page), "{page}");
        }
    }

    #[test]
    fn ordinary_pages_are_not_challenges() {
        assert!(!is_challenge(
            r#"<div class="series-title"><h1><span>Dr. Stone</span></h1></div>"#
        ));
        assert!(!is_challenge("#EXTM3U\n#EXTINF:6,\nseg-0.ts"));
    }

    #[test]
    fn a_cleared_host_gets_the_solvers_user_agent_instead_and_its_cookies_added() {
        let fetcher = Fetcher::new(Duration::from_secs(5), 1024).unwrap();
        let cookie = clearance::SolvedCookie {
            name: "cf_clearance".into(),
            value: "abc".into(),
            domain: ".voe.sx".into(),
        };
        fetcher.clearances.keep("voe.sx", &[cookie], "Solver UA");
        let own = [
            ("User-Agent", "Mine"),
            ("Cookie", "lang=de"),
            ("Referer", "r"),
        ];
        let map = fetcher.headers_for("https://cdn.voe.sx/x.m3u8", own);
        assert_eq!(map.get_all(UA).iter().count(), 1, "replaced, not added");
        assert_eq!(map[UA], "Solver UA");
        assert_eq!(map[COOKIE], "lang=de; cf_clearance=abc");
        assert_eq!(map["referer"], "r");
        let other = fetcher.headers_for("https://vidoza.net/e", own);
        assert_eq!(other[UA], "Mine", "other hosts keep their headers");
        assert_eq!(other[COOKIE], "lang=de");
    }

    #[test]
    fn the_challenge_names_the_host_that_asked() {
        assert_eq!(
            challenge("https://voe.sx/e/abc?x=1"),
            ProviderError::Challenge("voe.sx".into())
        );
    }
}
