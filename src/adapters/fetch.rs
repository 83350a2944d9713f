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

mod challenge;
mod clearance;
mod flaresolverr;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures_util::StreamExt;

pub use self::challenge::is_challenge;
use self::challenge::{CHALLENGE_STATUSES, challenge, challenge_in};
use self::clearance::Clearances;
use crate::domain::catalogue::ProviderError;

/// What browsers send; some hosters refuse clients that do not look like one.
pub const USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

/// Redirects followed for one request, at most.
const MAX_REDIRECTS: usize = 10;

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
    /// The same without following redirects, for [`Fetcher::landing`] to follow them itself.
    hops: reqwest::Client,
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
        let builder = |redirects| {
            reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .connect_timeout(Duration::from_secs(10))
                .pool_idle_timeout(Duration::from_secs(60))
                .redirect(redirects)
                .build()
                .map_err(|e| ProviderError::Transport(e.to_string()))
        };
        Ok(Self {
            client: builder(reqwest::redirect::Policy::limited(MAX_REDIRECTS))?,
            hops: builder(reqwest::redirect::Policy::none())?,
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

    /// POST a JSON body (an API call: Vidara's `/api/stream`) and read the answer as
    /// [`Fetcher::get`] does.
    pub async fn post_json(
        &self,
        url: &str,
        body: &serde_json::Value,
        headers: &[(&str, &str)],
    ) -> Result<Page, ProviderError> {
        let request = self
            .client
            .post(url)
            .json(body)
            .timeout(self.timeout())
            .headers(self.headers_for(url, headers.iter().copied()));
        self.page(request).await
    }

    /// GET `url` and follow its redirects while `follow` says so of their target; report the
    /// first target it declines (without asking it: e.g. a hoster's page, which its extractor
    /// fetches next), or where the redirects ended and with which status. Only transport
    /// failures are errors: the caller decides what a status means. A challenge where a
    /// redirect was expected is [`ProviderError::Challenge`], or is fetched through
    /// FlareSolverr where one is configured.
    pub async fn landing(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        follow: impl Fn(&reqwest::Url) -> bool,
    ) -> Result<Landing, ProviderError> {
        let asked = reqwest::Url::parse(url)
            .map_err(|e| ProviderError::Transport(format!("not a URL: {e}")))?;
        let mut current = asked.clone();
        for _ in 0..MAX_REDIRECTS {
            let request = self
                .hops
                .get(current.clone())
                .timeout(self.timeout())
                .headers(self.headers_for(current.as_str(), headers.iter().copied()));
            let response = request.send().await.map_err(transport)?;
            let status = response.status().as_u16();
            let next = response
                .status()
                .is_redirection()
                .then(|| response.headers().get(reqwest::header::LOCATION))
                .flatten()
                .and_then(|l| l.to_str().ok())
                .and_then(|l| current.join(l).ok());
            if let Some(next) = next {
                if !follow(&next) {
                    return Ok(Landing {
                        final_url: next.to_string(),
                        status,
                        redirected: true,
                    });
                }
                current = next;
                continue;
            }
            let redirected = current != asked;
            let final_url = current.to_string();
            // Where a redirect was expected, a page (or a refusal) may be a challenge instead.
            if !redirected
                && (status == 200 || CHALLENGE_STATUSES.contains(&status))
                && let Some(ProviderError::Challenge(host)) =
                    challenge_in(response, &final_url).await
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
            return Ok(Landing {
                final_url,
                status,
                redirected,
            });
        }
        Err(ProviderError::Transport(format!(
            "more than {MAX_REDIRECTS} redirects"
        )))
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

/// The body as text; `Ok(None)` when it is larger than `cap` bytes.
pub(super) async fn read_capped(
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
