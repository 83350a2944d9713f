//! What FlareSolverr hands back after it got through a challenge: cookies (`cf_clearance`
//! among them) that are valid only together with the User-Agent of the browser that earned
//! them. They are kept per cookie domain and sent, with that User-Agent, on every later
//! request to a host of that domain: pages, redirects and media alike.

use crate::lock::RwLockRecover;
use std::sync::RwLock;

/// A cookie as FlareSolverr reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct SolvedCookie {
    pub name: String,
    pub value: String,
    /// `.voe.sx` or `voe.sx`; empty means the host that was asked.
    #[serde(default)]
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Clearance {
    /// Lower case, without a leading dot.
    domain: String,
    /// A cookie without a domain belongs to its host alone, not to its subdomains.
    host_only: bool,
    cookies: Vec<(String, String)>,
    user_agent: String,
}

/// The headers a cleared host wants on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearanceHeaders {
    /// `name=value; name=value`, empty when the solver gave no cookie.
    pub cookie: String,
    pub user_agent: String,
}

/// Clearances by domain; shared by every clone of the fetcher.
#[derive(Debug, Default)]
pub struct Clearances {
    entries: RwLock<Vec<Clearance>>,
}

fn normal(domain: &str) -> String {
    domain.trim().trim_start_matches('.').to_ascii_lowercase()
}

/// Whether `host` lies in `domain` (the domain itself or a subdomain of it).
fn within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

impl Clearance {
    fn applies_to(&self, host: &str) -> bool {
        if self.host_only {
            host == self.domain
        } else {
            within(host, &self.domain)
        }
    }
}

impl Clearances {
    /// Keeps what the solver gave for `host`: its cookies by their domains (replacing what
    /// was kept for those domains), and the User-Agent they belong to.
    pub fn keep(&self, host: &str, cookies: &[SolvedCookie], user_agent: &str) {
        let host = normal(host);
        let mut by_domain: Vec<Clearance> = Vec::new();
        for cookie in cookies {
            let host_only = cookie.domain.trim().is_empty();
            let domain = if host_only {
                host.clone()
            } else {
                normal(&cookie.domain)
            };
            let pair = (cookie.name.clone(), cookie.value.clone());
            match by_domain
                .iter_mut()
                .find(|c| c.domain == domain && c.host_only == host_only)
            {
                Some(c) => c.cookies.push(pair),
                None => by_domain.push(Clearance {
                    domain,
                    host_only,
                    cookies: vec![pair],
                    user_agent: user_agent.to_owned(),
                }),
            }
        }
        if !by_domain.iter().any(|c| c.applies_to(&host)) {
            // No cookie for the host itself: its User-Agent alone still belongs to it.
            by_domain.push(Clearance {
                domain: host,
                host_only: true,
                cookies: Vec::new(),
                user_agent: user_agent.to_owned(),
            });
        }
        let mut entries = self.entries.write_or_recover();
        entries.retain(|kept| {
            !by_domain
                .iter()
                .any(|new| new.domain == kept.domain && new.host_only == kept.host_only)
        });
        entries.extend(by_domain);
    }

    /// The cookies and User-Agent to send to `host`, if a solver cleared its domain; the
    /// most specific domain wins.
    pub fn for_host(&self, host: &str) -> Option<ClearanceHeaders> {
        let host = normal(host);
        let entries = self.entries.read_or_recover();
        let best = entries
            .iter()
            .filter(|c| c.applies_to(&host))
            .max_by_key(|c| (c.domain.len(), c.host_only))?;
        let cookie = entries
            .iter()
            .filter(|c| c.applies_to(&host))
            .flat_map(|c| c.cookies.iter())
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        Some(ClearanceHeaders {
            cookie,
            user_agent: best.user_agent.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie(name: &str, value: &str, domain: &str) -> SolvedCookie {
        SolvedCookie {
            name: name.into(),
            value: value.into(),
            domain: domain.into(),
        }
    }

    #[test]
    fn cookies_go_to_the_hosts_of_their_domain_with_the_solvers_user_agent() {
        let c = Clearances::default();
        c.keep(
            "voe.sx",
            &[
                cookie("cf_clearance", "abc", ".voe.sx"),
                cookie("sid", "1", ""),
            ],
            "Mozilla/5.0 Solver",
        );
        let h = c.for_host("voe.sx").unwrap();
        assert_eq!(h.cookie, "cf_clearance=abc; sid=1");
        assert_eq!(h.user_agent, "Mozilla/5.0 Solver");
        assert_eq!(
            c.for_host("delivery.VOE.sx").unwrap().cookie,
            "cf_clearance=abc"
        );
        assert_eq!(c.for_host("notvoe.sx"), None);
        assert_eq!(c.for_host("aniworld.to"), None);
    }

    #[test]
    fn a_new_solution_replaces_the_old_one_of_its_domain() {
        let c = Clearances::default();
        c.keep("voe.sx", &[cookie("cf_clearance", "old", "voe.sx")], "UA 1");
        c.keep("voe.sx", &[cookie("cf_clearance", "new", "voe.sx")], "UA 2");
        let h = c.for_host("voe.sx").unwrap();
        assert_eq!(
            (h.cookie.as_str(), h.user_agent.as_str()),
            ("cf_clearance=new", "UA 2")
        );
    }

    #[test]
    fn without_cookies_the_user_agent_is_still_kept_for_the_host() {
        let c = Clearances::default();
        c.keep("127.0.0.1", &[], "UA");
        let h = c.for_host("127.0.0.1").unwrap();
        assert_eq!((h.cookie.as_str(), h.user_agent.as_str()), ("", "UA"));
    }
}
