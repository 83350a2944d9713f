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
pub mod roots;
pub mod store;

/// An error and its causes in one line (a hyper or reqwest error alone says only "client
/// error (Connect)" or "builder error"), each cause once. URLs never appear in them: they
/// can carry signed tokens.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}
