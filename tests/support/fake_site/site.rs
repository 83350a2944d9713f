//! The running fake site: the builder that starts it and the handle tests hold to change the
//! catalogue, inject faults and read request counts. The fake s.to runs beside it on a
//! listener of its own; its builder method and handle methods are in `sto/handle.rs`.

use std::sync::Arc;
use std::time::Duration;

use poem::Server;
use poem::listener::{Acceptor, Listener, TcpListener};
use tokio::task::JoinHandle;

use super::faults::Fault;
use super::media_control::Expiry;
use super::model::FakeSeries;
use super::routes::SiteEndpoint;
use super::standard::standard_catalogue;
use super::state::{FakeLinkInfo, SiteState};
use crate::support::eventually::poll_within;

/// Collects the catalogue and start-up faults of a fake site.
#[derive(Debug, Default)]
pub struct FakeSiteBuilder {
    series: Vec<FakeSeries>,
    /// The fake s.to's series.
    pub(super) sto_series: Vec<FakeSeries>,
    faults: Vec<(String, Fault, Option<usize>)>,
    latency: Duration,
}

impl FakeSiteBuilder {
    /// Adds a series.
    pub fn series(mut self, series: FakeSeries) -> Self {
        self.series.push(series);
        self
    }

    /// Adds the series of [`standard_catalogue`].
    pub fn standard_catalogue(mut self) -> Self {
        self.series.extend(standard_catalogue());
        self
    }

    /// Adds a fault for `path` from the first request on (`times: None` = for ever).
    pub fn fault(mut self, path: &str, fault: Fault, times: Option<usize>) -> Self {
        self.faults.push((path.into(), fault, times));
        self
    }

    /// Adds `latency` before every answer (benchmarks: a site across the internet).
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Binds `127.0.0.1:0` and serves the site on the current tokio runtime.
    pub async fn spawn(self) -> FakeSite {
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("the fake site binds a local port");
        let addr = *acceptor.local_addr()[0]
            .as_socket_addr()
            .expect("a TCP listener has a socket address");
        let (sto_acceptor, sto_base) = super::sto::bind().await;
        let sto = super::sto::StoState::new(sto_base, self.sto_series);
        let state = Arc::new(SiteState::new(format!("http://{addr}"), self.series, sto));
        for (path, fault, times) in self.faults {
            state.faults.add(&path, fault, times);
        }
        let endpoint = SiteEndpoint {
            state: Arc::clone(&state),
            latency: self.latency,
        };
        let stop = state.shutdown.clone().cancelled_owned();
        let server = tokio::spawn(async move {
            let _ = Server::new_with_acceptor(acceptor)
                .run_with_graceful_shutdown(endpoint, stop, Some(Duration::ZERO))
                .await;
        });
        let sto_server = super::sto::serve(sto_acceptor, Arc::clone(&state), self.latency);
        FakeSite {
            state,
            server,
            sto_server,
        }
    }
}

/// A running fake site; dropping it stops the server.
#[derive(Debug)]
pub struct FakeSite {
    state: Arc<SiteState>,
    server: JoinHandle<()>,
    sto_server: JoinHandle<()>,
}

impl FakeSite {
    /// An empty builder.
    pub fn builder() -> FakeSiteBuilder {
        FakeSiteBuilder::default()
    }

    /// A running site with the [`standard_catalogue`].
    pub async fn standard() -> Self {
        Self::builder().standard_catalogue().spawn().await
    }

    /// What the site's endpoints and this handle share.
    pub(super) fn state(&self) -> &SiteState {
        &self.state
    }

    /// `http://127.0.0.1:<port>`, without trailing slash.
    pub fn base_url(&self) -> &str {
        &self.state.base_url
    }

    /// The absolute URL of a path on the site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.state.base_url)
    }

    /// The series with this key, as the site currently serves it.
    pub fn series(&self, key: &str) -> Option<FakeSeries> {
        self.state.series().iter().find(|s| s.key == key).cloned()
    }

    /// Adds a series while the site runs.
    pub fn add_series(&self, series: FakeSeries) {
        self.state.edit(|all| all.push(series));
    }

    /// Changes a series while the site runs (e.g. a new episode appears).
    pub fn edit_series(&self, key: &str, change: impl FnOnce(&mut FakeSeries)) {
        self.state.edit(|all| {
            if let Some(series) = all.iter_mut().find(|s| s.key == key) {
                change(series);
            }
        });
    }

    /// Serves the new-episodes page with these entries (an empty list serves a page
    /// without any).
    pub fn publish_new_episodes(&self, entries: Vec<super::FeedEntry>) {
        *self.state.feed.write().expect("feed poisoned") = Some(entries);
    }

    /// Puts every path starting with `prefix` behind bot protection: a challenge page
    /// unless the request carries the fake solver's clearance cookie and User-Agent.
    pub fn guard(&self, prefix: &str) {
        self.state.guard.add(prefix);
    }

    /// Lets any client into the catalogue, browser or not; by default it refuses (plain 403)
    /// requests without Chrome's headers, as aniworld.to does since August 2026.
    pub fn admit_any_client(&self) {
        self.state.guard.admit_any_client();
    }

    /// Refuses (plain 403) every catalogue request without the fake solver's clearance
    /// cookie and User-Agent.
    pub fn refuse_uncleared(&self) {
        self.state.guard.refuse_uncleared();
    }

    /// Makes Vidara's stream API refuse (403) requests without the session cookie its embed
    /// page sets, as the real one does; on by default.
    pub fn require_vidara_cookie(&self, on: bool) {
        self.state
            .vidara_cookie_required
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Removes a series while the site runs.
    pub fn remove_series(&self, key: &str) {
        self.state.edit(|all| all.retain(|s| s.key != key));
    }

    /// The hoster links of one episode (season 0 = films), in page order.
    pub fn links(&self, key: &str, season: u32, episode: u32) -> Vec<FakeLinkInfo> {
        self.state
            .all_links()
            .into_iter()
            .filter(|l| l.sto_base_url.is_none())
            .filter(|l| l.key == key && l.season == season && l.episode == episode)
            .collect()
    }

    /// The hoster link with this redirect id.
    pub fn link(&self, id: u64) -> Option<FakeLinkInfo> {
        self.state.link(id)
    }

    /// Adds a fault for `path` (without query) for `times` requests (`None` = for ever).
    pub fn fault(&self, path: &str, fault: Fault, times: Option<usize>) {
        self.state.faults.add(path, fault, times);
    }

    /// The next `n` requests for `path` answer `status`; later ones are served normally.
    pub fn fail_times(&self, path: &str, n: usize, status: u16) {
        self.fault(path, Fault::Status(status), Some(n));
    }

    /// Every request for `path` answers `status`.
    pub fn status(&self, path: &str, status: u16) {
        self.fault(path, Fault::Status(status), None);
    }

    /// Requests for `path` never get an answer.
    pub fn hang(&self, path: &str) {
        self.fault(path, Fault::Hang, None);
    }

    /// Requests for `path` are answered after `delay`.
    pub fn slow(&self, path: &str, delay: Duration) {
        self.fault(path, Fault::Slow(delay), None);
    }

    /// The next `times` answers for `path` break off after `after_bytes` body bytes.
    pub fn truncate(&self, path: &str, after_bytes: usize, times: usize) {
        self.fault(path, Fault::Truncate { after_bytes }, Some(times));
    }

    /// `path` answers 200 with a chunked page of `bytes` bytes (e.g. 50 MiB).
    pub fn huge(&self, path: &str, bytes: u64) {
        self.fault(path, Fault::Huge { bytes }, None);
    }

    /// `path` answers 200 with this HTML instead of its real page.
    pub fn serve_html(&self, path: &str, html: &str) {
        self.fault(path, Fault::Body(html.into()), None);
    }

    /// Removes the faults of `path`.
    pub fn clear_faults(&self, path: &str) {
        self.state.faults.clear(path);
    }

    /// The generation a signed link's media URLs carry now (from 1).
    pub fn generation(&self, link_id: u64) -> u64 {
        self.state.media.generation(link_id)
    }

    /// Lets a link's current signature expire: an MP4 answer breaks off after the bytes
    /// given, HLS after the segment requests given; then the generation moves on and the old
    /// signature answers 403 (for a [`FakeLink::signed`](super::FakeLink::signed) link).
    pub fn expire_after(&self, link_id: u64, expiry: Expiry) {
        self.state.media.expire_after(link_id, expiry);
    }

    /// Serves a link's media at about `bytes_per_second`: MP4 bodies in small timed chunks
    /// (a change applies mid-body), each HLS segment after its size's worth of time.
    pub fn throttle_media(&self, link_id: u64, bytes_per_second: u64) {
        self.state.media.throttle(link_id, Some(bytes_per_second));
    }

    /// Serves a link's media at full speed again.
    pub fn unthrottle_media(&self, link_id: u64) {
        self.state.media.throttle(link_id, None);
    }

    /// Media body bytes (MP4 and segments, keys and playlists aside) served for a link.
    pub fn media_bytes_served(&self, link_id: u64) -> u64 {
        self.state.media.bytes_served(link_id)
    }

    /// Requests received for `path` (without query).
    pub fn requests(&self, path: &str) -> usize {
        self.state.faults.count(path)
    }

    /// Requests received for every path starting with `prefix`.
    pub fn requests_under(&self, prefix: &str) -> usize {
        self.state.faults.count_prefix(prefix)
    }

    /// Every path requested so far with its count, sorted by path.
    pub fn request_log(&self) -> Vec<(String, usize)> {
        self.state.faults.all_counts()
    }

    /// The headers of the last request for `path`, names in lower case.
    pub fn last_headers(&self, path: &str) -> Option<Vec<(String, String)>> {
        self.state.faults.last_headers(path)
    }

    /// The most requests that were being answered at once.
    pub fn max_in_flight(&self) -> usize {
        self.state.faults.max_in_flight()
    }

    /// Forgets request counts and the in-flight maximum.
    pub fn reset_counts(&self) {
        self.state.faults.reset_counts();
    }

    /// Waits until `path` has seen `n` requests; false when `within` passes first.
    pub async fn wait_for_requests(&self, path: &str, n: usize, within: Duration) -> bool {
        poll_within(within, async || self.requests(path) >= n)
            .await
            .is_ok()
    }
}

impl Drop for FakeSite {
    fn drop(&mut self) {
        self.state.shutdown.cancel();
        self.server.abort();
        self.sto_server.abort();
    }
}
