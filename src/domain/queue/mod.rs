//! The download queue's rules: an item and its states, priorities, the order workers take
//! items in, reordering, the backoff between retries, the statistics of the whole queue and
//! the memory of what was queued automatically or removed by the user.
//!
//! - `item`: the item, its states and their transitions;
//! - `values`: its id, status, priority, origin and resume checkpoint;
//! - `order`: which item comes next, and `POST /api/queue/reorder`;
//! - `stats`: throughput over a sliding window, per-item progress and queue statistics;
//! - `memory`: episodes auto-queued once, or removed by the user (whose "no" stands).

mod item;
mod memory;
mod order;
mod stats;
#[cfg(test)]
mod tests;
mod values;

pub use item::{
    ItemParts, ItemState, LastAttempt, NewItem, NoTransfer, QueueItem, Source, TransitionError,
};
pub use memory::{EpisodeKey, Remembered};
pub use order::{ReorderError, next_ready, queue_order, reorder};
pub use stats::{Progress, QueueStatistics, Throughput, mib};
pub use values::{Grab, ItemId, Origin, Partial, Priority, Status};

/// The wait before automatic retry number `retry` (1-based): 2 s, 4 s, 8 s, ... at most
/// 10 minutes. A site that failed a moment ago is given time to recover, without leaving a
/// user waiting long for the common quick hiccup.
pub fn retry_backoff(retry: u32) -> chrono::Duration {
    let secs = 2u64.saturating_pow(retry.clamp(1, 20)).min(600);
    chrono::Duration::seconds(secs as i64)
}
