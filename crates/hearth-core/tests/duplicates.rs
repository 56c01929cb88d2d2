//! One record per person: a name typed at the desk that Hearth already knows
//! is asked about, not made a second record; and the records made twice
//! already are found in pairs, merged or kept apart in one step.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use serde_json::{json, Value};

const TUE: &str = "2026-11-24";

fn add(desk: &Desk, given: &str, family: &str, extra: Value) -> i64 {
    let mut req = json!({ "given_name": given, "family_name": family, "someone_new": true });
    if let (Some(r), Some(e)) = (req.as_object_mut(), extra.as_object()) {
        r.extend(e.clone());
    }
    desk.ok("save_person", req)["id"].as_i64().expect("id")
}

fn book_typed(
    desk: &Desk,
    name: &str,
    phone: &str,
    hh: u32,
    someone_new: bool,
) -> Result<Value, hearth_core::error::CoreError> {
    desk.run(&desk.manager, "create_booking", json!({
        "person_name": name, "person_phone": phone, "someone_new": someone_new, "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, hh, 0), "ends_at_ms": desk.at(TUE, hh, 30) } }))
}

fn people(desk: &Desk) -> i64 {
    let conn = hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
    conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0))
        .expect("count")
}

fn candidate_ids(e: &hearth_core::error::CoreError) -> Vec<i64> {
    e.body().details["candidates"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["id"].as_i64()).collect())
        .unwrap_or_default()
}

#[test]
fn a_typed_name_hearth_knows_is_asked_about_and_nothing_is_written() {
    let desk = Desk::new(PracticeKind::Dental);
    let ana = add(&desk, "Ana", "Ruiz", json!({ "phone": "07700 900111" }));
    let margaret = add(
        &desk,
        "Margaret",
        "Thompson",
        json!({ "phone": "07700 900333", "date_of_birth": "1950-02-11" }),
    );
    let zoe = add(&desk, "Zoë", "Müller", json!({}));
    let kasia = add(
        &desk,
        "Katarzyna",
        "Nowakowska",
        json!({ "preferred_name": "Kasia" }),
    );
    let before = (people(&desk), desk.count_bookings());

    // The same name with the same number (however typed) is her: booked on her record.
    let b = book_typed(&desk, "ana ruiz", "+44 7700 900111", 9, false).expect("her number");
    assert_eq!(b["person_id"], ana);
    let before = (before.0, before.1 + 1);

    // The same name, no number (the guest in house, typed rather than picked): asked.
    for (typed, phone, who) in [
        ("Ana Ruiz", "", ana),
        ("Ana Ruiz", "07700 900999", ana), // a new number, or another Ana Ruiz
        ("Ruiz Ana", "", ana),             // in either order
        ("Zoe Muller", "", zoe),           // accents forgiven
        ("Margaret Thomson", "", margaret), // a slip of the finger
        ("Kasia Nowakowska", "", kasia),   // the name she goes by
    ] {
        let e = book_typed(&desk, typed, phone, 10, false).expect_err(typed);
        assert_eq!(e.code(), "person.maybe_known", "{typed}");
        assert_eq!(candidate_ids(&e), vec![who], "{typed}");
        assert!(e.to_string().contains("someone new"), "{e}");
        assert!(e.body().details["candidates"][0]["phone"]
            .as_str()
            .is_some());
        assert_eq!(
            (people(&desk), desk.count_bookings()),
            before,
            "nothing written for {typed}"
        );
    }
    // What tells them apart comes with the candidate: her phone, visits, and what is shared.
    let e = book_typed(&desk, "Margaret Thomson", "07700 900333", 10, false)
        .expect_err("close + phone");
    let c = &e.body().details["candidates"][0];
    assert_eq!(c["likeness"], json!(["close_name", "same_phone"]));
    assert_eq!(c["date_of_birth"], "1950-02-11");

    // Said to be someone new: a second record, deliberately.
    let other = book_typed(&desk, "Ana Ruiz", "07700 900999", 10, true).expect("someone new");
    assert_ne!(other["person_id"], ana);
    // Names nobody has (a household member with her number included) are new at once.
    let eva = book_typed(&desk, "Eva Ruiz", "07700 900111", 11, false).expect("a new name");
    assert_ne!(eva["person_id"], ana);
    // With two Ana Ruizes, her number still finds her; no number asks about both.
    let again = book_typed(&desk, "Ana Ruiz", "07700 900111", 14, false).expect("her number");
    assert_eq!(again["person_id"], ana);
    let e = book_typed(&desk, "Ana Ruiz", "", 15, false).expect_err("two of them");
    let mut ids = candidate_ids(&e);
    ids.sort_unstable();
    assert_eq!(ids, vec![ana, other["person_id"].as_i64().expect("id")]);
    assert!(e.to_string().contains("2 patients"), "{e}");
}

#[test]
fn the_dialog_reads_who_a_name_could_be_with_what_they_share() {
    let desk = Desk::new(PracticeKind::Hotel);
    let jan = add(
        &desk,
        "Jan",
        "Kowalski",
        json!({ "phone": "+48 601 234 567", "email": "jan@example.pl" }),
    );
    let anna = add(
        &desk,
        "Anna",
        "Kowalska",
        json!({ "phone": "+48 601 234 567" }),
    );
    let found = desk.ok(
        "likely_people",
        json!({ "name": "Jan Kowalsky", "phone": "+48 601 234 567" }),
    );
    let found = found.as_array().expect("list");
    assert_eq!(found[0]["id"], jan);
    assert_eq!(found[0]["likeness"], json!(["close_name", "same_phone"]));
    // His wife shares the number only: shown, after him.
    assert_eq!(found[1]["id"], anna);
    assert_eq!(found[1]["likeness"], json!(["same_phone"]));
    assert_eq!(
        desk.ok("likely_people", json!({ "name": "Pia Lind" })),
        json!([])
    );
    // A household number alone does not stop a booking: only a name does.
    let stay = desk.ok(
        "create_booking",
        json!({ "person_name": "Ola Kowalska", "person_phone": "+48 601 234 567",
        "type_id": desk.type_id("Stay"), "resource_ids": [desk.resource("Room 101")],
        "time": { "kind": "nights", "arrival": TUE, "departure": "2026-11-26" } }),
    );
    assert!(stay["person_id"] != jan && stay["person_id"] != anna);
}

#[test]
fn a_new_record_next_to_a_likely_match_is_a_deliberate_second_choice() {
    let desk = Desk::new(PracticeKind::Dental);
    let ana = add(
        &desk,
        "Ana",
        "Ruiz",
        json!({ "date_of_birth": "1980-03-01" }),
    );
    let n = people(&desk);
    let e = desk.err(
        "save_person",
        json!({ "given_name": "Ana", "family_name": "Ruiz" }),
    );
    assert_eq!(e.code(), "person.maybe_known");
    assert_eq!(candidate_ids(&e), vec![ana]);
    assert_eq!(people(&desk), n);
    // Born on another day: another Ana Ruiz, no question.
    desk.ok(
        "save_person",
        json!({ "given_name": "Ana", "family_name": "Ruiz", "date_of_birth": "1991-07-12" }),
    );
    // Editing her own record is never asked about.
    let p = desk.ok("get_person", json!({ "id": ana }))["person"].clone();
    desk.ok("save_person", json!({ "id": ana, "expected_version": p["version"], "given_name": "Ana", "family_name": "Ruiz", "phone": "07700 900111" }));
}

fn pairs(desk: &Desk) -> Vec<(String, String, Value)> {
    desk.ok("list_possible_duplicates", json!({}))
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            (
                p["keep"]["full_name"].as_str().unwrap_or("").to_owned(),
                p["merge"]["full_name"].as_str().unwrap_or("").to_owned(),
                p["likeness"].clone(),
            )
        })
        .collect()
}

#[test]
fn planted_duplicates_are_found_and_different_people_with_one_name_are_kept_apart() {
    let desk = Desk::new(PracticeKind::Dental);
    // Planted: the same name twice (one with visits), a slip with the same phone.
    let ana = add(&desk, "Ana", "Ruiz", json!({ "phone": "07700 900111" }));
    let ana2 = add(&desk, "ANA", "RUIZ", json!({}));
    desk.ok("create_booking", json!({ "person_id": ana2, "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": desk.at(TUE, 9, 0), "ends_at_ms": desk.at(TUE, 9, 30) } }));
    add(
        &desk,
        "Margaret",
        "Thompson",
        json!({ "phone": "07700 900333" }),
    );
    add(
        &desk,
        "Margaret",
        "Thomson",
        json!({ "phone": "07700 900333" }),
    );
    // Not duplicates: two John Smiths born on different days; a household on one number;
    // a similar name with nothing else in common.
    add(
        &desk,
        "John",
        "Smith",
        json!({ "date_of_birth": "1970-01-01" }),
    );
    add(
        &desk,
        "John",
        "Smith",
        json!({ "date_of_birth": "1999-09-09" }),
    );
    add(&desk, "Eva", "Ruiz", json!({ "phone": "07700 900111" }));
    add(&desk, "Margarete", "Thompson", json!({}));

    let found = pairs(&desk);
    assert_eq!(
        found,
        vec![
            (
                "Margaret Thompson".into(),
                "Margaret Thomson".into(),
                json!(["close_name", "same_phone"])
            ),
            ("ANA RUIZ".into(), "Ana Ruiz".into(), json!(["same_name"])),
        ],
        "the record with visits stays"
    );

    // Not the same person: gone for good, even after a reload.
    desk.ok(
        "keep_people_apart",
        json!({ "person_id": ana, "other_id": ana2 }),
    );
    assert_eq!(pairs(&desk).len(), 1);
    let e = desk.err(
        "keep_people_apart",
        json!({ "person_id": ana, "other_id": ana }),
    );
    assert_eq!(e.code(), "input.invalid");

    // Merged: the pair is gone, and the booking lives on the survivor.
    let list = desk.ok("list_possible_duplicates", json!({}));
    let (keep, merge) = (
        list[0]["keep"]["id"].clone(),
        list[0]["merge"]["id"].clone(),
    );
    desk.ok(
        "merge_people",
        json!({ "survivor_id": keep, "merged_id": merge }),
    );
    assert!(pairs(&desk).is_empty());
}

fn pair_names(h: &hearth_core::Hearth, manager: &hearth_core::Actor) -> Vec<(String, String)> {
    let list =
        hearth_core::commands::dispatch_value(h, manager, "list_possible_duplicates", json!({}))
            .expect("list");
    list.as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            (
                p["keep"]["full_name"].as_str().unwrap_or("").to_owned(),
                p["merge"]["full_name"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The demo (a year of a hotel's guests) lists its own few planted pairs, and
/// the planted ones added on top, and nothing else.
#[test]
fn a_generated_practice_with_planted_duplicates_lists_exactly_them() {
    let dir = tempfile::tempdir().expect("dir");
    let h = hearth_core::Hearth::open(dir.path().join("demo.db")).expect("open");
    hearth_core::demo::generate(
        &h,
        &hearth_core::demo::DemoOptions {
            kind: PracticeKind::Hotel,
            years: 1,
            resources: None,
            seed: 7,
        },
    )
    .expect("demo");
    let manager = hearth_core::Actor {
        staff_id: Some(hearth_core::ids::StaffId(1)),
        origin: None,
        ..Default::default()
    };
    let before = pair_names(&h, &manager);
    let add = |given: &str, family: &str, extra: Value| {
        let mut req = json!({ "given_name": given, "family_name": family, "someone_new": true });
        if let (Some(r), Some(e)) = (req.as_object_mut(), extra.as_object()) {
            r.extend(e.clone());
        }
        hearth_core::commands::dispatch_value(&h, &manager, "save_person", req).expect("add");
    };
    // Planted: a guest typed twice, a slip with the same e-mail, a swapped name order.
    add(
        "Henrietta",
        "Vasquez-Oyelaran",
        json!({ "phone": "07700 900555" }),
    );
    add("Henrietta", "Vasquez-Oyelaran", json!({}));
    add(
        "Bartholomew",
        "Featherstone",
        json!({ "email": "bf@example.org" }),
    );
    add(
        "Bartholomew",
        "Featherston",
        json!({ "email": "bf@example.org" }),
    );
    add(
        "Quilla",
        "Marchetti",
        json!({ "date_of_birth": "1984-05-06" }),
    );
    add(
        "Marchetti",
        "Quilla",
        json!({ "date_of_birth": "1984-05-06" }),
    );
    // And one that is not: a namesake born on another day.
    add(
        "Quilla",
        "Marchetti",
        json!({ "date_of_birth": "2001-12-01" }),
    );
    // The demo plants two of its own: its most frequent guest typed again, and a slip.
    assert_eq!(before.len(), 2, "the demo's own pairs: {before:?}");
    let mut planted: Vec<_> = pair_names(&h, &manager)
        .into_iter()
        .filter(|p| !before.contains(p))
        .collect();
    planted.sort();
    assert_eq!(
        planted,
        vec![
            (
                "Bartholomew Featherstone".to_owned(),
                "Bartholomew Featherston".to_owned()
            ),
            (
                "Henrietta Vasquez-Oyelaran".to_owned(),
                "Henrietta Vasquez-Oyelaran".to_owned()
            ),
            ("Quilla Marchetti".to_owned(), "Marchetti Quilla".to_owned()),
        ]
    );
}
