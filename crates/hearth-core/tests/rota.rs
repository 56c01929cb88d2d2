//! Providers' own hours and public holidays: one answer to "is this provider
//! working then", kept by the rule check and by every search that offers a
//! time (slot search, and follow-ups and recall through it), across DST.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::time::{fmt_time, Clock};
use serde_json::{json, Value};

/// Dr Lee: Monday and Friday mornings, all of Tuesday; never Wednesday or Thursday.
fn with_dr_lee(desk: &Desk) -> i64 {
    let lee = desk.ok(
        "save_resource",
        json!({ "kind": "provider", "name": "Dr Lee", "colour": "#2563eb", "sort_order": 11 }),
    )["id"]
        .as_i64()
        .expect("id");
    let rota = desk.ok(
        "set_rota",
        json!({ "resource_id": lee, "shifts": [
        { "weekday": 0, "start": 540, "end": 780 },
        { "weekday": 1, "start": 480, "end": 1020 },
        { "weekday": 4, "start": 540, "end": 780 },
    ] }),
    );
    assert_eq!(rota["shifts"].as_array().map(Vec::len), Some(3));
    lee
}

fn slot_times(desk: &Desk, args: Value) -> Vec<String> {
    desk.ok("find_slots", args)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let ms = s["starts_at_ms"].as_i64().unwrap_or(0);
            format!(
                "{} {}",
                hearth_core::time::local_date(desk.tz, ms),
                fmt_time(Clock::h24(desk.tz), ms)
            )
        })
        .collect()
}

fn book_with(
    desk: &Desk,
    provider: i64,
    day: &str,
    hh: u32,
    mm: u32,
    override_rules: bool,
) -> Result<Value, hearth_core::CoreError> {
    desk.run(&desk.manager, "create_booking", json!({
        "person_name": format!("Patient {day} {hh}{mm}"), "someone_new": true, "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 1"), provider], "override_rules": override_rules,
        "time": { "kind": "timed", "starts_at_ms": desk.at(day, hh, mm), "ends_at_ms": desk.at(day, hh, mm) + 30 * 60_000 } }))
}

#[test]
fn a_rota_is_kept_inside_the_practice_hours_and_only_for_providers() {
    let desk = Desk::new(PracticeKind::Dental);
    let lee = with_dr_lee(&desk);
    let e = desk.err(
        "set_rota",
        json!({ "resource_id": lee, "shifts": [{ "weekday": 2, "start": 420, "end": 600 }] }),
    );
    assert_eq!(e.code(), "input.invalid");
    assert!(
        e.to_string()
            .contains("On Wednesdays the practice is open 08:00–17:00"),
        "{e}"
    );
    let e = desk.err(
        "set_rota",
        json!({ "resource_id": lee, "shifts": [{ "weekday": 5, "start": 540, "end": 600 }] }),
    );
    assert!(e.to_string().contains("closed on Saturdays"), "{e}");
    let e = desk.err(
        "set_rota",
        json!({ "resource_id": lee, "shifts": [
        { "weekday": 0, "start": 540, "end": 700 }, { "weekday": 0, "start": 660, "end": 780 }] }),
    );
    assert!(e.to_string().contains("two shifts overlap"), "{e}");
    let e = desk.err(
        "set_rota",
        json!({ "resource_id": desk.resource("Chair 1"), "shifts": [] }),
    );
    assert!(e.to_string().contains("not a provider"), "{e}");
    // Refused changes left the rota as it was.
    let rotas = desk.ok("list_rotas", json!({}));
    let mine = rotas
        .as_array()
        .and_then(|a| a.iter().find(|r| r["resource_id"] == lee))
        .cloned()
        .unwrap_or_default();
    assert_eq!(mine["shifts"].as_array().map(Vec::len), Some(3));
    // The Dentist has no rota: whenever the practice is open.
    let dentist = rotas
        .as_array()
        .and_then(|a| a.iter().find(|r| r["name"] == "Dentist"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(dentist["shifts"], json!([]));
}

#[test]
fn booking_a_provider_outside_their_hours_is_refused_in_their_words_unless_meant() {
    let desk = Desk::new(PracticeKind::Dental);
    let lee = with_dr_lee(&desk);
    // Wednesday 25 November: their day off.
    let e = book_with(&desk, lee, "2026-11-25", 10, 0, false).expect_err("day off");
    assert_eq!(e.code(), "booking.outside_hours");
    assert!(
        e.to_string()
            .starts_with("Dr Lee doesn't work on Wednesdays."),
        "{e}"
    );
    assert!(e.body().details["overridable"] == true);
    assert_eq!(desk.count_bookings(), 0);
    // Friday afternoon: after their morning.
    let e = book_with(&desk, lee, "2026-11-27", 14, 0, false).expect_err("afternoon");
    assert!(
        e.to_string()
            .starts_with("Dr Lee works 09:00–12:00 on Fridays."),
        "{e}"
    );
    // Inside their hours, fine; outside on purpose, recorded.
    book_with(&desk, lee, "2026-11-27", 9, 30, false).expect("Friday morning");
    let b = book_with(&desk, lee, "2026-11-25", 10, 0, true).expect("on purpose");
    assert_eq!(b["overridden"], true);
    // The Dentist (no rota) is bookable whenever the practice is open.
    book_with(&desk, desk.resource("Dentist"), "2026-11-25", 11, 0, false).expect("the Dentist");
}

#[test]
fn slot_search_offers_a_provider_only_when_they_work_across_the_dst_change() {
    let desk = Desk::new(PracticeKind::Dental);
    let lee = with_dr_lee(&desk);
    let times = slot_times(
        &desk,
        json!({ "type_id": desk.type_id("Check-up"), "provider_id": lee,
        "from_date": "2026-11-24", "within_days": 4, "count": 200 }),
    );
    // Tuesday all day; Wednesday and Thursday nothing; Friday 09:00–11:30 starts only.
    assert!(times.iter().any(|t| t == "2026-11-24 08:00"), "{times:?}");
    assert!(
        !times
            .iter()
            .any(|t| t.starts_with("2026-11-25") || t.starts_with("2026-11-26")),
        "{times:?}"
    );
    let friday: Vec<_> = times
        .iter()
        .filter(|t| t.starts_with("2026-11-27"))
        .collect();
    assert_eq!(friday.first().map(|s| s.as_str()), Some("2026-11-27 09:00"));
    assert_eq!(friday.last().map(|s| s.as_str()), Some("2026-11-27 11:30"));
    // Any provider: the Dentist fills Dr Lee's days off.
    let any = slot_times(
        &desk,
        json!({ "type_id": desk.type_id("Check-up"),
        "from_date": "2026-11-25", "within_days": 1, "count": 5 }),
    );
    assert_eq!(any.first().map(String::as_str), Some("2026-11-25 08:00"));
    // The Monday after the clocks go forward (29 March 2027): 09:00 local still starts it.
    let spring = slot_times(
        &desk,
        json!({ "type_id": desk.type_id("Check-up"), "provider_id": lee,
        "from_date": "2027-03-29", "within_days": 1, "count": 1 }),
    );
    assert_eq!(spring, vec!["2027-03-29 09:00".to_owned()]);
}

#[test]
fn public_holidays_close_the_practice_for_every_search_and_the_rule_check() {
    let desk = Desk::new(PracticeKind::Dental);
    // No country yet: said plainly.
    let e = desk.err("list_public_holidays", json!({ "year": 2026 }));
    assert!(e.to_string().contains("Set the practice's country"), "{e}");
    desk.update_practice("country", json!("GB"))
        .expect("the country");
    let list = desk.ok("list_public_holidays", json!({ "year": 2026 }));
    let names: Vec<String> = list
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|h| format!("{} {}", h["date"].as_str().unwrap_or(""), h["closed"]))
        .collect();
    assert!(
        names.contains(&"2026-12-25 false".to_owned())
            && names.contains(&"2026-12-28 false".to_owned()),
        "{names:?}"
    );
    // Close the coming ones: Christmas Day and the Boxing Day substitute.
    let closed = desk.ok(
        "close_public_holidays",
        json!({ "year": 2026, "dates": ["2026-12-25", "2026-12-28"] }),
    );
    let christmas = closed
        .as_array()
        .and_then(|a| a.iter().find(|h| h["date"] == "2026-12-25"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(christmas["closed"], true);
    assert!(christmas["name"]
        .as_str()
        .is_some_and(|n| n.contains("Christmas")));
    // Closing again adds nothing.
    let before = desk.ok(
        "list_blocks",
        json!({ "from_ms": desk.at("2026-12-01", 0, 0), "to_ms": desk.at("2027-01-01", 0, 0) }),
    );
    desk.ok(
        "close_public_holidays",
        json!({ "year": 2026, "dates": ["2026-12-25"] }),
    );
    let after = desk.ok(
        "list_blocks",
        json!({ "from_ms": desk.at("2026-12-01", 0, 0), "to_ms": desk.at("2027-01-01", 0, 0) }),
    );
    assert_eq!(before, after);
    assert!(
        after[0]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("Public holiday: Christmas")),
        "{after}"
    );
    // A day that is no holiday is refused by name.
    let e = desk.err(
        "close_public_holidays",
        json!({ "year": 2026, "dates": ["2026-12-24"] }),
    );
    assert!(
        e.to_string()
            .contains("24 December 2026 is not a public holiday"),
        "{e}"
    );
    // Slot search steps over them; the rule check refuses them (blocked, overridable).
    let times = slot_times(
        &desk,
        json!({ "type_id": desk.type_id("Check-up"),
        "from_date": "2026-12-24", "within_days": 6, "count": 200 }),
    );
    assert!(
        times.iter().any(|t| t.starts_with("2026-12-24")),
        "Christmas Eve is open"
    );
    assert!(
        !times
            .iter()
            .any(|t| t.starts_with("2026-12-25") || t.starts_with("2026-12-28")),
        "{times:?}"
    );
    assert!(times.iter().any(|t| t.starts_with("2026-12-29")));
    let e = book_with(&desk, desk.resource("Dentist"), "2026-12-25", 10, 0, false)
        .expect_err("Christmas");
    assert_eq!(e.code(), "booking.blocked");
    assert!(
        e.to_string().contains("Public holiday: Christmas Day"),
        "{e}"
    );
}
