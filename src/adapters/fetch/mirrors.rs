//! Mirrors of a site (CONTRACT.md section 4, `provider.mirrors`): other base URLs that serve
//! the same site (aniworld.to, aniworld.cc). A request to a site's main base goes to the base
//! that worked last; when that one cannot be resolved, connected to or gives no answer, the
//! others are tried in the configured order (main first), and the first that answers is
//! remembered for the next requests.

use crate::lock::RwLockRecover;
use std::sync::RwLock;

/// One site's bases: the main one first, then its mirrors; `active` indexes the one in use.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Site {
    bases: Vec<String>,
    active: usize,
}

/// Every site's mirrors; shared by every clone of the fetcher.
#[derive(Debug, Default)]
pub struct Mirrors {
    sites: RwLock<Vec<Site>>,
}

/// A base URL without its trailing slash.
fn normal(base: &str) -> String {
    base.trim().trim_end_matches('/').to_owned()
}

/// Whether `url` lies under `base` (`base` itself, or a path below it).
fn under(url: &str, base: &str) -> bool {
    url.strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
}

impl Mirrors {
    /// Sets the mirrors of the site whose main base is `main` (none: the main base alone).
    /// The one in use stays in use when it is still listed.
    pub fn set(&self, main: &str, mirrors: &[String]) {
        let main = normal(main);
        let mut bases = vec![main.clone()];
        for m in mirrors.iter().map(|m| normal(m)) {
            if !m.is_empty() && !bases.contains(&m) {
                bases.push(m);
            }
        }
        let mut sites = self.sites.write_or_recover();
        let kept = sites
            .iter()
            .position(|s| s.bases[0] == main)
            .map(|i| sites.remove(i));
        let active = kept
            .and_then(|old| bases.iter().position(|b| *b == old.bases[old.active]))
            .unwrap_or(0);
        if bases.len() > 1 {
            sites.push(Site { bases, active });
        }
    }

    /// The URLs to try for `url`, in order: on the base in use, then on the others in the
    /// configured order. A URL of no site with mirrors is tried as it is. Each URL comes with
    /// what to report when it answered (see [`Mirrors::worked`]).
    pub fn candidates(&self, url: &str) -> Vec<(String, Option<(String, usize)>)> {
        let sites = self.sites.read_or_recover();
        let Some(site) = sites.iter().find(|s| s.bases.iter().any(|b| under(url, b))) else {
            return vec![(url.to_owned(), None)];
        };
        let Some(from) = site.bases.iter().find(|b| under(url, b)) else {
            return vec![(url.to_owned(), None)];
        };
        let rest = &url[from.len()..];
        let order =
            std::iter::once(site.active).chain((0..site.bases.len()).filter(|&i| i != site.active));
        order
            .map(|i| {
                (
                    format!("{}{rest}", site.bases[i]),
                    Some((site.bases[0].clone(), i)),
                )
            })
            .collect()
    }

    /// Remembers that base `index` of the site whose main base is `main` answered.
    pub fn worked(&self, main: &str, index: usize) {
        let mut sites = self.sites.write_or_recover();
        if let Some(site) = sites.iter_mut().find(|s| s.bases[0] == main)
            && index < site.bases.len()
            && site.active != index
        {
            tracing::info!(
                site = %main,
                base = %site.bases[index],
                "the site answers on this base now"
            );
            site.active = index;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(m: &Mirrors, url: &str) -> Vec<String> {
        m.candidates(url).into_iter().map(|(u, _)| u).collect()
    }

    #[test]
    fn a_site_without_mirrors_is_asked_as_it_is() {
        let m = Mirrors::default();
        assert_eq!(urls(&m, "https://aniworld.to/x"), ["https://aniworld.to/x"]);
        m.set("https://aniworld.to", &[]);
        assert_eq!(urls(&m, "https://aniworld.to/x"), ["https://aniworld.to/x"]);
    }

    #[test]
    fn mirrors_follow_the_main_base_in_order_and_the_one_that_worked_comes_first() {
        let m = Mirrors::default();
        m.set(
            "https://aniworld.to/",
            &["https://aniworld.cc/".into(), "http://10.0.0.1:8080".into()],
        );
        assert_eq!(
            urls(&m, "https://aniworld.to/anime/stream/x?a=1"),
            [
                "https://aniworld.to/anime/stream/x?a=1",
                "https://aniworld.cc/anime/stream/x?a=1",
                "http://10.0.0.1:8080/anime/stream/x?a=1",
            ]
        );
        let (_, report) = m.candidates("https://aniworld.to/")[1].clone();
        let (main, i) = report.unwrap();
        m.worked(&main, i);
        assert_eq!(
            urls(&m, "https://aniworld.to/neue-episoden"),
            [
                "https://aniworld.cc/neue-episoden",
                "https://aniworld.to/neue-episoden",
                "http://10.0.0.1:8080/neue-episoden",
            ]
        );
        // A URL already on a mirror (a link read from its page) is the same site.
        assert_eq!(
            urls(&m, "https://aniworld.cc/a")[0],
            "https://aniworld.cc/a"
        );
        assert_eq!(
            urls(&m, "https://aniworld.toxic/a"),
            ["https://aniworld.toxic/a"]
        );
        // Setting the same list again keeps the base in use.
        m.set("https://aniworld.to", &["https://aniworld.cc".into()]);
        assert_eq!(
            urls(&m, "https://aniworld.to/b")[0],
            "https://aniworld.cc/b"
        );
    }
}
