//! Resuming: `?since=<seq>` replays the events a reconnecting client missed, `?rooms=` puts
//! it in rooms from the start, so the replay covers their events too; a room joined later
//! with the `join` message (API.md section 8) gets its own replay then ([`Resume::join`]).
//!
//! A client that saw every event up to `since` is sent, before anything live, each later
//! event it is entitled to (authenticated, and in its rooms) from the bus's buffer of recent
//! events, in order, then a `system_info` with `replayed`. When some are gone (older than the
//! buffer, from before a restart, or a number not given yet) it gets a `system_info` with
//! `missed: true` and, in the `downloads` room, a `queue_status` snapshot of the queue now:
//! its cue to fetch the state afresh. Live events follow with no gap and none twice.

use std::collections::HashSet;

use futures_util::{Sink, SinkExt};
use poem::web::websocket::Message;
use serde_json::json;

use super::ROOMS;
use super::session::{message, outgoing, room_of, wanted};
use crate::adapters::http::error::ApiError;
use crate::app::App;
use crate::ports::events::Replay;

/// Where a connection starts: the last event its client saw, and its rooms.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Start {
    pub since: Option<u64>,
    pub rooms: HashSet<String>,
}

impl Start {
    /// The query parameters `since` (a number ≥ 0) and `rooms` (comma-separated room names).
    ///
    /// # Errors
    /// A 422 naming the parameter, for a `since` that is not a whole number ≥ 0 or an unknown
    /// room.
    pub fn parse(since: Option<&str>, rooms: Option<&str>) -> Result<Self, ApiError> {
        let since = since
            .map(|s| {
                s.trim().parse::<u64>().map_err(|_| {
                    ApiError::validation(
                        "since must be the seq of the last event seen: a whole number, 0 or more",
                    )
                    .with_details(json!({ "field": "since", "value": s }))
                })
            })
            .transpose()?;
        let mut wanted = HashSet::new();
        for room in rooms.unwrap_or_default().split(',').map(str::trim) {
            if room.is_empty() {
                continue;
            }
            if !ROOMS.contains(&room) {
                return Err(ApiError::validation(format!("Unknown room {room:?}"))
                    .with_details(json!({ "field": "rooms", "rooms": ROOMS })));
            }
            wanted.insert(room.to_owned());
        }
        Ok(Self {
            since,
            rooms: wanted,
        })
    }
}

/// Sends what a client that saw everything up to `since` missed; answers the number of the
/// last event replayed (live events up to it are not sent again).
pub(super) async fn replay<S>(
    sink: &mut S,
    app: &App,
    since: u64,
    replay: Replay,
    rooms: &HashSet<String>,
) -> Result<u64, S::Error>
where
    S: Sink<Message> + Unpin,
{
    match replay {
        Replay::Complete(events) => {
            let mut last = since;
            let mut sent = 0u64;
            // Events of rooms not joined yet: kept for the join, and said so.
            let mut held = serde_json::Map::new();
            for event in events.iter().filter(|e| e.seq > since) {
                last = event.seq;
                if wanted(event, rooms) {
                    // Fed, not sent: one flush for the lot.
                    sink.feed(outgoing(event)).await?;
                    sent += 1;
                } else if let Some(room) = room_of(&event.kind) {
                    let count = held.entry(room).or_insert(json!(0u64));
                    *count = json!(count.as_u64().unwrap_or(0) + 1);
                }
            }
            let mut message_text = format!("Replayed {sent} missed events");
            for (room, count) in &held {
                message_text.push_str(&format!(
                    "; {count} more in room {room} follow a join of it"
                ));
            }
            let notice = json!({
                "message": message_text,
                "since": since,
                "replayed": sent,
                "missed": false,
                "held_back": held,
            });
            sink.send(message("system_info", notice)).await?;
            Ok(last)
        }
        Replay::Incomplete { oldest_kept } => {
            let notice = json!({
                "message": format!("Some events after {since} are no longer kept; showing the current state"),
                "since": since,
                "missed": true,
                "oldest_seq": oldest_kept,
            });
            sink.feed(message("system_info", notice)).await?;
            if rooms.contains("downloads") {
                sink.feed(message("queue_status", queue_snapshot(app)))
                    .await?;
            }
            sink.flush().await?;
            // Nothing was replayed, so no live event can repeat one.
            Ok(0)
        }
    }
}

/// What a resumed connection (`since` given, authenticated) owes its client when it joins a
/// room: that room's events after `since`, which the connect-time replay held back.
#[derive(Debug)]
pub(super) struct Resume {
    since: u64,
    /// Every event up to this number has been dealt with for this connection (sent, or
    /// skipped as not wanted then), by a replay or live.
    settled: u64,
    /// Rooms whose events after `since` were replayed already: each is replayed once.
    replayed: HashSet<String>,
}

impl Resume {
    /// After the connect-time replay in `rooms`, which settled every event up to `settled`.
    pub(super) fn new(since: u64, settled: u64, rooms: &HashSet<String>) -> Self {
        Self {
            since,
            settled,
            replayed: rooms.clone(),
        }
    }

    /// A live event reached the connection (sent or skipped).
    pub(super) fn settle(&mut self, seq: u64) {
        self.settled = self.settled.max(seq);
    }

    /// Whether a live event was already sent by a replay.
    pub(super) fn replayed_already(&self, seq: u64) -> bool {
        seq <= self.settled
    }

    /// The client just joined `room` (now in `rooms`): sends, in order, the room's events
    /// after `since` that were held back, and any event published since the live stream
    /// last delivered one (those are then not sent live again), then a `system_info` with
    /// `replayed`; or, when some are gone, the `missed` notice and a snapshot as at connect.
    pub(super) async fn join<S>(
        &mut self,
        sink: &mut S,
        app: &App,
        room: &str,
        rooms: &HashSet<String>,
    ) -> Result<(), S::Error>
    where
        S: Sink<Message> + Unpin,
    {
        if !self.replayed.insert(room.to_owned()) {
            return Ok(());
        }
        let since = self.since;
        // The new receiver is not needed: the connection's own goes on.
        let Replay::Complete(events) = app.events.resume(since).replay else {
            let notice = json!({
                "message": format!("Some events of room {room} after {since} are no longer kept; showing the current state"),
                "since": since,
                "room": room,
                "missed": true,
            });
            sink.feed(message("system_info", notice)).await?;
            if room == "downloads" {
                sink.feed(message("queue_status", queue_snapshot(app)))
                    .await?;
            }
            return sink.flush().await;
        };
        let mut sent = 0u64;
        for event in events.iter().filter(|e| e.seq > since) {
            let send = if event.seq <= self.settled {
                room_of(&event.kind) == Some(room)
            } else {
                wanted(event, rooms)
            };
            if send {
                sink.feed(outgoing(event)).await?;
                sent += 1;
            }
            self.settle(event.seq);
        }
        let notice = json!({
            "message": format!("Replayed {sent} missed events of room {room}"),
            "since": since,
            "room": room,
            "replayed": sent,
            "missed": false,
        });
        sink.send(message("system_info", notice)).await
    }
}

/// The `queue_status` data of the queue now (the fields of the queue's own event).
fn queue_snapshot(app: &App) -> serde_json::Value {
    let q = app.queue.status();
    json!({
        "is_running": q.is_running,
        "is_paused": q.is_paused,
        "pending": q.pending.len(),
        "active": q.active.len(),
        "completed": q.completed.len(),
        "failed": q.failed.len(),
        "snapshot": true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_and_rooms_are_read_from_the_query() {
        let start = Start::parse(Some("42"), Some("downloads")).unwrap();
        assert_eq!(start.since, Some(42));
        assert!(start.rooms.contains("downloads"));
        assert_eq!(Start::parse(None, None).unwrap(), Start::default());
        assert_eq!(Start::parse(Some("0"), Some("")).unwrap().since, Some(0));
    }

    #[test]
    fn a_since_that_is_not_a_whole_number_or_an_unknown_room_is_a_422() {
        for bad in ["-1", "abc", "", "1.5", "18446744073709551616"] {
            let e = Start::parse(Some(bad), None).unwrap_err();
            assert_eq!(e.status().as_u16(), 422, "{bad}");
        }
        let e = Start::parse(None, Some("downloads,secrets")).unwrap_err();
        assert_eq!(e.status().as_u16(), 422);
    }
}
