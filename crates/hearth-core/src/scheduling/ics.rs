//! Bookings as iCalendar (RFC 5545): the events are built with the
//! `icalendar` crate, each appointment's start and end in the practice's
//! zone with its `TZID` (so a phone shows 09:00 on both sides of a change of
//! clocks), a stay as whole days from arrival to departure; and the zone's
//! `VTIMEZONE`, which RFC 5545 asks for beside every `TZID`, is written here
//! from the zone's own changes of offset over the years the events cover.
use chrono::{Datelike, NaiveDate, Offset, TimeZone};
use chrono_tz::{OffsetComponents, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};

use crate::time::to_local;

/// One event, as the feed or the file gives it.
pub struct IcsEvent {
    /// Stable across refreshes: the booking's id.
    pub uid: String,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub when: IcsWhen,
    /// When the booking last changed (`DTSTAMP`/`LAST-MODIFIED`).
    pub changed_ms: i64,
    pub cancelled: bool,
}

pub enum IcsWhen {
    Timed {
        starts_ms: i64,
        ends_ms: i64,
    },
    /// A stay: from the arrival day to the departure day.
    Days {
        from: NaiveDate,
        to: NaiveDate,
    },
}

fn utc(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .timestamp_millis_opt(ms)
        .single()
        .unwrap_or_default()
}

fn in_zone(tz: Tz, ms: i64) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: to_local(tz, ms).naive_local(),
        tzid: tz.name().to_owned(),
    }
}

/// A calendar of `events` named `name`, in the zone `tz`.
pub fn calendar(name: &str, tz: Tz, events: &[IcsEvent]) -> String {
    let mut cal = Calendar::new();
    cal.name(name).timezone(tz.name());
    let mut years: Option<(i32, i32)> = None;
    for e in events {
        let mut ev = Event::new();
        ev.uid(&e.uid)
            .summary(&e.summary)
            .timestamp(utc(e.changed_ms))
            .add_property(
                "LAST-MODIFIED",
                utc(e.changed_ms).format("%Y%m%dT%H%M%SZ").to_string(),
            );
        if !e.location.is_empty() {
            ev.location(&e.location);
        }
        if !e.description.is_empty() {
            ev.description(&e.description);
        }
        if e.cancelled {
            ev.status(icalendar::EventStatus::Cancelled);
        }
        let (first, last) = match e.when {
            IcsWhen::Timed { starts_ms, ends_ms } => {
                ev.starts(in_zone(tz, starts_ms)).ends(in_zone(tz, ends_ms));
                (to_local(tz, starts_ms).year(), to_local(tz, ends_ms).year())
            }
            IcsWhen::Days { from, to } => {
                ev.starts(from).ends(to);
                (from.year(), to.year())
            }
        };
        years = Some(years.map_or((first, last), |(a, b)| (a.min(first), b.max(last))));
        cal.push(ev.done());
    }
    let text = cal.done().to_string();
    // The zone's definition goes before the first event (or the end).
    let zone = vtimezone(tz, years.unwrap_or((2026, 2026)));
    match text
        .find("BEGIN:VEVENT")
        .or_else(|| text.find("END:VCALENDAR"))
    {
        Some(at) => format!("{}{}{}", &text[..at], zone, &text[at..]),
        None => text,
    }
}

/// The offset of `tz` at `ms`, in seconds, and whether it is summer time.
fn offset_at(tz: Tz, ms: i64) -> (i32, bool, String) {
    let t = tz.timestamp_millis_opt(ms).single().unwrap_or_else(|| {
        tz.timestamp_millis_opt(0)
            .single()
            .unwrap_or_else(|| tz.from_utc_datetime(&chrono::NaiveDateTime::default()))
    });
    let o = t.offset();
    (
        o.fix().local_minus_utc(),
        !o.dst_offset().is_zero(),
        o.to_string(),
    )
}

fn hhmm(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// `VTIMEZONE` for `tz` over `years` (a year either side): one
/// `STANDARD`/`DAYLIGHT` part for each change of offset, found by the hour
/// and then to the minute; a zone that never changes has one `STANDARD`.
fn vtimezone(tz: Tz, (first, last): (i32, i32)) -> String {
    const HOUR: i64 = 3_600_000;
    let start = NaiveDate::from_ymd_opt(first - 1, 1, 1)
        .map(|d| {
            d.and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc()
                .timestamp_millis()
        })
        .unwrap_or(0);
    let end = NaiveDate::from_ymd_opt(last + 2, 1, 1)
        .map(|d| {
            d.and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc()
                .timestamp_millis()
        })
        .unwrap_or(start);
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    let mut parts = 0;
    let mut before = offset_at(tz, start);
    let mut t = start;
    while t < end {
        let next = offset_at(tz, t + HOUR);
        if next.0 != before.0 || next.1 != before.1 {
            // The change lies in (t, t + 1h]: find its minute.
            let mut at = t;
            while at < t + HOUR && offset_at(tz, at).0 == before.0 {
                at += 60_000;
            }
            let wall = chrono::DateTime::from_timestamp_millis(at + i64::from(before.0) * 1000)
                .map(|d| d.naive_utc())
                .unwrap_or_default();
            let kind = if next.1 { "DAYLIGHT" } else { "STANDARD" };
            out.push_str(&format!(
                "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nTZNAME:{}\r\nEND:{kind}\r\n",
                wall.format("%Y%m%dT%H%M%S"),
                hhmm(before.0),
                hhmm(next.0),
                next.2
            ));
            parts += 1;
            before = next;
        }
        t += HOUR;
    }
    if parts == 0 {
        out.push_str(&format!(
            "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:{o}\r\nTZOFFSETTO:{o}\r\nTZNAME:{}\r\nEND:STANDARD\r\n",
            before.2,
            o = hhmm(before.0)
        ));
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_changes_twice_a_year_and_utc_never() {
        let z = vtimezone(chrono_tz::Europe::London, (2027, 2027));
        assert!(z.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270328T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\n"), "{z}");
        assert!(z.contains("BEGIN:STANDARD\r\nDTSTART:20271031T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\n"), "{z}");
        assert_eq!(z.matches("BEGIN:DAYLIGHT").count(), 3, "2026, 2027, 2028");
        let u = vtimezone(chrono_tz::UTC, (2027, 2027));
        assert!(u.contains("TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000"), "{u}");
        let k = vtimezone(chrono_tz::Asia::Kolkata, (2027, 2027));
        assert!(k.contains("TZOFFSETTO:+0530"), "{k}");
    }

    #[test]
    fn an_event_keeps_its_wall_time_with_its_zone() {
        let tz = chrono_tz::Europe::London;
        let starts = crate::time::local_ms(
            tz,
            NaiveDate::from_ymd_opt(2027, 3, 29).unwrap_or_default(),
            9 * 60,
        );
        let text = calendar(
            "Dr Lind",
            tz,
            &[IcsEvent {
                uid: "booking-7@hearth".into(),
                summary: "Check-up, A. S.".into(),
                location: "Chair 1".into(),
                description: String::new(),
                when: IcsWhen::Timed {
                    starts_ms: starts,
                    ends_ms: starts + 1_800_000,
                },
                changed_ms: starts - 86_400_000,
                cancelled: false,
            }],
        );
        assert!(
            text.contains("DTSTART;TZID=Europe/London:20270329T090000"),
            "{text}"
        );
        assert!(
            text.contains("DTEND;TZID=Europe/London:20270329T093000"),
            "{text}"
        );
        assert!(
            text.find("BEGIN:VTIMEZONE") < text.find("BEGIN:VEVENT"),
            "{text}"
        );
    }
}
