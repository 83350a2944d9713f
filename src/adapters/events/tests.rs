//! The bus: numbering, resuming without gaps or duplicates, numbers across restarts.

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::FutureExt;

use super::*;
use crate::adapters::clock::SystemClock;
use crate::ports::events::{Next, Replay};

fn info(message: &str) -> EventKind {
    EventKind::SystemInfo {
        message: message.into(),
    }
}

/// The store's mark, in memory.
#[derive(Default)]
struct Mark(Mutex<u64>);

#[async_trait]
impl SeqStore for Mark {
    async fn reserved_seq(&self) -> Result<u64, StoreError> {
        Ok(*self.0.lock().unwrap())
    }

    async fn reserve_seq(&self, upto: u64) -> Result<(), StoreError> {
        let mut mark = self.0.lock().unwrap();
        *mark = (*mark).max(upto);
        Ok(())
    }
}

fn replayed(replay: Replay) -> Vec<u64> {
    match replay {
        Replay::Complete(events) => events.iter().map(|e| e.seq).collect(),
        Replay::Incomplete { oldest_kept } => panic!("incomplete, oldest {oldest_kept:?}"),
    }
}

#[tokio::test]
async fn events_are_numbered_in_publishing_order() {
    let bus = BroadcastBus::new(Arc::new(SystemClock));
    let mut rx = bus.subscribe();
    bus.publish(info("a"));
    bus.publish(info("b"));
    for seq in [1, 2] {
        let Next::Event(event) = rx.next().await else {
            panic!("expected event {seq}");
        };
        assert_eq!(event.seq, seq);
    }
}

#[tokio::test]
async fn a_subscriber_that_fell_behind_is_told_how_many_it_missed_then_gets_the_rest() {
    let bus = BroadcastBus::new(Arc::new(SystemClock));
    let mut rx = bus.subscribe();
    for _ in 0..CAPACITY + 6 {
        bus.publish(info("x"));
    }
    assert_eq!(rx.try_next(), Some(Next::Missed(6)));
    assert!(matches!(rx.next().await, Next::Event(e) if e.seq == 7));
    drop(bus);
    let mut rest = 0;
    while let Next::Event(_) = rx.next().await {
        rest += 1;
    }
    assert_eq!(rest, CAPACITY - 1, "then the end of the bus");
    assert_eq!(rx.try_next(), Some(Next::Closed));
}

#[tokio::test]
async fn a_next_dropped_while_it_waited_loses_no_event() {
    let bus = BroadcastBus::new(Arc::new(SystemClock));
    let mut rx = bus.subscribe();
    assert_eq!(rx.try_next(), None, "nothing published yet");
    let mut waiting = rx.next();
    assert!((&mut waiting).now_or_never().is_none());
    // Published while it waited, then dropped unpolled: a select! whose other branch won.
    bus.publish(info("a"));
    drop(waiting);
    assert!(matches!(rx.next().await, Next::Event(e) if e.seq == 1));
}

#[tokio::test]
async fn a_resumed_client_gets_the_missed_events_then_the_live_ones_each_once() {
    let bus = Arc::new(BroadcastBus::new(Arc::new(SystemClock)));
    for _ in 0..10 {
        bus.publish(info("before"));
    }
    // Publishers keep going while the client resumes.
    let publisher = {
        let bus = bus.clone();
        std::thread::spawn(move || {
            for _ in 0..500 {
                bus.publish(info("during"));
            }
        })
    };
    let mut resumed = bus.resume(4);
    publisher.join().unwrap();
    let mut seen = replayed(resumed.replay);
    while let Some(Next::Event(event)) = resumed.live.try_next() {
        seen.push(event.seq);
    }
    assert_eq!(seen, (5..=510).collect::<Vec<u64>>());
}

#[tokio::test]
async fn numbers_continue_above_every_reserved_number_after_a_restart() {
    let mark = Arc::new(Mark::default());
    let first = BroadcastBus::open(Arc::new(SystemClock), mark.clone())
        .await
        .unwrap();
    let last_before = (0..3).map(|_| first.publish(info("x"))).last().unwrap();
    assert_eq!(last_before, 3);
    drop(first);
    let second = BroadcastBus::open(Arc::new(SystemClock), mark.clone())
        .await
        .unwrap();
    let after = second.publish(info("y"));
    assert!(after > last_before, "{after} > {last_before}");
    assert_eq!(after, SEQ_BLOCK + 1);
    // A client from the first run cannot be replayed to: its events are gone.
    assert!(matches!(
        second.resume(last_before).replay,
        Replay::Incomplete {
            oldest_kept: Some(_)
        }
    ));
}

#[tokio::test]
async fn the_next_block_is_reserved_before_the_current_one_runs_out() {
    let mark = Arc::new(Mark::default());
    let bus = BroadcastBus::open(Arc::new(SystemClock), mark.clone())
        .await
        .unwrap();
    assert_eq!(*mark.0.lock().unwrap(), SEQ_BLOCK);
    // Half of the block used: the next one is asked for.
    for _ in 0..=SEQ_BLOCK / 2 {
        bus.publish(info("x"));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while *mark.0.lock().unwrap() < 2 * SEQ_BLOCK {
        assert!(tokio::time::Instant::now() < deadline, "never reserved");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(bus.recent().last_seq, SEQ_BLOCK / 2 + 1);
}

#[test]
fn the_buffer_is_bounded_and_reports_its_size() {
    let bus = BroadcastBus::new(Arc::new(SystemClock)).with_limits(100, usize::MAX);
    for _ in 0..250 {
        bus.publish(info("x"));
    }
    let recent = bus.recent();
    assert_eq!(
        (recent.events, recent.oldest_seq, recent.last_seq),
        (100, Some(151), 250)
    );
    assert!(recent.bytes > 100 * std::mem::size_of::<Event>());
    assert_eq!(
        replayed(bus.resume(240).replay),
        (241..=250).collect::<Vec<_>>()
    );
    assert!(matches!(bus.resume(149).replay, Replay::Incomplete { .. }));
}
