//! What the practice remembers and prepares: occasions from important dates,
//! tasks from rules that follow their booking, incidents that resurface on
//! later visits until a gesture is recorded, and the arrival card.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::Actor;
use serde_json::{json, Value};

fn hotel_guest(desk: &Desk, given: &str, family: &str, preferred: &str) -> i64 {
    desk.ok(
        "save_person",
        json!({ "given_name": given, "family_name": family, "preferred_name": preferred }),
    )["id"]
        .as_i64()
        .expect("id")
}

/// A second record of someone already here, made on purpose ("someone new").
fn someone_new(desk: &Desk, given: &str, family: &str) -> i64 {
    desk.ok(
        "save_person",
        json!({ "given_name": given, "family_name": family, "someone_new": true }),
    )["id"]
        .as_i64()
        .expect("id")
}

fn stay(desk: &Desk, person: i64, room: &str, arrival: &str, departure: &str) -> Value {
    desk.ok(
        "create_booking",
        json!({ "person_id": person, "type_id": desk.type_id("Stay"), "resource_ids": [desk.resource(room)],
                "time": { "kind": "nights", "arrival": arrival, "departure": departure } }),
    )
}

fn tasks_of(desk: &Desk, booking: &Value) -> Vec<Value> {
    desk.ok(
        "list_tasks",
        json!({ "booking_id": booking["id"], "include_closed": true }),
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

fn titles(tasks: &[Value], status: &str) -> Vec<String> {
    tasks
        .iter()
        .filter(|t| t["status"] == status)
        .map(|t| t["title"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn move_stay(desk: &Desk, b: &Value, arrival: &str, departure: &str) -> Value {
    desk.ok(
        "update_booking",
        json!({ "id": b["id"], "expected_version": b["version"],
                "time": { "kind": "nights", "arrival": arrival, "departure": departure } }),
    )
}

fn staff_id(desk: &Desk, name: &str, role: &str, login: &str) -> Actor {
    let s = desk.ok(
        "save_staff",
        json!({ "name": name, "role": role, "colour": "#0ea5e9", "login": login, "temporary_password": "temporary-pass" }),
    );
    Actor::staff(hearth_core::ids::StaffId(s["id"].as_i64().expect("id")))
}

#[test]
fn an_anniversary_on_the_record_becomes_an_occasion_with_tasks_that_follow_the_stay() {
    let desk = Desk::new(PracticeKind::Hotel);
    let guest = hotel_guest(&desk, "Chidi", "Adeyemi", "Mr and Mrs Adeyemi");
    desk.ok(
        "add_important_date",
        json!({ "person_id": guest, "kind": "anniversary", "month": 12, "day": 2, "year": 2016, "label": "wedding anniversary" }),
    );
    let b = stay(&desk, guest, "Room 102", "2026-12-01", "2026-12-04");
    assert_eq!(b["occasions"][0]["text"], "10th wedding anniversary");
    assert_eq!(b["occasions"][0]["from_date"], true);
    let tasks = tasks_of(&desk, &b);
    let champagne = tasks
        .iter()
        .find(|t| t["role"] == "housekeeping")
        .expect("housekeeping task");
    assert_eq!(
        champagne["title"],
        "Champagne on ice and a signed card in Room 102"
    );
    // Two hours before the planned check-in (15:00).
    assert_eq!(champagne["due_at_ms"], desk.at("2026-12-01", 13, 0));
    let card = tasks
        .iter()
        .find(|t| t["role"] == "manager")
        .expect("manager task");
    assert_eq!(
        card["title"],
        "Write and sign the card for Mr and Mrs Adeyemi: 10th wedding anniversary"
    );

    // The stay moves a week (the date is still within the lead days): the
    // tasks move with it; a new room is named in the title.
    let b = move_stay(&desk, &b, "2026-12-08", "2026-12-10");
    let b = desk.ok(
        "update_booking",
        json!({ "id": b["id"], "expected_version": b["version"], "resource_ids": [desk.resource("Room 103")] }),
    );
    let tasks = tasks_of(&desk, &b);
    assert_eq!(
        titles(&tasks, "open"),
        [
            "Write and sign the card for Mr and Mrs Adeyemi: 10th wedding anniversary",
            "Champagne on ice and a signed card in Room 103"
        ]
    );
    let champagne = tasks
        .iter()
        .find(|t| t["role"] == "housekeeping")
        .expect("task");
    assert_eq!(champagne["due_at_ms"], desk.at("2026-12-08", 13, 0));

    // Moved far from the date: the occasion is withdrawn and its tasks cancelled …
    let b = move_stay(&desk, &b, "2027-01-20", "2027-01-22");
    assert_eq!(b["occasions"], json!([]));
    assert!(titles(&tasks_of(&desk, &b), "open").is_empty());
    // … and back again: it returns, with fresh tasks.
    let b = move_stay(&desk, &b, "2026-12-01", "2026-12-03");
    assert_eq!(b["occasions"][0]["text"], "10th wedding anniversary");
    assert_eq!(titles(&tasks_of(&desk, &b), "open").len(), 2);

    // Dismissed by staff: its tasks are cancelled, and it stays dismissed
    // however the stay moves.
    let occasion = b["occasions"][0]["id"].clone();
    desk.ok("dismiss_occasion", json!({ "id": occasion }));
    let b = desk.ok("get_booking", json!({ "id": b["id"] }));
    let b = move_stay(&desk, &b, "2026-12-02", "2026-12-03");
    assert_eq!(b["occasions"], json!([]));
    let tasks = tasks_of(&desk, &b);
    assert!(titles(&tasks, "open").is_empty());
    assert!(tasks
        .iter()
        .all(|t| t["close_note"] == "The occasion was dismissed."
            || t["close_note"] == "The important date no longer falls on this visit."));

    // Next year the couple book through a booking site, which makes a second
    // record: its stay knows nothing of the anniversary …
    let twin = someone_new(&desk, "Chidi", "Adeyemi");
    let next = stay(&desk, twin, "Room 104", "2027-12-01", "2027-12-03");
    assert_eq!(next["occasions"], json!([]));
    assert!(tasks_of(&desk, &next).is_empty());
    // … until the desk merges it into the guest's record: the stay is then
    // prepared as if it had been booked on that record all along.
    desk.ok(
        "merge_people",
        json!({ "survivor_id": guest, "merged_id": twin }),
    );
    let next = desk.ok("get_booking", json!({ "id": next["id"] }));
    assert_eq!(next["person_id"], guest);
    assert_eq!(next["occasions"][0]["text"], "11th wedding anniversary");
    assert_eq!(
        titles(&tasks_of(&desk, &next), "open"),
        [
            "Write and sign the card for Mr and Mrs Adeyemi: 11th wedding anniversary",
            "Champagne on ice and a signed card in Room 104"
        ]
    );
    // The dismissed occasion on the earlier stay stays dismissed.
    let b = desk.ok("get_booking", json!({ "id": b["id"] }));
    assert_eq!(b["occasions"], json!([]));
}

#[test]
fn cancelling_a_booking_cancels_its_open_tasks_with_the_reason() {
    let desk = Desk::new(PracticeKind::Hotel);
    let guest = hotel_guest(&desk, "Lena", "Brandt", "");
    let b = stay(&desk, guest, "Room 101", "2026-12-01", "2026-12-03");
    desk.ok(
        "add_occasion",
        json!({ "booking_id": b["id"], "kind": "honeymoon", "text": "" }),
    );
    let done = tasks_of(&desk, &b);
    assert_eq!(
        titles(&done, "open"),
        ["Sparkling wine and petals in Room 101"]
    );
    let b = desk.ok("get_booking", json!({ "id": b["id"] }));
    desk.ok(
        "cancel_booking",
        json!({ "id": b["id"], "expected_version": b["version"], "reason": "Flight cancelled" }),
    );
    let after = tasks_of(&desk, &b);
    assert_eq!(after[0]["status"], "cancelled");
    assert_eq!(
        after[0]["close_note"],
        "Booking cancelled: Flight cancelled"
    );
    // A cancelled task cannot be done.
    let e = desk.err(
        "close_task",
        json!({ "id": after[0]["id"], "expected_version": after[0]["version"], "status": "done" }),
    );
    assert_eq!(e.code(), "booking.bad_transition");
}

#[test]
fn a_remembered_incident_resurfaces_on_later_stays_until_a_gesture_is_recorded() {
    let desk = Desk::new(PracticeKind::Hotel);
    let guest = hotel_guest(&desk, "Ingrid", "Solberg", "");
    let first = stay(&desk, guest, "Room 201", "2026-11-24", "2026-11-27");
    desk.clock.set(desk.at("2026-11-25", 8, 0));
    // The second morning: a weak shower; a task for housekeeping to fix it.
    let incident = desk.ok(
        "log_incident",
        json!({ "booking_id": first["id"], "what": "weak shower", "category": "maintenance", "severity": "moderate",
                "task_for": "housekeeping" }),
    );
    assert_eq!(incident["place"], "Room 201");
    let fix = tasks_of(&desk, &first);
    assert_eq!(titles(&fix, "open"), ["Put right: weak shower (Room 201)"]);
    // Nothing without a resolution.
    let e = desk.err(
        "update_incident",
        json!({ "id": incident["id"], "expected_version": incident["version"], "resolved": true }),
    );
    assert_eq!(e.code(), "input.invalid");
    desk.clock.advance_minutes(30);
    let incident = desk.ok(
        "update_incident",
        json!({ "id": incident["id"], "expected_version": incident["version"], "resolution": "Shower head descaled",
                "resolved": true, "remember": true, "gesture": "Welcome note and a gift" }),
    );
    assert_eq!(incident["minutes_to_resolve"], 30);
    // The repair task is done with the resolution.
    let fix = tasks_of(&desk, &first);
    assert_eq!(fix[0]["status"], "done");
    assert_eq!(fix[0]["close_note"], "Shower head descaled");

    // A year later the guest books again: the stay's card remembers, and the
    // manager has a gesture task.
    desk.clock.set(desk.at("2027-11-20", 9, 0));
    let second = stay(&desk, guest, "Room 102", "2027-11-22", "2027-11-24");
    let card = desk.ok("get_arrival_card", json!({ "booking_id": second["id"] }));
    assert_eq!(
        card["remembered"][0]["summary"],
        "Last stay: weak shower in Room 201, fixed in 30 min"
    );
    assert_eq!(card["remembered"][0]["done_this_visit"], Value::Null);
    let gesture = card["tasks"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["role"] == "manager"))
        .cloned()
        .expect("gesture task");
    assert_eq!(
        gesture["title"],
        "Gesture for Ingrid Solberg: Welcome note and a gift"
    );
    // The manager does it: the gesture is recorded for this stay.
    desk.ok(
        "close_task",
        json!({ "id": gesture["id"], "expected_version": gesture["version"], "status": "done",
                "note": "Welcome note and a box of chocolates" }),
    );
    let card = desk.ok("get_arrival_card", json!({ "booking_id": second["id"] }));
    assert_eq!(
        card["remembered"][0]["done_this_visit"]["what"],
        "Welcome note and a box of chocolates"
    );

    // Two years later: it resurfaces again, with the earlier gesture visible.
    desk.clock.set(desk.at("2028-11-20", 9, 0));
    let third = stay(&desk, guest, "Room 103", "2028-11-21", "2028-11-23");
    let card = desk.ok("get_arrival_card", json!({ "booking_id": third["id"] }));
    let r = &card["remembered"][0];
    assert_eq!(r["done_this_visit"], Value::Null);
    assert_eq!(
        r["summary"],
        "Stay of 24 Nov 2026: weak shower in Room 201, fixed in 30 min"
    );
    assert_eq!(
        r["incident"]["gestures"][0]["what"],
        "Welcome note and a box of chocolates"
    );
    // Recorded directly (not through the task): the task is done with it.
    let i = desk.ok(
        "record_gesture",
        json!({ "incident_id": incident["id"], "booking_id": third["id"], "what": "Suite upgrade and a handwritten note" }),
    );
    assert_eq!(i["gestures"].as_array().map(Vec::len), Some(2));
    assert!(titles(&tasks_of(&desk, &third), "open").is_empty());
    // A gesture belongs on a later visit of the same person.
    let e = desk.err(
        "record_gesture",
        json!({ "incident_id": incident["id"], "booking_id": first["id"], "what": "x" }),
    );
    assert_eq!(e.code(), "input.invalid");

    // A colleague, not finding her, typed her in again with a stay in the
    // spring: that record has no history, so nothing is proposed …
    let twin = someone_new(&desk, "Ingrid", "Solberg");
    let spring = stay(&desk, twin, "Room 101", "2029-03-05", "2029-03-07");
    assert!(tasks_of(&desk, &spring).is_empty());
    // … and the two records are merged, the new one kept: the remembered
    // shower came with the old record and acts on the spring stay at once.
    desk.ok(
        "merge_people",
        json!({ "survivor_id": twin, "merged_id": guest }),
    );
    assert_eq!(
        titles(&tasks_of(&desk, &spring), "open"),
        ["Gesture for Ingrid Solberg: Welcome note and a gift"]
    );
    let card = desk.ok("get_arrival_card", json!({ "booking_id": spring["id"] }));
    assert_eq!(
        card["remembered"][0]["incident"]["gestures"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // The stay whose gesture was made gets no second proposal.
    assert!(titles(&tasks_of(&desk, &third), "open").is_empty());
}

#[test]
fn a_birthday_within_the_lead_days_makes_a_card_task_and_a_dismissal_is_remembered() {
    let desk = Desk::new(PracticeKind::Dental);
    let p = desk.ok(
        "save_person",
        json!({ "given_name": "Marta", "family_name": "Nowak", "date_of_birth": "1985-11-20" }),
    );
    let start = desk.at("2026-11-24", 10, 0);
    let b = desk.ok(
        "create_booking",
        json!({ "person_id": p["id"], "type_id": desk.type_id("Check-up"),
                "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
                "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 30 * 60_000 } }),
    );
    assert_eq!(b["occasions"][0]["text"], "41st birthday");
    let card = desk.ok("get_arrival_card", json!({ "booking_id": b["id"] }));
    assert_eq!(
        card["greetings"][0]["line"],
        "Happy 41st birthday — Marta Nowak"
    );
    assert_eq!(
        titles(&tasks_of(&desk, &b), "open"),
        ["A birthday card from the team for Marta Nowak"]
    );
    // Ten days after the birthday: outside the practice's 7 lead days.
    let early = desk.at("2026-11-30", 10, 0);
    let b2 = desk.ok(
        "create_booking",
        json!({ "person_id": p["id"], "type_id": desk.type_id("Check-up"),
                "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
                "time": { "kind": "timed", "starts_at_ms": early, "ends_at_ms": early + 30 * 60_000 } }),
    );
    assert_eq!(b2["occasions"], json!([]));
    // Dismissed, it stays dismissed when the booking is moved within the window.
    desk.ok("dismiss_occasion", json!({ "id": b["occasions"][0]["id"] }));
    let b = desk.ok("get_booking", json!({ "id": b["id"] }));
    let later = desk.at("2026-11-25", 11, 0);
    let b = desk.ok(
        "update_booking",
        json!({ "id": b["id"], "expected_version": b["version"],
                "time": { "kind": "timed", "starts_at_ms": later, "ends_at_ms": later + 30 * 60_000 } }),
    );
    assert_eq!(b["occasions"], json!([]));
}

#[test]
fn the_housekeeping_board_shows_the_day_with_overdue_tasks_and_housekeeping_can_work_it() {
    let desk = Desk::new(PracticeKind::Hotel);
    let ines = staff_id(&desk, "Ines", "housekeeping", "ines");
    let guest = hotel_guest(&desk, "Ada", "Okoro", "");
    let b = stay(&desk, guest, "Room 104", "2026-11-24", "2026-11-26");
    desk.ok(
        "add_occasion",
        json!({ "booking_id": b["id"], "kind": "birthday", "text": "30th birthday" }),
    );
    let day = json!({ "role": "housekeeping", "from_ms": desk.at("2026-11-24", 0, 0), "to_ms": desk.at("2026-11-25", 0, 0), "include_closed": true });
    let board = desk.run(&ines, "list_tasks", day.clone()).expect("board");
    assert_eq!(board[0]["title"], "Birthday cake and a card in Room 104");
    assert_eq!(board[0]["overdue"], false);
    // 13:01: past due, and still on the next day's board until done.
    desk.clock.set(desk.at("2026-11-24", 13, 1));
    let next_day = json!({ "role": "housekeeping", "from_ms": desk.at("2026-11-25", 0, 0), "to_ms": desk.at("2026-11-26", 0, 0) });
    let carried = desk
        .run(&ines, "list_tasks", next_day.clone())
        .expect("board");
    assert_eq!(carried[0]["overdue"], true);
    // Skipping needs a reason; done is recorded with who and when.
    let t = &carried[0];
    let e = desk
        .run(
            &ines,
            "close_task",
            json!({ "id": t["id"], "expected_version": t["version"], "status": "skipped" }),
        )
        .expect_err("no reason");
    assert_eq!(e.code(), "input.invalid");
    let done = desk
        .run(
            &ines,
            "close_task",
            json!({ "id": t["id"], "expected_version": t["version"], "status": "done" }),
        )
        .expect("done");
    assert_eq!(done["closed_by_name"], "Ines");
    assert_eq!(
        desk.run(&ines, "list_tasks", next_day).expect("board"),
        json!([])
    );
    // Housekeeping works tasks but does not log incidents or edit rules.
    let e = desk
        .run(
            &ines,
            "log_incident",
            json!({ "booking_id": b["id"], "what": "x", "category": "other", "severity": "minor" }),
        )
        .expect_err("refused");
    assert_eq!(e.code(), "staff.forbidden");
}

#[test]
fn bad_important_dates_and_rules_are_refused_and_nothing_is_written() {
    let desk = Desk::new(PracticeKind::Dental);
    let p = desk.ok("save_person", json!({ "given_name": "Omar" }));
    for (req, field) in [
        (
            json!({ "person_id": p["id"], "kind": "anniversary", "month": 2, "day": 30 }),
            "day",
        ),
        (
            json!({ "person_id": p["id"], "kind": "anniversary", "month": 6, "day": 1, "year": 2099 }),
            "year",
        ),
        (
            json!({ "person_id": p["id"], "kind": "other", "month": 6, "day": 1 }),
            "label",
        ),
    ] {
        let e = desk.err("add_important_date", req);
        assert_eq!(e.code(), "input.invalid", "{e}");
        assert_eq!(e.body().details["field"], field, "{e}");
    }
    let page = desk.ok("get_person", json!({ "id": p["id"] }));
    assert_eq!(page["dates"], json!([]));
    let e = desk.err(
        "save_task_rule",
        json!({ "trigger": "occasion", "role": "front_desk", "title": "Card", "anchor": "start", "offset_minutes": -60 }),
    );
    assert_eq!(e.body().details["field"], "occasion_kind");
    let e = desk.err(
        "save_task_rule",
        json!({ "trigger": "occasion", "occasion_kind": "birthday", "role": "front_desk", "title": "Card", "anchor": "start", "offset_minutes": -20000 }),
    );
    assert_eq!(e.body().details["field"], "offset_minutes");
    let rules = desk.ok("list_task_rules", json!({}));
    assert_eq!(rules.as_array().map(Vec::len), Some(4));
}

/// The rules an upgraded practice gets from schema v7 are the ones a new
/// practice of its kind starts with.
#[test]
fn an_upgraded_practice_gets_the_same_default_rules_as_a_new_one() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v6.db");
    let dir = tempfile::tempdir().expect("dir");
    // In a folder of its own: the backup made before the upgrade goes beside it, in the temp dir.
    let path = {
        let folder = dir.path().join("practice");
        std::fs::create_dir_all(&folder).expect("folder");
        folder.join("old.db")
    };
    std::fs::copy(&fixture, &path).expect("copy");
    hearth_core::Hearth::open(&path).expect("opens");
    let rules = |conn: &rusqlite::Connection| -> Vec<(String, Option<String>, String, String, String, i64)> {
        let mut stmt = conn
            .prepare("SELECT trigger, occasion_kind, role, title, anchor, offset_minutes FROM task_rules ORDER BY id")
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    let old = hearth_core::store::keys::open_raw(&path).expect("open");
    let kind: String = old
        .query_row("SELECT kind FROM practice", [], |r| r.get(0))
        .expect("kind");
    let upgraded = rules(&old);
    assert!(!upgraded.is_empty());
    let desk = Desk::new(if kind == "hotel" {
        PracticeKind::Hotel
    } else {
        PracticeKind::Dental
    });
    let fresh = rules(
        &hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open"),
    );
    assert_eq!(upgraded, fresh);
}

/// Every path that marks arrival shows the card first when it has something to
/// say: the core decides what that is (`tell_first`).
#[test]
fn the_arrival_card_says_when_it_should_be_read_before_the_arrival() {
    let desk = Desk::new(PracticeKind::Dental);
    let first =
        |id: &Value| desk.ok("get_arrival_card", json!({ "booking_id": id }))["tell_first"].clone();
    let ana = desk
        .book("Ana Ruiz", "Chair 1", desk.at("2026-11-24", 9, 0), 30)
        .expect("book");
    assert_eq!(
        first(&ana["id"]),
        json!(false),
        "nothing to say: straight on"
    );
    desk.ok("add_person_alert", json!({ "person_id": ana["person_id"], "kind": "allergy", "severity": "critical", "text": "Latex" }));
    assert_eq!(first(&ana["id"]), json!(true), "an alert");
    let ben = desk
        .book("Ben Okafor", "Chair 2", desk.at("2026-11-24", 10, 0), 30)
        .expect("book");
    desk.ok(
        "add_occasion",
        json!({ "booking_id": ben["id"], "kind": "birthday", "text": "" }),
    );
    assert_eq!(first(&ben["id"]), json!(true), "an occasion");
}
