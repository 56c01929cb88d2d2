//! The waiting room and a visit's timeline (S4's rules, in the core).
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use serde_json::json;

#[test]
fn an_arrived_patient_waits_in_the_room_turns_over_the_threshold_and_leaves_it_when_seated() {
    let desk = Desk::new(PracticeKind::Dental);
    let start = desk.at("2026-11-23", 10, 0);
    let b = desk
        .book("Hana Sato", "Chair 1", start, 30)
        .expect("booked");
    desk.clock.set(desk.at("2026-11-23", 9, 55));
    let b = desk.ok(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "arrived" }),
    );
    let room = desk.ok("list_waiting", json!({}));
    assert_eq!(room["threshold_minutes"], 10);
    assert_eq!(room["waiting"][0]["person_name"], "Hana Sato");
    assert_eq!(room["waiting"][0]["over"], false);
    desk.clock.advance_minutes(10);
    assert_eq!(
        desk.ok("list_waiting", json!({}))["waiting"][0]["over"],
        true
    );
    desk.clock.advance_minutes(2);
    desk.ok(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "in_treatment" }),
    );
    assert_eq!(desk.ok("list_waiting", json!({}))["waiting"], json!([]));
    let t = desk.ok("booking_timeline", json!({ "booking_id": b["id"] }));
    let steps: Vec<&str> = t["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["status"].as_str())
        .collect();
    assert_eq!(steps, ["booked", "arrived", "in_treatment"]);
    assert_eq!(t["steps"][1]["by_name"], "Helen Park");
    assert_eq!(t["arrival_to_seat_minutes"], 12);
    assert_eq!(t["seat_to_complete_minutes"], json!(null));
}
