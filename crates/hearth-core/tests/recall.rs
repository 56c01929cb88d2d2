//! Recall (S6's rules, in the core): who is due back and who is slipping away.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use serde_json::{json, Value};

fn person(desk: &Desk, given: &str, family: &str) -> Value {
    desk.ok(
        "save_person",
        json!({ "given_name": given, "family_name": family, "phone": "07700 900 123" }),
    )["id"]
        .clone()
}

/// A completed visit of `type_name` on `day` at `hh`:00, on Chair 1 with the
/// dentist: booked, arrived and completed with the clock at that time.
fn visit(desk: &Desk, who: &Value, type_name: &str, day: &str, hh: u32) -> Value {
    let start = desk.at(day, hh, 0);
    desk.clock.set(start - 60_000);
    let b = desk.ok(
        "create_booking",
        json!({ "person_id": who, "type_id": desk.type_id(type_name),
                "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
                "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 30 * 60_000 } }),
    );
    let b = desk.ok(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "arrived" }),
    );
    desk.clock.set(start + 30 * 60_000);
    desk.ok(
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "completed" }),
    )
}

fn recall(desk: &Desk, args: Value) -> Value {
    desk.ok("list_recall", args)
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            format!(
                "{} {}",
                i["person_name"].as_str().unwrap_or(""),
                i["state"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn a_patient_six_months_past_their_check_up_is_overdue_until_a_check_up_is_booked() {
    let desk = Desk::new(PracticeKind::Dental);
    let types = desk.ok("list_appointment_types", json!({}));
    let months = |n: &str| {
        types
            .as_array()
            .and_then(|a| a.iter().find(|t| t["name"] == n))
            .map(|t| t["recall_months"].clone())
    };
    assert_eq!(
        months("Check-up"),
        Some(json!(6)),
        "a new practice recalls check-ups"
    );
    assert_eq!(months("Hygiene"), Some(json!(6)));
    assert_eq!(months("Filling"), Some(json!(null)));

    let ana = person(&desk, "Ana", "Ruiz");
    let ben = person(&desk, "Ben", "Novak");
    let cara = person(&desk, "Cara", "Byrne");
    visit(&desk, &ana, "Check-up", "2026-04-14", 10); // due 14 Oct: overdue
    visit(&desk, &ben, "Check-up", "2026-06-10", 11); // due 10 Dec: due in 17 days
    visit(&desk, &cara, "Filling", "2026-03-03", 9); // a filling recalls nothing
    let last = visit(&desk, &cara, "Check-up", "2026-10-01", 9); // due 1 Apr: not yet
    desk.clock.set(desk.at("2026-11-23", 8, 0));

    let list = recall(&desk, json!({}));
    assert_eq!(names(&list), ["Ana Ruiz overdue", "Ben Novak due"]);
    assert_eq!(
        (list["overdue"].clone(), list["due"].clone()),
        (json!(1), json!(1))
    );
    let ana_row = &list["items"][0];
    assert_eq!(ana_row["due_on"], "2026-10-14");
    assert_eq!(ana_row["days_overdue"], 40);
    assert_eq!(ana_row["reason"], "Check-up every 6 months");
    assert_eq!(ana_row["last_visit"]["type_name"], "Check-up");
    assert_eq!(ana_row["last_visit"]["with"], "Dentist");
    assert_eq!(ana_row["provider_id"], json!(desk.resource("Dentist")));
    assert_eq!(ana_row["phone"], "07700 900 123");
    assert_eq!(list["items"][1]["days_overdue"], -17);
    // Further ahead, Cara's too.
    let year = recall(&desk, json!({ "within_days": 200 }));
    assert_eq!(
        names(&year),
        ["Ana Ruiz overdue", "Ben Novak due", "Cara Byrne due"]
    );
    assert_eq!(year["items"][2]["last_visit"]["booking_id"], last["id"]);

    // A filling booked does not settle Ana's check-up; a check-up does.
    let next = desk.at("2026-12-02", 9, 0);
    desk.ok(
        "create_booking",
        json!({ "person_id": ana, "type_id": desk.type_id("Filling"),
        "resource_ids": [desk.resource("Chair 2"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": next, "ends_at_ms": next + 60 * 60_000 } }),
    );
    let list = recall(&desk, json!({}));
    assert_eq!(list["items"][0]["state"], "overdue");
    assert_eq!(list["items"][0]["next_booking"]["type_name"], "Filling");
    let later = desk.at("2026-12-03", 9, 0);
    desk.ok(
        "create_booking",
        json!({ "person_id": ana, "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 2"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": later, "ends_at_ms": later + 30 * 60_000 } }),
    );
    assert_eq!(names(&recall(&desk, json!({}))), ["Ben Novak due"]);
    let all = recall(&desk, json!({ "include_settled": true }));
    assert_eq!(names(&all), ["Ben Novak due", "Ana Ruiz booked"]);
}

#[test]
fn the_desks_calls_are_kept_and_a_recall_rests_until_the_day_to_call_again() {
    let desk = Desk::new(PracticeKind::Dental);
    let ana = person(&desk, "Ana", "Ruiz");
    visit(&desk, &ana, "Check-up", "2026-04-14", 10);
    desk.clock.set(desk.at("2026-11-23", 8, 0));
    let checkup = desk.type_id("Check-up");

    let call = desk.ok(
        "note_recall_contact",
        json!({ "person_id": ana, "type_id": checkup, "outcome": "no_answer" }),
    );
    assert_eq!(call["by_name"], "Helen Park");
    let row = &recall(&desk, json!({}))["items"][0];
    assert_eq!(row["state"], "overdue", "no answer: still to call");
    assert_eq!(row["last_contact"]["outcome"], "no_answer");

    desk.ok(
        "note_recall_contact",
        json!({ "person_id": ana, "type_id": checkup, "outcome": "reached",
                "note": "Busy until the new year", "call_again_on": "2027-01-04" }),
    );
    assert_eq!(names(&recall(&desk, json!({}))), Vec::<String>::new());
    let all = recall(&desk, json!({ "include_settled": true }));
    assert_eq!(names(&all), ["Ana Ruiz resting"]);
    assert_eq!(
        all["items"][0]["last_contact"]["note"],
        "Busy until the new year"
    );
    // The day comes: back on the list.
    desk.clock.set(desk.at("2027-01-04", 8, 0));
    assert_eq!(names(&recall(&desk, json!({}))), ["Ana Ruiz overdue"]);
    // Declined: it rests until their next visit.
    desk.ok(
        "note_recall_contact",
        json!({ "person_id": ana, "type_id": checkup, "outcome": "declined", "note": "Moved away" }),
    );
    assert_eq!(names(&recall(&desk, json!({}))), Vec::<String>::new());
    visit(&desk, &ana, "Check-up", "2027-01-12", 10);
    desk.clock.set(desk.at("2027-07-20", 8, 0));
    let back = recall(&desk, json!({}));
    assert_eq!(
        names(&back),
        ["Ana Ruiz overdue"],
        "a later visit starts a new recall"
    );
    assert_eq!(back["items"][0]["last_contact"], json!(null));

    // Bad calls are refused with a reason, and nothing is written.
    let e = desk.err(
        "note_recall_contact",
        json!({ "person_id": ana, "type_id": checkup, "outcome": "reached", "call_again_on": "2027-07-20" }),
    );
    assert_eq!(e.code(), "input.invalid");
    assert!(e.to_string().contains("after today"), "{e}");
    let e = desk.err(
        "note_recall_contact",
        json!({ "person_id": ana, "type_id": desk.type_id("Filling"), "outcome": "reached" }),
    );
    assert!(e.to_string().contains("no recall"), "{e}");
    let e = desk.err(
        "note_recall_contact",
        json!({ "person_id": ana, "type_id": checkup, "outcome": "maybe" }),
    );
    assert_eq!(e.code(), "input.invalid");
    let export = desk.ok("export_person", json!({ "id": ana }));
    assert_eq!(export["recall_calls"].as_array().map(Vec::len), Some(3));
}

#[test]
fn today_is_the_practices_day_on_the_night_the_clocks_go_back() {
    // A one-month recall from Friday 25 Sep is due on Sunday 25 Oct, the day
    // British Summer Time ends. At 00:30 BST it is already the 25th at the
    // practice (still the 24th in UTC); at 23:30 GMT it is still the 25th.
    let desk = Desk::new(PracticeKind::Dental);
    let t = desk.ok("list_appointment_types", json!({}));
    let checkup = t
        .as_array()
        .and_then(|a| a.iter().find(|t| t["name"] == "Check-up"))
        .cloned()
        .unwrap_or_default();
    let mut edit = checkup.clone();
    edit["recall_months"] = json!(1);
    edit.as_object_mut().map(|o| o.remove("archived"));
    desk.ok("save_appointment_type", edit.clone());
    let ana = person(&desk, "Ana", "Ruiz");
    visit(&desk, &ana, "Check-up", "2026-09-25", 16);

    let at = |day: &str, hh: u32, mm: u32| {
        desk.clock.set(desk.at(day, hh, mm));
        let list = recall(&desk, json!({ "within_days": 0 }));
        (
            names(&list),
            list["today"].clone(),
            list["items"][0]["days_overdue"].clone(),
        )
    };
    assert_eq!(
        at("2026-10-24", 23, 30),
        (Vec::<String>::new(), json!("2026-10-24"), json!(null)),
        "the day before, nothing is due today"
    );
    assert_eq!(
        at("2026-10-25", 0, 30),
        (
            vec!["Ana Ruiz due".to_string()],
            json!("2026-10-25"),
            json!(0)
        )
    );
    assert_eq!(
        at("2026-10-25", 23, 30),
        (
            vec!["Ana Ruiz due".to_string()],
            json!("2026-10-25"),
            json!(0)
        )
    );
    assert_eq!(
        at("2026-10-26", 0, 10),
        (
            vec!["Ana Ruiz overdue".to_string()],
            json!("2026-10-26"),
            json!(1)
        )
    );

    // A recall must be a sensible number of months, and a stay has none.
    edit["recall_months"] = json!(0);
    assert_eq!(
        desk.err("save_appointment_type", edit.clone()).code(),
        "input.invalid"
    );
    edit["recall_months"] = json!(null);
    desk.ok("save_appointment_type", edit);
    assert_eq!(
        names(&recall(&desk, json!({ "within_days": 365 }))),
        Vec::<String>::new()
    );
}

#[test]
fn a_regular_guest_past_their_usual_interval_is_slipping_away() {
    let desk = Desk::new(PracticeKind::Hotel);
    let guest = person(&desk, "Lars", "Eriksen");
    let once = person(&desk, "Mia", "Costa");
    let stay = |who: &Value, arrival: &str, departure: &str, room: &str| {
        desk.clock.set(desk.at(arrival, 15, 0));
        let b = desk.ok(
            "create_booking",
            json!({ "person_id": who, "type_id": desk.type_id("Stay"),
            "resource_ids": [desk.resource(room)],
            "time": { "kind": "nights", "arrival": arrival, "departure": departure } }),
        );
        let b = desk.ok(
            "set_booking_status",
            json!({ "id": b["id"], "expected_version": b["version"], "status": "checked_in",
                    "even_if_room_not_ready": true }),
        );
        desk.clock.set(desk.at(departure, 10, 0));
        desk.ok(
            "set_booking_status",
            json!({ "id": b["id"], "expected_version": b["version"], "status": "checked_out" }),
        )
    };
    stay(&guest, "2026-02-16", "2026-02-18", "Room 101");
    stay(&guest, "2026-05-18", "2026-05-20", "Room 101");
    let last = stay(&guest, "2026-08-17", "2026-08-19", "Room 102");
    stay(&once, "2026-03-02", "2026-03-04", "Room 101");
    desk.ok(
        "log_incident",
        json!({ "booking_id": last["id"], "what": "Charged twice for the minibar",
        "category": "billing", "severity": "moderate" }),
    );
    desk.clock.set(desk.at("2026-11-23", 8, 0));

    let list = recall(&desk, json!({}));
    assert_eq!(
        names(&list),
        ["Lars Eriksen overdue"],
        "one stay is not a rhythm"
    );
    let row = &list["items"][0];
    assert_eq!(row["reason"], "Stays about every 3 months (3 stays)");
    assert_eq!(row["due_on"], "2026-11-16");
    assert_eq!(row["days_overdue"], 7);
    assert_eq!(row["type_id"], json!(null));
    assert_eq!(row["last_visit"]["with"], "Room 102");
    assert_eq!(row["incidents"][0]["what"], "Charged twice for the minibar");
    assert_eq!(row["incidents"][0]["resolved"], false);

    // A call with no type (a regular) is kept; a stay booked settles it.
    desk.ok(
        "note_recall_contact",
        json!({ "person_id": guest, "outcome": "left_message" }),
    );
    assert_eq!(
        recall(&desk, json!({}))["items"][0]["last_contact"]["outcome"],
        "left_message"
    );
    desk.ok(
        "create_booking",
        json!({ "person_id": guest, "type_id": desk.type_id("Stay"),
        "resource_ids": [desk.resource("Room 101")],
        "time": { "kind": "nights", "arrival": "2026-12-10", "departure": "2026-12-12" } }),
    );
    assert_eq!(names(&recall(&desk, json!({}))), Vec::<String>::new());
    // A stay type cannot carry a recall.
    let types = desk.ok("list_appointment_types", json!({}));
    let mut st = types[0].clone();
    st.as_object_mut().map(|o| o.remove("archived"));
    st["recall_months"] = json!(6);
    assert!(desk
        .err("save_appointment_type", st)
        .to_string()
        .contains("regular guests"));
}

#[test]
fn merging_moves_the_calls_and_erasing_removes_them() {
    let desk = Desk::new(PracticeKind::Dental);
    let ana = person(&desk, "Ana", "Ruiz");
    let dup = person(&desk, "Ana", "Ruiz-Diaz");
    visit(&desk, &dup, "Check-up", "2026-04-14", 10);
    desk.clock.set(desk.at("2026-11-23", 8, 0));
    desk.ok(
        "note_recall_contact",
        json!({ "person_id": dup, "type_id": desk.type_id("Check-up"), "outcome": "no_answer" }),
    );
    desk.ok(
        "merge_people",
        json!({ "survivor_id": ana, "merged_id": dup }),
    );
    let list = recall(&desk, json!({}));
    assert_eq!(
        names(&list),
        ["Ana Ruiz overdue"],
        "the visit and the call moved"
    );
    assert_eq!(list["items"][0]["last_contact"]["outcome"], "no_answer");
    desk.ok(
        "erase_person",
        json!({ "id": ana, "reason": "Asked by e-mail" }),
    );
    assert_eq!(names(&recall(&desk, json!({}))), Vec::<String>::new());
    let conn = hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
    let left: i64 = conn
        .query_row("SELECT count(*) FROM recall_contacts", [], |r| r.get(0))
        .expect("count");
    assert_eq!(left, 0);
}

/// A practice from before recall (schema v11) gets the recall intervals a
/// new practice starts with.
#[test]
fn an_upgraded_practice_recalls_the_same_types_as_a_new_one() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v11.db");
    let dir = tempfile::tempdir().expect("dir");
    // In a folder of its own: the backup made before the upgrade goes beside it, in the temp dir.
    let path = {
        let folder = dir.path().join("practice");
        std::fs::create_dir_all(&folder).expect("folder");
        folder.join("old.db")
    };
    std::fs::copy(&fixture, &path).expect("copy");
    hearth_core::Hearth::open(&path).expect("opens");
    let recalls = |path: &std::path::Path| -> Vec<(String, Option<i64>)> {
        let conn = hearth_core::store::keys::open_raw(path).expect("open");
        let mut stmt = conn
            .prepare("SELECT name, recall_months FROM appointment_types ORDER BY id")
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    let upgraded = recalls(&path);
    assert!(upgraded.iter().any(|(_, m)| *m == Some(6)), "{upgraded:?}");
    let desk = Desk::new(PracticeKind::Dental);
    assert_eq!(upgraded, recalls(&desk.dir.path().join("hearth.db")));
}
