//! All integration tests: one binary, each test starting the real server on a free loopback
//! port with its own data dir, anime dir and clock (see `helpers.rs`); the fake catalogue site
//! in `tests/support` stands in for aniworld.to and its hosters.

#[path = "../support/mod.rs"]
mod support;

mod helpers;

mod arr;
mod arr_v3;
mod auth;
mod catalogue;
mod cli;
mod config;
mod config_recovery;
mod connections;
mod cors;
mod covers;
mod disk_faults;
mod errors;
mod faults;
mod feed;
mod flaresolverr;
mod headers;
mod health;
mod history;
mod hosters;
mod keys;
mod landing;
mod library;
mod limits;
mod media;
mod openapi;
mod outbox;
mod pages;
mod policy;
mod queue;
mod reach;
mod rescans;
mod roots;
mod search;
mod secrets;
mod setup_storage;
mod sites;
mod sto_fake;
mod transfers;
mod traversal;
mod upgrades;
mod websocket;
