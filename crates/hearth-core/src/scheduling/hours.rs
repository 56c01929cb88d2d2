//! Opening hours as instants: for a local date, the open intervals (opening
//! hours minus breaks) in UTC milliseconds, correct across DST changes.
use chrono::NaiveDate;

use crate::setup::practice::{DayHours, Practice};
use crate::time::{fmt_time, local_date, local_ms, weekday};

/// Open minute ranges of a weekday: hours minus breaks, in order.
pub fn open_minutes(day: &DayHours) -> Vec<(u32, u32)> {
    let mut breaks: Vec<(u32, u32)> = day
        .breaks
        .iter()
        .map(|b| (u32::from(b.start), u32::from(b.end)))
        .collect();
    breaks.sort();
    let mut out = Vec::new();
    let mut cursor = u32::from(day.opens);
    for (s, e) in breaks {
        if s > cursor {
            out.push((cursor, s));
        }
        cursor = cursor.max(e);
    }
    if u32::from(day.closes) > cursor {
        out.push((cursor, u32::from(day.closes)));
    }
    out
}

/// The open intervals of `date` as `[start_ms, end_ms)`.
pub fn open_intervals(practice: &Practice, date: NaiveDate) -> Vec<(i64, i64)> {
    let tz = practice.tz();
    match practice.hours_for(weekday(date)) {
        None => vec![],
        Some(day) => open_minutes(day)
            .into_iter()
            .map(|(s, e)| (local_ms(tz, date, s), local_ms(tz, date, e)))
            .collect(),
    }
}

/// Whether `[start, end)` lies inside one open interval of its local day.
pub fn within_hours(practice: &Practice, start: i64, end: i64) -> bool {
    let date = local_date(practice.tz(), start);
    open_intervals(practice, date)
        .iter()
        .any(|&(s, e)| s <= start && end <= e)
}

/// "08:00–12:00, 13:00–17:00" or "closed", for messages.
pub fn describe(practice: &Practice, date: NaiveDate) -> String {
    let iv = open_intervals(practice, date);
    if iv.is_empty() {
        return "closed that day".into();
    }
    iv.iter()
        .map(|&(s, e)| {
            format!(
                "{}–{}",
                fmt_time(practice.clock(), s),
                fmt_time(practice.clock(), e)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice(tz: &str) -> Practice {
        crate::setup::practice::test_practice(tz)
    }

    #[test]
    fn opening_hours_follow_local_time_across_the_dst_change() {
        let p = practice("Europe/Lisbon");
        // Friday before and Monday after the change on Sunday 29 March 2026.
        let before = NaiveDate::from_ymd_opt(2026, 3, 27).expect("date");
        let after = NaiveDate::from_ymd_opt(2026, 3, 30).expect("date");
        let b = open_intervals(&p, before);
        let a = open_intervals(&p, after);
        assert_eq!(fmt_time(p.clock(), b[0].0), "08:00");
        assert_eq!(fmt_time(p.clock(), a[0].0), "08:00");
        // …which is 08:00 UTC before and 07:00 UTC after.
        assert_eq!(
            fmt_time(crate::time::Clock::h24(chrono_tz::Tz::UTC), b[0].0),
            "08:00"
        );
        assert_eq!(
            fmt_time(crate::time::Clock::h24(chrono_tz::Tz::UTC), a[0].0),
            "07:00"
        );
        assert!(within_hours(&p, a[0].0, a[0].0 + 30 * 60_000));
        // 07:30 local on the Monday is before opening.
        assert!(!within_hours(&p, a[0].0 - 30 * 60_000, a[0].0));
    }

    #[test]
    fn breaks_split_the_day_and_weekends_are_closed() {
        let p = practice("UTC");
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        assert_eq!(open_intervals(&p, monday).len(), 2);
        assert_eq!(describe(&p, monday), "08:00–12:00, 13:00–17:00");
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        assert!(open_intervals(&p, sunday).is_empty());
        let lunch = local_ms(p.tz(), monday, 12 * 60 + 15);
        assert!(!within_hours(&p, lunch, lunch + 15 * 60_000));
    }
}
