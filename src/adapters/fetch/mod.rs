//! The one shared HTTP client for talking to the catalogue site and the hosters. Every
//! request goes out as one current desktop Chrome would send it (PROVIDER.md, "Looking like a
//! browser, and being refused"; CONTRACT.md section 4):
//! - `tls.rs`: Chrome's TLS handshake, on BoringSSL;
//! - `transport.rs`: HTTP/2 where offered, pooled connections, decoded bodies;
//! - `identity.rs`: Chrome's header sets and their order; `request.rs`: the browsing context
//!   (`Sec-Fetch-Site`, `Referer`), the per-host cookie jar, redirects, mirrors;
//! - `dns.rs`: the system's lookups or DNS-over-HTTPS; `mirrors.rs`: a site's other bases.
//!
//! Pages are capped in size and end after the configured timeout; transport failures become
//! [`ProviderError`]s. Challenge pages (bot protection asking for a browser) and refusals (a
//! 403, 429 or 503 without one) are told apart from the pages asked for, once for the
//! catalogue, its redirects and every hoster. With a FlareSolverr URL configured, a challenged
//! or refused request goes through FlareSolverr once, and the cookies and User-Agent it
//! returns are sent on every later request to that host (`clearance.rs`, `flaresolverr.rs`).
//!
//! Retries are the caller's policy (a user waiting for a search gets at most one quick retry;
//! a background scan backs off), so nothing here retries.

mod challenge;
mod clearance;
pub mod dns;
mod flaresolverr;
pub mod identity;
mod mirrors;
mod page;
mod request;
mod tls;
pub mod transport;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::lock::RwLockRecover;
use bytes::Bytes;
use http::Method;

pub use self::challenge::is_challenge;
use self::clearance::Clearances;
use self::identity::Kind;
pub use self::identity::USER_AGENT;
use self::mirrors::Mirrors;
use self::request::{Browsing, Outgoing};
pub use self::transport::{HttpError, Response};
use crate::domain::catalogue::{BrowserIdentity, ProviderError};

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
    transport: transport::Transport,
    resolver: dns::Resolver,
    max_body_bytes: u64,
    /// Milliseconds; shared by every clone, so a changed setting applies to all at once.
    timeout_ms: Arc<AtomicU64>,
    /// The FlareSolverr base URL, when one is configured.
    solver: Arc<RwLock<Option<String>>>,
    /// The plain client that talks to FlareSolverr (the user's own service).
    solver_client: reqwest::Client,
    /// What the solver handed back, per domain.
    clearances: Arc<Clearances>,
    browsing: Arc<Browsing>,
    mirrors: Arc<Mirrors>,
}

impl Fetcher {
    /// A client whose requests end after `timeout` and whose pages may hold `max_body_bytes`.
    pub fn new(timeout: Duration, max_body_bytes: u64) -> Result<Self, ProviderError> {
        let resolver = dns::Resolver::new()
            .map_err(|e| ProviderError::Transport(format!("TLS setup: {e}")))?;
        let solver_client =
            crate::adapters::roots::reqwest_client(|b| b.connect_timeout(Duration::from_secs(10)))
                .map_err(ProviderError::Transport)?;
        Ok(Self {
            transport: transport::Transport::new(resolver.clone())?,
            resolver,
            max_body_bytes,
            timeout_ms: Arc::new(AtomicU64::new(millis(timeout))),
            solver: Arc::default(),
            solver_client,
            clearances: Arc::default(),
            browsing: Arc::default(),
            mirrors: Arc::default(),
        })
    }

    /// The browser every request presents itself as.
    pub fn identity() -> BrowserIdentity {
        BrowserIdentity {
            user_agent: USER_AGENT.to_owned(),
            tls: format!("BoringSSL as Chrome {}", identity::CHROME_MAJOR),
            alpn: vec!["h2".to_owned(), "http/1.1".to_owned()],
        }
    }

    /// Sets (or clears) the FlareSolverr URL for this fetcher and all its clones.
    pub fn set_solver(&self, url: Option<String>) {
        let url = url.filter(|u| !u.trim().is_empty());
        *self.solver.write_or_recover() = url;
    }

    fn solver(&self) -> Option<String> {
        self.solver.read_or_recover().clone()
    }

    /// Sets (or clears) the DNS-over-HTTPS endpoint every lookup goes to.
    pub fn set_dns_over_https(&self, url: Option<String>) {
        self.resolver.set_doh(url);
    }

    /// Sets the mirrors of the site whose main base is `main`.
    pub fn set_mirrors(&self, main: &str, mirrors: &[String]) {
        self.mirrors.set(main, mirrors);
    }

    /// Changes the per-request timeout of this fetcher and all its clones.
    pub fn set_timeout(&self, timeout: Duration) {
        self.timeout_ms.store(millis(timeout), Ordering::Relaxed);
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms.load(Ordering::Relaxed))
    }

    /// A GET of media bytes (from byte `from` on, when given), redirects followed, with the
    /// media source's `headers` and a clearance's cookies and User-Agent for the media host.
    /// No timeout: the transfer watches its reads.
    pub async fn media(
        &self,
        url: &str,
        headers: &[(String, String)],
        from: Option<u64>,
    ) -> Result<Response, HttpError> {
        let range = from.map(|offset| format!("bytes={offset}-"));
        let mut own: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        if let Some(range) = &range {
            own.push(("Range", range));
        }
        let out = Outgoing {
            method: Method::GET,
            kind: Kind::Media,
            headers: &own,
            body: None,
            decode: false,
        };
        Ok(self.exchange(url, out, &|_| true).await?.0)
    }

    /// GET a page as a browser navigates to it. 404 and 410 are [`ProviderError::NotFound`],
    /// a refusal [`ProviderError::Refused`], any other non-2xx status
    /// [`ProviderError::Status`].
    ///
    /// A challenge or a refusal is fetched again through FlareSolverr where one is configured.
    pub async fn get(&self, url: &str, headers: &[(&str, &str)]) -> Result<Page, ProviderError> {
        let ask = || self.page(url, Method::GET, Kind::Navigate, headers, None);
        match ask().await {
            Err(e @ (ProviderError::Challenge(_) | ProviderError::Refused { .. })) => {
                self.page_from_solver(url, e).await
            }
            other => other,
        }
    }

    /// GET a script's request (`fetch` from a page of the site: a hoster's API, a loader
    /// script) and read the answer as [`Fetcher::get`] does.
    pub async fn get_xhr(
        &self,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Page, ProviderError> {
        self.cleared(url, || {
            self.page(url, Method::GET, Kind::Xhr, headers, None)
        })
        .await
    }

    /// POST a form the way a page's script does, and read the answer as [`Fetcher::get`] does.
    pub async fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Result<Page, ProviderError> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let body = (
            Bytes::from(body),
            "application/x-www-form-urlencoded; charset=UTF-8",
        );
        self.cleared(url, || {
            self.page(url, Method::POST, Kind::Xhr, headers, Some(body.clone()))
        })
        .await
    }

    /// POST JSON the way a page's script does, and read the answer as [`Fetcher::get`] does.
    pub async fn post_json(
        &self,
        url: &str,
        json: &serde_json::Value,
        headers: &[(&str, &str)],
    ) -> Result<Page, ProviderError> {
        let body = (Bytes::from(json.to_string()), "application/json");
        self.cleared(url, || {
            self.page(url, Method::POST, Kind::Xhr, headers, Some(body.clone()))
        })
        .await
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}
