//! My day: a practitioner's own bookings for a day, in order, each with the
//! person's card (alerts, remembered incidents, this visit's tasks, notes) —
//! and what was done at their last visit — what they read between visits on
//! the operatory computer. "Mine" is every
//! booking that holds a provider column linked to the signed-in member.
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::care::arrival::{self, ArrivalCard, GetArrivalCard};
use crate::error::{CoreError, CoreResult};
use crate::ids::ResourceId;
use crate::instant::{Instant, LocalDate};
use crate::scheduling::bookings::{self, Booking, ListBookings};
use crate::scheduling::desk_day::desk_day;
use crate::setup::practice;
use crate::time::{fmt_day, local_ms};

/// `get_my_day`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct GetMyDay {
    /// The local day; left out, today, or the next open day when the practice
    /// is closed all of today.
    #[serde(default)]
    pub date: Option<LocalDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct MyVisit {
    pub booking: Booking,
    pub card: ArrivalCard,
    /// Their visit before this one: "Tue 7 Apr · Check-up · Dr Okafor".
    pub last_visit: Option<String>,
    /// What was written on it.
    pub last_visit_notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct MyDay {
    pub date: LocalDate,
    /// Today at the practice (its clock).
    pub today: LocalDate,
    /// Why the practice is closed today ("Closed on Sundays"), when the day
    /// was left out and this is the next open day instead.
    pub closed_today: Option<String>,
    /// The calendar columns that are this member ("Dr Lind"); empty when none is.
    pub providers: Vec<String>,
    /// In order of their start; cancelled ones left out, no-shows kept.
    pub visits: Vec<MyVisit>,
}

pub fn get(ctx: &ReadCtx<'_>, req: GetMyDay) -> CoreResult<MyDay> {
    let p = practice::require(ctx)?;
    let tz = p.tz();
    let desk = desk_day(ctx, &p)?;
    let (day, closed_today) = match req.date {
        Some(d) => (d.date(), None),
        None => (desk.opens_on.date(), desk.closed_today),
    };
    let date = LocalDate::new(day)
        .ok_or_else(|| CoreError::invalid("date", "That day is out of range."))?;
    let me = ctx.actor.staff_id;
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id, name FROM resources WHERE kind = 'provider' AND archived = 0 AND staff_id IS ?1 AND ?1 IS NOT NULL
          ORDER BY sort_order, id",
    )?;
    let mine: Vec<(ResourceId, String)> = stmt
        .query_map(params![me], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut visits = Vec::new();
    if !mine.is_empty() {
        let from = local_ms(tz, day, 0);
        let to = local_ms(tz, day.succ_opt().unwrap_or(day), 0);
        let (Some(from_ms), Some(to_ms)) = (Instant::new(from), Instant::new(to)) else {
            return Err(CoreError::invalid("date", "That day is out of range."));
        };
        let all = bookings::list(
            ctx,
            ListBookings {
                from_ms,
                to_ms,
                include_cancelled: true,
            },
        )?;
        for b in all {
            let held = b
                .resource_ids
                .iter()
                .any(|r| mine.iter().any(|m| m.0 == *r));
            let cancelled = b.status == crate::scheduling::status::BookingStatus::Cancelled;
            if !held || cancelled || b.starts_at_ms < from {
                continue;
            }
            let card = arrival::get(ctx, GetArrivalCard { booking_id: b.id })?;
            let (last_visit, last_visit_notes) = match b.person_id {
                Some(person) => match arrival::previous_booking(ctx, person, b.starts_at_ms, b.id)?
                {
                    Some(id) => last_words(ctx, tz, id)?,
                    None => (None, String::new()),
                },
                None => (None, String::new()),
            };
            visits.push(MyVisit {
                booking: b,
                card,
                last_visit,
                last_visit_notes,
            });
        }
    }
    Ok(MyDay {
        date,
        today: desk.today,
        closed_today: closed_today.filter(|_| desk.opens_on != desk.today),
        providers: mine.into_iter().map(|m| m.1).collect(),
        visits,
    })
}

/// A visit in a line, with its notes.
fn last_words(
    ctx: &ReadCtx<'_>,
    tz: chrono_tz::Tz,
    id: crate::ids::BookingId,
) -> CoreResult<(Option<String>, String)> {
    let (start, type_name, notes, provider): (i64, String, String, Option<String>) =
        ctx.tx.query_row(
            "SELECT b.starts_at_ms, t.name, b.notes,
                (SELECT r.name FROM booking_resources br JOIN resources r ON r.id = br.resource_id
                  WHERE br.booking_id = b.id AND r.kind = 'provider' LIMIT 1)
           FROM bookings b JOIN appointment_types t ON t.id = b.type_id WHERE b.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    let with = provider.map(|p| format!(" · {p}")).unwrap_or_default();
    Ok((
        Some(format!("{} · {type_name}{with}", fmt_day(tz, start))),
        notes,
    ))
}
