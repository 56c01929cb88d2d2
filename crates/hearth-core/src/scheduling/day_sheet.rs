//! The day sheet: a day's bookings as paper — one section per chair or per
//! provider (dental), or arrivals, departures and in-house guests (hotel) —
//! each row with the time, person, phone, type, who or where, notes and
//! alerts in words. The screen prints it; nothing of the app goes on paper.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::ids::{BookingId, PersonId, ResourceId};
use crate::instant::{Instant, LocalDate};
use crate::people::alerts;
use crate::scheduling::bookings::{self, Booking, ListBookings};
use crate::scheduling::status::BookingStatus;
use crate::setup::practice::{self, PracticeKind};
use crate::setup::resources::{self, ListResources, Resource, ResourceKind};
use crate::time::{fmt_time, local_ms};

/// `get_day_sheet`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct GetDaySheet {
    pub date: LocalDate,
    /// Dental: a page per chair (default) or per provider. A hotel's sheet is
    /// always arrivals, departures and in-house.
    #[serde(default)]
    pub by: Option<SheetBy>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SheetBy {
    Chair,
    Provider,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct SheetRow {
    pub booking_id: BookingId,
    /// "09:00–09:30"; a stay: "3 nights, 24–27 Nov".
    pub when: String,
    /// Who it is for (none for a booking without a record yet).
    pub person_id: Option<PersonId>,
    pub person_name: String,
    pub phone: String,
    pub type_name: String,
    /// The provider (on a chair's page), the chair (on a provider's), or the room.
    pub with: String,
    pub status: BookingStatus,
    pub notes: String,
    /// "‼ Allergy: Latex", most serious first.
    pub alerts: Vec<String>,
    /// This visit's or stay's occasions in words ("10th wedding anniversary").
    pub occasions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct SheetSection {
    /// "Chair 1", "Dr Lind", "Arrivals".
    pub title: String,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct DaySheet {
    pub practice_name: String,
    pub date: LocalDate,
    /// "Tuesday 24 November 2026".
    pub date_label: String,
    pub sections: Vec<SheetSection>,
}

fn alert_lines(ctx: &ReadCtx<'_>, b: &Booking) -> CoreResult<Vec<String>> {
    let Some(person) = b.person_id else {
        return Ok(vec![]);
    };
    let mut all = alerts::of(ctx, person)?;
    all.sort_by_key(|a| std::cmp::Reverse(a.severity));
    Ok(all
        .into_iter()
        .map(|a| format!("{} {}: {}", a.severity.mark(), a.kind.label(), a.text))
        .collect())
}

fn names(all: &[Resource], ids: &[ResourceId], kind: ResourceKind) -> String {
    all.iter()
        .filter(|r| r.kind == kind && ids.contains(&r.id))
        .map(|r| r.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn get(ctx: &ReadCtx<'_>, req: GetDaySheet) -> CoreResult<DaySheet> {
    let p = practice::require(ctx)?;
    let tz = p.tz();
    let day = req.date.date();
    let next = day
        .succ_opt()
        .ok_or_else(|| CoreError::invalid("date", "That day is out of range."))?;
    let (Some(from_ms), Some(to_ms)) = (
        Instant::new(local_ms(tz, day, 0)),
        Instant::new(local_ms(tz, next, 0)),
    ) else {
        return Err(CoreError::invalid("date", "That day is out of range."));
    };
    let all = resources::list(ctx, ListResources::default())?;
    let booked: Vec<Booking> = bookings::list(
        ctx,
        ListBookings {
            from_ms,
            to_ms,
            include_cancelled: false,
        },
    )?;
    let row = |b: &Booking, when: String, with: String| -> CoreResult<SheetRow> {
        Ok(SheetRow {
            booking_id: b.id,
            when,
            person_id: b.person_id,
            person_name: b.person_name.clone(),
            phone: b.person_phone.clone(),
            type_name: b.type_name.clone(),
            with,
            status: b.status,
            notes: b.notes.clone(),
            alerts: alert_lines(ctx, b)?,
            occasions: b
                .occasions
                .iter()
                .map(|o| {
                    if o.text.is_empty() {
                        o.kind.as_str().replace('_', " ")
                    } else {
                        o.text.clone()
                    }
                })
                .collect(),
        })
    };
    let mut sections = Vec::new();
    match p.kind {
        PracticeKind::Dental => {
            let (page, other) = match req.by.unwrap_or(SheetBy::Chair) {
                SheetBy::Chair => (ResourceKind::Chair, ResourceKind::Provider),
                SheetBy::Provider => (ResourceKind::Provider, ResourceKind::Chair),
            };
            for r in all.iter().filter(|r| r.kind == page) {
                let mut rows = Vec::new();
                for b in booked.iter().filter(|b| b.resource_ids.contains(&r.id)) {
                    let when = format!(
                        "{}–{}",
                        fmt_time(p.clock(), b.starts_at_ms),
                        fmt_time(p.clock(), b.ends_at_ms)
                    );
                    rows.push(row(b, when, names(&all, &b.resource_ids, other))?);
                }
                if !rows.is_empty() {
                    sections.push(SheetSection {
                        title: r.name.clone(),
                        rows,
                    });
                }
            }
        }
        PracticeKind::Hotel => {
            let today = req.date.date().to_string();
            let mut arrivals = Vec::new();
            let mut departures = Vec::new();
            let mut staying = Vec::new();
            for b in &booked {
                let (Some(a), Some(d)) = (b.arrival_date.as_deref(), b.departure_date.as_deref())
                else {
                    continue;
                };
                let room = names(&all, &b.resource_ids, ResourceKind::Room);
                let nights = stay_words(a, d);
                if a == today {
                    arrivals.push(row(b, nights, room)?);
                } else if d == today {
                    departures.push(row(b, nights, room)?);
                } else if a < today.as_str() && today.as_str() < d {
                    staying.push(row(b, nights, room)?);
                }
            }
            for (title, mut rows) in [
                ("Arrivals", arrivals),
                ("Departures", departures),
                ("In house", staying),
            ] {
                rows.sort_by(|x, y| x.with.cmp(&y.with));
                sections.push(SheetSection {
                    title: title.into(),
                    rows,
                });
            }
        }
    }
    Ok(DaySheet {
        practice_name: p.name.clone(),
        date: req.date,
        date_label: day.format("%A %-d %B %Y").to_string(),
        sections,
    })
}

/// "3 nights, 24–27 Nov" from stored arrival and departure days.
fn stay_words(arrival: &str, departure: &str) -> String {
    let parse = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    match (parse(arrival), parse(departure)) {
        (Some(a), Some(d)) => {
            let n = (d - a).num_days();
            format!(
                "{n} night{}, {} – {}",
                if n == 1 { "" } else { "s" },
                a.format("%a %-d %b"),
                d.format("%a %-d %b")
            )
        }
        _ => String::new(),
    }
}
