//! The practice's day: the calendar opens on today, or on the next open day
//! when the practice is closed all of today, and the demo is lived-in on that
//! day whatever day and hour it is opened.
mod common;

use std::sync::Arc;

use common::{date, Desk};
use hearth_core::clock::FixedClock;
use hearth_core::gate::{self, Caller};
use hearth_core::scheduling::desk_day::DeskDay;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::time::local_ms;
use hearth_core::Hearth;
use serde_json::json;

fn caller() -> Caller {
    Caller {
        workstation: "Front desk PC".into(),
        ..Default::default()
    }
}

/// What the screens are told before anyone signs in.
fn day_of(h: &Hearth) -> DeskDay {
    gate::access(h, &caller(), "session", "")
        .expect("session")
        .info
        .practice
        .expect("a practice")
        .day
}

fn london() -> chrono_tz::Tz {
    "Europe/London".parse().expect("zone")
}

#[test]
fn on_a_closed_weekday_the_calendar_opens_on_the_next_open_day_and_says_why() {
    let desk = Desk::new(PracticeKind::Dental);
    // Sunday 22 November 2026, a quarter to ten in the evening.
    desk.clock.set(desk.at("2026-11-22", 21, 45));
    let d = day_of(&desk.hearth);
    assert_eq!(d.today.to_string(), "2026-11-22");
    assert_eq!(d.opens_on.to_string(), "2026-11-23");
    assert_eq!(d.closed_today.as_deref(), Some("Closed on Sundays"));
    assert_eq!(d.now_ms, desk.at("2026-11-22", 21, 45));

    // Saturday noon: Monday too.
    desk.clock.set(desk.at("2026-11-21", 12, 0));
    let d = day_of(&desk.hearth);
    assert_eq!(d.opens_on.to_string(), "2026-11-23");
    assert_eq!(d.closed_today.as_deref(), Some("Closed on Saturdays"));
}

#[test]
fn an_open_day_is_today_before_opening_and_after_closing() {
    let desk = Desk::new(PracticeKind::Dental);
    for (h, m) in [(0, 0), (7, 0), (12, 30), (23, 59)] {
        desk.clock.set(desk.at("2026-11-24", h, m));
        let d = day_of(&desk.hearth);
        assert_eq!(d.opens_on.to_string(), "2026-11-24", "at {h:02}:{m:02}");
        assert_eq!(d.closed_today, None);
    }
}

#[test]
fn a_closed_day_for_the_whole_practice_is_skipped_but_one_chair_closed_is_not() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.ok(
        "add_closed_days",
        json!({ "from": "2026-11-30", "to": "2026-11-30", "reason": "Bank holiday" }),
    );
    desk.ok(
        "add_closed_days",
        json!({ "resource_id": desk.resource("Chair 1"), "from": "2026-12-01", "to": "2026-12-01", "reason": "Chair serviced" }),
    );
    desk.clock.set(desk.at("2026-11-29", 18, 0));
    let d = day_of(&desk.hearth);
    assert_eq!(
        d.opens_on.to_string(),
        "2026-12-01",
        "Monday is closed, Tuesday opens"
    );
    desk.clock.set(desk.at("2026-11-30", 9, 0));
    let d = day_of(&desk.hearth);
    assert_eq!(d.closed_today.as_deref(), Some("Closed: Bank holiday"));
    assert_eq!(d.opens_on.to_string(), "2026-12-01");
    desk.clock.set(desk.at("2026-12-01", 9, 0));
    assert_eq!(day_of(&desk.hearth).closed_today, None);
}

#[test]
fn a_practice_closed_for_longer_than_four_weeks_opens_on_today() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.ok(
        "add_closed_days",
        json!({ "from": "2026-11-23", "to": "2027-01-31", "reason": "Refurbishment" }),
    );
    desk.clock.set(desk.at("2026-11-24", 9, 0));
    let d = day_of(&desk.hearth);
    assert_eq!(d.opens_on.to_string(), "2026-11-24");
    assert_eq!(d.closed_today.as_deref(), Some("Closed: Refurbishment"));
}

#[test]
fn a_hotel_is_open_every_day() {
    let desk = Desk::new(PracticeKind::Hotel);
    desk.clock.set(desk.at("2026-11-22", 21, 45));
    let d = day_of(&desk.hearth);
    assert_eq!(d.opens_on.to_string(), "2026-11-22");
    assert_eq!(d.closed_today, None);
}

/// The demo opened at `at` (London): the day its calendar opens on, and the
/// live bookings on it.
fn demo_at(kind: &str, at: i64) -> (DeskDay, usize, Hearth, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let clock = Arc::new(FixedClock::new(at));
    let h = Hearth::open_with_clock(dir.path().join("demo.db"), clock).expect("open");
    let opened = gate::access(
        &h,
        &caller(),
        "open_demo_practice",
        &json!({ "kind": kind }).to_string(),
    )
    .expect("demo");
    assert!(opened.info.signed_in.is_some());
    let day = day_of(&h);
    let tz = london();
    let on = day.opens_on.date();
    let conn = hearth_core::store::keys::open_raw(dir.path().join("demo.db")).expect("open");
    let live: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM bookings WHERE live = 1 AND starts_at_ms < ?2 AND ends_at_ms > ?1",
            [local_ms(tz, on, 0), local_ms(tz, on, 1440)],
            |r| r.get(0),
        )
        .expect("count");
    (day, live as usize, h, dir)
}

#[test]
fn the_dental_demo_is_lived_in_on_the_day_it_opens_whatever_the_day_and_hour() {
    let tz = london();
    let cases = [
        ("a Sunday evening", "2026-12-06", 21 * 60 + 45, "2026-12-07"),
        ("a Saturday noon", "2026-12-05", 12 * 60, "2026-12-07"),
        ("a Tuesday at 07:00", "2026-12-08", 7 * 60, "2026-12-08"),
        (
            "a Friday at 23:59",
            "2026-12-11",
            23 * 60 + 59,
            "2026-12-11",
        ),
        // 01:30 on 28 March 2027 does not exist in London: 02:30 BST.
        (
            "the night the clocks go forward",
            "2027-03-28",
            90,
            "2027-03-29",
        ),
        (
            "the night the clocks go back",
            "2027-10-31",
            90,
            "2027-11-01",
        ),
    ];
    for (when, day, minute, opens_on) in cases {
        let (d, live, _h, _dir) = demo_at("dental", local_ms(tz, date(day), minute));
        assert_eq!(d.opens_on.to_string(), opens_on, "{when}");
        assert!(
            live >= 12,
            "{when}: {live} bookings on {opens_on}, the day the calendar opens on"
        );
    }
}

#[test]
fn the_dental_demo_has_someone_waiting_during_opening_hours() {
    let tz = london();
    let (_, _, _h, dir) = demo_at("dental", local_ms(tz, date("2026-12-08"), 10 * 60 + 30));
    let conn = hearth_core::store::keys::open_raw(dir.path().join("demo.db")).expect("open");
    let waiting: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM bookings WHERE status = 'arrived'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert!(waiting >= 1, "someone is in the waiting room");
}

#[test]
fn the_hotel_demo_has_guests_on_any_day() {
    let tz = london();
    for day in ["2026-12-06", "2026-12-08"] {
        let (d, live, _h, _dir) = demo_at("hotel", local_ms(tz, date(day), 21 * 60 + 45));
        assert_eq!(d.opens_on.to_string(), day);
        assert!(live >= 5, "{live} stays over {day}");
    }
}
