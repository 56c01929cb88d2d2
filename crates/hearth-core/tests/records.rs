//! The rest of a person's record and what privacy needs: phones read against
//! the practice's country, consent and an emergency contact, household links,
//! merging two records of one person, export, erasure and archiving.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use serde_json::{json, Value};

fn gb(desk: &Desk) {
    let saved = desk.update_practice("country", json!("gb")).expect("saved");
    assert_eq!(saved["country"], "GB");
}

fn person(desk: &Desk, req: Value) -> Value {
    desk.ok("save_person", req)
}

fn book(desk: &Desk, person: &Value, day: &str, hh: u32) -> Value {
    let start = desk.at(day, hh, 0);
    desk.ok(
        "create_booking",
        json!({ "person_id": person["id"], "type_id": desk.type_id("Check-up"),
                "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
                "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 30 * 60_000 } }),
    )
}

#[test]
fn phones_are_read_against_the_practice_country_and_found_however_typed() {
    let desk = Desk::new(PracticeKind::Dental);
    gb(&desk);
    let p = person(
        &desk,
        json!({ "given_name": "Aoife", "family_name": "Byrne", "phone": "+44 (0)7911-123-456", "other_phone": "020 7946 0958",
                "emergency_name": "Ciarán Byrne", "emergency_phone": "+353 87 123 4567", "emergency_relation": "Brother",
                "consent": { "sms": true, "email": false } }),
    );
    assert_eq!(p["phone"], "07911 123456");
    assert_eq!(p["emergency_phone"], "+353 87 123 4567");
    assert_eq!(
        p["consent"],
        json!({ "sms": true, "email": false, "phone": null, "post": null })
    );
    // Structured preferences come from the practice kind's list, in its order.
    let id = p["id"].clone();
    let again = desk.ok(
        "save_person",
        json!({ "id": id, "given_name": "Aoife", "family_name": "Byrne", "phone": "07911 123456", "other_phone": "02079460958",
                "preference_flags": ["Prefers mornings", "Left-handed"] }),
    );
    assert_eq!(
        again["preference_flags"],
        json!(["Left-handed", "Prefers mornings"])
    );
    let e = desk.err(
        "save_person",
        json!({ "id": id, "given_name": "Aoife", "preference_flags": ["Sea view"] }),
    );
    assert_eq!(e.body().details["field"], "preference_flags");
    let page = desk.ok("get_person", json!({ "id": id }));
    assert!(page["preference_choices"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c == "Anxious patient")));
    assert_eq!(p["other_phone"], "020 7946 0958");
    for q in ["07911 123456", "+447911123456", "7911123456", "02079460958"] {
        let found = desk.ok("search_people", json!({ "query": q }));
        assert_eq!(found[0]["id"], p["id"], "{q}");
    }
    // Not a number: refused beside the field, nothing written.
    for (field, value) in [("phone", "12"), ("emergency_phone", "ask at the desk")] {
        let mut req = json!({ "given_name": "Nobody" });
        req[field] = json!(value);
        let e = desk.err("save_person", req);
        assert_eq!(e.body().details["field"], field);
    }
    assert_eq!(
        desk.ok("search_people", json!({ "query": "Nobody" })),
        json!([])
    );
    let e = desk
        .update_practice("country", json!("Narnia"))
        .expect_err("refused");
    assert_eq!(e.body().details["field"], "country");
}

#[test]
fn merging_two_records_moves_everything_and_is_recorded_on_the_survivor() {
    let desk = Desk::new(PracticeKind::Dental);
    let keep = person(
        &desk,
        json!({ "given_name": "Katarzyna", "family_name": "Wójcik", "phone": "07911 111111" }),
    );
    let dup = person(
        &desk,
        json!({ "given_name": "Kasia", "family_name": "Wojcik", "email": "kasia@example.com", "date_of_birth": "1990-05-02", "tags": ["regular"] }),
    );
    let partner = person(
        &desk,
        json!({ "given_name": "Piotr", "family_name": "Wójcik" }),
    );
    let b = book(&desk, &dup, "2026-11-26", 10);
    desk.ok("add_person_alert", json!({ "person_id": dup["id"], "kind": "allergy", "severity": "critical", "text": "Latex" }));
    desk.ok(
        "add_person_note",
        json!({ "person_id": dup["id"], "body": "Prefers mornings" }),
    );
    desk.ok(
        "link_people",
        json!({ "person_id": dup["id"], "other_id": partner["id"], "relation": "partner" }),
    );
    desk.ok("add_important_date", json!({ "person_id": dup["id"], "kind": "anniversary", "month": 6, "day": 1, "year": 2015 }));
    desk.ok("log_incident", json!({ "booking_id": b["id"], "what": "Long wait", "category": "service", "severity": "minor" }));
    desk.ok("add_task", json!({ "title": "Call back", "person_id": dup["id"], "role": "front_desk", "due_at_ms": desk.at("2026-11-25", 9, 0) }));

    let merged = desk.ok(
        "merge_people",
        json!({ "survivor_id": keep["id"], "merged_id": dup["id"] }),
    );
    assert_eq!(
        merged["email"], "kasia@example.com",
        "what the survivor lacked"
    );
    assert_eq!(merged["date_of_birth"], "1990-05-02");
    assert_eq!(merged["phone"], "07911 111111", "the survivor's own stays");
    assert_eq!(merged["tags"], json!(["regular"]));
    let page = desk.ok("get_person", json!({ "id": keep["id"] }));
    assert_eq!(page["visits"][0]["booking_id"], b["id"]);
    assert_eq!(page["alerts"][0]["text"], "Latex");
    assert_eq!(page["notes"][0]["body"], "Prefers mornings");
    assert_eq!(page["links"][0]["other_name"], "Piotr Wójcik");
    assert!(page["dates"]
        .as_array()
        .is_some_and(|d| d.iter().any(|d| d["kind"] == "anniversary")));
    assert_eq!(page["merged_from"][0]["merged_name"], "Kasia Wojcik");
    assert_eq!(page["merged_from"][0]["moved"]["bookings"], 1);
    assert_eq!(page["merged_from"][0]["by_name"], "Helen Park");
    assert_eq!(
        desk.ok("get_booking", json!({ "id": b["id"] }))["person_name"],
        "Katarzyna Wójcik"
    );
    assert_eq!(
        desk.ok("list_incidents", json!({ "person_id": keep["id"] }))
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        desk.ok("list_tasks", json!({ "person_id": keep["id"] }))
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // The duplicate is archived, pointing at the survivor, and out of search.
    let gone = desk.ok("get_person", json!({ "id": dup["id"] }))["person"].clone();
    assert_eq!(
        (gone["archived"].clone(), gone["merged_into"].clone()),
        (json!(true), keep["id"].clone())
    );
    let found = desk.ok("search_people", json!({ "query": "wojcik" }));
    assert!(found
        .as_array()
        .is_some_and(|f| f.iter().all(|p| p["id"] != dup["id"])));
    let e = desk.err(
        "merge_people",
        json!({ "survivor_id": keep["id"], "merged_id": dup["id"] }),
    );
    assert_eq!(e.code(), "input.invalid");
    let e = desk.err(
        "archive_person",
        json!({ "id": dup["id"], "archived": false }),
    );
    assert_eq!(e.code(), "input.invalid");
}

#[test]
fn export_holds_everything_and_erasure_keeps_only_anonymous_counts() {
    let desk = Desk::new(PracticeKind::Dental);
    let p = person(
        &desk,
        json!({ "given_name": "Tomasz", "family_name": "Zieliński", "phone": "555 0199", "email": "tz@example.com" }),
    );
    let b = book(&desk, &p, "2026-11-26", 11);
    desk.ok(
        "add_person_note",
        json!({ "person_id": p["id"], "body": "Works nights" }),
    );
    desk.ok(
        "add_occasion",
        json!({ "booking_id": b["id"], "kind": "nervous_patient", "text": "Hates the drill" }),
    );
    desk.ok(
        "send_handoff",
        json!({ "to_role": "front_desk", "person_id": p["id"], "body": "Call Tomasz about his bridge",
                "priority": "normal", "action": "none" }),
    );
    desk.ok(
        "add_to_waitlist",
        json!({ "person_id": p["id"], "notes": "Any morning", "request": { "type_id": desk.type_id("Check-up"),
                "duration_minutes": 30, "window": { "from": "2026-12-14", "to": "2026-12-18" } } }),
    );
    let export = desk.ok("export_person", json!({ "id": p["id"] }));
    assert_eq!(export["person"]["email"], "tz@example.com");
    assert_eq!(
        export["handoffs"][0]["body"],
        "Call Tomasz about his bridge"
    );
    assert_eq!(export["waitlist"][0]["notes"], "Any morning");
    assert_eq!(export["notes"][0]["body"], "Works nights");
    assert_eq!(
        export["bookings"][0]["occasions"][0]["text"],
        "Hates the drill"
    );
    assert_eq!(export["tasks"].as_array().map(Vec::len), Some(1));

    // Front desk may not erase; a manager may, with a reason.
    let tom = desk.ok(
        "save_staff",
        json!({ "name": "Tom", "role": "front_desk", "colour": "#0ea5e9", "login": "tom", "temporary_password": "temporary-pass" }),
    );
    let tom = hearth_core::Actor::staff(hearth_core::ids::StaffId(tom["id"].as_i64().expect("id")));
    let e = desk
        .run(
            &tom,
            "erase_person",
            json!({ "id": p["id"], "reason": "Asked" }),
        )
        .expect_err("refused");
    assert_eq!(e.code(), "staff.forbidden");
    let e = desk
        .run(&tom, "export_person", json!({ "id": p["id"] }))
        .expect_err("refused");
    assert_eq!(e.code(), "staff.forbidden");
    let e = desk.err("erase_person", json!({ "id": p["id"], "reason": " " }));
    assert_eq!(e.body().details["field"], "reason");

    let erased = desk.ok(
        "erase_person",
        json!({ "id": p["id"], "reason": "Asked by e-mail" }),
    );
    assert_eq!(erased["bookings_kept"], 1);
    let page = desk.ok("get_person", json!({ "id": p["id"] }));
    assert_eq!(page["person"]["full_name"], "Erased");
    assert_eq!(page["person"]["email"], "");
    assert_eq!(page["person"]["erased"], true);
    assert_eq!(page["notes"], json!([]));
    assert_eq!(
        page["visits"].as_array().map(Vec::len),
        Some(1),
        "the count is kept"
    );
    let booking = desk.ok("get_booking", json!({ "id": b["id"] }));
    assert_eq!(booking["person_name"], "Erased");
    assert_eq!(booking["occasions"][0]["text"], "");
    // Nothing of them is found, and nothing of them is left in the file's text.
    assert_eq!(
        desk.ok("search_people", json!({ "query": "Zieli" })),
        json!([])
    );
    let conn = hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
    for (table, col) in [
        ("people", "family_name"),
        ("person_notes", "body"),
        ("bookings", "person_name"),
        ("tasks", "title"),
        ("booking_occasions", "text"),
    ] {
        let n: i64 = conn
            .query_row(
                &format!("SELECT COUNT(*) FROM {table} WHERE {col} LIKE '%Zieli%' OR {col} LIKE '%Works nights%' OR {col} LIKE '%drill%'"),
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(n, 0, "{table}.{col}");
    }
    let e = desk.err(
        "save_person",
        json!({ "id": p["id"], "given_name": "Back" }),
    );
    assert_eq!(e.code(), "input.invalid");
}
