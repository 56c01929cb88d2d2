//! The practice's clock as the screens need it: now, today in the practice's
//! zone, and the day the desk's calendar opens on. On a day the practice is
//! closed all day (a weekday without hours, or a practice-wide closure such as
//! a holiday) the calendar opens on the next day it is open, and says why;
//! screens never work out opening days themselves.
use chrono::{Days, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::instant::LocalDate;
use crate::scheduling::hours::open_intervals;
use crate::setup::blocks::{self, Block};
use crate::setup::practice::Practice;
use crate::time::{local_date, local_ms, weekday};

/// How far ahead the next open day is looked for; past that (a practice
/// closed for the season) the calendar opens on today.
const LOOK_AHEAD_DAYS: u64 = 28;

#[derive(Debug, Clone, Serialize, TS, utoipa::ToSchema)]
pub struct DeskDay {
    /// Now by the practice's clock (UTC epoch milliseconds). Screens count
    /// waiting times and draw "now" from it, not from their own computer's clock.
    #[ts(type = "number")]
    pub now_ms: i64,
    /// Today in the practice's time zone.
    pub today: LocalDate,
    /// The day the calendar opens on: today, or the next open day when the
    /// practice is closed all of today.
    pub opens_on: LocalDate,
    /// Why the practice is closed today, in words ("Closed on Sundays",
    /// "Closed: Christmas"); `None` when it opens today.
    pub closed_today: Option<String>,
}

/// Why `date` is closed all day, or `None` when the practice is open some of it.
/// `closures` are the practice-wide blocks around that day.
fn closed_all_day(p: &Practice, closures: &[Block], date: NaiveDate) -> Option<String> {
    let open = open_intervals(p, date);
    if open.is_empty() {
        return Some(format!(
            "Closed on {}",
            crate::time::weekdays_word(weekday(date))
        ));
    }
    // Open hours, every one of them inside one practice-wide closure.
    let closure = closures.iter().find(|b| {
        open.iter()
            .all(|&(s, e)| b.starts_at_ms <= s && e <= b.ends_at_ms)
    })?;
    Some(if closure.reason.is_empty() {
        "Closed all day".to_owned()
    } else {
        format!("Closed: {}", closure.reason)
    })
}

/// The practice's day as of `ctx.now_ms`.
pub fn desk_day(ctx: &ReadCtx<'_>, p: &Practice) -> CoreResult<DeskDay> {
    let tz = p.tz();
    let today = local_date(tz, ctx.now_ms);
    let last = today + Days::new(LOOK_AHEAD_DAYS);
    let closures: Vec<Block> =
        blocks::overlapping(ctx, local_ms(tz, today, 0), local_ms(tz, last, 1440))?
            .into_iter()
            .filter(|b| b.resource_id.is_none())
            .collect();
    let closed_today = closed_all_day(p, &closures, today);
    let opens_on = match closed_today {
        None => today,
        Some(_) => today
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= last)
            .find(|d| closed_all_day(p, &closures, *d).is_none())
            .unwrap_or(today),
    };
    let date = |d: NaiveDate| {
        LocalDate::new(d).ok_or_else(|| CoreError::Storage("a date out of range".into()))
    };
    Ok(DeskDay {
        now_ms: ctx.now_ms,
        today: date(today)?,
        opens_on: date(opens_on)?,
        closed_today,
    })
}
