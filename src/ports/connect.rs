//! Connections (INTEGRATIONS.md section 5): where they and their outbox are kept, and the
//! outbound side that sends a message to one.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::connection::Connection;
use crate::domain::notify::{Message, OutboxEntry};

/// Connections and the messages waiting for them.
#[async_trait]
pub trait ConnectionStore: Send + Sync {
    async fn connections(&self) -> Result<Vec<Connection>, StoreError>;
    async fn put_connection(&self, connection: Connection) -> Result<(), StoreError>;
    /// Removes a connection and every message waiting for it; false when there was none.
    async fn remove_connection(&self, id: String) -> Result<bool, StoreError>;
    /// Every waiting message, oldest first.
    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError>;
    /// Keeps (or replaces) waiting messages.
    async fn put_outbox(&self, entries: Vec<OutboxEntry>) -> Result<(), StoreError>;
    /// Drops messages that were sent or given up.
    async fn remove_outbox(&self, ids: Vec<u64>) -> Result<(), StoreError>;
}

/// Sends one message to one connection.
#[async_trait]
pub trait Notifier: Send + Sync {
    /// The remote's answer (`200 OK`), or why it failed (`500 Internal Server Error: …`,
    /// `connection refused`).
    async fn send(&self, connection: &Connection, message: &Message) -> Result<String, String>;
}
