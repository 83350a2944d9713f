//! The in-process event bus between use cases and the WebSocket.

use tokio::sync::broadcast;

use crate::domain::event::{Event, EventKind};

/// Publishes events to every subscriber; slow subscribers miss events rather than slowing
/// the publisher.
pub trait EventBus: Send + Sync {
    /// Publishes an event and returns the sequence number it was given.
    fn publish(&self, kind: EventKind) -> u64;

    /// A receiver of every event published from now on.
    fn subscribe(&self) -> broadcast::Receiver<Event>;
}
