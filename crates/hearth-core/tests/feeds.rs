//! A hotel room's calendar feed: each stay as whole days from arrival to
//! departure, the guest's initials, nothing of another room; withdrawn, it
//! is gone. (The dental feed over HTTP, read by an independent parser
//! across the change of clocks: hearth-server's tests/api.rs.)
mod common;

use common::{id, member, Desk};
use hearth_core::scheduling::feeds;
use hearth_core::setup::practice::PracticeKind;
use serde_json::json;

fn stay(desk: &Desk, who: &str, room: &str, arrival: &str, departure: &str) -> i64 {
    let b = desk.ok(
        "create_booking",
        json!({ "person_name": who, "someone_new": true, "type_id": desk.type_id("Stay"), "resource_ids": [desk.resource(room)],
                "time": { "kind": "nights", "arrival": arrival, "departure": departure } }),
    );
    id(&b)
}

#[test]
fn a_rooms_feed_holds_its_stays_as_days_with_initials_only() {
    let desk = Desk::new(PracticeKind::Hotel);
    let ours = stay(&desk, "Ann Smith", "Room 101", "2026-11-27", "2026-11-30");
    let theirs = stay(&desk, "Bob Jones", "Room 102", "2026-11-27", "2026-11-28");
    let on = desk.ok(
        "set_calendar_feed",
        json!({ "resource_id": desk.resource("Room 101"), "on": true }),
    );
    let token = on["link"]
        .as_str()
        .expect("link")
        .trim_start_matches("/feeds/")
        .trim_end_matches(".ics")
        .to_owned();
    let (name, text) = feeds::render(&desk.hearth, &token)
        .expect("render")
        .expect("on");
    assert_eq!(name, "room-101.ics");
    assert!(text.contains(&format!("UID:booking-{ours}@")), "{text}");
    assert!(
        !text.contains(&format!("UID:booking-{theirs}@")),
        "another room's stay"
    );
    assert!(text.contains("DTSTART;VALUE=DATE:20261127"), "{text}");
    assert!(text.contains("DTEND;VALUE=DATE:20261130"), "{text}");
    assert!(text.contains("Stay — A. S."), "{text}");
    assert!(!text.contains("Ann") && !text.contains("Smith"), "{text}");
    // A member who is not a manager and not the room's: refused.
    let front = member(&desk, "Fran Front", "fran", "front_desk");
    let e = desk
        .run(
            &front,
            "set_calendar_feed",
            json!({ "resource_id": desk.resource("Room 101"), "on": false }),
        )
        .expect_err("not theirs");
    assert_eq!(e.code(), "staff.forbidden");
    assert_eq!(
        desk.run(&front, "list_calendar_feeds", json!({}))
            .expect("list")
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    // The address is kept only as its hash.
    let conn = hearth_core::store::keys::open_raw(desk.hearth.store.path()).expect("raw");
    let kept: String = conn
        .query_row("SELECT token_hash FROM calendar_feeds", [], |r| r.get(0))
        .expect("hash");
    assert_ne!(kept, token);
    assert_eq!(kept.len(), 64);
    desk.ok(
        "set_calendar_feed",
        json!({ "resource_id": desk.resource("Room 101"), "on": false }),
    );
    assert!(feeds::render(&desk.hearth, &token)
        .expect("render")
        .is_none());
}
