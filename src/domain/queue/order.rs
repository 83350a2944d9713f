//! Which item a worker takes next (CONTRACT.md section 5): HIGH before NORMAL before LOW,
//! within a priority by position (insertion order, changed by reordering).

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::{ItemId, QueueItem, Status};

/// The queue order of two items: higher priority first, then lower position.
pub fn queue_order(a: &QueueItem, b: &QueueItem) -> Ordering {
    b.priority()
        .rank()
        .cmp(&a.priority().rank())
        .then(a.position().cmp(&b.position()))
        .then(a.added_at().cmp(&b.added_at()))
}

/// The item a worker should take now: the first ready item in queue order.
pub fn next_ready<'a>(
    items: impl IntoIterator<Item = &'a QueueItem>,
    now: DateTime<Utc>,
) -> Option<&'a QueueItem> {
    items
        .into_iter()
        .filter(|i| i.is_ready(now))
        .min_by(|a, b| queue_order(a, b))
}

/// Why a reorder was refused; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReorderError {
    /// The list names no item.
    #[error("item_ids must name at least one item")]
    Empty,
    /// An id is not in the queue.
    #[error("no queue item {0}")]
    Unknown(ItemId),
    /// An id appears twice.
    #[error("item {0} is listed twice")]
    Duplicate(ItemId),
}

/// Puts the pending items named in `ids` first, in that order, followed by the other pending
/// items in their current order. Priority still comes first when workers pick; the new order
/// applies within each priority. Only the listed items move (to positions before every
/// other pending item), so moving one item writes one item, not the queue. Items that are
/// known but no longer pending (a download that just started) are left where they are.
/// Answers the items whose position changed and how many listed items were reordered.
///
/// # Errors
/// [`ReorderError`] for an empty list, an unknown id or an id listed twice.
pub fn reorder(
    items: &[QueueItem],
    ids: &[ItemId],
) -> Result<(Vec<QueueItem>, usize), ReorderError> {
    if ids.is_empty() {
        return Err(ReorderError::Empty);
    }
    let by_id: HashMap<ItemId, &QueueItem> = items.iter().map(|i| (i.id(), i)).collect();
    let mut listed = HashSet::with_capacity(ids.len());
    for id in ids {
        if !by_id.contains_key(id) {
            return Err(ReorderError::Unknown(*id));
        }
        if !listed.insert(*id) {
            return Err(ReorderError::Duplicate(*id));
        }
    }
    let first: Vec<&QueueItem> = ids
        .iter()
        .map(|id| by_id[id])
        .filter(|i| i.status() == Status::Pending)
        .collect();
    let unlisted_front = items
        .iter()
        .filter(|i| i.status() == Status::Pending && !listed.contains(&i.id()))
        .map(|i| i.position())
        .min();
    // The listed items take the positions just before the first unlisted pending item (or
    // keep the range they had, when all pending items are listed).
    let end = unlisted_front.unwrap_or_else(|| {
        first.iter().map(|i| i.position()).min().unwrap_or(0) + first.len() as i64
    });
    let start = end - first.len() as i64;
    let reordered = first.len();
    let changed = first
        .into_iter()
        .enumerate()
        .filter(|(offset, item)| item.position() != start + *offset as i64)
        .map(|(offset, item)| {
            let mut item = item.clone();
            item.move_to(start + offset as i64);
            item
        })
        .collect();
    Ok((changed, reordered))
}
