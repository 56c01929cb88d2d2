//! Booking rules as a receptionist meets them: no double-booking, opening
//! hours, blocked time, overrides, stale edits, statuses.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use serde_json::json;

const MON: &str = "2026-11-23";
const TUE: &str = "2026-11-24";

#[test]
fn a_second_booking_on_the_same_chair_is_refused_naming_the_first() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.book("Ana Ruiz", "Chair 2", desk.at(TUE, 10, 0), 45)
        .expect("first booking");
    let e = desk
        .book("Ben Smith", "Chair 2", desk.at(TUE, 10, 30), 30)
        .expect_err("overlap");
    assert_eq!(e.code(), "booking.overlap");
    assert!(e.to_string().contains("Chair 2 is booked"), "{e}");
    assert!(e.to_string().contains("10:00–10:45"), "{e}");
    assert!(e.to_string().contains("Ana Ruiz"), "{e}");
    assert_eq!(desk.count_bookings(), 1, "nothing written");
    // Back to back is fine: [start, end) intervals.
    desk.book("Ben Smith", "Chair 2", desk.at(TUE, 10, 45), 30)
        .expect("back to back");
}

#[test]
fn a_practice_on_a_twelve_hour_clock_hears_its_refusals_in_am_and_pm() {
    let desk = Desk::new(PracticeKind::Dental);
    let p = desk.ok("get_practice", json!({}))["practice"].clone();
    assert_eq!(
        (p["time_format"].clone(), p["date_order"].clone()),
        (json!("24h"), json!("dmy"))
    );
    let hours = p["opening_hours"].clone();
    let saved = desk.ok(
        "update_practice",
        json!({ "expected_version": p["version"], "name": p["name"], "time_zone": p["time_zone"],
        "slot_minutes": 15, "check_in_minute": 900, "check_out_minute": 660, "opening_hours": hours,
        "time_format": "12h", "date_order": "mdy" }),
    );
    assert_eq!(
        (saved["time_format"].clone(), saved["date_order"].clone()),
        (json!("12h"), json!("mdy"))
    );
    desk.book("Ana Ruiz", "Chair 2", desk.at(TUE, 13, 0), 45)
        .expect("first booking");
    let e = desk
        .book("Ben Smith", "Chair 2", desk.at(TUE, 13, 30), 30)
        .expect_err("overlap");
    assert!(e.to_string().contains("1:00 pm–1:45 pm"), "{e}");
    // A setting it does not know is refused, and nothing changes.
    let bad = desk.err("update_practice", json!({ "expected_version": saved["version"], "name": p["name"], "time_zone": p["time_zone"],
        "slot_minutes": 15, "check_in_minute": 900, "check_out_minute": 660, "opening_hours": p["opening_hours"], "time_format": "13h" }));
    assert_eq!(bad.code(), "input.invalid");
    assert!(bad.to_string().contains("time format"), "{bad}");
    assert_eq!(
        desk.ok("get_practice", json!({}))["practice"]["time_format"],
        "12h"
    );
}

#[test]
fn the_same_provider_cannot_be_in_two_chairs_at_once() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.book("Ana Ruiz", "Chair 1", desk.at(TUE, 9, 0), 30)
        .expect("first");
    let e = desk
        .book("Ben Smith", "Chair 2", desk.at(TUE, 9, 15), 30)
        .expect_err("provider busy");
    assert_eq!(e.code(), "booking.overlap");
    assert!(e.to_string().starts_with("Dentist is booked"), "{e}");
}

#[test]
fn outside_opening_hours_needs_an_explicit_override_which_is_recorded() {
    let desk = Desk::new(PracticeKind::Dental);
    let e = desk
        .book("Ana Ruiz", "Chair 1", desk.at(TUE, 18, 0), 30)
        .expect_err("after hours");
    assert_eq!(e.code(), "booking.outside_hours");
    assert!(e.to_string().contains("08:00–12:00, 13:00–17:00"), "{e}");
    let lunch = desk
        .book("Ana Ruiz", "Chair 1", desk.at(TUE, 12, 15), 30)
        .expect_err("lunch");
    assert_eq!(lunch.code(), "booking.outside_hours");
    let b = desk.ok("create_booking", json!({
        "person_name": "Ana Ruiz", "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, 18, 0), "ends_at_ms": desk.at(TUE, 18, 30) },
        "override_rules": true,
    }));
    assert_eq!(b["overridden"], true);
    // A booking inside hours is not marked.
    let plain = desk
        .book("Ben Smith", "Chair 1", desk.at(TUE, 9, 0), 30)
        .expect("inside hours");
    assert_eq!(plain["overridden"], false);
}

#[test]
fn blocked_time_is_refused_for_that_chair_only() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.ok("add_block", json!({
        "resource_id": desk.resource("Chair 1"), "starts_at_ms": desk.at(TUE, 8, 0), "ends_at_ms": desk.at(TUE, 9, 0), "reason": "Staff meeting"
    }));
    let e = desk
        .book("Ana Ruiz", "Chair 1", desk.at(TUE, 8, 30), 30)
        .expect_err("blocked");
    assert_eq!(e.code(), "booking.blocked");
    assert!(e.to_string().contains("Staff meeting"), "{e}");
    desk.book("Ana Ruiz", "Chair 2", desk.at(TUE, 8, 30), 30)
        .expect("other chair is free");
}

#[test]
fn a_closed_day_blocks_the_whole_practice() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.ok(
        "add_closed_days",
        json!({ "from": "2026-12-24", "to": "2026-12-24", "reason": "Christmas Eve" }),
    );
    let e = desk
        .book("Ana Ruiz", "Chair 2", desk.at("2026-12-24", 10, 0), 30)
        .expect_err("closed");
    assert_eq!(e.code(), "booking.blocked");
    assert!(e.to_string().contains("The practice is blocked"), "{e}");
}

#[test]
fn moving_re_checks_every_rule_and_a_refused_move_changes_nothing() {
    let desk = Desk::new(PracticeKind::Dental);
    let a = desk
        .book("Ana Ruiz", "Chair 1", desk.at(TUE, 10, 0), 30)
        .expect("a");
    desk.book("Ben Smith", "Chair 2", desk.at(TUE, 11, 0), 30)
        .expect("b");
    // Move Ana onto Ben's time (same dentist): refused.
    let e = desk.err("update_booking", json!({
        "id": a["id"], "expected_version": a["version"],
        "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, 11, 0), "ends_at_ms": desk.at(TUE, 11, 30) },
    }));
    assert_eq!(e.code(), "booking.overlap");
    let still = desk.ok("get_booking", json!({ "id": a["id"] }));
    assert_eq!(still["starts_at_ms"], a["starts_at_ms"]);
    assert_eq!(still["version"], a["version"]);
    // Move to another chair and resize: fine, version bumps.
    let moved = desk.ok("update_booking", json!({
        "id": a["id"], "expected_version": a["version"],
        "resource_ids": [desk.resource("Chair 2"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, 9, 0), "ends_at_ms": desk.at(TUE, 10, 0) },
    }));
    assert_eq!(
        moved["version"].as_i64(),
        a["version"].as_i64().map(|v| v + 1)
    );
    assert_eq!(
        moved["resource_ids"],
        json!([desk.resource("Chair 2"), desk.resource("Dentist")])
    );
}

#[test]
fn a_stale_edit_is_refused_and_names_who_changed_it() {
    let desk = Desk::new(PracticeKind::Dental);
    let a = desk
        .book("Ana Ruiz", "Chair 1", desk.at(TUE, 10, 0), 30)
        .expect("a");
    desk.ok(
        "update_booking",
        json!({ "id": a["id"], "expected_version": a["version"], "notes": "Prefers mornings" }),
    );
    let e = desk.err(
        "update_booking",
        json!({ "id": a["id"], "expected_version": a["version"], "notes": "Old view" }),
    );
    assert_eq!(e.code(), "booking.stale");
    assert!(e.to_string().contains("Helen Park"), "{e}");
    assert_eq!(
        desk.ok("get_booking", json!({ "id": a["id"] }))["notes"],
        "Prefers mornings"
    );
}

#[test]
fn cancelling_frees_the_slot_and_keeps_the_reason() {
    let desk = Desk::new(PracticeKind::Dental);
    let a = desk
        .book("Ana Ruiz", "Chair 1", desk.at(TUE, 10, 0), 30)
        .expect("a");
    let empty = desk.err(
        "cancel_booking",
        json!({ "id": a["id"], "expected_version": a["version"], "reason": "  " }),
    );
    assert_eq!(empty.code(), "input.invalid");
    let c = desk.ok(
        "cancel_booking",
        json!({ "id": a["id"], "expected_version": a["version"], "reason": "Flu" }),
    );
    assert_eq!(c["status"], "cancelled");
    assert_eq!(c["cancel_reason"], "Flu");
    desk.book("Ben Smith", "Chair 1", desk.at(TUE, 10, 0), 30)
        .expect("slot is free again");
    let e = desk.err(
        "update_booking",
        json!({ "id": a["id"], "expected_version": c["version"], "notes": "x" }),
    );
    assert_eq!(e.code(), "booking.bad_transition");
    let listed = desk.ok(
        "list_bookings",
        json!({ "from_ms": desk.at(TUE, 0, 0), "to_ms": desk.at("2026-11-25", 0, 0) }),
    );
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(1),
        "cancelled bookings are hidden by default"
    );
    let all = desk.ok("list_bookings", json!({ "from_ms": desk.at(TUE, 0, 0), "to_ms": desk.at("2026-11-25", 0, 0), "include_cancelled": true }));
    assert_eq!(all.as_array().map(Vec::len), Some(2));
}

#[test]
fn a_visit_runs_arrived_in_treatment_completed_and_refuses_nonsense() {
    let desk = Desk::new(PracticeKind::Dental);
    let a = desk
        .book("Ana Ruiz", "Chair 1", desk.at(MON, 9, 0), 30)
        .expect("a");
    // 07:00, two hours before: arrival is possible, a no-show is not yet.
    assert_eq!(a["next_statuses"], json!(["confirmed", "arrived"]));
    desk.clock.set(desk.at(MON, 9, 0));
    let a = desk.ok("get_booking", json!({ "id": a["id"] }));
    assert_eq!(
        a["next_statuses"],
        json!(["confirmed", "arrived", "no_show"])
    );
    let bad = desk.err(
        "set_booking_status",
        json!({ "id": a["id"], "expected_version": a["version"], "status": "completed" }),
    );
    assert_eq!(bad.code(), "booking.bad_transition");
    let mut b = a;
    for s in ["arrived", "in_treatment", "completed"] {
        b = desk.ok(
            "set_booking_status",
            json!({ "id": b["id"], "expected_version": b["version"], "status": s }),
        );
        assert_eq!(b["status"], s);
    }
    let e = desk.err(
        "update_booking",
        json!({ "id": b["id"], "expected_version": b["version"], "notes": "late" }),
    );
    assert_eq!(e.code(), "booking.bad_transition");
}

#[test]
fn restoring_a_no_show_re_checks_the_slot() {
    let desk = Desk::new(PracticeKind::Dental);
    let a = desk
        .book("Ana Ruiz", "Chair 1", desk.at(MON, 9, 0), 30)
        .expect("a");
    desk.clock.set(desk.at(MON, 9, 5));
    let ns = desk.ok(
        "set_booking_status",
        json!({ "id": a["id"], "expected_version": a["version"], "status": "no_show" }),
    );
    desk.book("Walk In", "Chair 1", desk.at(MON, 9, 0), 30)
        .expect("slot freed by the no-show");
    let e = desk.err(
        "set_booking_status",
        json!({ "id": ns["id"], "expected_version": ns["version"], "status": "booked" }),
    );
    assert_eq!(e.code(), "booking.overlap");
}

#[test]
fn housekeeping_cannot_book_and_unknown_staff_cannot_act() {
    let desk = Desk::new(PracticeKind::Dental);
    let hk = desk.ok(
        "save_staff",
        json!({ "name": "Rita", "role": "housekeeping", "colour": "#123456", "login": "rita", "temporary_password": "temporary1" }),
    );
    let actor = hearth_core::Actor {
        staff_id: hk["id"].as_i64().map(hearth_core::ids::StaffId),
        origin: None,
        ..Default::default()
    };
    let e = desk
        .run(&actor, "create_booking", json!({
            "person_name": "Ana", "type_id": desk.type_id("Check-up"),
            "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
            "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, 9, 0), "ends_at_ms": desk.at(TUE, 9, 30) } }))
        .expect_err("forbidden");
    assert_eq!(e.code(), "staff.forbidden");
    let nobody = hearth_core::Actor {
        staff_id: Some(hearth_core::ids::StaffId(999)),
        origin: None,
        ..Default::default()
    };
    assert_eq!(
        desk.run(
            &nobody,
            "save_staff",
            json!({ "name": "X", "role": "manager", "colour": "#123456", "login": "x", "temporary_password": "temporary1" })
        )
        .expect_err("x")
        .code(),
        "auth.required"
    );
}

#[test]
fn a_booking_needs_the_resources_its_type_needs() {
    let desk = Desk::new(PracticeKind::Dental);
    let e = desk.err("create_booking", json!({
        "person_name": "Ana", "type_id": desk.type_id("Check-up"), "resource_ids": [desk.resource("Chair 1")],
        "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, 9, 0), "ends_at_ms": desk.at(TUE, 9, 30) } }));
    assert_eq!(e.code(), "input.invalid");
    assert!(e.to_string().contains("need a provider"), "{e}");
    let e = desk.err("create_booking", json!({
        "person_name": "Ana", "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 1"), desk.resource("Chair 2"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, 9, 0), "ends_at_ms": desk.at(TUE, 9, 30) } }));
    assert!(e.to_string().contains("one chair"), "{e}");
}

#[test]
fn end_before_start_and_huge_text_are_refused_and_nothing_is_written() {
    let desk = Desk::new(PracticeKind::Dental);
    let e = desk
        .book("Ana", "Chair 1", desk.at(TUE, 10, 0), -30)
        .expect_err("end before start");
    assert_eq!(e.code(), "input.invalid");
    let huge = "x".repeat(1_000_000);
    let e = desk
        .book(&huge, "Chair 1", desk.at(TUE, 10, 0), 30)
        .expect_err("huge");
    assert_eq!(e.code(), "input.invalid");
    assert_eq!(desk.count_bookings(), 0);
}

#[test]
fn hotel_stays_are_booked_by_nights_and_same_day_turnover_is_fine() {
    let desk = Desk::new(PracticeKind::Hotel);
    let room = desk.resource("Room 101");
    let stay = desk.type_id("Stay");
    let book = |who: &str, a: &str, d: &str| {
        desk.run(
            &desk.manager,
            "create_booking",
            json!({
            "person_name": who, "type_id": stay, "resource_ids": [room],
            "time": { "kind": "nights", "arrival": a, "departure": d } }),
        )
    };
    let s = book("Mr and Mrs Okafor", "2026-12-01", "2026-12-04").expect("stay");
    assert_eq!(s["arrival_date"], "2026-12-01");
    assert_eq!(s["starts_at_ms"], desk.at("2026-12-01", 15, 0));
    assert_eq!(s["ends_at_ms"], desk.at("2026-12-04", 11, 0));
    book("Next Guest", "2026-12-04", "2026-12-06").expect("arrives the day they leave");
    let e = book("Clash", "2026-12-03", "2026-12-05").expect_err("overlap");
    assert_eq!(e.code(), "booking.overlap");
    assert!(e.to_string().contains("Room 101 is booked"), "{e}");
    let free = desk.ok(
        "find_free_rooms",
        json!({ "arrival": "2026-12-02", "departure": "2026-12-03" }),
    );
    let names: Vec<&str> = free
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(
        !names.contains(&"Room 101") && names.contains(&"Room 102"),
        "{names:?}"
    );
    let e = book("Zero", "2026-12-10", "2026-12-10").expect_err("no nights");
    assert_eq!(e.code(), "input.invalid");
    // A week before arrival only a confirmation is possible.
    assert_eq!(s["next_statuses"], json!(["confirmed"]));
    // Hotel vocabulary: check in, check out; never "arrived".
    desk.clock.set(desk.at("2026-12-01", 16, 0));
    let s = desk.ok("get_booking", json!({ "id": s["id"] }));
    assert_eq!(
        s["next_statuses"],
        json!(["confirmed", "checked_in", "no_show"])
    );
}

#[test]
fn every_write_publishes_one_batch_after_commit_with_its_origin() {
    use std::sync::{Arc, Mutex};
    let desk = Desk::new(PracticeKind::Dental);
    let seen: Arc<Mutex<Vec<hearth_core::events::ChangeBatch>>> = Arc::default();
    let s = seen.clone();
    desk.hearth
        .events
        .subscribe(move |b| s.lock().expect("lock").push(b.clone()));
    let actor = hearth_core::Actor {
        staff_id: desk.manager.staff_id,
        origin: Some("tab-1".into()),
        ..Default::default()
    };
    let b = desk
        .run(&actor, "create_booking", json!({
            "person_name": "Ana", "type_id": desk.type_id("Check-up"),
            "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
            "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, 9, 0), "ends_at_ms": desk.at(TUE, 9, 30) } }))
        .expect("book");
    let _ = desk.book("Clash", "Chair 1", desk.at(TUE, 9, 0), 30); // refused: no event
    let got = seen.lock().expect("lock").clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].origin.as_deref(), Some("tab-1"));
    let booking = got[0]
        .changes
        .iter()
        .find(|c| c.topic == "booking.changed")
        .expect("the booking's change");
    assert_eq!(booking.ids, vec![b["id"].as_i64().expect("id")]);
    // Ana was new: her record was made in the same transaction.
    assert!(got[0].changes.iter().any(|c| c.topic == "person.changed"));
}

/// Found by the fuzz harness: the manager could make themselves housekeeping,
/// leaving nobody able to manage the practice (or, here, to book).
#[test]
fn a_manager_cannot_demote_themselves() {
    let desk = Desk::new(PracticeKind::Dental);
    let me = desk.manager.staff_id;
    let e = desk.err(
        "save_staff",
        json!({ "id": me, "name": "Helen Park", "role": "housekeeping", "colour": "#123456" }),
    );
    assert_eq!(e.code(), "input.invalid");
    assert!(e.to_string().contains("own manager role"), "{e}");
    // Renaming themselves is fine; so is another manager demoting them.
    desk.ok(
        "save_staff",
        json!({ "id": me, "name": "Helen Park-Ode", "role": "manager", "colour": "#123456" }),
    );
    let other = desk.ok(
        "save_staff",
        json!({ "name": "Sam Lee", "role": "manager", "colour": "#654321", "login": "sam", "temporary_password": "temporary1" }),
    );
    let sam = hearth_core::Actor {
        staff_id: other["id"].as_i64().map(hearth_core::ids::StaffId),
        origin: None,
        ..Default::default()
    };
    desk.run(
        &sam,
        "save_staff",
        json!({ "id": me, "name": "Helen Park-Ode", "role": "front_desk", "colour": "#123456" }),
    )
    .expect("another manager may");
}

/// Found by the fuzz harness: a hotel's stay type could be made to need a
/// provider, and then no room the search called free could be booked.
#[test]
fn a_hotel_stay_type_needs_a_room_and_nothing_else() {
    let desk = Desk::new(PracticeKind::Hotel);
    let stay = desk.type_id("Stay");
    for (chair, provider, room) in [
        (false, true, true),
        (true, false, true),
        (true, false, false),
    ] {
        let e = desk.err("save_appointment_type", json!({ "id": stay, "name": "Stay", "duration_minutes": 1440,
            "colour": "#0ea5e9", "needs_chair": chair, "needs_provider": provider, "needs_room": room }));
        assert_eq!(e.code(), "input.invalid");
        assert!(
            e.to_string().contains("needs a room and nothing else"),
            "{e}"
        );
    }
    desk.ok(
        "save_appointment_type",
        json!({ "name": "Day use", "duration_minutes": 1440,
        "colour": "#0ea5e9", "needs_room": true }),
    );
}

#[test]
fn a_cancellation_can_be_undone_for_fifteen_minutes_if_the_time_is_still_free() {
    let desk = Desk::new(PracticeKind::Dental);
    let b = desk
        .book("Ana Ruiz", "Chair 1", desk.at("2026-11-25", 9, 0), 30)
        .expect("booked");
    let b = desk.ok(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "confirmed" }),
    );
    desk.ok(
        "add_task",
        json!({ "title": "Forms ready", "details": "", "booking_id": b["id"], "role": "front_desk",
        "due_at_ms": desk.at("2026-11-25", 8, 30) }),
    );
    let cancelled = desk.ok(
        "cancel_booking",
        json!({ "id": b["id"], "expected_version": b["version"], "reason": "Clicked the wrong one" }),
    );
    desk.clock.advance_minutes(5);
    let back = desk.ok(
        "restore_booking",
        json!({ "id": cancelled["id"], "expected_version": cancelled["version"] }),
    );
    assert_eq!(back["status"], "confirmed", "the status it had");
    assert_eq!(back["cancel_reason"], json!(null));
    let tasks = desk.ok(
        "list_tasks",
        json!({ "booking_id": b["id"], "include_closed": true }),
    );
    assert_eq!(
        tasks[0]["status"], "open",
        "the task the cancel closed is open again: {tasks}"
    );

    // Too late: fifteen minutes have passed.
    let again = desk.ok(
        "cancel_booking",
        json!({ "id": back["id"], "expected_version": back["version"], "reason": "Ill" }),
    );
    desk.clock.advance_minutes(16);
    let e = desk.err(
        "restore_booking",
        json!({ "id": again["id"], "expected_version": again["version"] }),
    );
    assert_eq!(e.code(), "booking.bad_transition");
    assert!(e.to_string().contains("too long ago to undo"), "{e}");

    // Someone took the time meanwhile: the undo says who.
    let third = desk
        .book("Ben Novak", "Chair 2", desk.at("2026-11-26", 9, 0), 30)
        .expect("booked");
    let third = desk.ok(
        "cancel_booking",
        json!({ "id": third["id"], "expected_version": third["version"], "reason": "Moved away" }),
    );
    let cara = desk
        .book("Cara Byrne", "Chair 2", desk.at("2026-11-26", 9, 0), 30)
        .expect("the freed time is taken");
    let e = desk.err(
        "restore_booking",
        json!({ "id": third["id"], "expected_version": third["version"] }),
    );
    assert_eq!(e.code(), "booking.overlap");
    // A booking that is not cancelled has nothing to undo.
    let e = desk.err(
        "restore_booking",
        json!({ "id": cara["id"], "expected_version": cara["version"] }),
    );
    assert_eq!(e.code(), "booking.bad_transition");
    assert!(e.to_string().contains("is not cancelled"), "{e}");
}

#[test]
fn before_book_is_pressed_the_dialog_can_see_what_is_free_and_what_holds_the_rest() {
    let desk = Desk::new(PracticeKind::Dental);
    let ana = desk
        .book("Ana Ruiz", "Chair 1", desk.at("2026-11-25", 10, 0), 30)
        .expect("booked");
    desk.ok("add_block", json!({ "resource_id": desk.resource("Chair 2"), "starts_at_ms": desk.at("2026-11-25", 11, 0),
        "ends_at_ms": desk.at("2026-11-25", 12, 0), "reason": "Staff meeting" }));
    let at = desk.at("2026-11-25", 10, 15);
    let free = desk.ok(
        "resource_availability",
        json!({ "time": { "kind": "timed", "starts_at_ms": at, "ends_at_ms": at + 30 * 60_000 } }),
    );
    let of = |list: &serde_json::Value, name: &str| {
        let id = desk.resource(name);
        list.as_array()
            .and_then(|a| a.iter().find(|r| r["resource_id"] == id))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(of(&free, "Chair 1")["busy_with"], "Ana Ruiz 10:00–10:30");
    assert_eq!(
        of(&free, "Dentist")["free"],
        false,
        "the dentist is with Ana"
    );
    assert_eq!(of(&free, "Chair 2")["free"], true);
    let later = desk.at("2026-11-25", 11, 15);
    let blocked = desk.ok(
        "resource_availability",
        json!({ "time": { "kind": "timed", "starts_at_ms": later, "ends_at_ms": later + 30 * 60_000 } }),
    );
    assert_eq!(
        of(&blocked, "Chair 2")["busy_with"],
        "Blocked: Staff meeting"
    );
    assert_eq!(of(&blocked, "Chair 1")["free"], true);
    // Editing Ana's own booking: her time is not taken by herself.
    let own = desk.ok(
        "resource_availability",
        json!({ "time": { "kind": "timed", "starts_at_ms": at, "ends_at_ms": at + 30 * 60_000 }, "booking_id": ana["id"] }),
    );
    assert_eq!(of(&own, "Chair 1")["free"], true);
}
