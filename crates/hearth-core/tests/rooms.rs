//! A hotel's room status: check-out makes a room dirty, housekeeping marks it
//! clean, checking a guest into a room that is not ready asks first.
mod common;

use common::Desk;
use hearth_core::ids::StaffId;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::Actor;
use serde_json::{json, Value};

fn room<'a>(board: &'a Value, name: &str) -> &'a Value {
    board["rooms"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["name"] == name))
        .unwrap_or_else(|| panic!("no room {name} in {board}"))
}

#[test]
fn a_check_out_makes_the_room_dirty_housekeeping_cleans_it_and_a_check_in_asks_first() {
    let desk = Desk::new(PracticeKind::Hotel);
    desk.clock.set(desk.at("2026-11-20", 9, 0));
    let stay = |who: &str, a: &str, d: &str| {
        desk.ok("create_booking", json!({ "person_name": who, "type_id": desk.type_id("Stay"),
            "resource_ids": [desk.resource("Room 101")], "time": { "kind": "nights", "arrival": a, "departure": d } }))
    };
    let leaving = stay("Lars Eriksen", "2026-11-21", "2026-11-23");
    let coming = stay("Mia Costa", "2026-11-23", "2026-11-25");
    // Lars is in; Monday morning he leaves.
    desk.clock.set(desk.at("2026-11-21", 15, 0));
    let leaving = desk.ok("set_booking_status", json!({ "id": leaving["id"], "expected_version": leaving["version"], "status": "checked_in" }));
    desk.clock.set(desk.at("2026-11-23", 9, 0));
    let board = desk.ok("list_room_status", json!({}));
    let r = room(&board, "Room 101");
    assert_eq!(
        (r["status"].clone(), r["in_house"].clone()),
        (json!("clean"), json!("Lars Eriksen"))
    );
    assert_eq!(
        (r["departing"].clone(), r["arriving"].clone()),
        (json!("Lars Eriksen"), json!("Mia Costa"))
    );
    desk.ok("set_booking_status", json!({ "id": leaving["id"], "expected_version": leaving["version"], "status": "checked_out" }));
    let board = desk.ok("list_room_status", json!({}));
    assert_eq!(room(&board, "Room 101")["status"], "dirty");
    assert_eq!(
        (board["dirty"].clone(), board["needed_today"].clone()),
        (json!(1), json!(1))
    );

    // Mia arrives early: the desk is asked, and nothing changes until it says so.
    desk.clock.set(desk.at("2026-11-23", 14, 0));
    let e = desk.err("set_booking_status", json!({ "id": coming["id"], "expected_version": coming["version"], "status": "checked_in" }));
    assert_eq!(e.code(), "room.not_ready");
    assert!(e.to_string().starts_with("Room 101 is dirty"), "{e}");
    assert_eq!(e.body().details["confirmable"], true);

    // Housekeeping marks it clean from their list; the check-in goes through.
    let ines = desk.ok(
        "save_staff",
        json!({ "name": "Ines Duarte", "role": "housekeeping", "colour": "#0891b2",
        "login": "ines", "temporary_password": "temporary-pass" }),
    );
    let housekeeping = Actor::staff(StaffId(ines["id"].as_i64().expect("id")));
    let cleaned = desk
        .run(
            &housekeeping,
            "set_room_status",
            json!({ "resource_id": desk.resource("Room 101"), "status": "clean" }),
        )
        .expect("housekeeping marks it clean");
    assert_eq!(
        (
            cleaned["status"].clone(),
            cleaned["changed_by_name"].clone()
        ),
        (json!("clean"), json!("Ines Duarte"))
    );
    let mia = desk.ok("set_booking_status", json!({ "id": coming["id"], "expected_version": coming["version"], "status": "checked_in" }));
    assert_eq!(mia["status"], "checked_in");
}

#[test]
fn a_room_out_of_order_says_why_and_a_check_in_there_needs_the_desks_word() {
    let desk = Desk::new(PracticeKind::Hotel);
    let room_id = desk.resource("Room 102");
    let e = desk.err(
        "set_room_status",
        json!({ "resource_id": room_id, "status": "out_of_order" }),
    );
    assert!(e.to_string().contains("Say why"), "{e}");
    desk.ok(
        "set_room_status",
        json!({ "resource_id": room_id, "status": "out_of_order", "note": "Bathroom leak" }),
    );
    let b = desk.ok("create_booking", json!({ "person_name": "Mia Costa", "type_id": desk.type_id("Stay"),
        "resource_ids": [room_id], "time": { "kind": "nights", "arrival": "2026-11-23", "departure": "2026-11-24" } }));
    desk.clock.set(desk.at("2026-11-23", 15, 0));
    let e = desk.err(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "checked_in" }),
    );
    assert!(e.to_string().contains("Room 102 is out of order"), "{e}");
    let b = desk.ok(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "checked_in",
        "even_if_room_not_ready": true }),
    );
    // Checking out of a room out of order leaves it out of order, not merely dirty.
    desk.clock.set(desk.at("2026-11-24", 10, 0));
    desk.ok(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "checked_out" }),
    );
    let board = desk.ok("list_room_status", json!({}));
    assert_eq!(room(&board, "Room 102")["status"], "out_of_order");
    assert_eq!(room(&board, "Room 102")["note"], "Bathroom leak");
    // Only rooms have a status; a dental practice has none.
    let dental = Desk::new(PracticeKind::Dental);
    assert_eq!(
        dental.err("list_room_status", json!({})).code(),
        "input.invalid"
    );
    let e = dental.err(
        "set_room_status",
        json!({ "resource_id": dental.resource("Chair 1"), "status": "clean" }),
    );
    assert!(e.to_string().contains("not a room"), "{e}");
}

#[test]
fn the_room_picker_puts_the_best_match_first_their_last_room_then_rooms_ready_now() {
    let desk = Desk::new(PracticeKind::Hotel);
    desk.clock.set(desk.at("2026-11-01", 9, 0));
    let stay = |who: &str, room: &str, a: &str, d: &str| {
        desk.ok("create_booking", json!({ "person_name": who, "type_id": desk.type_id("Stay"),
            "resource_ids": [desk.resource(room)], "time": { "kind": "nights", "arrival": a, "departure": d } }))
    };
    // Lars stayed in Room 103 last time; Room 101 is taken tonight; Room 102 is dirty;
    // Room 104 is out of order.
    let earlier = stay("Lars Eriksen", "Room 103", "2026-11-02", "2026-11-04");
    stay("Mia Costa", "Room 101", "2026-11-22", "2026-11-25");
    desk.clock.set(desk.at("2026-11-23", 9, 0));
    for (room, status, note) in [
        ("Room 102", "dirty", ""),
        ("Room 104", "out_of_order", "bathroom refit"),
    ] {
        desk.ok(
            "set_room_status",
            json!({ "resource_id": desk.resource(room), "status": status, "note": note }),
        );
    }
    let ask = |person: &Value| {
        let list = desk.ok(
            "resource_availability",
            json!({ "time": { "kind": "nights", "arrival": "2026-11-23", "departure": "2026-11-24" }, "person_id": person }),
        );
        list.as_array()
            .expect("a list")
            .iter()
            .filter(|a| {
                ["Room 101", "Room 102", "Room 103", "Room 104", "Room 201"]
                    .iter()
                    .any(|r| a["resource_id"] == desk.resource(r))
            })
            .map(|a| {
                let name = ["Room 101", "Room 102", "Room 103", "Room 104", "Room 201"]
                    .into_iter()
                    .find(|r| a["resource_id"] == desk.resource(r))
                    .unwrap_or("?");
                format!(
                    "{name} {} {}",
                    if a["free"] == true { "free" } else { "taken" },
                    a["note"].as_str().unwrap_or("-")
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ask(&earlier["person_id"]),
        [
            "Room 103 free Their room on their last stay",
            "Room 201 free -",
            "Room 102 free Dirty — not cleaned yet",
            "Room 104 free Out of order: bathroom refit",
            "Room 101 taken -",
        ]
    );
    // Someone new: ready rooms in the rooms' own order.
    assert_eq!(
        ask(&Value::Null)[..2],
        ["Room 103 free -".to_owned(), "Room 201 free -".to_owned()]
    );
    // A stay next month: today's dirt does not count against a room.
    let later = desk.ok(
        "resource_availability",
        json!({ "time": { "kind": "nights", "arrival": "2026-12-10", "departure": "2026-12-12" } }),
    );
    let first = &later.as_array().expect("a list")[0];
    assert_eq!(first["resource_id"], desk.resource("Room 101"));
}

#[test]
fn the_room_picker_never_counts_the_stay_being_edited_and_ranks_a_liked_floor() {
    let desk = Desk::new(PracticeKind::Hotel);
    // Freya likes a high floor; her only stay so far is the one being edited, in Room 101.
    let freya = desk.ok(
        "save_person",
        json!({ "given_name": "Freya", "family_name": "Holm", "preference_flags": ["High floor"] }),
    );
    let stay = desk.ok("create_booking", json!({ "person_id": freya["id"], "type_id": desk.type_id("Stay"),
        "resource_ids": [desk.resource("Room 101")], "time": { "kind": "nights", "arrival": "2026-12-01", "departure": "2026-12-03" } }));
    let list = desk.ok(
        "resource_availability",
        json!({ "time": { "kind": "nights", "arrival": "2026-12-01", "departure": "2026-12-03" },
                "booking_id": stay["id"], "person_id": freya["id"] }),
    );
    let list = list.as_array().expect("a list");
    assert!(
        list.iter()
            .all(|a| a["note"] != "Their room on their last stay"),
        "the stay being edited is not a last stay: {list:?}"
    );
    // Her liked high floor first (the 200s over the 100s), and said so.
    assert_eq!(
        list[0]["resource_id"],
        desk.resource("Room 201"),
        "{list:?}"
    );
    assert_eq!(list[0]["note"], "Floor 2: they like a high floor");
}
