//! All integration tests: one binary, each test starting the real server on a free loopback
//! port with its own data dir, anime dir and clock (see `helpers.rs`).

mod helpers;

mod auth;
mod config;
mod errors;
mod health;
mod openapi;
