//! Local time at the edge: converting the practice's local dates and minutes to
//! UTC epoch milliseconds and back, through chrono-tz.
//!
//! **The local-time rule** (the same in the UI's `lib/time.ts`, both tested
//! against `tests/fixtures/local-time-cases.json`): a wall-clock time that a
//! spring-forward jump skips is moved forward by the length of the jump
//! (02:30 on a day whose clocks go from 02:00 to 03:00 means 03:30); a time a
//! fall-back repeats means its first occurrence (summer time). This is
//! RFC 5545's rule and JavaScript Temporal's "compatible" disambiguation.
use chrono::{
    Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike,
};
use chrono_tz::Tz;

/// What happened to a wall-clock time on its way to an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalAdjustment {
    /// The time exists once: nothing to say.
    Exact,
    /// The time falls in a spring-forward gap: moved forward by the gap.
    MovedForward { minutes: i64 },
    /// The time happens twice (fall-back): the first occurrence was taken.
    FirstOfTwo,
}

/// A wall-clock time resolved to an instant under the local-time rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub ms: i64,
    pub adjustment: LocalAdjustment,
}

/// The zone's offset from UTC, in milliseconds, at an instant given as a naive UTC time.
fn offset_ms_at(tz: Tz, utc: NaiveDateTime) -> i64 {
    i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()) * 1000
}

/// Resolves a wall-clock reading in `tz` to an instant (see the module's rule).
pub fn resolve_local(tz: Tz, wall: NaiveDateTime) -> Resolved {
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) => Resolved {
            ms: t.timestamp_millis(),
            adjustment: LocalAdjustment::Exact,
        },
        LocalResult::Ambiguous(early, _) => Resolved {
            ms: early.timestamp_millis(),
            adjustment: LocalAdjustment::FirstOfTwo,
        },
        LocalResult::None => {
            // In a gap: read the wall time with the offset in force before the
            // jump, which lands the same distance past the end of the gap as
            // the time was past its start. A day either side of the wall time
            // read as UTC is before and after the gap for every offset (±14 h).
            let as_utc = wall.and_utc().timestamp_millis();
            let before = offset_ms_at(tz, wall - chrono::Duration::hours(24));
            let ms = as_utc - before;
            let after = offset_ms_at(tz, wall + chrono::Duration::hours(24));
            Resolved {
                ms,
                adjustment: LocalAdjustment::MovedForward {
                    minutes: (after - before) / 60_000,
                },
            }
        }
    }
}

/// The instant at `minute` minutes after local midnight of `date` (1440 = next
/// midnight), under the local-time rule.
pub fn local_ms(tz: Tz, date: NaiveDate, minute: u32) -> i64 {
    let days = u64::from(minute / 1440);
    let minute = minute % 1440;
    let date = date
        .checked_add_days(chrono::Days::new(days))
        .unwrap_or(date);
    let time = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap_or(NaiveTime::MIN);
    resolve_local(tz, date.and_time(time)).ms
}

pub fn to_local(tz: Tz, ms: i64) -> chrono::DateTime<Tz> {
    tz.timestamp_millis_opt(ms).single().unwrap_or_else(|| {
        tz.timestamp_millis_opt(0)
            .single()
            .expect("epoch is valid in every zone")
    })
}

pub fn local_date(tz: Tz, ms: i64) -> NaiveDate {
    to_local(tz, ms).date_naive()
}

/// 0 = Monday.
/// Weekday names by [`weekday`] number (0 = Monday).
pub const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// "Mondays" for weekday 0, as in "closed on Mondays".
pub fn weekdays_word(weekday: u8) -> String {
    format!("{}s", WEEKDAY_NAMES[usize::from(weekday) % 7])
}

pub fn weekday(date: NaiveDate) -> u8 {
    date.weekday().num_days_from_monday() as u8
}

/// How the practice writes times: its zone, and a 24-hour ("14:30") or a
/// 12-hour ("2:30 pm") clock. `Practice::clock` makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub tz: Tz,
    pub twelve_hour: bool,
}

impl Clock {
    /// A 24-hour clock in `tz`.
    pub fn h24(tz: Tz) -> Clock {
        Clock {
            tz,
            twelve_hour: false,
        }
    }
}

/// "10:45", or "10:45 am" on a 12-hour clock.
pub fn fmt_time(clock: Clock, ms: i64) -> String {
    let t = to_local(clock.tz, ms);
    if clock.twelve_hour {
        let (pm, hour) = t.hour12();
        format!("{hour}:{:02} {}", t.minute(), if pm { "pm" } else { "am" })
    } else {
        t.format("%H:%M").to_string()
    }
}

/// "Tue 3 Mar"
pub fn fmt_day(tz: Tz, ms: i64) -> String {
    to_local(tz, ms).format("%a %-d %b").to_string()
}

/// "Tue 3 Mar 10:00–10:45", or "3–6 Mar" style for multi-day spans.
pub fn fmt_span(clock: Clock, start: i64, end: i64) -> String {
    let tz = clock.tz;
    if local_date(tz, start) == local_date(tz, end)
        || end - start < 86_400_000 && local_date(tz, end - 1) == local_date(tz, start)
    {
        format!(
            "{} {}–{}",
            fmt_day(tz, start),
            fmt_time(clock, start),
            fmt_time(clock, end)
        )
    } else {
        format!("{} – {}", fmt_day(tz, start), fmt_day(tz, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn a_twelve_hour_clock_writes_am_and_pm() {
        let tz: Tz = "Europe/London".parse().expect("zone");
        let day = d(2026, 11, 24);
        let twelve = Clock {
            tz,
            twelve_hour: true,
        };
        assert_eq!(fmt_time(twelve, local_ms(tz, day, 14 * 60 + 5)), "2:05 pm");
        assert_eq!(fmt_time(twelve, local_ms(tz, day, 5)), "12:05 am");
        assert_eq!(fmt_time(twelve, local_ms(tz, day, 12 * 60)), "12:00 pm");
        assert_eq!(
            fmt_time(Clock::h24(tz), local_ms(tz, day, 14 * 60 + 5)),
            "14:05"
        );
    }

    #[test]
    fn a_spring_forward_day_is_23_hours_long() {
        let tz: Tz = "Europe/Lisbon".parse().expect("zone");
        let day = d(2026, 3, 29);
        assert_eq!(
            local_ms(tz, day, 1440) - local_ms(tz, day, 0),
            23 * 3_600_000
        );
        // 09:00 local is 08:00 UTC after the change (WEST = UTC+1).
        assert_eq!(
            fmt_time(Clock::h24(Tz::UTC), local_ms(tz, day, 9 * 60)),
            "08:00"
        );
    }

    #[test]
    fn a_time_inside_the_gap_moves_forward_by_the_gap() {
        let tz: Tz = "America/New_York".parse().expect("zone");
        let day = d(2026, 3, 8);
        // 02:30 does not exist; the clock jumps from 02:00 to 03:00: it means 03:30.
        assert_eq!(local_ms(tz, day, 150), local_ms(tz, day, 210));
        assert_eq!(fmt_time(Clock::h24(tz), local_ms(tz, day, 150)), "03:30");
    }

    #[test]
    fn a_fall_back_day_is_25_hours_long() {
        let tz: Tz = "Europe/Berlin".parse().expect("zone");
        let day = d(2026, 10, 25);
        assert_eq!(
            local_ms(tz, day, 1440) - local_ms(tz, day, 0),
            25 * 3_600_000
        );
    }

    /// The shared table of DST cases: the UI's Vitest suite reads the same file.
    #[test]
    fn the_local_time_rule_matches_the_shared_table() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/local-time-cases.json");
        let text = std::fs::read_to_string(&path).expect("the shared DST table");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let cases = doc["cases"].as_array().expect("cases");
        assert!(cases.len() >= 10);
        for c in cases {
            let zone = c["zone"].as_str().expect("zone");
            let local = c["local"].as_str().expect("local");
            let tz: Tz = zone.parse().expect("known zone");
            let wall = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").expect("wall time");
            let r = resolve_local(tz, wall);
            let want_ms = c["utc_ms"].as_i64().expect("utc_ms");
            assert_eq!(r.ms, want_ms, "{zone} {local}: {}", c["why"]);
            let (adj, moved) = match r.adjustment {
                LocalAdjustment::Exact => ("exact", 0),
                LocalAdjustment::MovedForward { minutes } => ("moved_forward", minutes),
                LocalAdjustment::FirstOfTwo => ("first_of_two", 0),
            };
            assert_eq!(
                adj,
                c["adjustment"].as_str().expect("adjustment"),
                "{zone} {local}"
            );
            assert_eq!(Some(moved), c["moved_minutes"].as_i64(), "{zone} {local}");
            assert_eq!(
                fmt_time(Clock::h24(tz), r.ms),
                c["local_after"].as_str().expect("local_after"),
                "{zone} {local}"
            );
        }
    }
}
