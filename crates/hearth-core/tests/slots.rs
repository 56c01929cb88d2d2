//! Slot search and time zones: "the next free slots for a crown prep with
//! Dr X within the window", honouring hours, breaks, blocks and bookings.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::time::{fmt_time, Clock};
use serde_json::{json, Value};

fn slots(desk: &Desk, args: Value) -> Vec<Value> {
    desk.ok("find_slots", args)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn slots_start_at_opening_skip_bookings_lunch_and_blocks() {
    let desk = Desk::new(PracticeKind::Dental);
    let check_up = desk.type_id("Check-up");
    // Both chairs busy 08:00–08:30 on Tuesday; the dentist can only be in one, so
    // book chair 1 with the dentist and block chair 2 for 08:00–09:00.
    desk.book("Ana Ruiz", "Chair 1", desk.at("2026-11-24", 8, 0), 30)
        .expect("book");
    desk.ok("add_block", json!({ "resource_id": desk.resource("Chair 2"), "starts_at_ms": desk.at("2026-11-24", 8, 0), "ends_at_ms": desk.at("2026-11-24", 9, 0), "reason": "Meeting" }));
    let got = slots(
        &desk,
        json!({ "type_id": check_up, "from_date": "2026-11-24", "within_days": 1, "count": 40 }),
    );
    let times: Vec<String> = got
        .iter()
        .map(|s| fmt_time(Clock::h24(desk.tz), s["starts_at_ms"].as_i64().unwrap_or(0)))
        .collect();
    assert_eq!(
        times.first().map(String::as_str),
        Some("08:30"),
        "{times:?}"
    );
    assert!(
        !times
            .iter()
            .any(|t| t.as_str() >= "11:45" && t.as_str() < "13:00"),
        "nothing crosses lunch: {times:?}"
    );
    assert_eq!(
        times.last().map(String::as_str),
        Some("16:30"),
        "last 30-min slot ends at closing"
    );
    // Every slot carries a chair and the dentist, ready to book.
    let first = &got[0];
    let booked = desk.ok("create_booking", json!({
        "person_name": "Ben", "type_id": check_up, "resource_ids": first["resource_ids"],
        "time": { "kind": "timed", "starts_at_ms": first["starts_at_ms"], "ends_at_ms": first["ends_at_ms"] } }));
    assert_eq!(booked["status"], "booked");
}

#[test]
fn slot_search_skips_the_weekend_and_honours_the_window_and_count() {
    let desk = Desk::new(PracticeKind::Dental);
    let crown = desk.type_id("Crown prep");
    // From Saturday 28 Nov, 2 days: the weekend only, so nothing.
    assert!(slots(
        &desk,
        json!({ "type_id": crown, "from_date": "2026-11-28", "within_days": 2, "count": 5 })
    )
    .is_empty());
    let got = slots(
        &desk,
        json!({ "type_id": crown, "from_date": "2026-11-28", "within_days": 10, "count": 3 }),
    );
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["starts_at_ms"], desk.at("2026-11-30", 8, 0));
    assert_eq!(got[0]["ends_at_ms"], desk.at("2026-11-30", 9, 30));
}

#[test]
fn slots_are_never_in_the_past() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.clock.set(desk.at("2026-11-23", 10, 7));
    let got = slots(
        &desk,
        json!({ "type_id": desk.type_id("Check-up"), "from_date": "2026-11-23", "within_days": 1, "count": 1 }),
    );
    assert_eq!(
        got[0]["starts_at_ms"],
        desk.at("2026-11-23", 10, 15),
        "next grid time after now"
    );
}

#[test]
fn slot_search_refuses_silly_requests() {
    let desk = Desk::new(PracticeKind::Dental);
    let t = desk.type_id("Check-up");
    assert_eq!(
        desk.err(
            "find_slots",
            json!({ "type_id": t, "from_date": "2026-11-23", "within_days": 0, "count": 1 })
        )
        .code(),
        "input.invalid"
    );
    assert_eq!(
        desk.err(
            "find_slots",
            json!({ "type_id": 999, "from_date": "2026-11-23", "within_days": 1, "count": 1 })
        )
        .code(),
        "not_found"
    );
    assert_eq!(
        desk.err(
            "find_slots",
            json!({ "type_id": t, "from_date": "23/11/2026", "within_days": 1, "count": 1 })
        )
        .code(),
        "input.invalid"
    );
}

#[test]
fn opening_hours_hold_in_local_time_across_the_clock_change() {
    let desk = Desk::new(PracticeKind::Dental);
    let t = desk.type_id("Check-up");
    // UK clocks go forward on Sunday 29 March 2026. Monday 30 March opens at 08:00 BST = 07:00 UTC.
    let got = slots(
        &desk,
        json!({ "type_id": t, "from_date": "2026-03-30", "within_days": 1, "count": 1 }),
    );
    // The fixed clock is in November 2026, so March 2026 is in the past: move the clock back.
    assert!(got.is_empty());
    desk.clock.set(desk.at("2026-03-20", 7, 0));
    let before = slots(
        &desk,
        json!({ "type_id": t, "from_date": "2026-03-27", "within_days": 1, "count": 1 }),
    );
    let after = slots(
        &desk,
        json!({ "type_id": t, "from_date": "2026-03-30", "within_days": 1, "count": 1 }),
    );
    assert_eq!(
        fmt_time(
            Clock::h24(chrono_tz::Tz::UTC),
            before[0]["starts_at_ms"].as_i64().unwrap_or(0)
        ),
        "08:00"
    );
    assert_eq!(
        fmt_time(
            Clock::h24(chrono_tz::Tz::UTC),
            after[0]["starts_at_ms"].as_i64().unwrap_or(0)
        ),
        "07:00"
    );
    // A booking at 07:30 UTC on the Monday is 08:30 local: inside hours.
    let b = desk
        .book(
            "Ana",
            "Chair 1",
            after[0]["starts_at_ms"].as_i64().unwrap_or(0) + 30 * 60_000,
            30,
        )
        .expect("inside hours");
    assert_eq!(b["overridden"], false);
    // 07:30 local (06:30 UTC) is before opening.
    let early = desk
        .book(
            "Ben",
            "Chair 2",
            after[0]["starts_at_ms"].as_i64().unwrap_or(0) - 30 * 60_000,
            30,
        )
        .expect_err("early");
    assert_eq!(early.code(), "booking.outside_hours");
}

/// Found by the fuzz harness: a type that also needs a room got slots with no
/// room in them, which the booking rules then refused.
#[test]
fn a_type_that_needs_a_room_gets_slots_with_a_free_room_or_none() {
    let desk = Desk::new(PracticeKind::Dental);
    let surgery = desk.ok(
        "save_appointment_type",
        json!({ "name": "Implant surgery", "duration_minutes": 60,
        "colour": "#aa3355", "needs_chair": true, "needs_provider": true, "needs_room": true }),
    );
    let find = |desk: &Desk| {
        slots(
            desk,
            json!({ "type_id": surgery["id"], "from_date": "2026-11-24", "within_days": 2, "count": 3 }),
        )
    };
    assert!(find(&desk).is_empty(), "no room, no slot");
    let kind = desk.ok("save_room_type", json!({ "name": "Surgery" }));
    let suite = desk.ok("save_resource", json!({ "kind": "room", "name": "Surgery suite", "colour": "#445566", "room_type_id": kind["id"] }));
    let found = find(&desk);
    assert_eq!(found.len(), 3);
    assert!(found[0]["resource_ids"]
        .as_array()
        .is_some_and(|r| r.contains(&suite["id"])));
    assert!(found[0]["label"]
        .as_str()
        .is_some_and(|l| l.contains("Surgery suite")));
    desk.ok("create_booking", json!({ "person_name": "Ana Ruiz", "type_id": surgery["id"],
        "resource_ids": found[0]["resource_ids"],
        "time": { "kind": "timed", "starts_at_ms": found[0]["starts_at_ms"], "ends_at_ms": found[0]["ends_at_ms"] } }));
}

/// Found by the fuzz harness: an archived type still got slots, which the
/// booking rules then refused.
#[test]
fn an_archived_type_gets_no_slots_but_a_clear_refusal() {
    let desk = Desk::new(PracticeKind::Dental);
    let t = desk.ok(
        "save_appointment_type",
        json!({ "name": "Whitening", "duration_minutes": 45,
        "colour": "#ffcc00", "needs_chair": true, "needs_provider": true }),
    );
    let archived = desk.ok(
        "save_appointment_type",
        json!({ "id": t["id"], "name": "Whitening", "duration_minutes": 45,
        "colour": "#ffcc00", "needs_chair": true, "needs_provider": true, "archived": true }),
    );
    assert_eq!(archived["archived"], true);
    let e = desk.err(
        "find_slots",
        json!({ "type_id": t["id"], "from_date": "2026-11-24", "within_days": 2, "count": 3 }),
    );
    assert_eq!(e.code(), "input.invalid");
    assert!(
        e.to_string().contains("Whitening is no longer offered"),
        "{e}"
    );
}

#[test]
fn slot_search_keeps_to_mornings_or_afternoons_when_asked() {
    let desk = Desk::new(PracticeKind::Dental);
    let ask = |part: Value| {
        slots(
            &desk,
            json!({ "type_id": desk.type_id("Check-up"), "from_date": "2026-11-24", "within_days": 1, "count": 100, "part": part }),
        )
        .iter()
        .map(|s| fmt_time(Clock::h24(desk.tz), s["starts_at_ms"].as_i64().unwrap_or(0)))
        .collect::<Vec<_>>()
    };
    let morning = ask(json!("morning"));
    assert_eq!(morning.first().map(String::as_str), Some("08:00"));
    assert!(morning.iter().all(|t| t.as_str() < "12:00"), "{morning:?}");
    let afternoon = ask(json!("afternoon"));
    assert_eq!(afternoon.first().map(String::as_str), Some("13:00"));
    assert!(
        afternoon.iter().all(|t| t.as_str() >= "12:00"),
        "{afternoon:?}"
    );
    assert_eq!(ask(Value::Null).len(), morning.len() + afternoon.len());
    let e = desk.err(
        "find_slots",
        json!({ "type_id": desk.type_id("Check-up"), "from_date": "2026-11-24",
        "within_days": 1, "count": 5, "part": "evening" }),
    );
    assert_eq!(e.code(), "input.invalid");
}
