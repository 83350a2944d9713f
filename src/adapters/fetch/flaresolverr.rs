//! The FlareSolverr client (PROVIDER.md, "Challenge pages"): `POST <url>/v1` with
//! `{"cmd": "request.get", "url", "maxTimeout"}`; FlareSolverr opens the page in its browser,
//! gets through the challenge and answers the page with the cookies and User-Agent it used.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use super::clearance::SolvedCookie;
use super::is_challenge;
use crate::domain::catalogue::ProviderError;

/// How long FlareSolverr may work on one page.
const MAX_TIMEOUT: Duration = Duration::from_secs(60);
/// Our own deadline: FlareSolverr's plus the round trip.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(70);
/// The largest answer read (the page is inside it, as a JSON string).
const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// A page FlareSolverr fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// Where the page ended after redirects.
    pub url: String,
    pub status: u16,
    pub body: String,
    pub cookies: Vec<SolvedCookie>,
    pub user_agent: String,
}

#[derive(Deserialize)]
struct Answer {
    status: String,
    #[serde(default)]
    message: String,
    solution: Option<AnswerSolution>,
}

#[derive(Deserialize)]
struct AnswerSolution {
    url: String,
    #[serde(default)]
    status: u16,
    #[serde(default)]
    response: String,
    #[serde(default)]
    cookies: Vec<SolvedCookie>,
    #[serde(rename = "userAgent", default)]
    user_agent: String,
}

/// The FlareSolverr endpoint of a configured base URL (`http://host:8191` or one ending in
/// `/v1` already).
fn endpoint(base: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    if base.ends_with("/v1") {
        base.to_owned()
    } else {
        format!("{base}/v1")
    }
}

/// Asks FlareSolverr at `base` for `url`.
///
/// # Errors
/// Why FlareSolverr gave no page, in words for the user (unreachable, timed out, its own
/// error message, an answer that is not FlareSolverr's).
pub async fn solve(client: &reqwest::Client, base: &str, url: &str) -> Result<Solution, String> {
    let body = json!({
        "cmd": "request.get",
        "url": url,
        "maxTimeout": MAX_TIMEOUT.as_millis() as u64,
    });
    let response = client
        .post(endpoint(base))
        .json(&body)
        .timeout(REQUEST_TIMEOUT)
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                "FlareSolverr did not answer in time".to_owned()
            } else {
                format!("FlareSolverr unreachable: {}", e.without_url())
            }
        })?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| format!("FlareSolverr answer unreadable: {}", e.without_url()))?;
    if bytes.len() > MAX_ANSWER_BYTES {
        return Err("FlareSolverr answer too large".into());
    }
    parse(&bytes).map_err(|e| {
        if status.is_success() {
            e
        } else {
            format!("FlareSolverr answered HTTP {}: {e}", status.as_u16())
        }
    })
}

/// Reads FlareSolverr's answer.
fn parse(bytes: &[u8]) -> Result<Solution, String> {
    let answer: Answer = serde_json::from_slice(bytes)
        .map_err(|_| "FlareSolverr answer not understood".to_owned())?;
    if answer.status != "ok" {
        let message = answer.message.chars().take(300).collect::<String>();
        return Err(format!("FlareSolverr: {message}"));
    }
    let s = answer
        .solution
        .ok_or_else(|| "FlareSolverr answer without a solution".to_owned())?;
    Ok(Solution {
        url: s.url,
        status: s.status,
        body: s.response,
        cookies: s.cookies,
        user_agent: s.user_agent,
    })
}

impl super::Fetcher {
    /// `url` fetched through FlareSolverr after `error` (a challenge or a refusal), its
    /// clearance kept; without a solver, `error` itself; when the solver fails or is
    /// challenged itself, `error` naming why.
    pub(super) async fn solved(
        &self,
        url: &str,
        error: ProviderError,
    ) -> Result<Solution, ProviderError> {
        let Some(solver) = self.solver() else {
            return Err(error);
        };
        let host = super::challenge::host_of(url);
        let failed = |reason: String| match &error {
            ProviderError::Refused { host, status, .. } => ProviderError::Refused {
                host: host.clone(),
                status: *status,
                solver: Some(reason),
            },
            _ => ProviderError::Challenge(format!("{host} ({reason})")),
        };
        tracing::info!(%host, %error, "asking FlareSolverr");
        let solution = match solve(&self.solver_client, &solver, url).await {
            Ok(solution) => solution,
            Err(reason) => {
                tracing::warn!(%host, %reason, "FlareSolverr gave no page");
                return Err(failed(reason));
            }
        };
        if is_challenge(&solution.body) {
            return Err(failed("challenged even through FlareSolverr".into()));
        }
        let solved_host = url::Url::parse(&solution.url)
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

    /// The page FlareSolverr fetched for `url` after `error`.
    pub(super) async fn page_from_solver(
        &self,
        url: &str,
        error: ProviderError,
    ) -> Result<super::Page, ProviderError> {
        let solution = self.solved(url, error).await?;
        if !(200..300).contains(&solution.status) && solution.status != 0 {
            return Err(match solution.status {
                404 | 410 => ProviderError::NotFound,
                status => ProviderError::Status(status),
            });
        }
        Ok(super::Page {
            final_url: solution.url,
            body: solution.body,
        })
    }

    /// `ask` (a script's request, which FlareSolverr cannot make), and when it is challenged
    /// or refused: FlareSolverr clears the site's front page once, and `ask` goes again with
    /// the cookies and User-Agent it handed back.
    pub(super) async fn cleared<F, Fut>(
        &self,
        url: &str,
        ask: F,
    ) -> Result<super::Page, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<super::Page, ProviderError>>,
    {
        match ask().await {
            Err(e @ (ProviderError::Challenge(_) | ProviderError::Refused { .. })) => {
                let front = url::Url::parse(url)
                    .map(|u| format!("{}/", u.origin().ascii_serialization()))
                    .unwrap_or_else(|_| url.to_owned());
                self.solved(&front, e).await?;
                ask().await
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_is_v1_of_the_configured_url() {
        assert_eq!(endpoint("http://solver:8191"), "http://solver:8191/v1");
        assert_eq!(endpoint("http://solver:8191/"), "http://solver:8191/v1");
        assert_eq!(endpoint("http://solver:8191/v1"), "http://solver:8191/v1");
    }

    #[test]
    fn an_ok_answer_gives_the_page_its_cookies_and_user_agent() {
        let answer = br#"{"status":"ok","message":"Challenge solved!","solution":{
            "url":"https://voe.sx/e/abc","status":200,"headers":{},
            "response":"<html>player</html>",
            "cookies":[{"name":"cf_clearance","value":"xyz","domain":".voe.sx","path":"/","expires":1,"httpOnly":true,"secure":true}],
            "userAgent":"Mozilla/5.0 (X11) Chrome/131"},
            "startTimestamp":1,"endTimestamp":2,"version":"3.3.21"}"#;
        let s = parse(answer).unwrap();
        assert_eq!(s.url, "https://voe.sx/e/abc");
        assert_eq!(s.status, 200);
        assert_eq!(s.body, "<html>player</html>");
        assert_eq!(s.cookies[0].name, "cf_clearance");
        assert_eq!(s.cookies[0].domain, ".voe.sx");
        assert_eq!(s.user_agent, "Mozilla/5.0 (X11) Chrome/131");
    }

    #[test]
    fn an_error_answer_says_what_flaresolverr_said() {
        let e =
            parse(br#"{"status":"error","message":"Error: Maximum timeout reached"}"#).unwrap_err();
        assert_eq!(e, "FlareSolverr: Error: Maximum timeout reached");
        assert!(parse(b"<html>nginx</html>").is_err());
        assert!(parse(br#"{"status":"ok"}"#).is_err());
    }
}
