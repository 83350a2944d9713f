//! The in-process event bus: a tokio broadcast channel that numbers every event, keeps the
//! recent ones for clients that reconnect, and reserves its numbers durably in blocks.
//!
//! Publishing takes one short lock (number, keep, send), so the buffer, the channel and the
//! numbers agree on one order and a resuming client is never sent an event twice or not at
//! all. The number mark is written ahead of use: a block of [`SEQ_BLOCK`] numbers at start,
//! the next one in the background when half of the current block is used. A restart begins
//! above the last reserved number, so it never reuses one, and publishing writes nothing
//! (about one write every 2,048 events).
//!
//! - `recent`: the bounded buffer of recent events;
//! - `subscription`: a subscriber's receiver on the channel, as the port's `Subscription`.

mod recent;
mod subscription;

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::domain::event::{Event, EventKind};
use crate::lock::MutexRecover;
use crate::ports::events::{RecentEvents, Resumed, Subscription};
use crate::ports::{Clock, EventBus, SeqStore, StoreError};
use recent::Recent;
use subscription::Live;

/// Events kept for slow subscribers before they start missing some: a queue add of a
/// thousand episodes makes a thousand events and the history as many again, which the
/// durable subscribers (history, connections) take in batches.
const CAPACITY: usize = 4096;
/// Recent events kept for reconnecting clients: about 17 minutes of one download's progress
/// (4 a second).
pub const RECENT_EVENTS: usize = 4096;
/// ... and at most about this much memory for them.
pub const RECENT_BYTES: usize = 2 * 1024 * 1024;
/// Numbers reserved in the store at a time.
const SEQ_BLOCK: u64 = 4096;

/// A broadcast bus; cheap to share behind an `Arc`.
pub struct BroadcastBus {
    /// Shared with the recent buffer: a slot holds a pointer, not an event (4,096 events of
    /// 384 bytes each would be 1.6 MiB from the start, as the channel fills its slots).
    sender: broadcast::Sender<Arc<Event>>,
    state: Mutex<State>,
    clock: Arc<dyn Clock>,
    seqs: Option<Arc<dyn SeqStore>>,
    /// The highest number known to be reserved durably.
    durable: Arc<AtomicU64>,
}

struct State {
    next: u64,
    /// The highest number asked to be reserved.
    reserved: u64,
    recent: Recent,
}

impl BroadcastBus {
    /// A bus stamping events with `clock` and numbering them from 1, remembering nothing
    /// across restarts (for tests of the use cases).
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self::starting_at(clock, 0, u64::MAX, None)
    }

    /// A bus whose numbers continue above every number `seqs` reserved before.
    ///
    /// # Errors
    /// The store's, when the mark cannot be read or the first block reserved.
    pub async fn open(clock: Arc<dyn Clock>, seqs: Arc<dyn SeqStore>) -> Result<Self, StoreError> {
        let floor = seqs.reserved_seq().await?;
        let reserved = floor.saturating_add(SEQ_BLOCK);
        seqs.reserve_seq(reserved).await?;
        Ok(Self::starting_at(clock, floor, reserved, Some(seqs)))
    }

    /// The same with buffer limits of its own (for tests and the figures).
    pub fn with_limits(self, max_events: usize, max_bytes: usize) -> Self {
        let mut state = self.lock();
        let floor = state.next - 1;
        state.recent = Recent::new(max_events, max_bytes, floor);
        drop(state);
        self
    }

    fn starting_at(
        clock: Arc<dyn Clock>,
        floor: u64,
        reserved: u64,
        seqs: Option<Arc<dyn SeqStore>>,
    ) -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
            state: Mutex::new(State {
                next: floor + 1,
                reserved,
                recent: Recent::new(RECENT_EVENTS, RECENT_BYTES, floor),
            }),
            clock,
            seqs,
            durable: Arc::new(AtomicU64::new(reserved)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is consistent after every statement: a panic elsewhere leaves it usable.
        self.state.lock_or_recover()
    }

    /// Writes the new mark off the publisher's path.
    fn reserve_in_background(&self, upto: u64) {
        let (Some(seqs), Ok(runtime)) = (self.seqs.clone(), tokio::runtime::Handle::try_current())
        else {
            return;
        };
        let durable = self.durable.clone();
        runtime.spawn(async move {
            match seqs.reserve_seq(upto).await {
                Ok(()) => {
                    durable.fetch_max(upto, Ordering::Relaxed);
                }
                Err(e) => tracing::warn!(error = %e, upto, "event numbers not reserved"),
            }
        });
    }
}

/// About the memory an event holds in the buffer: the event, its slot, and its strings (its
/// JSON length stands for them, whatever kinds of event come later).
fn approx_size(kind: &EventKind) -> usize {
    struct Count(usize);
    impl Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, kind);
    std::mem::size_of::<Event>() + 2 * std::mem::size_of::<usize>() + 16 + count.0
}

impl EventBus for BroadcastBus {
    fn publish(&self, kind: EventKind) -> u64 {
        let at = self.clock.now();
        let size = approx_size(&kind);
        let mut state = self.lock();
        let seq = state.next;
        state.next += 1;
        let reserve = (seq.saturating_add(SEQ_BLOCK / 2) > state.reserved).then(|| {
            state.reserved = state.reserved.saturating_add(SEQ_BLOCK);
            state.reserved
        });
        let event = Arc::new(Event { seq, at, kind });
        state.recent.push(event.clone(), size);
        // No subscriber is not an error: events are fire-and-forget.
        let _ = self.sender.send(event);
        drop(state);
        if seq > self.durable.load(Ordering::Relaxed) {
            tracing::warn!(seq, "event number handed out before it was reserved");
        }
        if let Some(upto) = reserve {
            self.reserve_in_background(upto);
        }
        seq
    }

    fn subscribe(&self) -> Box<dyn Subscription> {
        Box::new(Live(self.sender.subscribe()))
    }

    fn resume(&self, since: u64) -> Resumed {
        let state = self.lock();
        // Under the publishers' lock: the receiver starts exactly after the replay's last event.
        Resumed {
            live: Box::new(Live(self.sender.subscribe())),
            replay: state.recent.since(since),
        }
    }

    fn recent(&self) -> RecentEvents {
        self.lock().recent.stats()
    }
}

#[cfg(test)]
mod tests;
