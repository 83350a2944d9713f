//! The outside world, plugged in around the core. Adapters depend inward only: none knows
//! another adapter.

pub mod catalogue;
pub mod clock;
pub mod connect;
pub mod events;
pub mod fetch;
pub mod fs;
pub mod host;
pub mod hosters;
pub mod http;
pub mod logging;
pub mod media;
pub mod store;
