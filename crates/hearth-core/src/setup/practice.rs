//! The practice: its kind (dental | hotel), name, IANA time zone, slot
//! granularity, hotel check-in/out times and weekly opening hours with breaks.
//! Setting a new practice up is `setup::starter`'s.
use chrono_tz::Tz;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::request;
use crate::setup::clean_text;
use crate::time::Clock;

pub use crate::kind::PracticeKind;

/// A 24-hour clock ("14:30") or a 12-hour one ("2:30 pm"), in every field and word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub enum TimeFormat {
    #[serde(rename = "24h")]
    H24,
    #[serde(rename = "12h")]
    H12,
}

stored_enum!(TimeFormat, H24 { H24 = "24h", H12 = "12h" });

/// The order of day, month and year in a date written as numbers: 24/11/2026,
/// 11/24/2026 or 2026-11-24.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    Dmy,
    Mdy,
    Ymd,
}

stored_enum!(DateOrder, Dmy { Dmy = "dmy", Mdy = "mdy", Ymd = "ymd" });

/// Minutes after local midnight, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct MinuteRange {
    #[schema(minimum = 0, maximum = 1440)]
    pub start: u16,
    #[schema(minimum = 0, maximum = 1440)]
    pub end: u16,
}

/// One open weekday: `weekday` 0 = Monday … 6 = Sunday. A weekday not listed is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct DayHours {
    #[schema(minimum = 0, maximum = 6)]
    pub weekday: u8,
    #[schema(minimum = 0, maximum = 1440)]
    pub opens: u16,
    #[schema(minimum = 0, maximum = 1440)]
    pub closes: u16,
    #[serde(default, deserialize_with = "request::objects")]
    pub breaks: Vec<MinuteRange>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Practice {
    pub kind: PracticeKind,
    pub name: String,
    pub time_zone: String,
    pub slot_minutes: u8,
    pub check_in_minute: u16,
    pub check_out_minute: u16,
    /// How many minutes before a booking's start its arrival (or check-in) may
    /// be marked; never before the booking's own local day.
    pub early_arrival_minutes: u16,
    /// Minutes without use before a screen locks (and its session expires).
    pub idle_lock_minutes: u16,
    /// How many days before a visit or stay an important date (a birthday,
    /// an anniversary) still makes it an occasion.
    pub occasion_lead_days: u16,
    /// Minutes in the waiting room before the desk is told.
    pub waiting_alert_minutes: u16,
    /// ISO country code ("GB"): phone numbers typed without + belong to it.
    /// Empty: numbers are kept as typed.
    pub country: String,
    /// The demo practice: every password is "demo".
    pub demo: bool,
    /// How times and numeric dates are written, whatever the computer's own settings.
    pub time_format: TimeFormat,
    pub date_order: DateOrder,
    pub opening_hours: Vec<DayHours>,
    pub version: i64,
}

impl Practice {
    pub fn tz(&self) -> Tz {
        // Validated on write; a hand-edited file falls back to UTC rather than failing every read.
        self.time_zone.parse().unwrap_or(Tz::UTC)
    }
    /// How this practice writes times (its zone and clock), for the core's own words.
    pub fn clock(&self) -> Clock {
        Clock {
            tz: self.tz(),
            twelve_hour: self.time_format == TimeFormat::H12,
        }
    }
    pub fn hours_for(&self, weekday: u8) -> Option<&DayHours> {
        self.opening_hours.iter().find(|d| d.weekday == weekday)
    }
}

/// `practice_status`: whether a practice exists yet (first run shows setup).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct GetPractice {}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct PracticeStatus {
    pub practice: Option<Practice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct UpdatePractice {
    pub expected_version: i64,
    pub name: String,
    pub time_zone: String,
    #[schema(minimum = 5, maximum = 15, multiple_of = 5)]
    pub slot_minutes: u8,
    #[schema(minimum = 0, maximum = 1439)]
    pub check_in_minute: u16,
    #[schema(minimum = 0, maximum = 1439)]
    pub check_out_minute: u16,
    /// Left out: unchanged.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1440)]
    pub early_arrival_minutes: Option<u16>,
    /// Left out: unchanged.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 240)]
    pub idle_lock_minutes: Option<u16>,
    /// Left out: unchanged.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 60)]
    pub occasion_lead_days: Option<u16>,
    /// Left out: unchanged; empty: none.
    #[serde(default)]
    pub country: Option<String>,
    /// Left out: unchanged.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 120)]
    pub waiting_alert_minutes: Option<u16>,
    /// Left out: unchanged.
    #[serde(default)]
    pub time_format: Option<TimeFormat>,
    /// Left out: unchanged.
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    #[serde(deserialize_with = "request::objects")]
    pub opening_hours: Vec<DayHours>,
}

pub fn parse_tz(s: &str) -> CoreResult<Tz> {
    s.trim().parse::<Tz>().map_err(|_| {
        CoreError::invalid(
            "time_zone",
            format!(
                "\"{}\" is not a time zone Hearth knows. Use a name like Europe/Lisbon.",
                truncate(s, 60)
            ),
        )
    })
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

pub(crate) fn check_slot_minutes(v: u8) -> CoreResult<u8> {
    if [5, 10, 15].contains(&v) {
        Ok(v)
    } else {
        Err(CoreError::invalid(
            "slot_minutes",
            "The booking grid must be 5, 10 or 15 minutes.",
        ))
    }
}

fn check_minute(field: &str, v: u16) -> CoreResult<u16> {
    if v < 1440 {
        Ok(v)
    } else {
        Err(CoreError::invalid(
            field,
            "A time of day must be between 00:00 and 23:59.",
        ))
    }
}

pub fn check_hours(hours: &[DayHours]) -> CoreResult<()> {
    let mut seen = [false; 7];
    for d in hours {
        if d.weekday > 6 {
            return Err(CoreError::invalid(
                "opening_hours",
                "Weekdays run from 0 (Monday) to 6 (Sunday).",
            ));
        }
        if std::mem::replace(&mut seen[d.weekday as usize], true) {
            return Err(CoreError::invalid(
                "opening_hours",
                "Each weekday can be listed once.",
            ));
        }
        if d.opens >= d.closes || d.closes > 1440 {
            return Err(CoreError::invalid(
                "opening_hours",
                "Closing time must be after opening time.",
            ));
        }
        for b in &d.breaks {
            if b.start >= b.end || b.start < d.opens || b.end > d.closes {
                return Err(CoreError::invalid(
                    "opening_hours",
                    "A break must start before it ends and lie inside opening hours.",
                ));
            }
        }
    }
    Ok(())
}

/// How early an arrival may be marked by default: two hours before an
/// appointment; a hotel guest any time on the arrival date.
pub fn default_early_arrival(kind: PracticeKind) -> u16 {
    match kind {
        PracticeKind::Dental => 120,
        PracticeKind::Hotel => 1440,
    }
}

/// Mon–Fri 08:00–17:00 with a 12:00–13:00 lunch break.
pub fn default_hours() -> Vec<DayHours> {
    (0..5)
        .map(|w| DayHours {
            weekday: w,
            opens: 480,
            closes: 1020,
            breaks: vec![MinuteRange {
                start: 720,
                end: 780,
            }],
        })
        .collect()
}

pub fn load(ctx: &ReadCtx<'_>) -> CoreResult<Option<Practice>> {
    let row = ctx
        .tx
        .query_row(
            "SELECT kind, name, time_zone, slot_minutes, check_in_minute, check_out_minute, version, early_arrival_minutes, idle_lock_minutes, demo, occasion_lead_days, country, waiting_alert_minutes, time_format, date_order FROM practice WHERE id = 1",
            [],
            |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?, (r.get::<_, String>(13)?, r.get::<_, String>(14)?))),
        )
        .optional()?;
    let Some((
        kind,
        name,
        time_zone,
        slot_minutes,
        check_in_minute,
        check_out_minute,
        version,
        early_arrival_minutes,
        idle_lock_minutes,
        demo,
        occasion_lead_days,
        country,
        waiting_alert_minutes,
        (time_format, date_order),
    )) = row
    else {
        return Ok(None);
    };
    let mut hours: Vec<DayHours> = ctx
        .tx
        .prepare_cached(
            "SELECT weekday, opens_minute, closes_minute FROM opening_hours ORDER BY weekday",
        )?
        .query_map([], |r| {
            Ok(DayHours {
                weekday: r.get(0)?,
                opens: r.get(1)?,
                closes: r.get(2)?,
                breaks: vec![],
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = ctx.tx.prepare_cached("SELECT weekday, starts_minute, ends_minute FROM opening_breaks ORDER BY weekday, starts_minute")?;
    for b in stmt.query_map([], |r| {
        Ok((
            r.get::<_, u8>(0)?,
            MinuteRange {
                start: r.get(1)?,
                end: r.get(2)?,
            },
        ))
    })? {
        let (w, range) = b?;
        if let Some(d) = hours.iter_mut().find(|d| d.weekday == w) {
            d.breaks.push(range);
        }
    }
    Ok(Some(Practice {
        kind: PracticeKind::parse(&kind)?,
        name,
        time_zone,
        slot_minutes,
        check_in_minute,
        check_out_minute,
        early_arrival_minutes,
        idle_lock_minutes,
        occasion_lead_days,
        country,
        waiting_alert_minutes,
        demo,
        time_format: TimeFormat::parse(&time_format),
        date_order: DateOrder::parse(&date_order),
        opening_hours: hours,
        version,
    }))
}

/// The practice, or a clear error when setup has not happened yet.
pub fn require(ctx: &ReadCtx<'_>) -> CoreResult<Practice> {
    load(ctx)?.ok_or_else(|| CoreError::NotSetUp {
        message:
            "This practice has not been set up yet. Open the demo or set up your practice first."
                .into(),
    })
}

pub(crate) fn write_hours(ctx: &Ctx<'_>, hours: &[DayHours]) -> CoreResult<()> {
    ctx.tx.execute("DELETE FROM opening_breaks", [])?;
    ctx.tx.execute("DELETE FROM opening_hours", [])?;
    for d in hours {
        ctx.tx.execute(
            "INSERT INTO opening_hours (weekday, opens_minute, closes_minute) VALUES (?1, ?2, ?3)",
            params![d.weekday, d.opens, d.closes],
        )?;
        for b in &d.breaks {
            ctx.tx.execute(
                "INSERT INTO opening_breaks (weekday, starts_minute, ends_minute) VALUES (?1, ?2, ?3)",
                params![d.weekday, b.start, b.end],
            )?;
        }
    }
    Ok(())
}

pub fn get(ctx: &ReadCtx<'_>, _req: GetPractice) -> CoreResult<PracticeStatus> {
    Ok(PracticeStatus {
        practice: load(ctx)?,
    })
}

pub fn update(ctx: &mut Ctx<'_>, req: UpdatePractice) -> CoreResult<Practice> {
    let current = require(ctx)?;
    if current.version != req.expected_version {
        return Err(CoreError::Stale { message: "The practice settings were changed on another desk. Reload them and make your change again.".into() });
    }
    let name = clean_text("name", "The practice name", &req.name, 120, true)?;
    let tz = parse_tz(&req.time_zone)?;
    let slot = check_slot_minutes(req.slot_minutes)?;
    check_minute("check_in_minute", req.check_in_minute)?;
    check_minute("check_out_minute", req.check_out_minute)?;
    check_hours(&req.opening_hours)?;
    let early = req
        .early_arrival_minutes
        .unwrap_or(current.early_arrival_minutes);
    let idle = req.idle_lock_minutes.unwrap_or(current.idle_lock_minutes);
    if !(1..=240).contains(&idle) {
        return Err(CoreError::invalid(
            "idle_lock_minutes",
            "Lock the screen after 1 to 240 minutes without use.",
        ));
    }
    let lead = req.occasion_lead_days.unwrap_or(current.occasion_lead_days);
    if lead > 60 {
        return Err(CoreError::invalid(
            "occasion_lead_days",
            "An important date counts at most 60 days before a visit.",
        ));
    }
    let country = match &req.country {
        Some(c) => check_country(c)?,
        None => current.country.clone(),
    };
    let waiting = req
        .waiting_alert_minutes
        .unwrap_or(current.waiting_alert_minutes);
    if !(1..=120).contains(&waiting) {
        return Err(CoreError::invalid(
            "waiting_alert_minutes",
            "Tell the desk after 1 to 120 minutes of waiting.",
        ));
    }
    if early > 1440 {
        return Err(CoreError::invalid(
            "early_arrival_minutes",
            "Arrivals can be marked at most a day (1440 minutes) before the start.",
        ));
    }
    let time_format = req.time_format.unwrap_or(current.time_format);
    let date_order = req.date_order.unwrap_or(current.date_order);
    ctx.tx.execute(
        "UPDATE practice SET name = ?1, time_zone = ?2, slot_minutes = ?3, check_in_minute = ?4, check_out_minute = ?5,
                early_arrival_minutes = ?8, idle_lock_minutes = ?9, occasion_lead_days = ?10, country = ?11, waiting_alert_minutes = ?12,
                time_format = ?13, date_order = ?14, version = version + 1, updated_at_ms = ?6, updated_by = ?7 WHERE id = 1",
        params![name, tz.name(), slot, req.check_in_minute, req.check_out_minute, ctx.now_ms, ctx.actor.staff_id, early, idle, lead, country, waiting,
            time_format.as_str(), date_order.as_str()],
    )?;
    write_hours(ctx, &req.opening_hours)?;
    ctx.changed(topics::PRACTICE_CHANGED, 1);
    require(ctx)
}

/// Writes the practice row and its hours (a new practice; `starter` checks first).
pub(crate) fn insert(
    ctx: &Ctx<'_>,
    kind: PracticeKind,
    name: &str,
    tz: Tz,
    slot_minutes: u8,
    hours: &[DayHours],
) -> CoreResult<()> {
    ctx.tx.execute(
        "INSERT INTO practice (id, kind, name, time_zone, slot_minutes, early_arrival_minutes, updated_at_ms) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![kind.as_str(), name, tz.name(), slot_minutes, default_early_arrival(kind), ctx.now_ms],
    )?;
    write_hours(ctx, hours)
}

/// A country code for phone numbers ("GB"), or empty for none.
pub(crate) fn check_country(c: &str) -> CoreResult<String> {
    let c = c.trim().to_ascii_uppercase();
    if c.is_empty() || crate::people::phones::region(&c).is_some() {
        Ok(c)
    } else {
        Err(CoreError::invalid(
            "country",
            format!(
                "\"{}\" is not a country code Hearth knows. Use two letters, like GB or PT.",
                truncate(&c, 10)
            ),
        ))
    }
}

/// Sets the practice's country (a new practice; `starter` checks it first).
pub(crate) fn set_country(ctx: &Ctx<'_>, country: &str) -> CoreResult<()> {
    ctx.tx
        .execute("UPDATE practice SET country = ?1 WHERE id = 1", [country])?;
    Ok(())
}

/// Marks the practice as the demo (its sign-in screen then says the password).
pub(crate) fn mark_demo(ctx: &mut Ctx<'_>) -> CoreResult<()> {
    ctx.tx
        .execute("UPDATE practice SET demo = 1 WHERE id = 1", [])?;
    ctx.changed(topics::PRACTICE_CHANGED, 1);
    Ok(())
}

/// A dental practice with the default week, in `tz`: the unit tests' practice.
#[cfg(test)]
pub(crate) fn test_practice(tz: &str) -> Practice {
    Practice {
        kind: PracticeKind::Dental,
        name: "Test".into(),
        time_zone: tz.into(),
        slot_minutes: 15,
        check_in_minute: 900,
        check_out_minute: 660,
        early_arrival_minutes: 120,
        idle_lock_minutes: 10,
        occasion_lead_days: 7,
        country: String::new(),
        waiting_alert_minutes: 10,
        demo: false,
        time_format: TimeFormat::H24,
        date_order: DateOrder::Dmy,
        opening_hours: default_hours(),
        version: 1,
    }
}
