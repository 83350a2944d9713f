//! The in-process event bus: a tokio broadcast channel that numbers every event.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::broadcast;

use crate::domain::event::{Event, EventKind};
use crate::ports::{Clock, EventBus};

/// Events kept for slow subscribers before they start missing some.
const CAPACITY: usize = 1024;

/// A broadcast bus; cheap to share behind an `Arc`.
pub struct BroadcastBus {
    sender: broadcast::Sender<Event>,
    next_id: AtomicU64,
    clock: Arc<dyn Clock>,
}

impl BroadcastBus {
    /// A bus stamping events with `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
            next_id: AtomicU64::new(1),
            clock,
        }
    }
}

impl EventBus for BroadcastBus {
    fn publish(&self, kind: EventKind) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        // No subscriber is not an error: events are fire-and-forget.
        let _ = self.sender.send(Event {
            id,
            at: self.clock.now(),
            kind,
        });
        id
    }

    fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::clock::SystemClock;

    #[tokio::test]
    async fn events_are_numbered_in_publishing_order() {
        let bus = BroadcastBus::new(Arc::new(SystemClock));
        let mut rx = bus.subscribe();
        bus.publish(EventKind::SystemInfo {
            message: "a".into(),
        });
        bus.publish(EventKind::SystemInfo {
            message: "b".into(),
        });
        assert_eq!(rx.recv().await.unwrap().id, 1);
        assert_eq!(rx.recv().await.unwrap().id, 2);
    }
}
