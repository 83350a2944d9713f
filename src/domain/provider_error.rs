//! Why talking to the catalogue site or a hoster failed, in the product's words: not found,
//! a changed layout, a status, no answer, a challenge, a refusal. Adapters turn transport
//! failures and pages into these; retries and the API's answers are decided from them.

/// Why talking to the catalogue or a hoster failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The series, season or episode does not exist (HTTP 404 or a page without its landmark).
    #[error("not found on the catalogue site")]
    NotFound,
    /// The page came back but a landmark the scraper relies on is missing. Holds the page
    /// (a hoster's name, or e.g. `series page: <landmark>` naming the missing landmark).
    #[error("{}", layout_message(.0))]
    Layout(String),
    /// The site answered with an unexpected HTTP status.
    #[error("upstream answered HTTP {0}")]
    Status(u16),
    /// No answer within the configured time.
    #[error("upstream did not answer in time")]
    Timeout,
    /// The answer was larger than the configured cap.
    #[error("upstream answer larger than {0} bytes")]
    TooLarge(u64),
    /// Connection refused, reset, DNS, TLS or an unreadable body.
    #[error("upstream unreachable: {0}")]
    Transport(String),
    /// Bot protection answered with a challenge page instead of the page (PROVIDER.md,
    /// "Challenge pages"); holds the host that asked. Not a layout change, and not worth a
    /// quick retry.
    #[error("{0} asks for a browser challenge")]
    Challenge(String),
    /// The site refused the product (HTTP 403, 429 or 503 without a challenge page; PROVIDER.md,
    /// "Looking like a browser, and being refused"): not "not found", not a layout change, and
    /// not retried in a loop. `solver` is why FlareSolverr could not help, when one is
    /// configured; without one, the message names it as the remedy.
    #[error("{}", refused_message(host, *status, solver.as_deref()))]
    Refused {
        host: String,
        status: u16,
        solver: Option<String>,
    },
    /// The site is switched off (s.to while `provider.sto_enabled` is off): nothing asked it.
    #[error("{0} is switched off: turn provider.sto_enabled on to use it")]
    SiteOff(String),
}

/// "aniworld.to refused the request (HTTP 403)", and what would help.
fn refused_message(host: &str, status: u16, solver: Option<&str>) -> String {
    match solver {
        None => format!(
            "{host} refused the request (HTTP {status}): it lets only browsers in; configure \
             FlareSolverr (provider.flaresolverr_url) to get through"
        ),
        Some(why) => format!(
            "{host} refused the request (HTTP {status}), and FlareSolverr could not help: {why}"
        ),
    }
}

/// "VOE page layout not recognised", or "series page layout not recognised (missing X)".
fn layout_message(what: &str) -> String {
    match what.split_once(": ") {
        Some((page, landmark)) => format!("{page} layout not recognised (missing {landmark})"),
        None => format!("{what} page layout not recognised"),
    }
}

impl ProviderError {
    /// Whether background work should retry this error after a backoff.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Timeout | Self::Transport(_))
            || matches!(self.status(), Some(s) if s == 429 || s >= 500)
    }

    /// The HTTP status behind an unexpected status or a refusal.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status(s) | Self::Refused { status: s, .. } => Some(*s),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_errors_name_the_page_and_the_missing_landmark() {
        assert_eq!(
            ProviderError::Layout("VOE".into()).to_string(),
            "VOE page layout not recognised"
        );
        assert_eq!(
            ProviderError::Layout("series page: div.series-title h1 span".into()).to_string(),
            "series page layout not recognised (missing div.series-title h1 span)"
        );
    }

    #[test]
    fn a_challenge_names_who_asks_and_is_not_retried_at_once() {
        let e = ProviderError::Challenge("voe.sx".into());
        assert_eq!(e.to_string(), "voe.sx asks for a browser challenge");
        assert!(!e.is_transient());
    }

    #[test]
    fn a_refusal_names_the_site_the_status_and_the_remedy_and_is_not_retried() {
        let e = ProviderError::Refused {
            host: "aniworld.to".into(),
            status: 403,
            solver: None,
        };
        let text = e.to_string();
        assert!(
            text.starts_with("aniworld.to refused the request (HTTP 403)"),
            "{text}"
        );
        assert!(text.contains("FlareSolverr"), "{text}");
        assert!(!e.is_transient());
        let e = ProviderError::Refused {
            host: "aniworld.to".into(),
            status: 429,
            solver: Some("FlareSolverr unreachable: refused".into()),
        };
        assert!(
            e.to_string()
                .ends_with("could not help: FlareSolverr unreachable: refused")
        );
    }

    #[test]
    fn only_server_side_and_network_failures_are_transient() {
        assert!(ProviderError::Status(503).is_transient());
        assert!(ProviderError::Status(429).is_transient());
        assert!(ProviderError::Timeout.is_transient());
        assert!(!ProviderError::Status(404).is_transient());
        assert!(!ProviderError::NotFound.is_transient());
        assert!(!ProviderError::Layout("x".into()).is_transient());
    }
}
