//! End-to-end tests of the browser UI: the release server binary (see `server.rs`) against
//! the fake catalogue site of `tests/support`, driven through real headless Chromium by
//! chromedriver (`browser.rs`). They assert on what the page shows, and take screenshots of
//! each page at 1280×800 and 390×844 into the folder they print.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them).

#[path = "../support/mod.rs"]
mod support;

mod browser;
mod mouse;
mod scenery;
mod server;

mod activity;
mod arr;
mod auth;
mod connections;
mod covers;
mod german;
mod i18n_scan;
mod journey;
mod keys;
mod layout;
mod queue_controls;
mod queue_order;
mod queue_selection;
mod reconnect;
mod sites;
mod weight;
