//! Test support shared by every integration test of the project: a fake catalogue site
//! (series, season, episode pages, hoster embed pages and media) with fault injection and bot
//! protection, a fake FlareSolverr, disks that fill up or turn read-only (`mounts`), and
//! `eventually`, the one way a test waits for a condition.
//!
//! Included from the test binary as `#[path = "../support/mod.rs"] mod support;`. Not every
//! test uses every helper, hence the blanket `dead_code` and `unused_imports` (re-exports) allowance.
#![allow(dead_code, unused_imports)]

pub mod chromium;
pub mod eventually;
pub mod fake_site;
pub mod flaresolverr;
pub mod mounts;
pub mod needs;
pub mod process;
pub mod receiver;
