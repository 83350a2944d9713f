use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::domain::episode::EpisodeId;
use crate::domain::series::SeriesKey;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap()
}

fn item(episode: u32, priority: Priority, position: i64) -> QueueItem {
    QueueItem::new(
        NewItem {
            series: SeriesKey::parse("attack-on-titan").unwrap(),
            folder: "Attack on Titan (2013)".into(),
            series_name: "Attack on Titan".into(),
            episode: EpisodeId::new(1, episode),
            title: None,
            priority,
            origin: Origin::User,
        },
        position,
        t0(),
    )
}

#[test]
fn an_item_goes_pending_downloading_completed() {
    let mut i = item(1, Priority::Normal, 0);
    assert_eq!(i.status(), Status::Pending);
    i.start(t0()).unwrap();
    assert_eq!(
        (i.status(), i.started_at()),
        (Status::Downloading, Some(t0()))
    );
    i.complete("a/b.mp4".into(), t0()).unwrap();
    assert_eq!(i.status(), Status::Completed);
    assert_eq!(i.file(), Some("a/b.mp4"));
}

#[test]
fn finished_items_cannot_start_or_complete_again() {
    let mut i = item(1, Priority::Normal, 0);
    assert_eq!(
        i.complete("x".into(), t0()),
        Err(TransitionError {
            from: Status::Pending,
            to: Status::Completed
        })
    );
    i.start(t0()).unwrap();
    i.fail("nope".into(), t0()).unwrap();
    assert!(i.start(t0()).is_err());
    assert!(i.cancel().is_err());
    assert_eq!(
        TransitionError {
            from: Status::Failed,
            to: Status::Downloading
        }
        .to_string(),
        "a failed item cannot become downloading"
    );
}

#[test]
fn a_retry_waits_for_its_backoff_and_counts() {
    let mut i = item(1, Priority::Normal, 0);
    i.start(t0()).unwrap();
    i.retry_later("VOE: timeout".into(), t0() + retry_backoff(1))
        .unwrap();
    assert_eq!(
        (i.status(), i.retry_count(), i.auto_retries()),
        (Status::Pending, 1, 1)
    );
    assert!(!i.is_ready(t0() + Duration::seconds(1)));
    assert!(i.is_ready(t0() + Duration::seconds(2)));
    assert_eq!(i.error(), Some("VOE: timeout"));
}

#[test]
fn the_users_retry_gives_a_fresh_budget_and_clears_the_error() {
    let mut i = item(1, Priority::Normal, 0);
    i.start(t0()).unwrap();
    i.retry_later("x".into(), t0()).unwrap();
    i.start(t0()).unwrap();
    i.fail("all failed".into(), t0()).unwrap();
    i.retry_by_user().unwrap();
    assert_eq!(i.status(), Status::Pending);
    assert_eq!((i.retry_count(), i.auto_retries()), (2, 0));
    assert_eq!((i.error(), i.completed_at()), (None, None));
    assert!(item(2, Priority::Low, 1).retry_by_user().is_err());
}

#[test]
fn an_interrupted_download_keeps_its_partial_file() {
    let mut i = item(1, Priority::Normal, 0);
    i.start(t0()).unwrap();
    i.checkpoint(Some(Partial::Direct {
        bytes: 100,
        total: Some(1000),
    }))
    .unwrap();
    i.interrupt().unwrap();
    assert_eq!(i.status(), Status::Pending);
    assert_eq!(i.partial().unwrap().bytes(), 100);
    let mut j = item(2, Priority::Normal, 0);
    j.start(t0()).unwrap();
    j.checkpoint(i.partial()).unwrap();
    j.cancel().unwrap();
    assert_eq!((j.status(), j.partial()), (Status::Cancelled, None));
}

#[test]
fn backoff_doubles_from_two_seconds_up_to_ten_minutes() {
    let secs: Vec<i64> = [1, 2, 3, 4, 12]
        .map(|n| retry_backoff(n).num_seconds())
        .into();
    assert_eq!(secs, [2, 4, 8, 16, 600]);
}

#[test]
fn high_goes_before_normal_before_low_then_by_position() {
    let items = vec![
        item(1, Priority::Low, 0),
        item(2, Priority::Normal, 3),
        item(3, Priority::High, 5),
        item(4, Priority::Normal, 1),
    ];
    let mut sorted = items.clone();
    sorted.sort_by(queue_order);
    let order: Vec<u32> = sorted.iter().map(|i| i.episode().episode).collect();
    assert_eq!(order, [3, 4, 2, 1]);
    assert_eq!(next_ready(&items, t0()).unwrap().episode().episode, 3);
}

#[test]
fn the_next_item_skips_busy_finished_and_waiting_ones() {
    let mut busy = item(1, Priority::High, 0);
    busy.start(t0()).unwrap();
    let mut waiting = item(2, Priority::High, 1);
    waiting.start(t0()).unwrap();
    waiting
        .wait_for_hosters("resting".into(), t0() + Duration::seconds(30))
        .unwrap();
    let ready = item(3, Priority::Low, 2);
    let items = [busy, waiting, ready];
    assert_eq!(next_ready(&items, t0()).unwrap().episode().episode, 3);
    assert_eq!(
        next_ready(&items, t0() + Duration::seconds(30))
            .unwrap()
            .episode()
            .episode,
        2
    );
}

#[test]
fn reordering_puts_the_listed_items_first_and_keeps_the_rest_in_order() {
    let items: Vec<QueueItem> = (0..5)
        .map(|n| item(n, Priority::Normal, i64::from(n)))
        .collect();
    let ids = [items[3].id(), items[1].id()];
    let (changed, count) = reorder(&items, &ids).unwrap();
    assert_eq!(count, 2);
    let mut after = items.clone();
    for c in changed {
        let slot = after.iter_mut().find(|i| i.id() == c.id()).unwrap();
        *slot = c;
    }
    after.sort_by(queue_order);
    let order: Vec<u32> = after.iter().map(|i| i.episode().episode).collect();
    assert_eq!(order, [3, 1, 0, 2, 4]);
}

#[test]
fn moving_one_item_to_the_front_changes_only_that_item() {
    let items: Vec<QueueItem> = (0..1000)
        .map(|n| item(n, Priority::Normal, i64::from(n)))
        .collect();
    let (changed, count) = reorder(&items, &[items[500].id()]).unwrap();
    assert_eq!((changed.len(), count), (1, 1));
    assert!(changed[0].position() < 0, "before every other pending item");
    let mut after = items.clone();
    after[500] = changed[0].clone();
    after.sort_by(queue_order);
    assert_eq!(after[0].episode().episode, 500);
    assert_eq!(after[1].episode().episode, 0);
}

#[test]
fn reordering_every_pending_item_keeps_them_together() {
    let items: Vec<QueueItem> = (0..3)
        .map(|n| item(n, Priority::Normal, i64::from(n) + 10))
        .collect();
    let ids = [items[2].id(), items[0].id(), items[1].id()];
    let (changed, _) = reorder(&items, &ids).unwrap();
    let mut after = items.clone();
    for c in changed {
        let id = c.id();
        *after.iter_mut().find(|i| i.id() == id).unwrap() = c;
    }
    after.sort_by(queue_order);
    let order: Vec<u32> = after.iter().map(|i| i.episode().episode).collect();
    assert_eq!(order, [2, 0, 1]);
}

#[test]
fn reordering_refuses_unknown_duplicate_and_empty_lists() {
    let items: Vec<QueueItem> = (0..2)
        .map(|n| item(n, Priority::Normal, i64::from(n)))
        .collect();
    let stranger = ItemId::new();
    assert_eq!(
        reorder(&items, &[stranger]),
        Err(ReorderError::Unknown(stranger))
    );
    assert_eq!(
        reorder(&items, &[items[0].id(), items[0].id()]),
        Err(ReorderError::Duplicate(items[0].id()))
    );
    assert_eq!(reorder(&items, &[]), Err(ReorderError::Empty));
}

#[test]
fn an_item_that_started_meanwhile_is_not_moved() {
    let mut items: Vec<QueueItem> = (0..3)
        .map(|n| item(n, Priority::Normal, i64::from(n)))
        .collect();
    items[2].start(t0()).unwrap();
    let (changed, count) = reorder(&items, &[items[2].id(), items[1].id()]).unwrap();
    assert_eq!(count, 1);
    assert!(changed.iter().all(|c| c.id() != items[2].id()));
}

#[test]
fn throughput_is_measured_over_the_window() {
    let mut t = Throughput::new(2000);
    assert_eq!(t.bytes_per_second(), 0.0);
    t.record(0, 0);
    t.record(1000, 1000);
    assert_eq!(t.bytes_per_second(), 1000.0);
    // A burst long ago no longer counts once the window has moved on.
    t.record(5000, 1000);
    t.record(6000, 3000);
    assert_eq!(t.bytes_per_second(), 2000.0);
}

#[test]
fn progress_gives_percent_and_eta() {
    let p = Progress::new(250, Some(1000), 0.25, 50.0);
    assert_eq!((p.percent, p.eta_seconds), (25.0, Some(15)));
    let unknown = Progress::new(250, None, 0.0, 50.0);
    assert_eq!(unknown.eta_seconds, None);
}

#[test]
fn statistics_count_states_and_estimate_the_remaining_time() {
    let mut done = item(1, Priority::Normal, 0);
    done.start(t0()).unwrap();
    done.record_progress(Progress::new(1000, Some(1000), 1.0, 0.0), 2000)
        .unwrap();
    done.complete("f".into(), t0()).unwrap();
    let mut active = item(2, Priority::Normal, 1);
    active.start(t0()).unwrap();
    active
        .record_progress(Progress::new(400, Some(1000), 0.4, 200.0), 0)
        .unwrap();
    let pending = item(3, Priority::Normal, 2);
    let mut failed = item(4, Priority::Normal, 3);
    failed.start(t0()).unwrap();
    failed.fail("x".into(), t0()).unwrap();
    let s = QueueStatistics::of(&[done, active, pending, failed]);
    assert_eq!(
        (
            s.total_items,
            s.pending_count,
            s.active_count,
            s.completed_count,
            s.failed_count
        ),
        (4, 1, 1, 1, 1)
    );
    assert_eq!(s.downloaded_bytes, 1400);
    assert_eq!(s.bytes_per_second, 200.0);
    // 600 bytes left of the active item, 1000 guessed for the pending one, at 200 B/s.
    assert_eq!(s.eta_seconds, Some(8));
}

#[test]
fn without_any_speed_the_average_of_past_transfers_is_used() {
    let mut done = item(1, Priority::Normal, 0);
    done.start(t0()).unwrap();
    done.record_progress(Progress::new(3000, Some(3000), 1.0, 0.0), 1500)
        .unwrap();
    done.complete("f".into(), t0()).unwrap();
    let s = QueueStatistics::of(&[done, item(2, Priority::Normal, 1)]);
    assert_eq!(s.bytes_per_second, 2000.0);
    assert_eq!(s.eta_seconds, Some(2));
    let empty = QueueStatistics::of(&[]);
    assert_eq!((empty.bytes_per_second, empty.eta_seconds), (0.0, Some(0)));
}

#[test]
fn episode_keys_round_trip_through_their_text_form() {
    let key = EpisodeKey::new(SeriesKey::parse("a-b").unwrap(), EpisodeId::new(0, 3));
    assert_eq!(key.to_key(), "a-b/0-3");
    assert_eq!(EpisodeKey::parse("a-b/0-3"), Some(key));
    assert_eq!(EpisodeKey::parse("A/1-1"), None);
}

#[test]
fn priorities_parse_case_insensitively() {
    assert_eq!(Priority::parse("high"), Some(Priority::High));
    assert_eq!(Priority::parse("urgent"), None);
    assert_eq!(serde_json::to_string(&Priority::Low).unwrap(), "\"LOW\"");
    assert_eq!(
        serde_json::to_string(&Status::Downloading).unwrap(),
        "\"downloading\""
    );
}

#[test]
fn waiting_for_resting_hosters_uses_no_retry() {
    let mut i = item(1, Priority::Normal, 0);
    i.start(t0()).unwrap();
    i.wait_for_hosters("VOE rests".into(), t0() + Duration::seconds(60))
        .unwrap();
    assert_eq!(
        (i.status(), i.retry_count(), i.auto_retries()),
        (Status::Pending, 0, 0)
    );
    assert!(!i.is_ready(t0() + Duration::seconds(59)));
    assert!(i.is_ready(t0() + Duration::seconds(60)));
}
