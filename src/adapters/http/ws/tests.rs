//! Client messages, rooms, the lag notice and the event form of messages.

use std::collections::HashSet;

use chrono::Utc;
use poem::web::websocket::Message;
use serde_json::{Value, json};

use super::session::{Delivery, answer, outgoing, to_client};
use crate::domain::event::{Event, EventKind};
use crate::ports::events::Next;

fn text(m: Option<Message>) -> Value {
    match m {
        Some(Message::Text(t)) => serde_json::from_str(&t).unwrap(),
        other => panic!("expected a text message, got {other:?}"),
    }
}

#[test]
fn ping_in_either_form_gets_a_pong() {
    let mut rooms = HashSet::new();
    assert_eq!(
        text(answer(r#"{"type":"ping"}"#, &mut rooms).0)["type"],
        "pong"
    );
    assert_eq!(
        text(answer(r#"{"action":"ping"}"#, &mut rooms).0)["type"],
        "pong"
    );
}

#[test]
fn only_known_rooms_can_be_joined() {
    let mut rooms = HashSet::new();
    let (reply, room) = answer(
        r#"{"action":"join","data":{"room":"downloads"}}"#,
        &mut rooms,
    );
    assert_eq!(text(reply)["type"], "system_info");
    assert_eq!(room, Some("downloads"), "a join names the room joined");
    assert!(rooms.contains("downloads"));
    assert_eq!(
        text(answer(r#"{"action":"join","data":{"room":"secrets"}}"#, &mut rooms).0)["type"],
        "error"
    );
    let (_, room) = answer(
        r#"{"action":"leave","data":{"room":"downloads"}}"#,
        &mut rooms,
    );
    assert_eq!(room, None);
    assert!(rooms.is_empty());
}

#[test]
fn a_connection_that_fell_behind_is_told_how_many_events_it_missed() {
    let rooms = HashSet::new();
    let Delivery::Send(notice) = to_client(Next::Missed(37), true, &rooms) else {
        panic!("expected a notice");
    };
    let v = text(Some(notice));
    assert_eq!(
        (v["type"].clone(), v["data"]["dropped"].clone()),
        (json!("system_info"), json!(37))
    );
    assert!(matches!(
        to_client(Next::Missed(3), false, &rooms),
        Delivery::Skip
    ));
    assert!(matches!(
        to_client(Next::Closed, true, &rooms),
        Delivery::End
    ));
}

#[test]
fn download_events_go_only_to_connections_in_the_downloads_room() {
    let event = Event {
        seq: 1,
        at: Utc::now(),
        kind: EventKind::QueueStarted {
            message: "Queue processing started".into(),
        },
    };
    let mut rooms = HashSet::new();
    assert!(matches!(
        to_client(Next::Event(event.clone()), true, &rooms),
        Delivery::Skip
    ));
    rooms.insert("downloads".to_owned());
    assert!(matches!(
        to_client(Next::Event(event.clone()), false, &rooms),
        Delivery::Skip
    ));
    assert!(matches!(
        to_client(Next::Event(event), true, &rooms),
        Delivery::Send(_)
    ));
}

#[test]
fn garbage_gets_an_error_message() {
    assert_eq!(
        text(answer("not json", &mut HashSet::new()).0)["type"],
        "error"
    );
}

#[test]
fn an_event_becomes_a_typed_message_with_time_and_id() {
    let event = Event {
        seq: 7,
        at: Utc::now(),
        kind: EventKind::ScanProgress {
            done: 1,
            total: 2,
            current: None,
        },
    };
    let v = text(Some(outgoing(&event)));
    assert_eq!(v["type"], "scan_progress");
    assert_eq!(v["data"]["done"], 1);
    assert_eq!((v["id"].clone(), v["seq"].clone()), (json!(7), json!(7)));
    assert!(v["timestamp"].is_string());
}
