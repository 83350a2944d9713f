//! Fault injection and request accounting for the fake site: per-path rules that replace or
//! disturb the normal answer, a request counter per path and the highest number of requests
//! that were in flight at once.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use poem::http::HeaderMap;

/// What happens to a request for a path instead of (or on top of) the normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and a small HTML body.
    Status(u16),
    /// Never answer (until the site shuts down).
    Hang,
    /// Wait this long, then answer normally.
    Slow(Duration),
    /// Answer normally but break the connection after this many body bytes (the
    /// `Content-Length` still announces the full size).
    Truncate { after_bytes: usize },
    /// Answer 200 with an HTML page of this many bytes, chunked (no `Content-Length`).
    Huge { bytes: u64 },
    /// Answer 200 with this HTML instead of the real page.
    Body(String),
}

/// One rule: a fault and how many more requests it applies to (`None` = all).
#[derive(Debug, Clone)]
struct Rule {
    fault: Fault,
    remaining: Option<usize>,
}

/// The fault rules and counters of one running site.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<HashMap<String, Vec<Rule>>>,
    counts: Mutex<HashMap<String, usize>>,
    headers: Mutex<HashMap<String, Vec<(String, String)>>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Faults {
    /// Adds a rule for `path` (without query); earlier rules apply first.
    pub fn add(&self, path: &str, fault: Fault, times: Option<usize>) {
        let mut rules = self.rules.lock().expect("fault rules poisoned");
        rules.entry(path.to_owned()).or_default().push(Rule {
            fault,
            remaining: times,
        });
    }

    /// Removes every rule of `path`.
    pub fn clear(&self, path: &str) {
        self.rules
            .lock()
            .expect("fault rules poisoned")
            .remove(path);
    }

    /// The fault for this request, if any, using up one of its times.
    pub fn take(&self, path: &str) -> Option<Fault> {
        let mut rules = self.rules.lock().expect("fault rules poisoned");
        let list = rules.get_mut(path)?;
        list.retain(|r| r.remaining != Some(0));
        let rule = list.first_mut()?;
        if let Some(n) = rule.remaining.as_mut() {
            *n -= 1;
        }
        Some(rule.fault.clone())
    }

    /// Counts a request, keeps its headers and marks it in flight until the guard drops.
    pub fn enter(self: &Arc<Self>, path: &str, headers: &HeaderMap) -> InFlight {
        let headers = headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        self.headers
            .lock()
            .expect("request headers poisoned")
            .insert(path.to_owned(), headers);
        *self
            .counts
            .lock()
            .expect("request counts poisoned")
            .entry(path.to_owned())
            .or_default() += 1;
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(Arc::clone(self))
    }

    /// Requests seen for `path` (without query).
    pub fn count(&self, path: &str) -> usize {
        let counts = self.counts.lock().expect("request counts poisoned");
        counts.get(path).copied().unwrap_or(0)
    }

    /// Requests seen for every path starting with `prefix`.
    pub fn count_prefix(&self, prefix: &str) -> usize {
        let counts = self.counts.lock().expect("request counts poisoned");
        counts
            .iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// Every path requested so far with its count, sorted by path.
    pub fn all_counts(&self) -> Vec<(String, usize)> {
        let counts = self.counts.lock().expect("request counts poisoned");
        let mut all: Vec<_> = counts.iter().map(|(p, n)| (p.clone(), *n)).collect();
        all.sort();
        all
    }

    /// The headers of the last request for `path`, names in lower case.
    pub fn last_headers(&self, path: &str) -> Option<Vec<(String, String)>> {
        let headers = self.headers.lock().expect("request headers poisoned");
        headers.get(path).cloned()
    }

    /// Requests being answered right now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// The most requests that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    /// Forgets the counts and the in-flight maximum (rules stay).
    pub fn reset_counts(&self) {
        self.counts.lock().expect("request counts poisoned").clear();
        self.max_in_flight
            .store(self.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

/// Marks one request in flight; dropping it (answer sent or client gone) ends that.
#[derive(Debug)]
pub struct InFlight(Arc<Faults>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}
