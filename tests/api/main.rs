//! The integration tests: one binary sharing the fake catalogue site in `tests/support`.

#[path = "../support/mod.rs"]
mod support;

mod catalogue;
