//! Every look at a person is recorded: whoever sees a patient's details —
//! on their page, in search results, on the arrival card, the day sheet, My
//! day, the recall list, an export — is in the trail, once per member, person
//! and screen per hour, and the Activity screen and the person's export say
//! who has looked. A new door that shows details without being recorded fails
//! here.
mod common;

use std::sync::Arc;

use common::{id, member, Desk};
use hearth_core::access::StaffRole;
use hearth_core::audit::looks;
use hearth_core::ids::StaffId;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::Actor;
use serde_json::{json, Value};

/// What only a look at Quentin's details shows.
const DETAILS: &[&str] = &["900555", "quill@example.com", "Peanut marker", "1961-04-02"];

/// Reads that show details but are not a look at anyone's record, and why.
const NOT_LOOKS: &[(&str, &str)] = &[(
    "list_bookings",
    "the calendar grid: names and times, the phone in a booking's hover; opening the booking is a look (get_booking)",
)];

struct Practice {
    desk: Desk,
    quentin: i64,
    booking: i64,
}

/// Quentin Quill, with a phone, an e-mail, a birth date and an allergy, in
/// the chair at 09:00 today with the dentist.
fn practice() -> Practice {
    let desk = Desk::new(PracticeKind::Dental);
    let q = desk.ok(
        "save_person",
        json!({ "given_name": "Quentin", "family_name": "Quill", "phone": "07700 900555",
                "email": "quill@example.com", "date_of_birth": "1961-04-02" }),
    );
    desk.ok(
        "add_person_alert",
        json!({ "person_id": id(&q), "kind": "allergy", "severity": "critical", "text": "Peanut marker allergy" }),
    );
    let start = desk.at("2026-11-23", 9, 0);
    let b = desk.ok(
        "create_booking",
        json!({ "person_id": id(&q), "type_id": desk.type_id("Check-up"),
                "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
                "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 1_800_000 } }),
    );
    Practice {
        quentin: id(&q),
        booking: id(&b),
        desk,
    }
}

fn looks_at(p: &Practice) -> Vec<Value> {
    p.desk
        .ok("list_person_looks", json!({ "person_id": p.quentin }))
        .as_array()
        .cloned()
        .expect("looks")
}

fn trail_len(p: &Practice) -> i64 {
    let conn =
        hearth_core::store::keys::open_raw(p.desk.dir.path().join("hearth.db")).expect("open");
    conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .expect("count")
}

fn sample(p: &Practice, name: &str) -> Value {
    let day = p.desk.at("2026-11-23", 0, 0);
    match name {
        "search_people" => json!({ "query": "Quill" }),
        "likely_people" => json!({ "full_name": "Quentin Quill" }),
        "get_person" | "open_person" | "export_person" => json!({ "id": p.quentin }),
        "get_booking" => json!({ "id": p.booking }),
        "get_arrival_card" => json!({ "booking_id": p.booking }),
        "get_day_sheet" => json!({ "date": "2026-11-23" }),
        "get_my_day" => json!({ "date": "2026-11-23" }),
        "list_incidents" => json!({ "person_id": p.quentin }),
        "list_tasks" => json!({ "person_id": p.quentin }),
        "list_bookings" | "list_blocks" => json!({ "from_ms": day, "to_ms": day + 86_400_000 }),
        "booking_timeline" => json!({ "booking_id": p.booking }),
        "list_activity" => json!({ "person_id": p.quentin }),
        "list_person_looks" => json!({ "person_id": p.quentin }),
        _ => json!({}),
    }
}

#[test]
fn every_read_that_shows_a_persons_details_is_recorded_as_a_look() {
    let p = practice();
    let reads = common::reads();
    let mut shown = Vec::new();
    // My day is a practitioner's own: the dentist's, in the starter practice.
    let dentist = p
        .desk
        .ok("list_staff", json!({}))
        .as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == "Dentist").map(id))
        .map(|i| Actor::staff(StaffId(i)))
        .expect("the dentist");
    for (name, _) in &reads {
        let before = trail_len(&p);
        let (actor, who) = if *name == "get_my_day" {
            (&dentist, "Dentist")
        } else {
            (&p.desk.manager, "Helen Park")
        };
        let Ok(answer) = p.desk.run(actor, name, sample(&p, name)) else {
            continue;
        };
        let text = answer.to_string();
        if !DETAILS.iter().any(|d| text.contains(d)) {
            continue;
        }
        shown.push(*name);
        if let Some((_, why)) = NOT_LOOKS.iter().find(|(n, _)| n == name) {
            assert!(!why.is_empty());
            continue;
        }
        let (screen, _) = looks::through(name).unwrap_or_else(|| {
            panic!("{name} shows Quentin's details but is not recorded as a look: add it to audit::looks::THROUGH")
        });
        assert!(
            looks_at(&p)
                .iter()
                .any(|l| l["through"] == screen && l["staff_name"] == who),
            "{name}: no look through {screen}: {:?}",
            looks_at(&p)
        );
        assert!(trail_len(&p) > before, "{name} wrote its look to the trail");
    }
    // The doors the issue names are among those that showed details.
    for door in [
        "get_person",
        "search_people",
        "get_arrival_card",
        "get_day_sheet",
        "get_my_day",
    ] {
        assert!(shown.contains(&door), "{door} showed nothing: {shown:?}");
    }
    // And the writes that show a record: opening it, exporting it.
    for name in ["open_person", "export_person"] {
        p.desk.ok(name, sample(&p, name));
    }
    let screens: Vec<String> = looks_at(&p)
        .iter()
        .map(|l| l["through"].as_str().unwrap_or_default().to_owned())
        .collect();
    for s in [
        "person page",
        "search",
        "arrival card",
        "day sheet",
        "My day",
        "export",
    ] {
        assert!(screens.iter().any(|x| x == s), "{s}: {screens:?}");
    }
}

#[test]
fn a_screen_refreshing_all_hour_is_one_entry_and_the_next_hour_another() {
    let p = practice();
    let day_sheet = json!({ "date": "2026-11-23" });
    p.desk.ok("get_day_sheet", day_sheet.clone());
    let after_first = trail_len(&p);
    for _ in 0..20 {
        p.desk.ok("get_day_sheet", day_sheet.clone());
    }
    assert_eq!(trail_len(&p), after_first, "coalesced within the hour");
    p.desk.clock.advance_minutes(60);
    p.desk.ok("get_day_sheet", day_sheet);
    assert_eq!(trail_len(&p), after_first + 1, "one more for the next hour");
    let look = looks_at(&p)
        .into_iter()
        .find(|l| l["through"] == "day sheet")
        .expect("day sheet look");
    assert_eq!(look["hours"], 2);
}

#[test]
fn fifty_simultaneous_reads_record_one_look() {
    let p = Arc::new(practice());
    let before = trail_len(&p);
    let threads: Vec<_> = (0..50)
        .map(|_| {
            let p = Arc::clone(&p);
            std::thread::spawn(move || {
                p.desk
                    .run(&p.desk.manager, "get_person", json!({ "id": p.quentin }))
                    .expect("page")
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    assert_eq!(trail_len(&p), before + 1, "exactly one look recorded");
}

#[test]
fn housekeeping_sees_no_details_so_its_day_sheet_is_no_look() {
    let p = practice();
    let hana = member(&p.desk, "Hana", "hana", "housekeeping");
    assert!(!hearth_core::access::disclosure::sees(
        StaffRole::Housekeeping,
        hearth_core::access::disclosure::Detail::Contact
    ));
    p.desk
        .run(&hana, "get_day_sheet", json!({ "date": "2026-11-23" }))
        .expect("sheet");
    assert!(looks_at(&p).is_empty(), "{:?}", looks_at(&p));
}

#[test]
fn activity_and_the_export_say_who_has_looked_at_the_record() {
    let p = practice();
    let fred = member(&p.desk, "Fred Desk", "fred", "front_desk");
    p.desk
        .run(&fred, "search_people", json!({ "query": "Quill" }))
        .expect("search");
    p.desk
        .run(
            &fred,
            "get_arrival_card",
            json!({ "booking_id": p.booking }),
        )
        .expect("card");
    // Activity, filtered to the person: what was done to the record and who looked.
    let page = p
        .desk
        .ok("list_activity", json!({ "person_id": p.quentin }));
    let entries = page["entries"].as_array().expect("entries");
    let looked: Vec<&Value> = entries.iter().filter(|e| e["action"] == "looked").collect();
    assert_eq!(looked.len(), 2, "{page}");
    assert!(looked.iter().all(|e| e["staff_name"] == "Fred Desk"));
    assert!(looked
        .iter()
        .any(|e| e["detail"]["through"] == "arrival card"));
    assert!(
        entries.iter().any(|e| e["action"] == "save_person"),
        "what was done to the record is there too: {page}"
    );
    // Another person's looks are not.
    let other = p.desk.ok(
        "save_person",
        json!({ "given_name": "Olga", "family_name": "Other" }),
    );
    let theirs = p
        .desk
        .ok("list_activity", json!({ "person_id": id(&other) }));
    assert!(
        theirs["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["detail"]["through"].is_null()),
        "{theirs}"
    );
    // The person's export lists who has looked.
    let export = p.desk.ok("export_person", json!({ "id": p.quentin }));
    let by_fred: Vec<&Value> = export["looked"]
        .as_array()
        .expect("looked")
        .iter()
        .filter(|l| l["staff_name"] == "Fred Desk")
        .collect();
    assert_eq!(by_fred.len(), 2, "{}", export["looked"]);
    // Only a role that may read the trail asks who has looked.
    let e = p
        .desk
        .run(
            &fred,
            "list_person_looks",
            json!({ "person_id": p.quentin }),
        )
        .expect_err("front desk");
    assert_eq!(e.code(), "staff.forbidden");
}
