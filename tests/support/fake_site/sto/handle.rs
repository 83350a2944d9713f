//! The fake s.to on the test's side: the builder method that adds its series, and the
//! [`FakeSite`] methods to reach it, change its catalogue, disturb its paths, challenge its
//! play links and read its request counts (its own, apart from the aniworld.to side's).

use std::time::Duration;

use super::super::faults::Fault;
use super::super::model::FakeSeries;
use super::super::site::{FakeSite, FakeSiteBuilder};
use super::super::state::FakeLinkInfo;
use super::STO_PLAY_PATH;
use super::standard::standard_sto_catalogue;
use crate::support::eventually::poll_within;

impl FakeSiteBuilder {
    /// Adds a series to the fake s.to; its `key` is the slug (`/serie/<slug>`, the product's
    /// key `sto:<slug>`).
    pub fn sto_series(mut self, series: FakeSeries) -> Self {
        self.sto_series.push(series);
        self
    }

    /// Adds the series of [`standard_sto_catalogue`] to the fake s.to.
    pub fn sto_standard_catalogue(mut self) -> Self {
        self.sto_series.extend(standard_sto_catalogue());
        self
    }
}

impl FakeSite {
    /// The fake s.to's `http://127.0.0.1:<port>` (another port than [`FakeSite::base_url`]),
    /// without trailing slash.
    pub fn sto_base_url(&self) -> &str {
        &self.state().sto.base_url
    }

    /// The absolute URL of a path on the fake s.to.
    pub fn sto_url(&self, path: &str) -> String {
        format!("{}{path}", self.sto_base_url())
    }

    /// The s.to series with this slug, as the fake s.to currently serves it.
    pub fn sto_series(&self, slug: &str) -> Option<FakeSeries> {
        let all = self.state().sto.series();
        all.iter().find(|s| s.key == slug).cloned()
    }

    /// Adds a series to the fake s.to while it runs.
    pub fn add_sto_series(&self, series: FakeSeries) {
        self.state().sto.edit(|all| all.push(series));
    }

    /// Changes an s.to series while it runs (e.g. a new episode appears).
    pub fn edit_sto_series(&self, slug: &str, change: impl FnOnce(&mut FakeSeries)) {
        self.state().sto.edit(|all| {
            if let Some(series) = all.iter_mut().find(|s| s.key == slug) {
                change(series);
            }
        });
    }

    /// Removes an s.to series while it runs.
    pub fn remove_sto_series(&self, slug: &str) {
        self.state().sto.edit(|all| all.retain(|s| s.key != slug));
    }

    /// The hoster links of one s.to episode (season 0 = films and specials), in page order;
    /// their [`FakeLinkInfo::redirect_url`] is the play link `{s.to}/r?t=<token>`.
    pub fn sto_links(&self, slug: &str, season: u32, episode: u32) -> Vec<FakeLinkInfo> {
        self.state()
            .all_links()
            .into_iter()
            .filter(|l| l.sto_base_url.is_some() && l.key == slug)
            .filter(|l| l.season == season && l.episode == episode)
            .collect()
    }

    /// Adds a fault for an s.to `path` (without query) for `times` requests (`None` = for
    /// ever), e.g. `Fault::Status(500)` on the suggest API.
    pub fn sto_fault(&self, path: &str, fault: Fault, times: Option<usize>) {
        self.state().sto.faults.add(path, fault, times);
    }

    /// The next `n` requests for an s.to `path` answer `status`.
    pub fn sto_fail_times(&self, path: &str, n: usize, status: u16) {
        self.sto_fault(path, Fault::Status(status), Some(n));
    }

    /// Every request for an s.to `path` answers `status`.
    pub fn sto_status(&self, path: &str, status: u16) {
        self.sto_fault(path, Fault::Status(status), None);
    }

    /// An s.to `path` answers 200 with this HTML instead of its real page.
    pub fn sto_serve_html(&self, path: &str, html: &str) {
        self.sto_fault(path, Fault::Body(html.into()), None);
    }

    /// Removes the faults of an s.to `path`.
    pub fn sto_clear_faults(&self, path: &str) {
        self.state().sto.faults.clear(path);
    }

    /// Lets the next `passes` play links (`/r?t=`) redirect, then answers every one with the
    /// Turnstile page (status 200, `cf-turnstile` in a `captcha-form`), as s.to does after
    /// some episodes in a row; 0 challenges at once. A request with the fake FlareSolverr's
    /// clearance cookie and User-Agent still gets its redirect.
    pub fn challenge_sto_play_links(&self, passes: usize) {
        self.state().sto.play.after(passes);
    }

    /// Play links redirect again.
    pub fn stop_challenging_sto_play_links(&self) {
        self.state().sto.play.stop();
    }

    /// Requests the fake s.to received for `path` (without query); play links are
    /// [`STO_PLAY_PATH`] whatever their token.
    pub fn sto_requests(&self, path: &str) -> usize {
        self.state().sto.faults.count(path)
    }

    /// Play-link requests the fake s.to received.
    pub fn sto_play_requests(&self) -> usize {
        self.sto_requests(STO_PLAY_PATH)
    }

    /// Requests the fake s.to received for every path starting with `prefix`.
    pub fn sto_requests_under(&self, prefix: &str) -> usize {
        self.state().sto.faults.count_prefix(prefix)
    }

    /// Every path the fake s.to was asked for with its count, sorted by path.
    pub fn sto_request_log(&self) -> Vec<(String, usize)> {
        self.state().sto.faults.all_counts()
    }

    /// The headers of the last request the fake s.to received for `path`, names in lower case.
    pub fn sto_last_headers(&self, path: &str) -> Option<Vec<(String, String)>> {
        self.state().sto.faults.last_headers(path)
    }

    /// Forgets the fake s.to's request counts.
    pub fn sto_reset_counts(&self) {
        self.state().sto.faults.reset_counts();
    }

    /// Waits until the fake s.to has seen `n` requests for `path`; false when `within` passes
    /// first.
    pub async fn wait_for_sto_requests(&self, path: &str, n: usize, within: Duration) -> bool {
        poll_within(within, async || self.sto_requests(path) >= n)
            .await
            .is_ok()
    }
}
