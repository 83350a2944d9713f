//! The in-process event bus between use cases and the WebSocket, the subscriptions it hands
//! out, and the durable mark it keeps so that sequence numbers increase for the life of the
//! data dir.

use std::sync::Arc;

use async_trait::async_trait;

use super::StoreError;
use crate::domain::event::{Event, EventKind};

/// Publishes events to every subscriber; slow subscribers miss events rather than slowing
/// the publisher. Every event gets a sequence number greater than any given before, also
/// across restarts on the same data dir (numbers may skip, they never repeat).
pub trait EventBus: Send + Sync {
    /// Publishes an event and returns the sequence number it was given.
    fn publish(&self, kind: EventKind) -> u64;

    /// A subscription to every event published from now on.
    fn subscribe(&self) -> Box<dyn Subscription>;

    /// For a client that saw every event up to `since`: a subscription to every event
    /// published from now on, and the events in between as far as they are still kept. An
    /// event is never in both, and none between the two is lost.
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
    pub live: Box<dyn Subscription>,
    pub replay: Replay,
}

/// One subscriber's events, in publishing order. A subscriber that falls behind the bus
/// misses events (and is told how many) rather than slowing the publishers.
#[async_trait]
pub trait Subscription: Send {
    /// Waits for the next event, or a gap, or the bus's end.
    ///
    /// Cancel safe, and every implementation must keep it so: a `next()` dropped before it
    /// completes (the losing branch of a `select!`) has taken nothing, so the event it would
    /// have returned is the next call's.
    async fn next(&mut self) -> Next;

    /// What [`Subscription::next`] would return now, without waiting: `None` when no event is
    /// waiting yet.
    fn try_next(&mut self) -> Option<Next>;

    /// `first` and what else is waiting now, `max` in all at most: what a subscriber that
    /// writes to disk takes into one write, so a burst costs a few commits and it keeps up.
    fn with_waiting(&mut self, first: Next, max: usize) -> Vec<Next> {
        let mut batch = vec![first];
        while batch.len() < max
            && let Some(next) = self.try_next()
        {
            batch.push(next);
        }
        batch
    }
}

/// What a [`Subscription`] gives next.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "nearly every value is an event, moved once to its subscriber: boxing would add an allocation per event for the rare gap"
)]
pub enum Next {
    /// The next event.
    Event(Event),
    /// The subscriber fell behind and this many events are gone for it; the one after them
    /// comes next.
    Missed(u64),
    /// The bus is gone: no event will follow.
    Closed,
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
