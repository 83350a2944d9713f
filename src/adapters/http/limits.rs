//! Rate limits (API.md section 11, CONTRACT.md section 6):
//! - per client: `--rate-limit` requests a minute (default 60, 0 = off) for every route,
//!   counted against the client's IP address (behind `security.trusted_proxies`, the
//!   forwarded one) and, where a browser sends an `Origin` header, against that origin as
//!   well: either exhausted refuses, so a made-up origin buys no fresh quota; the browser
//!   UI's pages and static files are left out (embedded bytes that cost nothing, a dozen per
//!   page view: counted, they would eat a UI user's quota for API calls);
//! - login and setup: 5 requests a minute per client IP, always on.
//!
//! Both are GCRA limiters from `governor`: a burst of the full quota, refilled evenly.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock, QuantaInstant};
use governor::{DefaultKeyedRateLimiter, NotUntil, Quota};
use poem::http::Method;
use poem::{Endpoint, Middleware, Request, Result};

use super::error::{AUTH_RATE_DETAIL, ApiError};

/// Message of a 429 from the per-origin limit.
const ORIGIN_RATE_DETAIL: &str = "Too many requests from this origin, try again later";

/// Message of a 429 from the per-address limit.
const ADDRESS_RATE_DETAIL: &str = "Too many requests from this address, try again later";

/// What the general limit counts a request against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Client {
    Address(IpAddr),
    Origin(String),
}

/// Logins and setups allowed per client per minute.
const AUTH_PER_MINUTE: u32 = 5;

/// How often (in requests) idle keys are dropped, so the key tables stay small.
const CLEANUP_EVERY: u64 = 4096;

/// The routes with a limit of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum AuthRoute {
    Login,
    Setup,
}

/// The two limiters, shared by all requests.
#[derive(Clone)]
pub struct RateLimits {
    per_client: Option<Arc<DefaultKeyedRateLimiter<Client>>>,
    /// Keyed by route and client: login and setup each have their own 5 a minute, so
    /// mistyped setups do not lock a new user out of the first login.
    auth: Arc<DefaultKeyedRateLimiter<(AuthRoute, IpAddr)>>,
    clock: DefaultClock,
    seen: Arc<AtomicU64>,
}

impl RateLimits {
    /// Limits with `per_minute` requests per client address and per origin (`0` turns that
    /// limit off).
    pub fn new(per_minute: u32) -> Self {
        let auth_quota = Quota::per_minute(NonZeroU32::new(AUTH_PER_MINUTE).expect("non-zero"));
        Self {
            per_client: NonZeroU32::new(per_minute)
                .map(|n| Arc::new(DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)))),
            auth: Arc::new(DefaultKeyedRateLimiter::keyed(auth_quota)),
            clock: DefaultClock::default(),
            seen: Arc::new(AtomicU64::new(0)),
        }
    }

    fn check(&self, req: &Request) -> Result<(), ApiError> {
        if self.seen.fetch_add(1, Ordering::Relaxed) % CLEANUP_EVERY == CLEANUP_EVERY - 1 {
            self.auth.retain_recent();
            if let Some(l) = &self.per_client {
                l.retain_recent();
            }
        }
        let ip = client_ip(req);
        let path = req.uri().path();
        if let Some(limiter) = &self.per_client
            && !super::pages::is_ui_path(path)
            && !super::arr::is_arr_path(path)
        {
            if let Err(not_until) = limiter.check_key(&Client::Address(ip)) {
                return Err(self.refusal(&not_until, ADDRESS_RATE_DETAIL));
            }
            let origin = req.headers().get("origin").and_then(|v| v.to_str().ok());
            if let Some(origin) = origin
                && let Err(not_until) = limiter.check_key(&Client::Origin(origin.to_owned()))
            {
                return Err(self.refusal(&not_until, ORIGIN_RATE_DETAIL));
            }
        }
        let path = path.trim_end_matches('/');
        let auth_route = match path {
            "/api/auth/login" => Some(AuthRoute::Login),
            "/api/auth/setup" => Some(AuthRoute::Setup),
            _ => None,
        };
        if req.method() == Method::POST
            && let Some(route) = auth_route
            && let Err(not_until) = self.auth.check_key(&(route, ip))
        {
            return Err(self.refusal(&not_until, AUTH_RATE_DETAIL));
        }
        Ok(())
    }

    /// The 429 for a refused request, with `Retry-After` in whole seconds (rounded up).
    fn refusal(&self, not_until: &NotUntil<QuantaInstant>, detail: &str) -> ApiError {
        let wait = not_until.wait_time_from(self.clock.now());
        ApiError::rate_limited(wait.as_secs_f64().ceil() as u64, detail)
    }
}

/// The client's IP address (the peer of the TCP connection).
pub fn client_ip(req: &Request) -> IpAddr {
    let peer = req
        .remote_addr()
        .as_socket_addr()
        .map(|a| a.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let Some(app) = req.data::<std::sync::Arc<crate::app::App>>() else {
        return peer;
    };
    let config = app.config.current();
    let proxies = &config.security.trusted_proxies;
    if proxies.is_empty() {
        return peer;
    }
    crate::domain::forwarded::client(peer, req.header("x-forwarded-for"), proxies)
}

impl<E: Endpoint> Middleware<E> for RateLimits {
    type Output = RateLimitEndpoint<E>;
    fn transform(&self, inner: E) -> Self::Output {
        RateLimitEndpoint {
            inner,
            limits: self.clone(),
        }
    }
}

/// See [`RateLimits`].
pub struct RateLimitEndpoint<E> {
    inner: E,
    limits: RateLimits,
}

impl<E: Endpoint> Endpoint for RateLimitEndpoint<E> {
    type Output = E::Output;

    async fn call(&self, req: Request) -> Result<Self::Output> {
        self.limits.check(&req)?;
        self.inner.call(req).await
    }
}
