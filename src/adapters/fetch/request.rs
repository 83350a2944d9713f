//! One exchange of the shared fetcher, as one browser would make it:
//! - the headers: `Host` and `Connection` first (HTTP/1.1), then the identity's set for the
//!   kind of request with the caller's own headers in their places, `Cookie` last;
//! - the browsing context: the first page of an origin is typed in (`Sec-Fetch-Site: none`),
//!   later ones come from the last page of that origin (`same-origin`, with it as `Referer`);
//! - cookies: what any answer sets is kept per host (RFC 6265 rules) and sent back, with what
//!   a FlareSolverr clearance holds and the User-Agent it belongs to;
//! - redirects, followed here, and mirrors of a site tried when its base gives no answer.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Request, Version};
use http_body_util::Full;

use super::identity::{self, Context, FetchSite, Kind};
use super::transport::{HttpError, Response};
use crate::lock::MutexRecover;

/// Redirects followed for one request, at most.
pub const MAX_REDIRECTS: usize = 10;

/// What the fetcher remembers of the origins it talked to.
#[derive(Debug, Default)]
pub struct Browsing {
    /// The last page loaded from each origin: the `Referer` of the next request there.
    last_page: Mutex<HashMap<String, String>>,
    /// HTTPS origins that answered over HTTP/1.1 (all others are taken to speak HTTP/2,
    /// which has no `Host` header).
    http1: Mutex<HashSet<String>>,
    jar: Mutex<cookie_store::CookieStore>,
}

/// One request as the caller describes it.
pub struct Outgoing<'a> {
    pub method: Method,
    pub kind: Kind,
    /// The caller's own headers: they replace the identity's of the same name.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body and its content type.
    pub body: Option<(Bytes, &'static str)>,
    /// Whether the answer's body is decoded from its `Content-Encoding`.
    pub decode: bool,
}

fn origin(url: &url::Url) -> String {
    url.origin().ascii_serialization()
}

/// Where Chrome puts a header the identity's set does not hold: before the named one, or at
/// the end.
fn place_before(name: &str) -> &'static [&'static str] {
    match name.to_ascii_lowercase().as_str() {
        "x-requested-with" => &["user-agent"],
        "content-type" => &["sec-ch-ua-mobile", "sec-fetch-site"],
        "origin" => &["sec-fetch-site"],
        _ => &[],
    }
}

impl super::Fetcher {
    /// The headers of `out` to `url`, in Chrome's order.
    fn head(&self, url: &url::Url, out: &Outgoing<'_>) -> Vec<(String, String)> {
        let own = |name: &str| {
            out.headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| (*v).to_owned())
        };
        let host = url.host_str().unwrap_or_default();
        let cleared = self.clearances.for_host(host);
        let user_agent = cleared
            .as_ref()
            .map(|c| c.user_agent.clone())
            .or_else(|| own("user-agent"))
            .unwrap_or_else(|| identity::USER_AGENT.to_owned());
        let here = origin(url);
        let referer = own("referer").or_else(|| match out.kind {
            Kind::Navigate => self.lock(&self.browsing.last_page).get(&here).cloned(),
            Kind::Xhr | Kind::Image => Some(
                self.lock(&self.browsing.last_page)
                    .get(&here)
                    .cloned()
                    .unwrap_or_else(|| format!("{here}/")),
            ),
            Kind::Media => None,
        });
        let site = match &referer {
            None if out.kind == Kind::Navigate => FetchSite::None,
            None => FetchSite::SameOrigin,
            Some(r) => match url::Url::parse(r) {
                Ok(r) if origin(&r) == here => FetchSite::SameOrigin,
                _ => FetchSite::CrossSite,
            },
        };
        let context = Context {
            kind: out.kind,
            site,
            referer,
        };
        let mut list: Vec<(String, String)> = identity::headers(&user_agent, &context)
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v))
            .collect();
        // A script's POST names its page's origin, as every browser's does.
        let implied =
            (out.kind == Kind::Xhr && out.method == Method::POST && own("origin").is_none())
                .then_some(("Origin", here.as_str()));
        for (name, value) in out.headers.iter().copied().chain(implied) {
            let skip = ["user-agent", "referer", "cookie", "host", "connection"];
            if skip.iter().any(|s| name.eq_ignore_ascii_case(s)) {
                continue;
            }
            if let Some(slot) = list.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                value.clone_into(&mut slot.1);
                continue;
            }
            let at = place_before(name)
                .iter()
                .find_map(|b| list.iter().position(|(n, _)| n.eq_ignore_ascii_case(b)))
                .unwrap_or(list.len());
            list.insert(at, (name.to_owned(), value.to_owned()));
        }
        let mut first = Vec::with_capacity(3);
        let http1 = url.scheme() != "https" || self.lock(&self.browsing.http1).contains(&here);
        if http1 {
            let authority = match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            };
            first.push(("Host".to_owned(), authority));
            first.push(("Connection".to_owned(), "keep-alive".to_owned()));
        }
        if let Some((body, _)) = &out.body {
            first.push(("Content-Length".to_owned(), body.len().to_string()));
        }
        list.splice(0..0, first);
        let mut cookies: Vec<String> = own("cookie").into_iter().collect();
        let clearance_names: Vec<&str> = cleared
            .as_ref()
            .map(|c| {
                c.cookie
                    .split("; ")
                    .filter_map(|p| p.split('=').next())
                    .collect()
            })
            .unwrap_or_default();
        cookies.extend(
            self.lock(&self.browsing.jar)
                .get_request_values(url)
                .filter(|(n, _)| !clearance_names.contains(n))
                .map(|(n, v)| format!("{n}={v}")),
        );
        if let Some(c) = cleared.filter(|c| !c.cookie.is_empty()) {
            cookies.push(c.cookie);
        }
        if !cookies.is_empty() {
            list.push(("Cookie".to_owned(), cookies.join("; ")));
        }
        list
    }

    fn lock<'m, T>(&self, m: &'m Mutex<T>) -> std::sync::MutexGuard<'m, T> {
        m.lock_or_recover()
    }

    /// Sends `out` to `url` once, without following redirects; keeps the cookies it sets.
    async fn once(&self, url: &url::Url, out: &Outgoing<'_>) -> Result<Response, HttpError> {
        let mut builder = Request::builder()
            .method(out.method.clone())
            .uri(url.as_str());
        let headers = builder.headers_mut().expect("a fresh builder");
        for (name, value) in self.head(url, out) {
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                headers.append(n, v);
            }
        }
        if let Some((_, content_type)) = &out.body {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static(content_type),
            );
        }
        let body = out
            .body
            .as_ref()
            .map(|(b, _)| b.clone())
            .unwrap_or_default();
        let request = builder
            .body(Full::new(body))
            .map_err(|e| HttpError::Transport(format!("request not built: {e}")))?;
        let response = self.transport.send(request, out.decode).await?;
        if url.scheme() == "https" && response.version <= Version::HTTP_11 {
            self.lock(&self.browsing.http1).insert(origin(url));
        }
        let set: Vec<&str> = response
            .headers
            .get_all(http::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if !set.is_empty() {
            let mut jar = self.lock(&self.browsing.jar);
            for cookie in set {
                let _ = jar.parse(cookie, url);
            }
        }
        Ok(response)
    }

    /// Sends `out` to `url` and, while `follow` agrees, to where it redirects; on a site with
    /// mirrors, tries them while a base gives no answer. Returns the last answer and whether
    /// a redirect was followed; a redirect `follow` declines is returned as it came.
    pub(super) async fn exchange(
        &self,
        url: &str,
        mut out: Outgoing<'_>,
        follow: &(dyn Fn(&url::Url) -> bool + Sync),
    ) -> Result<(Response, bool), HttpError> {
        let mut last = HttpError::Transport("no URL to ask".into());
        let candidates = self.mirrors.candidates(url);
        let walk = candidates.len() > 1;
        for (candidate, report) in candidates {
            let parsed = url::Url::parse(&candidate)
                .map_err(|e| HttpError::Transport(format!("not a URL: {e}")))?;
            // With mirrors to go to, a base that does not answer in time is given up.
            let answer = if walk {
                tokio::time::timeout(self.timeout(), self.once(&parsed, &out))
                    .await
                    .unwrap_or(Err(HttpError::Timeout))
            } else {
                self.once(&parsed, &out).await
            };
            match answer {
                Ok(first) => {
                    if let Some((main, index)) = report {
                        self.mirrors.worked(&main, index);
                    }
                    return self.redirects(first, &mut out, follow).await;
                }
                Err(e) => {
                    tracing::debug!(error = %describe_failure(&e), "no answer from this base");
                    last = e;
                }
            }
        }
        Err(last)
    }

    async fn redirects(
        &self,
        mut response: Response,
        out: &mut Outgoing<'_>,
        follow: &(dyn Fn(&url::Url) -> bool + Sync),
    ) -> Result<(Response, bool), HttpError> {
        let mut redirected = false;
        for _ in 0..MAX_REDIRECTS {
            let next = response
                .status
                .is_redirection()
                .then(|| response.headers.get(http::header::LOCATION))
                .flatten()
                .and_then(|l| l.to_str().ok())
                .and_then(|l| response.url.join(l).ok());
            let Some(next) = next else {
                return Ok((response, redirected));
            };
            if !follow(&next) {
                return Ok((response, redirected));
            }
            if matches!(response.status.as_u16(), 301..=303) && out.method != Method::GET {
                out.method = Method::GET;
                out.body = None;
            }
            response = self.once(&next, out).await?;
            redirected = true;
        }
        Err(HttpError::Transport(format!(
            "more than {MAX_REDIRECTS} redirects"
        )))
    }

    /// Remembers a page loaded from its origin: the next request there comes from it.
    pub(super) fn visited(&self, url: &url::Url) {
        self.lock(&self.browsing.last_page)
            .insert(origin(url), url.to_string());
    }
}

fn describe_failure(e: &HttpError) -> String {
    match e {
        HttpError::Timeout => "timeout".into(),
        HttpError::Transport(why) => why.clone(),
    }
}
