//! The calendar's rules at the edges: each defect found from outside, as a
//! story — extreme instants that once wrapped a length check and hid a
//! booking from the overlap check, slot search on DST days, statuses that
//! ignored the clock, cancelling a visit under way, booking into the past.
mod common;

use common::{clashes, Desk};
use hearth_core::setup::practice::PracticeKind;
use serde_json::json;

const MON: &str = "2026-11-23"; // the desk's "today"; now is 07:00
const TUE: &str = "2026-11-24";

#[test]
fn extreme_instants_cannot_wrap_the_length_cap_and_hide_a_double_booking() {
    let desk = Desk::new(PracticeKind::Dental);
    let chair = desk.resource("Chair 1");
    let dentist = desk.resource("Dentist");
    let t = desk.type_id("Check-up");
    // The defect: i64::MIN..i64::MAX passed the 12-hour cap in a release build,
    // and later bookings on the chair no longer saw it.
    let e = desk.err(
        "create_booking",
        json!({ "person_name": "Wrap", "type_id": t, "resource_ids": [chair, dentist], "override_rules": true,
            "time": { "kind": "timed", "starts_at_ms": i64::MIN, "ends_at_ms": i64::MAX } }),
    );
    assert_eq!(e.code(), "input.invalid");
    for (s, e) in [
        (i64::MIN, 0),
        (0, i64::MAX),
        (-8_000_000_000_000, -7_999_999_000_000),
    ] {
        let err = desk.err(
            "create_booking",
            json!({ "person_name": "Far", "type_id": t, "resource_ids": [chair, dentist], "override_rules": true,
                "time": { "kind": "timed", "starts_at_ms": s, "ends_at_ms": e } }),
        );
        assert_eq!(err.code(), "input.invalid", "{s}..{e}: {err}");
    }
    assert_eq!(desk.count_bookings(), 0, "nothing was written");
    desk.book("Ana Ruiz", "Chair 1", desk.at(TUE, 9, 0), 30)
        .expect("an ordinary booking");
    let clash = desk
        .book("Ben Ode", "Chair 1", desk.at(TUE, 9, 15), 30)
        .expect_err("the chair is taken");
    assert_eq!(clash.code(), "booking.overlap");
    assert_eq!(clashes(&desk.dir.path().join("hearth.db")).1, 0);
}

#[test]
fn the_list_range_guard_cannot_be_bypassed_by_wrapping() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.book("Ana Ruiz", "Chair 1", desk.at(TUE, 9, 0), 30)
        .expect("book");
    // The defect: to - from wrapped negative and every booking ever made came back.
    for (from, to) in [(i64::MIN, i64::MAX), (i64::MAX, i64::MIN), (-1, i64::MAX)] {
        let e = desk.err("list_bookings", json!({ "from_ms": from, "to_ms": to }));
        assert_eq!(e.code(), "input.invalid", "{from}..{to}");
    }
    let e = desk.err(
        "list_bookings",
        json!({ "from_ms": desk.at(TUE, 0, 0), "to_ms": desk.at(TUE, 0, 0) + 401 * 86_400_000 }),
    );
    assert_eq!(e.code(), "input.invalid");
    let e = desk.err(
        "list_blocks",
        json!({ "from_ms": i64::MIN, "to_ms": i64::MAX }),
    );
    assert_eq!(e.code(), "input.invalid");
}

#[test]
fn blocked_time_has_a_length_cap() {
    let desk = Desk::new(PracticeKind::Dental);
    let e = desk.err(
        "add_block",
        json!({ "starts_at_ms": desk.at(TUE, 0, 0), "ends_at_ms": desk.at(TUE, 0, 0) + 400 * 86_400_000, "reason": "Forever" }),
    );
    assert_eq!(e.code(), "input.invalid");
    assert!(e.to_string().contains("at most a year"), "{e}");
    desk.ok(
        "add_block",
        json!({ "starts_at_ms": desk.at(TUE, 12, 0), "ends_at_ms": desk.at(TUE, 13, 0), "reason": "Staff meeting" }),
    );
    desk.ok(
        "add_closed_days",
        json!({ "from": "2026-12-24", "to": "2027-12-24", "reason": "Sabbatical" }),
    );
}

/// A practice open around the clock on Sundays in New York, so the DST
/// hours are inside opening hours.
fn new_york_desk() -> Desk {
    let desk = Desk::new(PracticeKind::Dental);
    let p = desk.ok("get_practice", json!({}))["practice"].clone();
    let hours: Vec<_> = (0..7)
        .map(|w| json!({ "weekday": w, "opens": 0, "closes": 1440 }))
        .collect();
    desk.ok("update_practice", json!({ "expected_version": p["version"], "name": p["name"], "time_zone": "America/New_York",
        "slot_minutes": 15, "check_in_minute": 900, "check_out_minute": 660, "opening_hours": hours }));
    desk.clock.set(0);
    desk
}

fn slots(desk: &Desk, day: &str, minutes: u32) -> Vec<i64> {
    desk.ok("find_slots", json!({ "type_id": desk.type_id("Check-up"), "provider_id": desk.resource("Dentist"),
        "chair_id": desk.resource("Chair 1"), "from_date": day, "within_days": 1, "count": 200, "duration_minutes": minutes }))
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["starts_at_ms"].as_i64())
        .collect()
}

#[test]
fn slot_search_on_a_spring_forward_day_offers_each_instant_once() {
    let desk = new_york_desk();
    let starts = slots(&desk, "2026-03-08", 15);
    let mut distinct = starts.clone();
    distinct.dedup();
    // The defect: 02:00, 02:15, 02:30 and 02:45 all became 03:00.
    assert_eq!(distinct.len(), starts.len(), "no instant twice");
    // A 23-hour day of 15-minute slots, the last one ending at midnight.
    assert_eq!(starts.len(), 23 * 4);
    assert!(starts.windows(2).all(|w| w[1] - w[0] == 15 * 60_000));
}

#[test]
fn slot_search_on_a_fall_back_day_offers_the_repeated_hour_twice() {
    let desk = new_york_desk();
    let starts = slots(&desk, "2026-11-01", 15);
    // 25 hours of 15-minute slots.
    assert_eq!(starts.len(), 25 * 4);
    let one_thirty_edt = chrono::DateTime::parse_from_rfc3339("2026-11-01T05:30:00Z")
        .expect("instant")
        .timestamp_millis();
    let one_thirty_est = one_thirty_edt + 3_600_000;
    // The defect: the second 01:30 (EST) was never offered.
    assert!(starts.contains(&one_thirty_edt) && starts.contains(&one_thirty_est));
    // Both book, one after the other, on the same chair.
    for s in [one_thirty_edt, one_thirty_est] {
        desk.run(&desk.manager, "create_booking", json!({ "person_name": "Night Owl", "person_phone": "212 555 0188",
            "type_id": desk.type_id("Check-up"), "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
            "time": { "kind": "timed", "starts_at_ms": s, "ends_at_ms": s + 30 * 60_000 } }))
            .expect("both 01:30s book, for the same patient");
    }
}

#[test]
fn tomorrows_appointment_cannot_be_marked_arrived_today() {
    let desk = Desk::new(PracticeKind::Dental);
    let b = desk
        .book("Ana Ruiz", "Chair 1", desk.at(TUE, 10, 0), 30)
        .expect("book");
    assert!(!b["next_statuses"]
        .as_array()
        .is_some_and(|a| a.contains(&json!("arrived"))));
    let e = desk.err(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "arrived" }),
    );
    assert_eq!(e.code(), "booking.bad_transition");
    assert!(
        e.to_string()
            .contains("It can be marked arrived from Tue 24 Nov 08:00"),
        "{e}"
    );
    // In treatment needs an arrival first.
    let e = desk.err(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "in_treatment" }),
    );
    assert_eq!(e.code(), "booking.bad_transition");
    // Midnight before an 08:00 appointment is still too early; 06:00 is fine.
    let early = desk
        .book("Ben Ode", "Chair 2", desk.at(TUE, 8, 0), 30)
        .expect("book");
    desk.clock.set(desk.at(TUE, 0, 0));
    let e = desk.err(
        "set_booking_status",
        json!({ "id": early["id"], "expected_version": early["version"], "status": "arrived" }),
    );
    assert_eq!(e.code(), "booking.bad_transition");
    desk.clock.set(desk.at(TUE, 6, 0));
    desk.ok(
        "set_booking_status",
        json!({ "id": early["id"], "expected_version": early["version"], "status": "arrived" }),
    );
    // The day after, it is too late to mark an arrival.
    desk.clock.set(desk.at("2026-11-25", 9, 0));
    let b = desk.ok("get_booking", json!({ "id": b["id"] }));
    let e = desk.err(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "arrived" }),
    );
    assert!(
        e.to_string().contains("can no longer be marked arrived"),
        "{e}"
    );
    assert_eq!(b["next_statuses"], json!(["confirmed", "no_show"]));
}

#[test]
fn the_early_arrival_window_is_a_practice_setting() {
    let desk = Desk::new(PracticeKind::Dental);
    let p = desk.ok("get_practice", json!({}))["practice"].clone();
    assert_eq!(p["early_arrival_minutes"], 120);
    desk.ok("update_practice", json!({ "expected_version": p["version"], "name": p["name"], "time_zone": p["time_zone"],
        "slot_minutes": 15, "check_in_minute": 900, "check_out_minute": 660, "opening_hours": p["opening_hours"],
        "early_arrival_minutes": 30 }));
    let b = desk
        .book("Ana Ruiz", "Chair 1", desk.at(MON, 9, 0), 30)
        .expect("book");
    assert_eq!(
        b["next_statuses"],
        json!(["confirmed"]),
        "07:00 is two hours early"
    );
    desk.clock.set(desk.at(MON, 8, 30));
    let b = desk.ok("get_booking", json!({ "id": b["id"] }));
    assert_eq!(b["next_statuses"], json!(["confirmed", "arrived"]));
}

#[test]
fn a_stay_two_days_away_cannot_be_checked_in_today() {
    let desk = Desk::new(PracticeKind::Hotel);
    let s = desk.ok("create_booking", json!({ "person_name": "Mr and Mrs Okafor", "type_id": desk.type_id("Stay"),
        "resource_ids": [desk.resource("Room 101")], "time": { "kind": "nights", "arrival": "2026-11-25", "departure": "2026-11-28" } }));
    let e = desk.err(
        "set_booking_status",
        json!({ "id": s["id"], "expected_version": s["version"], "status": "checked_in" }),
    );
    assert_eq!(e.code(), "booking.bad_transition");
    // From the arrival date on (early check-in in the morning), until departure.
    desk.clock.set(desk.at("2026-11-25", 9, 0));
    let s = desk.ok("get_booking", json!({ "id": s["id"] }));
    assert!(s["next_statuses"]
        .as_array()
        .is_some_and(|a| a.contains(&json!("checked_in"))));
    desk.clock.set(desk.at("2026-11-26", 20, 0));
    let s = desk.ok(
        "set_booking_status",
        json!({ "id": s["id"], "expected_version": s["version"], "status": "checked_in" }),
    );
    assert_eq!(
        s["status"], "checked_in",
        "a guest a day late still checks in"
    );
}

#[test]
fn a_visit_under_way_cannot_be_cancelled_and_the_message_says_what_to_do() {
    let desk = Desk::new(PracticeKind::Dental);
    let b = desk
        .book("Ana Ruiz", "Chair 1", desk.at(MON, 8, 0), 30)
        .expect("book");
    let b = desk.ok(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "arrived" }),
    );
    let e = desk.err(
        "cancel_booking",
        json!({ "id": b["id"], "expected_version": b["version"], "reason": "Changed mind" }),
    );
    assert_eq!(e.code(), "booking.bad_transition");
    assert!(
        e.to_string().starts_with("Ana Ruiz has already arrived"),
        "{e}"
    );
    assert!(e.to_string().contains("Mark it completed"), "{e}");
    // Undo the arrival, and then it can be cancelled.
    let b = desk.ok(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "booked" }),
    );
    desk.ok(
        "cancel_booking",
        json!({ "id": b["id"], "expected_version": b["version"], "reason": "Changed mind" }),
    );

    let hotel = Desk::new(PracticeKind::Hotel);
    let s = hotel.ok("create_booking", json!({ "person_name": "Guest", "type_id": hotel.type_id("Stay"),
        "resource_ids": [hotel.resource("Room 101")], "time": { "kind": "nights", "arrival": MON, "departure": TUE } }));
    let s = hotel.ok(
        "set_booking_status",
        json!({ "id": s["id"], "expected_version": s["version"], "status": "checked_in" }),
    );
    let e = hotel.err(
        "cancel_booking",
        json!({ "id": s["id"], "expected_version": s["version"], "reason": "x" }),
    );
    assert!(e.to_string().contains("Check the guest out instead"), "{e}");
}

#[test]
fn booking_or_moving_into_the_past_needs_the_override_which_is_recorded() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.clock.set(desk.at(MON, 11, 0));
    let e = desk
        .book("Late Entry", "Chair 1", desk.at(MON, 9, 0), 30)
        .expect_err("in the past");
    assert_eq!(e.code(), "booking.in_past");
    assert!(e.to_string().contains("is in the past"), "{e}");
    assert_eq!(desk.count_bookings(), 0);
    // A walk-in for the slot that began ten minutes ago is not "the past".
    desk.book("Walk In", "Chair 2", desk.at(MON, 10, 45), 30)
        .expect("the current slot");
    let b = desk.ok("create_booking", json!({ "person_name": "Late Entry", "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")], "override_rules": true,
        "time": { "kind": "timed", "starts_at_ms": desk.at(MON, 9, 0), "ends_at_ms": desk.at(MON, 9, 30) } }));
    assert_eq!(b["overridden"], true);
    let conn = hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
    let detail: String = conn
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'create_booking' AND entity_id = ?1",
            [b["id"].as_i64()],
            |r| r.get(0),
        )
        .expect("audit");
    assert!(detail.contains("booking.in_past"), "{detail}");
    // Editing its notes is not a move; moving a future booking into the past is.
    desk.ok(
        "update_booking",
        json!({ "id": b["id"], "expected_version": b["version"], "notes": "Recorded late" }),
    );
    let f = desk
        .book("Future", "Chair 1", desk.at(TUE, 9, 0), 30)
        .expect("future");
    let e = desk.err("update_booking", json!({ "id": f["id"], "expected_version": f["version"],
        "time": { "kind": "timed", "starts_at_ms": desk.at(MON, 8, 0), "ends_at_ms": desk.at(MON, 8, 30) } }));
    assert_eq!(e.code(), "booking.in_past");

    let hotel = Desk::new(PracticeKind::Hotel);
    hotel.clock.set(hotel.at(MON, 18, 0));
    let stay = |arrival: &str, departure: &str| {
        hotel.run(&hotel.manager, "create_booking", json!({ "person_name": "Guest", "type_id": hotel.type_id("Stay"),
            "resource_ids": [hotel.resource("Room 101")], "time": { "kind": "nights", "arrival": arrival, "departure": departure } }))
    };
    // Tonight is fine at 18:00 (after the 15:00 check-in time); yesterday is not.
    stay(MON, TUE).expect("a walk-in for tonight");
    let e = stay("2026-11-20", "2026-11-22").expect_err("past");
    assert_eq!(e.code(), "booking.in_past");
}
