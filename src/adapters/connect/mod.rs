//! The connections' outbound side (INTEGRATIONS.md section 5): one request (two for Plex) per
//! message, shaped as each service expects. The services are the user's own (or public
//! notification services): plain `reqwest` with rustls, not the browser identity the sites
//! need. The answer is the remote's status line, or why it failed.

mod kinds;

use std::time::Duration;

use async_trait::async_trait;

use crate::domain::connection::{Connection, Kind};
use crate::domain::notify::Message;
use crate::ports::Notifier;

/// Sends messages over HTTP.
pub struct HttpNotifier {
    client: reqwest::Client,
}

impl HttpNotifier {
    /// A notifier whose requests give up after `timeout`; an error when no CA certificates
    /// can be loaded (it names the cause and the fix).
    pub fn new(timeout: Duration) -> Result<Self, String> {
        let client = crate::adapters::roots::reqwest_client(|b| {
            b.timeout(timeout)
                .user_agent(concat!("aniworld/", env!("CARGO_PKG_VERSION")))
        })?;
        Ok(Self { client })
    }
}

/// `200 OK`, or the status and the start of the body for a refusal.
async fn outcome(sent: Result<reqwest::Response, reqwest::Error>) -> Result<String, String> {
    // Without the URL: a Telegram or Discord URL, or Plex's query, holds the secret.
    let response = sent.map_err(|e| crate::adapters::error_chain(&e.without_url()))?;
    let status = response.status();
    let line = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    if status.is_success() {
        return Ok(line.trim().to_owned());
    }
    let body = response.text().await.unwrap_or_default();
    let body: String = body.chars().take(200).collect();
    Err(format!("{}: {}", line.trim(), body.trim()))
}

#[async_trait]
impl Notifier for HttpNotifier {
    async fn send(&self, c: &Connection, m: &Message) -> Result<String, String> {
        let client = &self.client;
        match c.kind {
            Kind::Webhook => outcome(kinds::webhook(client, c, m).send().await).await,
            Kind::Ntfy => outcome(kinds::ntfy(client, c, m).send().await).await,
            Kind::Discord => outcome(kinds::discord(client, c, m).send().await).await,
            Kind::Apprise => outcome(kinds::apprise(client, c, m).send().await).await,
            Kind::Telegram => outcome(kinds::telegram(client, c, m).send().await).await,
            Kind::Gotify => outcome(kinds::gotify(client, c, m).send().await).await,
            Kind::Jellyfin | Kind::Emby => {
                outcome(kinds::media_browser(client, c, m).send().await).await
            }
            Kind::Plex => kinds::plex(client, c, m).await,
        }
    }
}
