//! "Is this provider working then?" — one answer for the rule check, slot
//! search (and so follow-ups, recall and the waitlist, which search through
//! it) and the calendar: the practice's open intervals of the day, cut to the
//! provider's shifts (`setup/rota.rs`). A provider without shifts works
//! whenever the practice is open. Blocked time (a day off, a course, a public
//! holiday) is checked beside it, as before.
use chrono::NaiveDate;

use crate::scheduling::hours;
use crate::setup::practice::Practice;
use crate::setup::rota::Shift;
use crate::time::{fmt_time, local_date, local_ms, weekday};

/// When a provider with `shifts` works on `date`, as `[start_ms, end_ms)`
/// instants: the practice's open intervals inside their shifts.
pub fn intervals(practice: &Practice, shifts: &[Shift], date: NaiveDate) -> Vec<(i64, i64)> {
    let open = hours::open_intervals(practice, date);
    if shifts.is_empty() {
        return open;
    }
    let tz = practice.tz();
    let wd = weekday(date);
    let mut out = Vec::new();
    for s in shifts.iter().filter(|s| s.weekday == wd) {
        let (ss, se) = (
            local_ms(tz, date, u32::from(s.start)),
            local_ms(tz, date, u32::from(s.end)),
        );
        for &(os, oe) in &open {
            let (a, b) = (ss.max(os), se.min(oe));
            if a < b {
                out.push((a, b));
            }
        }
    }
    out.sort_unstable();
    out
}

/// Whether `[start, end)` lies inside one working interval of its local day.
pub fn within(practice: &Practice, shifts: &[Shift], start: i64, end: i64) -> bool {
    let date = local_date(practice.tz(), start);
    intervals(practice, shifts, date)
        .iter()
        .any(|&(s, e)| s <= start && end <= e)
}

/// Why `name` can't take `[start, end)`, in the desk's words: "Dr Lee doesn't
/// work on Wednesdays." or "Dr Lee works 09:00–13:00 on Fridays."
pub fn refusal_words(practice: &Practice, name: &str, shifts: &[Shift], start: i64) -> String {
    let date = local_date(practice.tz(), start);
    let day = crate::time::weekdays_word(weekday(date));
    let iv = intervals(practice, shifts, date);
    if iv.is_empty() {
        return format!("{name} doesn't work on {day}.");
    }
    let spans: Vec<String> = iv
        .iter()
        .map(|&(s, e)| {
            format!(
                "{}–{}",
                fmt_time(practice.clock(), s),
                fmt_time(practice.clock(), e)
            )
        })
        .collect();
    format!("{name} works {} on {day}.", spans.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice(tz: &str) -> Practice {
        crate::setup::practice::test_practice(tz)
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_rota_cuts_the_practice_day_to_the_providers_shifts_across_dst() {
        let p = practice("Europe/London");
        // Mornings on Monday and Friday, nothing on Wednesday.
        let shifts = [
            Shift {
                weekday: 0,
                start: 9 * 60,
                end: 13 * 60,
            },
            Shift {
                weekday: 4,
                start: 8 * 60,
                end: 17 * 60,
            },
        ];
        // The Monday after the clocks go back (25 October 2026): 09:00 local is 09:00 UTC.
        let monday = date("2026-10-26");
        let iv = intervals(&p, &shifts, monday);
        assert_eq!(iv.len(), 1, "the lunch break is outside the shift: {iv:?}");
        assert_eq!(
            fmt_time(crate::time::Clock::h24(chrono_tz::UTC), iv[0].0),
            "09:00"
        );
        assert!(
            intervals(&p, &shifts, date("2026-10-28")).is_empty(),
            "Wednesday off"
        );
        // Friday: the whole day, less the practice's lunch.
        assert_eq!(intervals(&p, &shifts, date("2026-10-30")).len(), 2);
        // The Monday before (BST): 09:00 local is 08:00 UTC.
        let before = intervals(&p, &shifts, date("2026-10-19"));
        assert_eq!(
            fmt_time(crate::time::Clock::h24(chrono_tz::UTC), before[0].0),
            "08:00"
        );
        let nine = before[0].0;
        assert!(within(&p, &shifts, nine, nine + 30 * 60_000));
        assert!(!within(&p, &shifts, nine - 30 * 60_000, nine));
        assert_eq!(
            refusal_words(
                &p,
                "Dr Lee",
                &shifts,
                local_ms(p.tz(), date("2026-10-28"), 600)
            ),
            "Dr Lee doesn't work on Wednesdays."
        );
        assert_eq!(
            refusal_words(&p, "Dr Lee", &shifts, local_ms(p.tz(), monday, 14 * 60)),
            "Dr Lee works 09:00–12:00 on Mondays."
        );
        // No shifts: the practice's hours.
        assert_eq!(
            intervals(&p, &[], monday),
            hours::open_intervals(&p, monday)
        );
    }
}
