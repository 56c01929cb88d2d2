//! Local time at the edge: converting the practice's local dates and minutes to
//! UTC epoch milliseconds and back, through chrono-tz. DST gaps resolve to the
//! first instant after the gap; repeated hours resolve to their first occurrence.
use chrono::{Datelike, LocalResult, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// The instant at `minute` minutes after local midnight of `date` (1440 = next midnight).
pub fn local_ms(tz: Tz, date: NaiveDate, minute: u32) -> i64 {
    let (date, minute) = if minute >= 1440 {
        (date.succ_opt().unwrap_or(date), minute - 1440)
    } else {
        (date, minute)
    };
    let mut m = minute;
    // Walk forward out of a DST gap (at most a few hours long).
    for _ in 0..240 {
        let time = NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or(NaiveTime::MIN);
        match tz.from_local_datetime(&date.and_time(time)) {
            LocalResult::Single(t) => return t.timestamp_millis(),
            LocalResult::Ambiguous(early, _) => return early.timestamp_millis(),
            LocalResult::None => m += 1,
        }
        if m >= 1440 {
            break;
        }
    }
    // Unreachable for real zones; fall back to reading the date as UTC.
    date.and_time(NaiveTime::MIN).and_utc().timestamp_millis() + i64::from(minute) * 60_000
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
pub fn weekday(date: NaiveDate) -> u8 {
    date.weekday().num_days_from_monday() as u8
}

/// "10:45"
pub fn fmt_time(tz: Tz, ms: i64) -> String {
    to_local(tz, ms).format("%H:%M").to_string()
}

/// "Tue 3 Mar"
pub fn fmt_day(tz: Tz, ms: i64) -> String {
    to_local(tz, ms).format("%a %-d %b").to_string()
}

/// "Tue 3 Mar 10:00–10:45", or "3–6 Mar" style for multi-day spans.
pub fn fmt_span(tz: Tz, start: i64, end: i64) -> String {
    if local_date(tz, start) == local_date(tz, end)
        || end - start < 86_400_000 && local_date(tz, end - 1) == local_date(tz, start)
    {
        format!(
            "{} {}–{}",
            fmt_day(tz, start),
            fmt_time(tz, start),
            fmt_time(tz, end)
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
    fn a_spring_forward_day_is_23_hours_long() {
        let tz: Tz = "Europe/Lisbon".parse().expect("zone");
        let day = d(2026, 3, 29);
        assert_eq!(
            local_ms(tz, day, 1440) - local_ms(tz, day, 0),
            23 * 3_600_000
        );
        // 09:00 local is 08:00 UTC after the change (WEST = UTC+1).
        assert_eq!(fmt_time(Tz::UTC, local_ms(tz, day, 9 * 60)), "08:00");
    }

    #[test]
    fn a_time_inside_the_gap_moves_to_the_end_of_the_gap() {
        let tz: Tz = "America/New_York".parse().expect("zone");
        let day = d(2026, 3, 8);
        // 02:30 does not exist; the clock jumps from 02:00 to 03:00.
        assert_eq!(local_ms(tz, day, 150), local_ms(tz, day, 180));
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
}
