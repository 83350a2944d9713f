//! The in-process event bus between use cases and the WebSocket, and the durable mark it keeps
//! so that sequence numbers increase for the life of the data dir.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::broadcast;

use super::StoreError;
use crate::domain::event::{Event, EventKind};

/// Publishes events to every subscriber; slow subscribers miss events rather than slowing
/// the publisher. Every event gets a sequence number greater than any given before, also
/// across restarts on the same data dir (numbers may skip, they never repeat).
pub trait EventBus: Send + Sync {
    /// Publishes an event and returns the sequence number it was given.
    fn publish(&self, kind: EventKind) -> u64;

    /// A receiver of every event published from now on.
    fn subscribe(&self) -> broadcast::Receiver<Event>;

    /// For a client that saw every event up to `since`: a receiver of every event published
    /// from now on, and the events in between as far as they are still kept. An event is
    /// never in both, and none between the two is lost.
    fn resume(&self, since: u64) -> Resumed {
        let _ = since;
        Resumed {
            live: self.subscribe(),
            replay: Replay::Incomplete { oldest_kept: None },
        }
    }

    /// How full the buffer of recent events is.
    fn recent(&self) -> RecentEvents {
        RecentEvents::default()
    }
}

/// What [`EventBus::resume`] answers.
pub struct Resumed {
    /// Events published after the replay, in order.
    pub live: broadcast::Receiver<Event>,
    pub replay: Replay,
}

/// The events a resuming client missed.
#[derive(Debug)]
pub enum Replay {
    /// Every event after `since`, in order (none if it missed none).
    Complete(Vec<Arc<Event>>),
    /// Some events after `since` are no longer kept (the buffer dropped them, they are from
    /// before a restart, or `since` is a number not given yet): the client must fetch the
    /// state afresh. `oldest_kept` is the oldest event still kept.
    Incomplete { oldest_kept: Option<u64> },
}

/// The buffer of recent events that [`EventBus::resume`] replays from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecentEvents {
    pub events: usize,
    /// Approximate memory held by the kept events.
    pub bytes: usize,
    pub max_events: usize,
    pub max_bytes: usize,
    /// The oldest kept event's number.
    pub oldest_seq: Option<u64>,
    /// The number of the last event published (0 for none yet).
    pub last_seq: u64,
}

/// The durable high-water mark of sequence numbers. The bus reserves numbers in blocks ahead
/// of use, so a restart starts above every number an earlier run may have handed out while
/// publishing writes nothing most of the time.
///
/// # Errors
/// [`StoreError::Unavailable`] when the mark cannot be read or written.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait SeqStore: Send + Sync {
    /// The highest number reserved so far; 0 for a new data dir.
    async fn reserved_seq(&self) -> Result<u64, StoreError>;

    /// Records that numbers up to `upto` may be handed out. Never lowers the mark, so
    /// reservations that land out of order leave the highest.
    async fn reserve_seq(&self, upto: u64) -> Result<(), StoreError>;
}
