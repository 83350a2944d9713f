//! How the adapter talks to the catalogue site: through the shared [`Fetcher`], with at most
//! `max_in_flight` requests at once, and with one of two retry policies:
//! - a user is waiting (search, add series, one page): one overall deadline, and inside it at
//!   most one quick retry of a 5xx or a broken connection;
//! - background work (a scan's season pages): retries of 429, 5xx, timeouts and broken
//!   connections with exponential backoff.
//!
//! A 404 is never retried; it is an answer.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::adapters::fetch::{Fetcher, Landing};
use crate::domain::catalogue::ProviderError;

/// Who waits for a request, which decides how it is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patience {
    /// A user waits: everything, retries included, ends at the configured timeout.
    UserWaiting,
    /// Background work: each attempt has the configured timeout; transient failures are
    /// retried after growing pauses.
    Background,
}

/// How often and after which pauses a failed request is tried again.
#[derive(Debug, Clone, Copy)]
struct RetryPolicy {
    attempts: u32,
    first_pause: Duration,
    retries: fn(&ProviderError) -> bool,
}

/// One quick retry where a second try can plausibly succeed within the same deadline.
const QUICK: RetryPolicy = RetryPolicy {
    attempts: 2,
    first_pause: Duration::from_millis(150),
    retries: |e| {
        matches!(e.status(), Some(s) if s >= 500) || matches!(e, ProviderError::Transport(_))
    },
};

/// Pauses of 250 ms, 500 ms, 1 s: enough for a restarting site or a rate limit to pass.
const BACKOFF: RetryPolicy = RetryPolicy {
    attempts: 4,
    first_pause: Duration::from_millis(250),
    retries: ProviderError::is_transient,
};

/// The catalogue site's client: the fetcher, the in-flight bound and the deadline.
#[derive(Debug, Clone)]
pub struct SiteClient {
    fetcher: Fetcher,
    permits: Arc<Semaphore>,
}

impl SiteClient {
    /// A client allowing `max_in_flight` requests at once (at least one), each attempt and each
    /// user-facing call ending after the fetcher's timeout (which may change while running).
    pub fn new(fetcher: Fetcher, max_in_flight: usize) -> Self {
        Self {
            fetcher,
            permits: Arc::new(Semaphore::new(max_in_flight.max(1))),
        }
    }

    /// The shared fetcher.
    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    /// GET a page and return its text.
    pub async fn page(&self, url: &str, patience: Patience) -> Result<String, ProviderError> {
        self.run(patience, || async {
            self.fetcher.get(url, &[]).await.map(|p| p.body)
        })
        .await
    }

    /// GET what a page's script asks for (s.to's search suggestions), as [`Self::page`].
    pub async fn xhr(&self, url: &str, patience: Patience) -> Result<String, ProviderError> {
        self.run(patience, || async {
            self.fetcher.get_xhr(url, &[]).await.map(|p| p.body)
        })
        .await
    }

    /// POST the search form the way the site's own search box does.
    pub async fn search(&self, url: &str, keyword: &str) -> Result<String, ProviderError> {
        let form = [("keyword", keyword)];
        let headers = [("X-Requested-With", "XMLHttpRequest")];
        self.run(Patience::UserWaiting, || async {
            self.fetcher
                .post_form(url, &form, &headers)
                .await
                .map(|p| p.body)
        })
        .await
    }

    /// Follows the redirects of the site's redirect `url` while they lead to another of the
    /// site's redirects (a path `redirect_path` accepts), and reports the first target
    /// elsewhere (not asked: it is the hoster's page, which its extractor fetches) or where
    /// they ended.
    pub async fn landing(
        &self,
        url: &str,
        redirect_path: fn(&str) -> bool,
    ) -> Result<Landing, ProviderError> {
        let site = reqwest::Url::parse(url).ok();
        let internal = move |next: &reqwest::Url| {
            site.as_ref().is_some_and(|site| {
                next.host_str() == site.host_str()
                    && next.port_or_known_default() == site.port_or_known_default()
                    && redirect_path(next.path())
            })
        };
        self.run(Patience::UserWaiting, || async {
            let landing = self.fetcher.landing(url, &[], &internal).await?;
            // A 5xx of the site itself is worth the quick retry; where a redirect happened,
            // the status is the hoster's business.
            if !landing.redirected && landing.status >= 500 {
                return Err(ProviderError::Status(landing.status));
            }
            Ok(landing)
        })
        .await
    }

    async fn run<T, F, Fut>(&self, patience: Patience, attempt: F) -> Result<T, ProviderError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        match patience {
            Patience::UserWaiting => {
                tokio::time::timeout(self.fetcher.timeout(), self.tries(QUICK, attempt))
                    .await
                    .unwrap_or(Err(ProviderError::Timeout))
            }
            Patience::Background => self.tries(BACKOFF, attempt).await,
        }
    }

    async fn tries<T, F, Fut>(
        &self,
        policy: RetryPolicy,
        mut attempt: F,
    ) -> Result<T, ProviderError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        let mut tried = 0;
        loop {
            tried += 1;
            let result = {
                // The permit is held for the request only, not for the pause before a retry.
                let _permit = self
                    .permits
                    .acquire()
                    .await
                    .map_err(|_| ProviderError::Transport("catalogue client closed".into()))?;
                tokio::time::timeout(self.fetcher.timeout(), attempt())
                    .await
                    .unwrap_or(Err(ProviderError::Timeout))
            };
            match result {
                Err(e) if tried < policy.attempts && (policy.retries)(&e) => {
                    tracing::debug!(error = %e, attempt = tried, "catalogue request failed, retrying");
                    tokio::time::sleep(policy.first_pause * 2u32.pow(tried - 1)).await;
                }
                other => return other,
            }
        }
    }
}
