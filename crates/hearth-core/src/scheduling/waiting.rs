//! The waiting room and a visit's timeline. Who has arrived and is not yet
//! seated (in treatment), with when they arrived and whether they have waited
//! past the practice's threshold (default 10 minutes); and, for one booking,
//! every step it went through — booked, confirmed, arrived, seated, completed
//! — with when and who, and the arrival-to-seat time.
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::error::CoreResult;
use crate::ids::{BookingId, PersonId};
use crate::scheduling::status::BookingStatus;
use crate::setup::practice;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListWaiting {}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Waiting {
    pub booking_id: BookingId,
    pub person_id: Option<PersonId>,
    pub person_name: String,
    pub type_name: String,
    pub starts_at_ms: i64,
    pub arrived_at_ms: i64,
    /// Their provider or chair, as the desk would say where they are going.
    pub with: String,
    /// Waited past the threshold.
    pub over: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct WaitingRoom {
    pub threshold_minutes: u16,
    /// The practice's now, for the timers (the screen's own clock may differ).
    pub now_ms: i64,
    /// Longest waiting first.
    pub waiting: Vec<Waiting>,
}

pub fn list(ctx: &ReadCtx<'_>, _req: ListWaiting) -> CoreResult<WaitingRoom> {
    let p = practice::require(ctx)?;
    let threshold = i64::from(p.waiting_alert_minutes) * 60_000;
    // Arrived in the last day and not yet seated: a booking left "arrived" from
    // another day is not someone in the room.
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT b.id, b.person_id, b.person_name, t.name, b.starts_at_ms,
                coalesce((SELECT max(at_ms) FROM status_changes c WHERE c.booking_id = b.id AND c.to_status = 'arrived'), b.updated_at_ms),
                coalesce((SELECT group_concat(r.name, ' · ') FROM booking_resources br JOIN resources r ON r.id = br.resource_id
                           WHERE br.booking_id = b.id AND r.kind = 'provider'), '')
           FROM bookings b JOIN appointment_types t ON t.id = b.type_id
          WHERE b.status = 'arrived' AND b.live = 1 AND b.starts_at_ms BETWEEN ?1 - 86400000 AND ?1 + 86400000
          ORDER BY 6, b.id",
    )?;
    let rows = stmt.query_map([ctx.now_ms], |r| {
        let arrived: i64 = r.get(5)?;
        Ok(Waiting {
            booking_id: r.get(0)?,
            person_id: r.get(1)?,
            person_name: r.get(2)?,
            type_name: r.get(3)?,
            starts_at_ms: r.get(4)?,
            arrived_at_ms: arrived,
            with: r.get(6)?,
            over: ctx.now_ms - arrived >= threshold,
        })
    })?;
    Ok(WaitingRoom {
        threshold_minutes: p.waiting_alert_minutes,
        now_ms: ctx.now_ms,
        waiting: rows.collect::<Result<_, _>>()?,
    })
}

/// `booking_timeline`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct BookingTimeline {
    pub booking_id: BookingId,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct TimelineStep {
    pub status: BookingStatus,
    pub at_ms: i64,
    pub by_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Timeline {
    pub steps: Vec<TimelineStep>,
    /// From arrival to being seated (in treatment), when both happened.
    pub arrival_to_seat_minutes: Option<i64>,
    /// From being seated to completed.
    pub seat_to_complete_minutes: Option<i64>,
}

pub fn timeline(ctx: &ReadCtx<'_>, req: BookingTimeline) -> CoreResult<Timeline> {
    let created: Option<(i64, Option<String>)> = ctx
        .tx
        .query_row(
            "SELECT b.created_at_ms, s.name FROM bookings b LEFT JOIN staff s ON s.id = b.created_by WHERE b.id = ?1",
            [req.booking_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    let Some((created_at, created_by)) = created else {
        return Err(crate::error::CoreError::not_found("That booking"));
    };
    let mut steps = vec![TimelineStep {
        status: BookingStatus::Booked,
        at_ms: created_at,
        by_name: created_by,
    }];
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT c.to_status, c.at_ms, s.name FROM status_changes c LEFT JOIN staff s ON s.id = c.by_staff
          WHERE c.booking_id = ?1 ORDER BY c.at_ms, c.id",
    )?;
    let rows = stmt.query_map(params![req.booking_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    for row in rows {
        let (status, at_ms, by_name) = row?;
        if let Ok(status) = BookingStatus::parse(&status) {
            steps.push(TimelineStep {
                status,
                at_ms,
                by_name,
            });
        }
    }
    let last = |s: BookingStatus| steps.iter().rev().find(|x| x.status == s).map(|x| x.at_ms);
    let minutes = |a: Option<i64>, b: Option<i64>| match (a, b) {
        (Some(a), Some(b)) if b >= a => Some((b - a + 30_000) / 60_000),
        _ => None,
    };
    Ok(Timeline {
        arrival_to_seat_minutes: minutes(
            last(BookingStatus::Arrived),
            last(BookingStatus::InTreatment),
        ),
        seat_to_complete_minutes: minutes(
            last(BookingStatus::InTreatment),
            last(BookingStatus::Completed),
        ),
        steps,
    })
}
