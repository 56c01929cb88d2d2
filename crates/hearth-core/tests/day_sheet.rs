//! The day sheet: the day as paper, a page per chair or provider, or a
//! hotel's arrivals, departures and in-house guests.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use serde_json::{json, Value};

fn titles(sheet: &Value) -> Vec<String> {
    sheet["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            format!(
                "{} ({})",
                s["title"].as_str().unwrap_or(""),
                s["rows"].as_array().map_or(0, Vec::len)
            )
        })
        .collect()
}

#[test]
fn a_page_per_chair_or_provider_with_phone_notes_and_alerts() {
    let desk = Desk::new(PracticeKind::Dental);
    let ana = desk.ok(
        "save_person",
        json!({ "given_name": "Ana", "family_name": "Ruiz", "phone": "07700 900 111" }),
    );
    desk.ok("add_person_alert", json!({ "person_id": ana["id"], "kind": "condition", "severity": "warning", "text": "Anxious" }));
    desk.ok("add_person_alert", json!({ "person_id": ana["id"], "kind": "allergy", "severity": "critical", "text": "Latex" }));
    let at = desk.at("2026-11-24", 9, 0);
    desk.ok("create_booking", json!({ "person_id": ana["id"], "type_id": desk.type_id("Check-up"), "notes": "Bring the X-rays",
        "resource_ids": [desk.resource("Chair 2"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": at, "ends_at_ms": at + 30 * 60_000 } }));
    desk.book("Ben Novak", "Chair 1", desk.at("2026-11-24", 10, 0), 30)
        .expect("booked");
    let gone = desk
        .book("Cara Byrne", "Chair 1", desk.at("2026-11-24", 11, 0), 30)
        .expect("booked");
    desk.ok(
        "cancel_booking",
        json!({ "id": gone["id"], "expected_version": gone["version"], "reason": "Ill" }),
    );
    desk.book("Dan Smith", "Chair 1", desk.at("2026-11-25", 9, 0), 30)
        .expect("tomorrow");

    let sheet = desk.ok("get_day_sheet", json!({ "date": "2026-11-24" }));
    assert_eq!(sheet["practice_name"], "Test Practice");
    assert_eq!(sheet["date_label"], "Tuesday 24 November 2026");
    assert_eq!(
        titles(&sheet),
        ["Chair 1 (1)", "Chair 2 (1)"],
        "the cancelled and tomorrow's left out"
    );
    let row = &sheet["sections"][1]["rows"][0];
    assert_eq!(row["when"], "09:00–09:30");
    assert_eq!(row["person_name"], "Ana Ruiz");
    assert_eq!(row["phone"], "07700 900 111");
    assert_eq!(row["with"], "Dentist");
    assert_eq!(row["notes"], "Bring the X-rays");
    assert_eq!(
        row["alerts"],
        json!(["‼ Allergy: Latex", "⚠ Condition: Anxious"]),
        "most serious first"
    );

    let by_provider = desk.ok(
        "get_day_sheet",
        json!({ "date": "2026-11-24", "by": "provider" }),
    );
    assert_eq!(titles(&by_provider), ["Dentist (2)"]);
    assert_eq!(by_provider["sections"][0]["rows"][0]["with"], "Chair 2");
    assert_eq!(
        titles(&desk.ok("get_day_sheet", json!({ "date": "2026-11-29" }))),
        Vec::<String>::new(),
        "a closed Sunday: nothing"
    );
}

#[test]
fn a_hotel_day_is_arrivals_departures_and_in_house() {
    let desk = Desk::new(PracticeKind::Hotel);
    let stay = |who: &str, room: &str, a: &str, d: &str| {
        desk.ok("create_booking", json!({ "person_name": who, "type_id": desk.type_id("Stay"),
            "resource_ids": [desk.resource(room)], "time": { "kind": "nights", "arrival": a, "departure": d } }))
    };
    stay("Mr and Mrs Okafor", "Room 101", "2026-11-24", "2026-11-27");
    stay("Lars Eriksen", "Room 102", "2026-11-23", "2026-11-24");
    stay("Mia Costa", "Room 103", "2026-11-23", "2026-11-26");
    stay("Later Guest", "Room 101", "2026-11-27", "2026-11-28");
    let sheet = desk.ok("get_day_sheet", json!({ "date": "2026-11-24" }));
    assert_eq!(
        titles(&sheet),
        ["Arrivals (1)", "Departures (1)", "In house (1)"]
    );
    let arrival = &sheet["sections"][0]["rows"][0];
    assert_eq!(arrival["person_name"], "Mr and Mrs Okafor");
    assert_eq!(arrival["with"], "Room 101");
    assert_eq!(arrival["when"], "3 nights, Tue 24 Nov – Fri 27 Nov");
    assert_eq!(
        sheet["sections"][1]["rows"][0]["person_name"],
        "Lars Eriksen"
    );
    assert_eq!(
        sheet["sections"][2]["rows"][0]["when"],
        "3 nights, Mon 23 Nov – Thu 26 Nov"
    );
}
