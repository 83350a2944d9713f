//! The product's network identity measured against the real headless Chromium on this machine,
//! all on 127.0.0.1. aniworld.to refuses clients that do not look like a browser, so the shared
//! client (`src/adapters/fetch/`) must send Chrome's TLS ClientHello and Chrome's headers.
//!
//! - `hello.rs`: a ClientHello parser; `ja4.rs`: FoxIO's JA4 and JA4_r (unit-tested against
//!   the spec's Chrome example); `recorder.rs`: a TCP listener keeping the first ClientHello.
//! - `site.rs`: an HTTP/1.1 site recording each request's headers in order.
//! - `chromium.rs`: Chromium as a child process or through chromedriver (fantoccini).
//! - `measure.rs`: the four measurements (Chromium/product × ClientHello/navigations), each
//!   taken once per run and shared by the tests, and their printing.
//! - `tls.rs`: JA4 equal, Chrome's hello properties, groups equal; `headers.rs`: header
//!   names in order, values in kind, the product's own consistency.
//!
//! Run: `cargo test --test identity -- --nocapture --test-threads=1`. Reading the output:
//! `prints_the_measurements` prints Chromium's and the product's JA4, JA4_r (sorted ciphers
//! `_` sorted extensions without SNI/ALPN `_` sigalgs as sent), the lists as sent, groups, and
//! every request header in order. A failing JA4 assertion names the differing JA4_r parts.
//! Without `/usr/bin/chromium` or chromedriver each test prints one line and passes, unless
//! `CI=true`, where that is a failure.

use std::time::Duration;

#[path = "../support/mod.rs"]
mod support;

mod chromium;
mod headers;
mod hello;
mod ja4;
mod measure;
mod recorder;
mod site;
mod tls;

/// How long any wait may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);
