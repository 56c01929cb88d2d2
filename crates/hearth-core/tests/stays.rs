//! Stays that can't be: one guest in two rooms the same night only on purpose,
//! never two guests checked in to one room, and a stay moved to another room
//! type only when the desk says so — each named in words.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use serde_json::{json, Value};

fn hotel() -> Desk {
    let desk = Desk::new(PracticeKind::Hotel);
    desk.clock.set(desk.at("2026-11-20", 9, 0));
    desk
}

fn stay(
    desk: &Desk,
    person: &Value,
    room: &str,
    arrival: &str,
    departure: &str,
) -> Result<Value, hearth_core::CoreError> {
    desk.run(&desk.manager, "create_booking", json!({ "person_id": person["id"], "type_id": desk.type_id("Stay"),
        "resource_ids": [desk.resource(room)], "time": { "kind": "nights", "arrival": arrival, "departure": departure } }))
}

#[test]
fn a_guest_in_a_second_room_the_same_nights_is_a_choice_the_desk_makes_and_it_is_recorded() {
    let desk = hotel();
    let okafor = desk.ok(
        "save_person",
        json!({ "given_name": "Chidi", "family_name": "Okafor", "phone": "07700 900 301" }),
    );
    stay(&desk, &okafor, "Room 101", "2026-11-23", "2026-11-26").expect("first room");
    let before = desk.count_bookings();
    // The same guest, another room, overlapping nights: refused with what they have.
    let e = stay(&desk, &okafor, "Room 102", "2026-11-25", "2026-11-27").expect_err("refused");
    assert_eq!(e.code(), "stay.second_room");
    assert_eq!(
        e.to_string(),
        "Chidi Okafor already has Room 101 for Mon 23 Nov–Thu 26 Nov. If they are taking a second room (a family in two rooms), choose Book anyway; otherwise pick the stay they have."
    );
    assert_eq!(e.body().details["overridable"], true);
    assert_eq!(desk.count_bookings(), before, "nothing written");
    // The family in two rooms: booked on purpose, and marked as an override.
    let second = desk.ok("create_booking", json!({ "person_id": okafor["id"], "type_id": desk.type_id("Stay"),
        "resource_ids": [desk.resource("Room 102")], "time": { "kind": "nights", "arrival": "2026-11-25", "departure": "2026-11-27" },
        "override_rules": true }));
    assert_eq!(second["overridden"], true);
    // Each stay shows the other: the family's two rooms.
    assert_eq!(second["also_rooms"], json!(["Room 101"]));
    let stays = desk.ok(
        "list_bookings",
        json!({ "from_ms": desk.at("2026-11-23", 0, 0), "to_ms": desk.at("2026-11-28", 0, 0) }),
    );
    let first = stays
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|b| b["resource_ids"] == json!([desk.resource("Room 101")]))
        })
        .expect("first");
    assert_eq!(first["also_rooms"], json!(["Room 102"]));
    // Back to back is not two rooms at once.
    stay(&desk, &okafor, "Room 103", "2026-11-27", "2026-11-28").expect("the night after");
    // Another guest in the other room is nobody's second room.
    let other = desk.ok(
        "save_person",
        json!({ "given_name": "Ada", "family_name": "Obi" }),
    );
    let theirs =
        stay(&desk, &other, "Room 104", "2026-11-23", "2026-11-26").expect("another guest");
    assert_eq!(theirs["also_rooms"], json!([]));
}

#[test]
fn a_guest_is_not_checked_in_to_a_room_whose_last_guest_has_not_checked_out() {
    let desk = hotel();
    let lars = desk.ok(
        "save_person",
        json!({ "given_name": "Lars", "family_name": "Eriksen" }),
    );
    let mia = desk.ok(
        "save_person",
        json!({ "given_name": "Mia", "family_name": "Costa" }),
    );
    let leaving = stay(&desk, &lars, "Room 101", "2026-11-21", "2026-11-23").expect("Lars");
    let coming = stay(&desk, &mia, "Room 101", "2026-11-23", "2026-11-25").expect("Mia");
    desk.clock.set(desk.at("2026-11-21", 15, 0));
    let leaving = desk.ok("set_booking_status", json!({ "id": leaving["id"], "expected_version": leaving["version"], "status": "checked_in" }));
    // Monday: Mia arrives while Lars has not been checked out. Even "the room is fine" does not let her in.
    desk.clock.set(desk.at("2026-11-23", 15, 30));
    for anyway in [false, true] {
        let e = desk.err(
            "set_booking_status",
            json!({ "id": coming["id"], "expected_version": coming["version"],
            "status": "checked_in", "even_if_room_not_ready": anyway }),
        );
        assert_eq!(e.code(), "room.occupied");
        assert_eq!(
            e.to_string(),
            "Room 101 still has Lars Eriksen checked in (due out Mon 23 Nov). Check them out first, or give this guest another room."
        );
        assert_eq!(e.body().details, json!({}), "not something to set aside");
    }
    // Lars checks out; the room is dirty, so she is asked about that next, and then comes in.
    desk.ok("set_booking_status", json!({ "id": leaving["id"], "expected_version": leaving["version"], "status": "checked_out" }));
    let e = desk.err("set_booking_status", json!({ "id": coming["id"], "expected_version": coming["version"], "status": "checked_in" }));
    assert_eq!(e.code(), "room.not_ready");
    let mia_in = desk.ok(
        "set_booking_status",
        json!({ "id": coming["id"], "expected_version": coming["version"],
        "status": "checked_in", "even_if_room_not_ready": true }),
    );
    assert_eq!(mia_in["status"], "checked_in");
}

#[test]
fn a_stay_moved_to_another_room_type_asks_and_names_both_types() {
    let desk = hotel();
    let guest = desk.ok(
        "save_person",
        json!({ "given_name": "Rosa", "family_name": "Silva" }),
    );
    let s = stay(&desk, &guest, "Room 101", "2026-11-23", "2026-11-25").expect("stay");
    // Another Double: no question.
    let moved = desk.ok("update_booking", json!({ "id": s["id"], "expected_version": s["version"], "resource_ids": [desk.resource("Room 102")] }));
    // The Suite: asked, naming both types; nothing changes.
    let e = desk.err("update_booking", json!({ "id": s["id"], "expected_version": moved["version"], "resource_ids": [desk.resource("Room 201")] }));
    assert_eq!(e.code(), "stay.room_type_changed");
    assert_eq!(
        e.to_string(),
        "Room 201 is a Suite, and this stay was booked in a Double (Room 102). If the guest is moving to the other type, choose Book anyway."
    );
    assert_eq!(e.body().details["overridable"], true);
    let still = desk.ok("get_booking", json!({ "id": s["id"] }));
    assert_eq!(still["resource_ids"], json!([desk.resource("Room 102")]));
    // Said on purpose: moved, and recorded as an override.
    let upgraded = desk.ok(
        "update_booking",
        json!({ "id": s["id"], "expected_version": moved["version"],
        "resource_ids": [desk.resource("Room 201")], "override_rules": true }),
    );
    assert_eq!(upgraded["resource_ids"], json!([desk.resource("Room 201")]));
    assert_eq!(upgraded["overridden"], true);
}
