//! The bounded buffer of recent events a reconnecting client is replayed from: the newest
//! events in publishing order, at most `max_events` of them and about `max_bytes` of memory.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::domain::event::Event;
use crate::ports::events::{RecentEvents, Replay};

/// Recent events, oldest first.
pub(super) struct Recent {
    events: VecDeque<(Arc<Event>, usize)>,
    bytes: usize,
    max_events: usize,
    max_bytes: usize,
    /// Every event numbered above `floor` is kept (or not published yet): the number of the
    /// last event dropped, or at start the last number an earlier run may have given.
    floor: u64,
    last: u64,
}

impl Recent {
    /// An empty buffer; numbers up to `floor` belong to earlier runs.
    pub(super) fn new(max_events: usize, max_bytes: usize, floor: u64) -> Self {
        Self {
            events: VecDeque::new(),
            bytes: 0,
            max_events: max_events.max(1),
            max_bytes,
            floor,
            last: floor,
        }
    }

    /// Keeps `event` (which holds about `bytes` of memory), dropping the oldest events while
    /// the buffer is over either limit. Events come in increasing order of number.
    pub(super) fn push(&mut self, event: Arc<Event>, bytes: usize) {
        self.last = event.seq;
        self.bytes += bytes;
        self.events.push_back((event, bytes));
        while self.events.len() > self.max_events
            || (self.bytes > self.max_bytes && self.events.len() > 1)
        {
            let Some((dropped, size)) = self.events.pop_front() else {
                break;
            };
            self.bytes -= size;
            self.floor = dropped.seq;
        }
    }

    /// The events numbered above `since`, if the buffer still has all of them.
    pub(super) fn since(&self, since: u64) -> Replay {
        if since < self.floor || since > self.last {
            return Replay::Incomplete {
                oldest_kept: self.oldest(),
            };
        }
        let start = self.events.partition_point(|(e, _)| e.seq <= since);
        Replay::Complete(self.events.range(start..).map(|(e, _)| e.clone()).collect())
    }

    fn oldest(&self) -> Option<u64> {
        self.events.front().map(|(e, _)| e.seq)
    }

    pub(super) fn stats(&self) -> RecentEvents {
        RecentEvents {
            events: self.events.len(),
            bytes: self.bytes,
            max_events: self.max_events,
            max_bytes: self.max_bytes,
            oldest_seq: self.oldest(),
            last_seq: self.last,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventKind;

    fn event(seq: u64) -> Arc<Event> {
        Arc::new(Event {
            seq,
            at: chrono::Utc::now(),
            kind: EventKind::SystemInfo {
                message: format!("event {seq}"),
            },
        })
    }

    fn seqs(replay: Replay) -> Vec<u64> {
        match replay {
            Replay::Complete(events) => events.iter().map(|e| e.seq).collect(),
            Replay::Incomplete { oldest_kept } => panic!("incomplete, oldest {oldest_kept:?}"),
        }
    }

    fn filled(max_events: usize, max_bytes: usize, floor: u64, n: u64) -> Recent {
        let mut recent = Recent::new(max_events, max_bytes, floor);
        for seq in floor + 1..=floor + n {
            recent.push(event(seq), 100);
        }
        recent
    }

    #[test]
    fn a_client_gets_every_later_event_in_order() {
        let recent = filled(10, 10_000, 0, 5);
        assert_eq!(seqs(recent.since(2)), vec![3, 4, 5]);
        assert_eq!(seqs(recent.since(0)), vec![1, 2, 3, 4, 5]);
        assert_eq!(seqs(recent.since(5)), Vec::<u64>::new());
    }

    #[test]
    fn the_buffer_keeps_at_most_max_events_the_newest() {
        let recent = filled(4, 10_000, 0, 10);
        let stats = recent.stats();
        assert_eq!(
            (stats.events, stats.oldest_seq, stats.last_seq),
            (4, Some(7), 10)
        );
        assert_eq!(stats.bytes, 400);
        assert_eq!(seqs(recent.since(6)), vec![7, 8, 9, 10]);
        assert!(matches!(
            recent.since(5),
            Replay::Incomplete {
                oldest_kept: Some(7)
            }
        ));
    }

    #[test]
    fn the_buffer_keeps_at_most_about_max_bytes() {
        let recent = filled(1000, 350, 0, 10);
        let stats = recent.stats();
        assert_eq!((stats.events, stats.bytes), (3, 300));
        assert_eq!(seqs(recent.since(7)), vec![8, 9, 10]);
        // One event larger than the cap is still kept: the newest is never dropped.
        let mut big = Recent::new(10, 50, 0);
        big.push(event(1), 80);
        assert_eq!(seqs(big.since(0)), vec![1]);
    }

    #[test]
    fn numbers_from_an_earlier_run_or_not_given_yet_are_incomplete() {
        // This run started above 4096: what happened up to it is not kept.
        let recent = filled(10, 10_000, 4096, 3);
        assert_eq!(seqs(recent.since(4096)), vec![4097, 4098, 4099]);
        assert!(matches!(recent.since(4000), Replay::Incomplete { .. }));
        assert!(matches!(recent.since(5000), Replay::Incomplete { .. }));
        // Before any event of this run, the one number seen last is still fine.
        let empty = Recent::new(10, 10_000, 4096);
        assert_eq!(seqs(empty.since(4096)), Vec::<u64>::new());
    }
}
