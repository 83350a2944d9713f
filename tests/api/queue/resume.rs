//! Events that survive a reconnect: a client that drops during a download and comes back
//! with `since` gets every event it missed, in order, once, then the live ones; beyond the
//! buffer (here: across a restart) a notice and a `queue_status` snapshot; a bad `since` is
//! refused with the error body.

use serde_json::Value;

use super::*;
use crate::support::fake_site::FakeHoster;
use crate::websocket::{Socket, next};

/// A socket opened with `query` after the token.
pub async fn open_with(app: &TestApp, token: &str, query: &str) -> Socket {
    let ws = app.base.replacen("http", "ws", 1);
    let url = format!("{ws}/ws/connect?token={token}&{query}");
    tokio_tungstenite::connect_async(url)
        .await
        .expect("WebSocket handshake")
        .0
}

pub(super) fn seq(m: &Value) -> Option<u64> {
    m["seq"].as_u64()
}

/// Messages until `done` holds for one; returns them all, that one last.
pub(super) async fn read_until(
    socket: &mut Socket,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Vec<Value> {
    let mut seen = Vec::new();
    while let Some(m) = crate::websocket::next_within(socket, std::time::Duration::from_secs(10))
        .await
        .unwrap_or_else(|| {
            panic!(
                "no message within 10 s waiting for {what}; saw {:?}",
                seen.iter()
                    .map(|m: &Value| format!(
                        "{} {} {} {}",
                        m["seq"], m["type"], m["data"]["episode"], m["data"]["percent"]
                    ))
                    .collect::<Vec<_>>()
            )
        })
    {
        let stop = done(&m);
        seen.push(m);
        if stop {
            return seen;
        }
    }
    panic!("socket closed before {what}; saw {seen:?}");
}

fn completes(id: &str) -> impl Fn(&Value) -> bool + '_ {
    move |m| m["type"] == "download_complete" && m["data"]["download_id"] == id
}

#[tokio::test]
async fn a_client_back_with_since_gets_every_missed_event_in_order_once_then_live_ones() {
    let (app, site, token) = queue_app(&["VOE"]).await;
    for episode in [1, 3] {
        let voe = site
            .links("attack-on-titan", 1, episode)
            .into_iter()
            .find(|l| l.link.hoster == FakeHoster::Voe && l.link.language == 1)
            .unwrap();
        // about 3 s each, so events flow while the client is away and after it is back
        let size = voe.expected_bytes().len() as u64;
        site.throttle_media(voe.link.id, (size / 3).max(1));
    }
    let mut steady = open_with(&app, &token, "rooms=downloads").await;
    let mut leaving = open_with(&app, &token, "rooms=downloads").await;
    for socket in [&mut steady, &mut leaving] {
        let hello = next(socket).await.unwrap();
        assert_eq!(hello["data"]["rooms"], serde_json::json!(["downloads"]));
    }
    let added = ids(&enqueue(&app, &token, "attack-on-titan", &[(1, 1), (1, 3)], "NORMAL").await);
    command(&app, &token, "start").await;

    // The leaving client sees a few progress events of the first download, then drops.
    let before = read_until(&mut leaving, "progress", |m| {
        m["type"] == "download_progress" && m["data"]["percent"].as_f64().unwrap_or(0.0) > 0.0
    })
    .await;
    let last_seen = before.iter().filter_map(seq).max().unwrap();
    leaving.close(None).await.unwrap();
    drop(leaving);
    // It misses at least a few events...
    let mut seen_by_steady = read_until(&mut steady, "three more events", |m| {
        seq(m) >= Some(last_seen + 3)
    })
    .await;

    // ... and comes back.
    let mut back = open_with(&app, &token, &format!("since={last_seen}&rooms=downloads")).await;
    assert_eq!(next(&mut back).await.unwrap()["type"], "connected");
    let after = read_until(&mut back, "the second download", completes(&added[1])).await;
    seen_by_steady
        .extend(read_until(&mut steady, "the second download", completes(&added[1])).await);

    let steady_seqs: Vec<u64> = seen_by_steady.iter().filter_map(seq).collect();
    assert!(
        steady_seqs.windows(2).all(|w| w[1] == w[0] + 1),
        "a client in every room sees every number: {steady_seqs:?}"
    );
    let expected: Vec<u64> = steady_seqs.into_iter().filter(|s| *s > last_seen).collect();
    let got: Vec<u64> = after.iter().filter_map(seq).collect();
    assert_eq!(
        got, expected,
        "the same events as the client that stayed, in order"
    );
    // The replay comes first and says so; live events follow it.
    let notice = after
        .iter()
        .position(|m| m["type"] == "system_info" && m["data"]["replayed"].is_u64())
        .expect("a replay notice");
    let replayed = after[..notice].iter().filter_map(seq).count() as u64;
    assert!(replayed >= 3, "missed events were replayed: {replayed}");
    assert_eq!(after[notice]["data"]["replayed"], replayed);
    assert_eq!(after[notice]["data"]["missed"], false);
    assert!(
        after[notice + 1..].iter().filter_map(seq).count() > 0,
        "live events followed the replay"
    );
    let same_fields = |m: &Value| {
        ["type", "timestamp", "data", "id", "seq"]
            .iter()
            .all(|f| !m[*f].is_null())
            && m["id"] == m["seq"]
    };
    assert!(after.iter().filter(|m| seq(m).is_some()).all(same_fields));
}

/// Publishes `queue_started` and `queue_stopped` (and their `queue_status`); answers the
/// highest seq the socket saw for them.
pub(super) async fn start_and_stop(app: &TestApp, token: &str, socket: &mut Socket) -> u64 {
    command(app, token, "start").await;
    command(app, token, "stop").await;
    let seen = read_until(socket, "queue_stopped", |m| m["type"] == "queue_stopped").await;
    seen.iter().filter_map(seq).max().unwrap()
}

#[tokio::test]
async fn after_a_restart_a_returning_client_gets_a_notice_and_a_snapshot_and_higher_numbers() {
    let app = crate::helpers::spawn_app().await;
    let token = app.login().await;
    let mut socket = open_with(&app, &token, "rooms=downloads").await;
    next(&mut socket).await.unwrap();
    let last_before = start_and_stop(&app, &token, &mut socket).await;
    drop(socket);

    let app = app.restart().await;
    let mut back = open_with(
        &app,
        &token,
        &format!("since={last_before}&rooms=downloads"),
    )
    .await;
    assert_eq!(next(&mut back).await.unwrap()["type"], "connected");
    let notice = next(&mut back).await.unwrap();
    assert_eq!(notice["type"], "system_info", "{notice}");
    assert_eq!(notice["data"]["missed"], true, "{notice}");
    assert!(
        notice["data"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    let snapshot = next(&mut back).await.unwrap();
    assert_eq!(snapshot["type"], "queue_status", "{snapshot}");
    assert_eq!(snapshot["data"]["snapshot"], true);
    assert_eq!(snapshot["data"]["is_running"], false);
    assert_eq!(snapshot["data"]["pending"], 0);
    assert!(seq(&snapshot).is_none(), "a snapshot is not an event");
    let first_after = start_and_stop(&app, &token, &mut back).await;
    assert!(first_after > last_before, "{first_after} > {last_before}");

    // A number this data dir has not given yet is just as unknown.
    let mut ahead = open_with(
        &app,
        &token,
        &format!("since={}&rooms=downloads", first_after + 100),
    )
    .await;
    next(&mut ahead).await.unwrap();
    assert_eq!(next(&mut ahead).await.unwrap()["data"]["missed"], true);
    // And one given in this run replays what followed it.
    let since = format!("since={}&rooms=downloads", first_after - 1);
    let mut current = open_with(&app, &token, &since).await;
    next(&mut current).await.unwrap();
    let replayed = read_until(&mut current, "the replay", |m| {
        m["data"]["replayed"].is_u64()
    })
    .await;
    assert_eq!(seq(&replayed[0]), Some(first_after), "{replayed:?}");
    assert_eq!(replayed.last().unwrap()["data"]["missed"], false);
    let status: Value = app.get("/ws/status", None).await.json().await.unwrap();
    let buffer = &status["replay_buffer"];
    assert!(
        buffer["last_seq"]
            .as_u64()
            .is_some_and(|l| l >= first_after),
        "{status}"
    );
    assert!(
        buffer["oldest_seq"]
            .as_u64()
            .is_some_and(|o| o > last_before),
        "{status}"
    );
    assert!(
        buffer["max_events"].as_u64().is_some_and(|m| m >= 1000),
        "{status}"
    );
}

#[tokio::test]
async fn a_since_that_is_not_a_whole_number_or_an_unknown_room_is_refused_with_the_error_body() {
    let app = crate::helpers::spawn_app().await;
    let token = app.login().await;
    let ws = app.base.replacen("http", "ws", 1);
    for query in ["since=abc", "since=-1", "since=1.5", "rooms=secrets"] {
        let url = format!("{ws}/ws/connect?token={token}&{query}");
        let Err(tokio_tungstenite::tungstenite::Error::Http(response)) =
            tokio_tungstenite::connect_async(url).await
        else {
            panic!("{query}: the handshake was accepted");
        };
        assert_eq!(response.status().as_u16(), 422, "{query}");
        let body: Value = serde_json::from_slice(response.body().as_deref().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{query}: JSON error body: {e}"));
        assert_eq!(body["success"], false, "{body}");
        assert_eq!(body["error"], "VALIDATION_ERROR", "{body}");
        assert!(body["request_id"].is_string(), "{body}");
        assert!(body["details"]["field"].is_string(), "{body}");
    }
}
