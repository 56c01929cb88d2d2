//! Handoffs between staff, and the follow-up booked from one before the
//! patient reaches the door (S3's rules, in the core).
mod common;

use common::Desk;
use hearth_core::ids::StaffId;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::Actor;
use serde_json::{json, Value};

fn staff(desk: &Desk, name: &str) -> (Actor, i64) {
    let all = desk.ok("list_staff", json!({}));
    let id = all
        .as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == name))
        .and_then(|s| s["id"].as_i64())
        .unwrap_or_else(|| panic!("no staff {name}"));
    (Actor::staff(StaffId(id)), id)
}

fn add_staff(desk: &Desk, name: &str, role: &str) -> Actor {
    let s = desk.ok(
        "save_staff",
        json!({ "name": name, "role": role, "colour": "#0ea5e9", "login": name.to_lowercase(), "temporary_password": "temporary-pass" }),
    );
    Actor::staff(StaffId(s["id"].as_i64().expect("id")))
}

/// Who the waitlist offers, in order.
fn waiting_names(fits: &Value) -> Vec<String> {
    fits.as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["entry"]["person_name"].as_str().map(str::to_owned))
        .collect()
}

/// The dentist hands the desk "about two weeks, give or take four days" for a 90-minute visit with them.
fn crown_prep(desk: &Desk, dentist: &Actor, person: &Value, provider: i64) -> Value {
    desk.run(
        dentist,
        "send_handoff",
        json!({ "to_role": "front_desk", "person_id": person["id"], "body": "Crown prep, 90 min, with me, in about two weeks",
                "priority": "normal", "action": "follow_up",
                "follow_up": { "type_id": desk.type_id("Check-up"), "provider_id": provider, "duration_minutes": 90,
                               "window": { "about_weeks": 2, "give_days": 4 } } }),
    )
    .expect("sent")
}

#[test]
fn a_follow_up_handoff_reaches_the_desk_with_slots_that_fit_and_one_click_books_it() {
    let desk = Desk::new(PracticeKind::Dental);
    let (dentist, _) = staff(&desk, "Dentist");
    let front = add_staff(&desk, "Rosa", "front_desk");
    let provider = desk.resource("Dentist");
    let person = desk.ok(
        "save_person",
        json!({ "given_name": "Olu", "family_name": "Bankole" }),
    );
    let h = crown_prep(&desk, &dentist, &person, provider);
    // Monday 23 Nov 2026 + 14 days ± 4: 3–11 December.
    assert_eq!(
        h["follow_up"]["window"],
        json!({ "from": "2026-12-03", "to": "2026-12-11" })
    );
    assert_eq!(h["follow_up"]["duration_minutes"], 90);

    // The desk's inbox has it at the top, unseen.
    assert_eq!(
        desk.run(&front, "count_handoffs", json!({}))
            .expect("count")["unseen"],
        1
    );
    let inbox = desk.run(&front, "list_handoffs", json!({})).expect("inbox");
    assert_eq!(inbox[0]["id"], h["id"]);
    let p = desk
        .run(
            &front,
            "propose_follow_up",
            json!({ "handoff_id": h["id"] }),
        )
        .expect("proposal");
    let slots = p["slots"].as_array().cloned().unwrap_or_default();
    assert!(!slots.is_empty(), "{p}");
    let (from, to) = (desk.at("2026-12-03", 0, 0), desk.at("2026-12-12", 0, 0));
    let mut last = 0;
    for s in &slots {
        let start = s["starts_at_ms"].as_i64().expect("start");
        assert!(start >= from && start < to, "inside the window: {s}");
        assert_eq!(s["ends_at_ms"].as_i64().expect("end") - start, 90 * 60_000);
        assert!(
            s["resource_ids"]
                .as_array()
                .is_some_and(|r| r.contains(&json!(provider))),
            "with the dentist"
        );
        assert!(start >= last, "earliest first");
        last = start;
    }
    // One click: booked for the person, the handoff done with who and the booking.
    let first = &slots[0];
    let done = desk
        .run(
            &front,
            "book_follow_up",
            json!({ "handoff_id": h["id"], "expected_version": h["version"], "starts_at_ms": first["starts_at_ms"],
                    "ends_at_ms": first["ends_at_ms"], "resource_ids": first["resource_ids"] }),
        )
        .expect("booked");
    assert_eq!(done["status"], "done");
    assert_eq!(done["closed_by_name"], "Rosa");
    let booking = desk.ok("get_booking", json!({ "id": done["result_booking_id"] }));
    assert_eq!(booking["person_id"], person["id"]);
    assert_eq!(booking["starts_at_ms"], first["starts_at_ms"]);
    assert_eq!(
        desk.run(&front, "count_handoffs", json!({}))
            .expect("count")["unseen"],
        0
    );
    // Twice is refused, naming who did it.
    let e = desk
        .run(
            &front,
            "book_follow_up",
            json!({ "handoff_id": h["id"], "expected_version": done["version"], "starts_at_ms": first["starts_at_ms"],
                    "ends_at_ms": first["ends_at_ms"], "resource_ids": first["resource_ids"] }),
        )
        .expect_err("already");
    assert!(e.to_string().contains("Rosa"), "{e}");

    // Booked by mistake (the wrong slot clicked): Undo takes it back and opens the handoff again.
    let back = desk
        .run(
            &front,
            "take_back_follow_up",
            json!({ "handoff_id": h["id"], "expected_version": done["version"] }),
        )
        .expect("taken back");
    assert_eq!(back["status"], "seen");
    assert_eq!(back["result_booking_id"], json!(null));
    assert_eq!(back["outcome"], "");
    let gone = desk.ok("get_booking", json!({ "id": done["result_booking_id"] }));
    assert_eq!(gone["status"], "cancelled");
    assert_eq!(
        gone["cancel_reason"],
        "Booked by mistake: taken back at once"
    );
    // Booked again on the second slot; a quarter of an hour later Undo is refused.
    let second = &slots[1];
    let again = desk
        .run(
            &front,
            "book_follow_up",
            json!({ "handoff_id": h["id"], "expected_version": back["version"], "starts_at_ms": second["starts_at_ms"],
                    "ends_at_ms": second["ends_at_ms"], "resource_ids": second["resource_ids"] }),
        )
        .expect("booked again");
    desk.clock.advance_minutes(16);
    let e = desk
        .run(
            &front,
            "take_back_follow_up",
            json!({ "handoff_id": h["id"], "expected_version": again["version"] }),
        )
        .expect_err("too late");
    assert_eq!(e.code(), "booking.bad_transition");
    assert!(e.to_string().contains("15 minutes"), "{e}");
}

#[test]
fn when_nothing_fits_the_window_it_says_so_and_offers_the_earliest_after() {
    let desk = Desk::new(PracticeKind::Dental);
    let (dentist, _) = staff(&desk, "Dentist");
    let provider = desk.resource("Dentist");
    let person = desk.ok(
        "save_person",
        json!({ "given_name": "Mei", "family_name": "Tan" }),
    );
    // The dentist is away for the whole window.
    desk.ok(
        "add_block",
        json!({ "resource_id": provider, "starts_at_ms": desk.at("2026-12-03", 0, 0), "ends_at_ms": desk.at("2026-12-12", 0, 0),
                "reason": "Conference" }),
    );
    let cap = desk
        .run(
            &dentist,
            "follow_up_capacity",
            json!({ "request": { "type_id": desk.type_id("Check-up"), "provider_id": provider, "duration_minutes": 90,
                                 "window": { "about_weeks": 2, "give_days": 4 } } }),
        )
        .expect("capacity");
    assert_eq!(cap["fitting"], 0);
    assert!(
        cap["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("No slot fits")),
        "{cap}"
    );
    let h = crown_prep(&desk, &dentist, &person, provider);
    let p = desk.ok("propose_follow_up", json!({ "handoff_id": h["id"] }));
    assert_eq!(p["slots"], json!([]));
    let alt = p["alternatives"][0]["starts_at_ms"]
        .as_i64()
        .expect("an alternative");
    assert!(alt >= desk.at("2026-12-12", 0, 0), "after the window");
    assert!(
        p["message"].as_str().is_some_and(|m| m
            .contains("No Check-up of 90 min with Dentist fits")
            && m.contains("waitlist")),
        "{p}"
    );
}

#[test]
fn a_handoff_is_seen_then_done_or_declined_only_by_those_it_was_sent_to() {
    let desk = Desk::new(PracticeKind::Hotel);
    let night = add_staff(&desk, "Noor", "front_desk");
    let morning = add_staff(&desk, "Mateo", "front_desk");
    let ines = add_staff(&desk, "Ines", "housekeeping");
    let note = desk
        .run(
            &night,
            "send_handoff",
            json!({ "to_role": "front_desk", "shift_note": true, "body": "Room 102 asked for a 6am taxi", "priority": "urgent", "action": "none" }),
        )
        .expect("sent");
    let count = desk
        .run(&morning, "count_handoffs", json!({}))
        .expect("count");
    assert_eq!(
        (count["unseen"].clone(), count["urgent_unseen"].clone()),
        (json!(1), json!(1))
    );
    // Housekeeping does not see the desk's inbox, and cannot close its notes.
    assert_eq!(
        desk.run(&ines, "list_handoffs", json!({})).expect("inbox"),
        json!([])
    );
    let e = desk
        .run(
            &ines,
            "close_handoff",
            json!({ "id": note["id"], "expected_version": note["version"], "status": "done" }),
        )
        .expect_err("not theirs");
    assert_eq!(e.code(), "staff.forbidden");
    let seen = desk
        .run(&morning, "mark_handoff_seen", json!({ "id": note["id"] }))
        .expect("seen");
    assert_eq!(
        (seen["status"].clone(), seen["seen_by_name"].clone()),
        (json!("seen"), json!("Mateo"))
    );
    let e = desk
        .run(
            &morning,
            "close_handoff",
            json!({ "id": note["id"], "expected_version": seen["version"], "status": "declined" }),
        )
        .expect_err("why");
    assert_eq!(e.body().details["field"], "outcome");
    let done = desk
        .run(&morning, "close_handoff", json!({ "id": note["id"], "expected_version": seen["version"], "status": "done", "outcome": "Taxi booked" }))
        .expect("done");
    assert_eq!(done["outcome"], "Taxi booked");
    // The sender sees what became of it.
    let sent = desk
        .run(
            &night,
            "list_handoffs",
            json!({ "sent": true, "include_closed": true }),
        )
        .expect("sent");
    assert_eq!(sent[0]["status"], "done");
    // A follow-up without a person, or without a window, is refused before anything is written.
    let e = desk
        .run(&night, "send_handoff", json!({ "to_role": "front_desk", "body": "x", "priority": "normal", "action": "call_back", "to_staff": 999 }))
        .expect_err("no such member");
    assert_eq!(e.body().details["field"], "to_staff");
}

#[test]
fn a_cancellation_offers_the_freed_slot_to_the_waitlist_longest_waiting_first() {
    let desk = Desk::new(PracticeKind::Dental);
    let (dentist, _) = staff(&desk, "Dentist");
    let provider = desk.resource("Dentist");
    let chair = desk.resource("Chair 1");
    let ada = desk.ok(
        "save_person",
        json!({ "given_name": "Ada", "family_name": "Obi" }),
    );
    let ben = desk.ok(
        "save_person",
        json!({ "given_name": "Ben", "family_name": "Lowe" }),
    );
    let cy = desk.ok(
        "save_person",
        json!({ "given_name": "Cy", "family_name": "Park" }),
    );
    // Ada's follow-up found nothing (the dentist away), so she goes on the list from the handoff …
    desk.ok(
        "add_block",
        json!({ "resource_id": provider, "starts_at_ms": desk.at("2026-12-03", 0, 0), "ends_at_ms": desk.at("2026-12-12", 0, 0), "reason": "Away" }),
    );
    let h = crown_prep(&desk, &dentist, &ada, provider);
    let entry = desk.ok("add_to_waitlist", json!({ "handoff_id": h["id"] }));
    assert_eq!(
        entry["window"],
        json!({ "from": "2026-12-03", "to": "2026-12-11" })
    );
    let sent = desk
        .run(
            &dentist,
            "list_handoffs",
            json!({ "sent": true, "include_closed": true }),
        )
        .expect("sent");
    assert_eq!(
        (sent[0]["status"].clone(), sent[0]["outcome"].clone()),
        (json!("done"), json!("On the waitlist"))
    );
    // … and Ben, later, by hand with anyone.
    desk.clock.advance_minutes(60);
    desk.ok(
        "add_to_waitlist",
        json!({ "person_id": ben["id"], "request": { "type_id": desk.type_id("Check-up"), "duration_minutes": 90,
                "window": { "from": "2026-12-14", "to": "2026-12-18" } } }),
    );
    // Cy's 90 minutes on Tuesday 15 December are cancelled: Ben fits, Ada's window has passed.
    let start = desk.at("2026-12-15", 10, 0);
    let cys = desk.ok(
        "create_booking",
        json!({ "person_id": cy["id"], "type_id": desk.type_id("Check-up"), "resource_ids": [chair, provider],
                "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 90 * 60_000 } }),
    );
    desk.ok(
        "cancel_booking",
        json!({ "id": cys["id"], "expected_version": cys["version"], "reason": "Moving away" }),
    );
    let fits = desk.ok(
        "waitlist_for_freed",
        json!({ "starts_at_ms": start, "ends_at_ms": start + 90 * 60_000, "resource_ids": [chair, provider] }),
    );
    let names = waiting_names(&fits);
    assert_eq!(names, ["Ben Lowe"]);
    let slot = &fits[0]["slot"];
    assert_eq!(slot["starts_at_ms"], start);
    let booked = desk.ok(
        "book_from_waitlist",
        json!({ "id": fits[0]["entry"]["id"], "starts_at_ms": slot["starts_at_ms"], "ends_at_ms": slot["ends_at_ms"],
                "resource_ids": slot["resource_ids"] }),
    );
    assert_eq!(booked["person_id"], ben["id"]);
    let left = desk.ok("list_waitlist", json!({}));
    assert_eq!(
        left.as_array().map(Vec::len),
        Some(1),
        "Ben is off the list; Ada still waits"
    );
    // The list is longest-waiting first: when both fit, Ada comes first.
    desk.ok(
        "remove_block",
        json!({ "id": desk.ok("list_blocks", json!({ "from_ms": desk.at("2026-12-01", 0, 0), "to_ms": desk.at("2026-12-31", 0, 0) }))[0]["id"] }),
    );
    desk.ok(
        "add_to_waitlist",
        json!({ "person_id": cy["id"], "request": { "type_id": desk.type_id("Check-up"), "provider_id": provider, "duration_minutes": 90,
                "window": { "from": "2026-12-03", "to": "2026-12-11" } } }),
    );
    let day = desk.at("2026-12-08", 9, 0);
    let fits = desk.ok(
        "waitlist_for_freed",
        json!({ "starts_at_ms": day, "ends_at_ms": day + 90 * 60_000, "resource_ids": [chair, provider] }),
    );
    let names = waiting_names(&fits);
    assert_eq!(names, ["Ada Obi", "Cy Park"]);
}

#[test]
fn my_day_is_the_practitioners_own_bookings_in_order_each_with_the_persons_card() {
    let desk = Desk::new(PracticeKind::Dental);
    let (dentist, _) = staff(&desk, "Dentist");
    let ana = desk.ok(
        "save_person",
        json!({ "given_name": "Ana", "family_name": "Ruiz" }),
    );
    desk.ok(
        "add_person_alert",
        json!({ "person_id": ana["id"], "kind": "allergy", "severity": "critical", "text": "Penicillin" }),
    );
    // Ana's visit the week before, with what was done.
    let now = desk.at("2026-11-23", 7, 0);
    let before = desk.at("2026-11-16", 10, 0);
    desk.clock.set(before - 3_600_000);
    desk.ok("create_booking", json!({ "person_id": ana["id"], "type_id": desk.type_id("Filling"),
        "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")], "notes": "Upper left 6 sensitive",
        "time": { "kind": "timed", "starts_at_ms": before, "ends_at_ms": before + 60 * 60_000 } }));
    desk.clock.set(now);
    let later = desk
        .book("Ben Novak", "Chair 1", desk.at("2026-11-23", 11, 0), 30)
        .expect("booked");
    let at = desk.at("2026-11-23", 9, 0);
    desk.ok(
        "create_booking",
        json!({ "person_id": ana["id"], "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 2"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": at, "ends_at_ms": at + 30 * 60_000 } }),
    );
    let gone = desk
        .book("Cara Byrne", "Chair 1", desk.at("2026-11-23", 14, 0), 30)
        .expect("booked");
    desk.ok(
        "cancel_booking",
        json!({ "id": gone["id"], "expected_version": gone["version"], "reason": "Ill" }),
    );
    desk.book("Dan Smith", "Chair 1", desk.at("2026-11-24", 9, 0), 30)
        .expect("tomorrow");

    let day = desk.run(&dentist, "get_my_day", json!({})).expect("my day");
    assert_eq!(day["date"], "2026-11-23");
    assert_eq!(day["providers"], json!(["Dentist"]));
    let who: Vec<&str> = day["visits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["booking"]["person_name"].as_str())
        .collect();
    assert_eq!(
        who,
        ["Ana Ruiz", "Ben Novak"],
        "in order, the cancelled one left out"
    );
    assert_eq!(day["visits"][0]["card"]["alerts"][0]["text"], "Penicillin");
    assert_eq!(
        day["visits"][0]["last_visit"],
        "Mon 16 Nov · Filling · Dentist"
    );
    assert_eq!(
        day["visits"][0]["last_visit_notes"],
        "Upper left 6 sensitive"
    );
    assert_eq!(day["visits"][1]["last_visit"], json!(null));
    assert_eq!(day["visits"][1]["booking"]["id"], later["id"]);
    let tomorrow = desk
        .run(&dentist, "get_my_day", json!({ "date": "2026-11-24" }))
        .expect("tomorrow");
    assert_eq!(tomorrow["visits"][0]["booking"]["person_name"], "Dan Smith");

    // A manager is no column on the calendar: their day says so, empty.
    let none = desk.ok("get_my_day", json!({}));
    assert_eq!(
        (none["providers"].clone(), none["visits"].clone()),
        (json!([]), json!([]))
    );
}
