//! Patients and guests: records of their own, every booking pointing at one,
//! and the one search box finding them however they are typed.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::{Actor, Hearth};
use serde_json::{json, Value};

const TUE: &str = "2026-11-24";

fn add(desk: &Desk, given: &str, family: &str, extra: Value) -> i64 {
    let mut req = json!({ "given_name": given, "family_name": family });
    if let (Some(r), Some(e)) = (req.as_object_mut(), extra.as_object()) {
        r.extend(e.clone());
    }
    desk.ok("save_person", req)["id"].as_i64().expect("id")
}

fn search(desk: &Desk, q: &str) -> Vec<Value> {
    desk.ok("search_people", json!({ "query": q }))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn names(found: &[Value]) -> Vec<String> {
    found
        .iter()
        .map(|p| p["full_name"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn a_file_from_before_people_gets_one_person_per_name_and_phone_and_every_booking_linked() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1.db");
    let dir = tempfile::tempdir().expect("dir");
    // In a folder of its own: the backup made before the upgrade goes beside it, in the temp dir.
    let path = {
        let folder = dir.path().join("practice");
        std::fs::create_dir_all(&folder).expect("folder");
        folder.join("old.db")
    };
    std::fs::copy(&fixture, &path).expect("copy");
    Hearth::open(&path).expect("opens");
    let conn = hearth_core::store::keys::open_raw(&path).expect("open");
    let unlinked: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM bookings WHERE person_id IS NULL",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(unlinked, 0);
    let (people, pairs): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM (SELECT DISTINCT person_name, person_phone FROM bookings))",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("counts");
    assert_eq!(people, pairs);
    let (given, family): (String, String) = conn
        .query_row(
            "SELECT p.given_name, p.family_name FROM bookings b JOIN people p ON p.id = b.person_id WHERE b.person_name = 'Fixture Person'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the fixture's person");
    assert_eq!((given.as_str(), family.as_str()), ("Fixture", "Person"));
}

#[test]
fn a_booking_typed_with_a_name_and_phone_finds_the_same_person_again() {
    let desk = Desk::new(PracticeKind::Dental);
    let book = |name: &str, phone: &str, hh: u32| {
        desk.ok("create_booking", json!({
            "person_name": name, "person_phone": phone, "type_id": desk.type_id("Check-up"),
            "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
            "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, hh, 0), "ends_at_ms": desk.at(TUE, hh, 30) } }))
    };
    let a = book("Ana Ruiz", "07700 900111", 9);
    let b = book("Ana Ruiz", "+44 7700 900111", 10);
    assert_eq!(
        a["person_id"], b["person_id"],
        "the same name and number, however typed"
    );
    // Another number under a known name: asked about in tests/duplicates.rs.
    // Picking a person books them under their own name and phone.
    let kasia = add(
        &desk,
        "Katarzyna",
        "Kowalski",
        json!({ "phone": "+48 601 234 567", "preferred_name": "Kasia" }),
    );
    let d = desk.ok("create_booking", json!({
        "person_id": kasia, "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 2"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, 14, 0), "ends_at_ms": desk.at(TUE, 14, 30) } }));
    assert_eq!(d["person_name"], "Katarzyna Kowalski");
    assert_eq!(d["person_phone"], "+48 601 234 567");
    // Her page: the next visit, and opening it is in the audit trail.
    let page = desk.ok("open_person", json!({ "id": kasia }));
    assert_eq!(page["next_visit"]["booking_id"], d["id"]);
    assert_eq!(page["person"]["preferred_name"], "Kasia");
    let trail = desk.ok("list_activity", json!({ "limit": 5 }));
    let opened = trail["entries"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["action"] == "open_person"))
        .expect("opening is in the trail");
    assert_eq!(opened["detail"]["person_id"], kasia);
    // And so is the look it gave at her details.
    assert_eq!(trail["entries"][0]["action"], "looked");
    assert_eq!(trail["entries"][0]["detail"]["through"], "person page");
}

#[test]
fn search_forgives_typos_and_accents_and_reads_phones_and_dates_in_any_format() {
    let desk = Desk::new(PracticeKind::Hotel);
    add(
        &desk,
        "Jan",
        "Kowalski",
        json!({ "phone": "07700 900123", "date_of_birth": "1980-05-17" }),
    );
    add(
        &desk,
        "Zoë",
        "Müller",
        json!({ "email": "zoe.muller@example.com" }),
    );
    add(&desk, "Ana", "Ruiz", json!({}));
    add(&desk, "Anastasia", "Novak", json!({}));
    add(&desk, "Diana", "Banks", json!({}));
    assert_eq!(
        names(&search(&desk, "Kowalsky")),
        ["Jan Kowalski"],
        "a typo"
    );
    assert_eq!(
        names(&search(&desk, "zoe muller")),
        ["Zoë Müller"],
        "accents folded"
    );
    assert_eq!(names(&search(&desk, "MÜLL")), ["Zoë Müller"]);
    assert_eq!(
        names(&search(&desk, "07700-900-123")),
        ["Jan Kowalski"],
        "phone formats"
    );
    assert_eq!(
        names(&search(&desk, "900123")),
        ["Jan Kowalski"],
        "phone digits"
    );
    assert_eq!(
        names(&search(&desk, "1980-05-17")),
        ["Jan Kowalski"],
        "date of birth"
    );
    assert_eq!(names(&search(&desk, "17/05/1980")), ["Jan Kowalski"]);
    assert_eq!(
        names(&search(&desk, "zoe.muller@example")),
        ["Zoë Müller"],
        "e-mail"
    );
    // Exact before prefix before a part of a word.
    assert_eq!(
        names(&search(&desk, "ana")),
        ["Ana Ruiz", "Anastasia Novak", "Diana Banks"]
    );
    // Two letters: the start of a name.
    assert_eq!(names(&search(&desk, "Ko")), ["Jan Kowalski"]);
    assert!(search(&desk, "Zzyzx").is_empty());
}

#[test]
fn upcoming_visitors_rank_first_among_equal_matches() {
    let desk = Desk::new(PracticeKind::Dental);
    let earlier = add(&desk, "Maria", "Lopez", json!({}));
    let coming = add(&desk, "Maria", "Silva", json!({}));
    desk.ok("create_booking", json!({
        "person_id": coming, "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, 9, 0), "ends_at_ms": desk.at(TUE, 9, 30) } }));
    let found = search(&desk, "maria");
    assert_eq!(found[0]["id"], coming);
    assert!(found[0]["next_visit_ms"].is_number());
    assert_eq!(found[1]["id"], earlier);
}

#[test]
fn bad_contact_details_are_refused_beside_the_field_and_nothing_is_written() {
    let desk = Desk::new(PracticeKind::Dental);
    for (field, value, words) in [
        ("email", json!("ana@"), "e-mail"),
        ("email", json!("ana ruiz@example.com"), "e-mail"),
        ("phone", json!("12"), "phone"),
        ("phone", json!("call me"), "phone"),
        ("date_of_birth", json!("2099-01-01"), "future"),
    ] {
        let mut req = json!({ "given_name": "Ana", "family_name": "Ruiz" });
        req[field] = value;
        let e = desk.err("save_person", req);
        assert_eq!(e.code(), "input.invalid", "{field}");
        assert_eq!(e.body().details["field"], field);
        assert!(e.to_string().contains(words), "{e}");
    }
    assert!(search(&desk, "Ruiz").is_empty(), "nothing was written");
    // Housekeeping may not open records at all.
    let hk = desk.ok("save_staff", json!({ "name": "Ines", "role": "housekeeping", "colour": "#123456", "login": "ines", "temporary_password": "temporary-1" }));
    let actor = Actor::staff(hearth_core::ids::StaffId(hk["id"].as_i64().expect("id")));
    let e = desk
        .run(&actor, "search_people", json!({ "query": "Ruiz" }))
        .expect_err("refused");
    assert_eq!(e.code(), "staff.forbidden");
}

#[test]
fn an_alert_leads_the_person_s_page_and_marks_their_bookings() {
    let desk = Desk::new(PracticeKind::Dental);
    let b = desk
        .book("Ana Ruiz", "Chair 1", desk.at(TUE, 9, 0), 30)
        .expect("book");
    let ana = b["person_id"].as_i64().expect("person");
    assert!(b["alert"].is_null());
    desk.ok(
        "add_person_alert",
        json!({ "person_id": ana, "kind": "condition", "severity": "warning", "text": "Diabetic" }),
    );
    let alerts = desk.ok("add_person_alert", json!({ "person_id": ana, "kind": "allergy", "severity": "critical", "text": "Penicillin" }));
    assert_eq!(alerts[0]["text"], "Penicillin", "most serious first");
    let page = desk.ok("get_person", json!({ "id": ana }));
    assert_eq!(page["alerts"].as_array().map(Vec::len), Some(2));
    let booking = desk.ok("get_booking", json!({ "id": b["id"] }));
    assert_eq!(booking["alert"], "critical");
    let e = desk.err(
        "add_person_alert",
        json!({ "person_id": ana, "kind": "allergy", "severity": "critical", "text": "  " }),
    );
    assert_eq!(e.body().details["field"], "text");
    desk.ok("remove_person_alert", json!({ "id": alerts[0]["id"] }));
    assert_eq!(
        desk.ok("get_booking", json!({ "id": b["id"] }))["alert"],
        "warning"
    );
}

#[test]
fn an_occasion_recorded_on_a_stay_shows_on_it_until_dismissed() {
    let desk = Desk::new(PracticeKind::Hotel);
    let stay = desk.ok("create_booking", json!({
        "person_name": "Chidi Okafor", "type_id": desk.type_id("Stay"), "resource_ids": [desk.resource("Room 102")],
        "time": { "kind": "nights", "arrival": "2026-12-10", "departure": "2026-12-13" } }));
    let occasions = desk.ok("add_occasion", json!({ "booking_id": stay["id"], "kind": "anniversary", "text": "10th wedding anniversary" }));
    assert_eq!(occasions[0]["text"], "10th wedding anniversary");
    let listed = desk.ok(
        "list_bookings",
        json!({ "from_ms": desk.at("2026-12-10", 0, 0), "to_ms": desk.at("2026-12-14", 0, 0) }),
    );
    assert_eq!(listed[0]["occasions"][0]["kind"], "anniversary");
    let e = desk.err(
        "add_occasion",
        json!({ "booking_id": stay["id"], "kind": "other", "text": "" }),
    );
    assert_eq!(e.body().details["field"], "text");
    desk.ok("dismiss_occasion", json!({ "id": occasions[0]["id"] }));
    assert_eq!(
        desk.ok("get_booking", json!({ "id": stay["id"] }))["occasions"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    // The dismissal is remembered, with who and when.
    let conn = hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
    let dismissed: (Option<i64>, Option<i64>) = conn
        .query_row(
            "SELECT dismissed_by, dismissed_at_ms FROM booking_occasions",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("row");
    assert!(dismissed.0.is_some() && dismissed.1.is_some());
}
