//! Replay on a `join`: a client back with `since` and no `rooms` on the URL, joining
//! `downloads` with the `join` message as API.md section 8 says, gets the room's events it
//! missed then, once, with none twice against what arrived live meanwhile.

use futures_util::SinkExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use super::resume::{open_with, read_until, seq};
use super::*;
use crate::helpers::spawn_app;
use crate::websocket::{Socket, next};

/// Starts and stops the queue, which publishes `downloads` events; `steady` (in the room)
/// reads them, its numbers are added to `seen`; answers the `queue_stopped`'s number.
async fn cycle(app: &TestApp, token: &str, steady: &mut Socket, seen: &mut Vec<u64>) -> u64 {
    command(app, token, "start").await;
    command(app, token, "stop").await;
    let got = read_until(steady, "queue_stopped", |m| m["type"] == "queue_stopped").await;
    seen.extend(got.iter().filter_map(seq));
    *seen.last().unwrap()
}

#[tokio::test]
async fn a_client_back_with_since_that_joins_downloads_gets_the_room_events_it_missed_once() {
    let app = spawn_app().await;
    let token = app.login().await;
    // A client that stays in `downloads` throughout: every number, for comparison.
    let mut steady = open_with(&app, &token, "rooms=downloads").await;
    next(&mut steady).await.unwrap();
    let mut leaving = open_with(&app, &token, "rooms=downloads").await;
    next(&mut leaving).await.unwrap();
    let mut seen = Vec::new();
    let last_seen = cycle(&app, &token, &mut steady, &mut seen).await;
    let left = read_until(&mut leaving, "queue_stopped", |m| seq(m) == Some(last_seen)).await;
    drop(leaving);
    assert_eq!(left.iter().filter_map(seq).collect::<Vec<_>>(), seen);
    // Missed while away.
    let away = cycle(&app, &token, &mut steady, &mut seen).await;

    let mut back = open_with(&app, &token, &format!("since={last_seen}")).await;
    assert_eq!(next(&mut back).await.unwrap()["type"], "connected");
    let notice = next(&mut back).await.unwrap();
    assert_eq!(notice["type"], "system_info", "{notice}");
    assert_eq!(notice["data"]["replayed"], 0, "{notice}");
    assert_eq!(notice["data"]["missed"], false, "{notice}");
    let held = notice["data"]["held_back"]["downloads"].as_u64();
    assert!(
        held.is_some_and(|h| h >= 2),
        "the notice says what waits for a join: {notice}"
    );
    // Published after the connect, before the join: also the room's, also held back.
    let before_join = cycle(&app, &token, &mut steady, &mut seen).await;

    let join = json!({"action": "join", "data": {"room": "downloads"}}).to_string();
    back.send(Message::Text(join.into())).await.unwrap();
    let joined = next(&mut back).await.unwrap();
    assert_eq!(joined["data"]["room"], "downloads", "{joined}");
    let replay = read_until(&mut back, "the join's replay notice", |m| {
        m["data"]["replayed"].is_u64()
    })
    .await;
    // Then live ones, with the connection now in the room.
    let after_join = cycle(&app, &token, &mut steady, &mut seen).await;
    let live = read_until(&mut back, "the live queue_stopped", |m| {
        seq(m) == Some(after_join)
    })
    .await;

    let replayed: Vec<u64> = replay.iter().filter_map(seq).collect();
    let notice = &replay.last().unwrap()["data"];
    assert_eq!(notice["replayed"], replayed.len() as u64, "{notice}");
    assert_eq!(notice["missed"], false, "{notice}");
    assert_eq!(notice["room"], "downloads", "{notice}");
    let got: Vec<u64> = replayed
        .iter()
        .copied()
        .chain(live.iter().filter_map(seq))
        .collect();
    let expected: Vec<u64> = seen.into_iter().filter(|s| *s > last_seen).collect();
    assert_eq!(
        got, expected,
        "what the client that stayed saw after since, in order, once"
    );
    assert!(
        replayed.contains(&away) && replayed.contains(&before_join),
        "{replayed:?}"
    );
    assert!(replayed.iter().all(|s| *s < after_join), "{replayed:?}");
}
