//! Minimum necessary: every read command, run by every role, against the one
//! table of what each role may see (`access::disclosure`). A hotel guest with
//! a phone number, an e-mail, an address, a health alert, notes and an
//! occasion is in the house; housekeeping must see their name and room, and
//! none of the rest, through any door — nor another team's tasks.
mod common;

use std::collections::BTreeMap;

use common::{id, member, Desk};
use hearth_core::access::{Permission, StaffRole};
use hearth_core::setup::practice::PracticeKind;
use serde_json::{json, Value};

/// What must not reach housekeeping, as it appears in answers.
const SECRETS: &[&str] = &[
    "900555",
    "quill@example.com",
    "Marker Road",
    "Peanut marker",
    "Marker note on the person",
    "Marker booking note",
    "Marker anniversary",
    "Front desk marker task",
    "1961-04-02",
];

#[test]
fn every_read_command_shows_each_role_only_what_the_table_allows() {
    let desk = Desk::new(PracticeKind::Hotel);
    let roles = [
        ("manager", StaffRole::Manager, desk.manager.clone()),
        (
            "front_desk",
            StaffRole::FrontDesk,
            member(&desk, "Fred", "fred", "front_desk"),
        ),
        (
            "practitioner",
            StaffRole::Practitioner,
            member(&desk, "Pia", "pia", "practitioner"),
        ),
        (
            "housekeeping",
            StaffRole::Housekeeping,
            member(&desk, "Hana", "hana", "housekeeping"),
        ),
    ];
    let guest = desk.ok(
        "save_person",
        json!({ "given_name": "Quentin", "family_name": "Quill", "phone": "07700 900555",
                "email": "quill@example.com", "address": "4 Marker Road", "date_of_birth": "1961-04-02" }),
    );
    desk.ok(
        "add_person_alert",
        json!({ "person_id": id(&guest), "kind": "allergy", "severity": "critical", "text": "Peanut marker allergy" }),
    );
    desk.ok(
        "add_person_note",
        json!({ "person_id": id(&guest), "body": "Marker note on the person" }),
    );
    let types = desk.ok("list_appointment_types", json!({}));
    let stay = types
        .as_array()
        .and_then(|t| t.first())
        .map(id)
        .expect("a stay type");
    let room = desk
        .ok("list_resources", json!({}))
        .as_array()
        .and_then(|r| r.iter().find(|x| x["kind"] == "room").map(id))
        .expect("a room");
    let booking = desk.ok(
        "create_booking",
        json!({ "person_id": id(&guest), "type_id": stay, "resource_ids": [room], "notes": "Marker booking note",
                "time": { "kind": "nights", "arrival": "2026-11-23", "departure": "2026-11-25" } }),
    );
    desk.ok(
        "add_occasion",
        json!({ "booking_id": id(&booking), "kind": "anniversary", "text": "Marker anniversary" }),
    );
    let front_task = desk.ok(
        "add_task",
        json!({ "title": "Front desk marker task", "role": "front_desk", "due_at_ms": desk.at("2026-11-23", 12, 0) }),
    );
    let day = desk.at("2026-11-23", 0, 0);
    let sample: BTreeMap<&str, Value> = [
        ("get_practice", json!({})),
        ("list_staff", json!({})),
        ("list_resources", json!({})),
        ("list_rotas", json!({})),
        ("list_room_types", json!({})),
        ("list_appointment_types", json!({})),
        ("list_blocks", json!({ "from_ms": day, "to_ms": day + 7 * 86_400_000 })),
        ("list_bookings", json!({ "from_ms": day, "to_ms": day + 7 * 86_400_000 })),
        ("get_booking", json!({ "id": id(&booking) })),
        ("resource_availability", json!({ "time": { "kind": "nights", "arrival": "2026-11-23", "departure": "2026-11-24" } })),
        ("find_slots", json!({ "type_id": stay, "from_date": "2026-11-23", "within_days": 7, "count": 3 })),
        ("find_free_rooms", json!({ "arrival": "2026-11-23", "departure": "2026-11-24" })),
        ("list_tasks", json!({})),
        ("list_task_rules", json!({})),
        ("list_handoffs", json!({})),
        ("count_handoffs", json!({})),
        ("propose_follow_up", json!({ "handoff_id": 999_999 })),
        ("follow_up_capacity", json!({})),
        ("list_waitlist", json!({})),
        ("waitlist_for_freed", json!({ "starts_at_ms": day, "ends_at_ms": day + 86_400_000, "resource_ids": [room] })),
        ("list_room_status", json!({})),
        ("get_day_sheet", json!({ "date": "2026-11-23" })),
        ("get_my_day", json!({})),
        ("list_waiting", json!({})),
        ("booking_timeline", json!({ "booking_id": id(&booking) })),
        ("list_calendar_feeds", json!({})),
        ("get_booking_ics", json!({ "id": id(&booking) })),
    ]
    .into_iter()
    .collect();

    let reads = common::reads();
    let mut housekeeping_saw_the_guest = Vec::new();
    for (role_name, role, actor) in &roles {
        for (name, permission) in &reads {
            if !role.may(*permission) {
                let e = desk.run(actor, name, json!({})).expect_err(name);
                assert_eq!(e.code(), "staff.forbidden", "{role_name} {name}");
                continue;
            }
            if *permission == Permission::ViewPerson || *permission == Permission::ViewActivity {
                // Roles that may read records or the trail see everything: the
                // table's restrictions are for roles without these.
                assert!(hearth_core::access::disclosure::sees(
                    *role,
                    hearth_core::access::disclosure::Detail::Contact
                ));
            }
            let args = sample.get(name).cloned().unwrap_or_else(|| {
                assert!(
                    *role != StaffRole::Housekeeping,
                    "{name} is a read housekeeping may run: give it a sample request here"
                );
                json!({})
            });
            let text = match desk.run(actor, name, args) {
                Ok(v) => v.to_string(),
                Err(e) => e.to_string(),
            };
            if *role == StaffRole::Housekeeping {
                for s in SECRETS {
                    assert!(
                        !text.contains(s),
                        "housekeeping saw {s:?} through {name}: {text}"
                    );
                }
                if text.contains("Quill") {
                    housekeeping_saw_the_guest.push(*name);
                }
            }
        }
    }
    // Names and rooms are what housekeeping's work needs: they still see them.
    for needed in [
        "list_bookings",
        "get_booking",
        "get_day_sheet",
        "list_room_status",
    ] {
        assert!(
            housekeeping_saw_the_guest.contains(&needed),
            "{needed}: {housekeeping_saw_the_guest:?}"
        );
    }
    // The front desk sees what its work needs, the phone number included.
    let fd = &roles[1].2;
    let list = desk
        .run(fd, "list_bookings", sample["list_bookings"].clone())
        .expect("front desk lists");
    assert!(list.to_string().contains("900555"));
    assert!(desk
        .run(fd, "list_tasks", json!({}))
        .expect("tasks")
        .to_string()
        .contains("Front desk marker task"));

    // Housekeeping can't close another team's task, even knowing its number.
    let hana = &roles[3].2;
    let e = desk
        .run(
            hana,
            "close_task",
            json!({ "id": id(&front_task), "expected_version": front_task["version"], "status": "done" }),
        )
        .expect_err("another team's task");
    assert_eq!(e.code(), "staff.forbidden");
    assert!(!e.to_string().contains("marker"), "{e}");
    // Its own team's tasks it sees and closes.
    let own = desk.ok(
        "add_task",
        json!({ "title": "Turn down room", "role": "housekeeping", "due_at_ms": desk.at("2026-11-23", 18, 0) }),
    );
    let board = desk
        .run(hana, "list_tasks", json!({ "role": "front_desk" }))
        .expect("board");
    let tasks = board.as_array().expect("tasks");
    assert!(
        tasks.iter().any(|t| t["title"] == "Turn down room"),
        "{board}"
    );
    assert!(
        tasks.iter().all(|t| t["role"] == "housekeeping"),
        "asked for the front desk's board, got its own only: {board}"
    );
    desk.run(
        hana,
        "close_task",
        json!({ "id": id(&own), "expected_version": own["version"], "status": "done" }),
    )
    .expect("own task closed");
}
