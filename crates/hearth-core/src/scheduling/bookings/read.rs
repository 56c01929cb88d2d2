//! The booking as the screens read it: one query (`SELECT`) for one
//! booking, a range for the calendar, with each booking's type, resources,
//! person's most serious alert, a hotel guest's other rooms, and the status
//! clock (what may happen to it now).
use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::ids::{AppointmentTypeId, BookingId, PersonId, ResourceId};
use crate::instant::{Instant, Span, MINUTE_MS};
use crate::intervals::max_length_ms;
use crate::people::alerts::AlertSeverity;
use crate::scheduling::occasions::{self, Occasion};
use crate::scheduling::status::{next_statuses_now, BookingStatus, StatusClock};
use crate::setup::practice::{self, Practice, PracticeKind};
use crate::time::{local_date, local_ms};
use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Booking {
    pub id: BookingId,
    pub person_name: String,
    pub person_phone: String,
    /// The patient or guest (every booking has one since schema v5).
    pub person_id: Option<PersonId>,
    /// Their most serious alert, for the badge on the calendar.
    pub alert: Option<AlertSeverity>,
    /// What this visit or stay is for beyond the appointment (live ones).
    pub occasions: Vec<Occasion>,
    /// Their person has an incident from an earlier visit to remember.
    pub remembered: bool,
    pub type_id: AppointmentTypeId,
    pub type_name: String,
    pub colour: String,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    /// Hotel stays: the local arrival and departure dates.
    pub arrival_date: Option<String>,
    pub departure_date: Option<String>,
    pub status: BookingStatus,
    /// What the booking can move to next (not counting cancel).
    pub next_statuses: Vec<BookingStatus>,
    pub notes: String,
    pub resource_ids: Vec<ResourceId>,
    pub cancel_reason: Option<String>,
    /// Booked outside hours or over blocked time by an explicit override.
    pub overridden: bool,
    /// The same guest's other rooms over these nights (a family in two rooms,
    /// booked on purpose), for the mark on the stay.
    pub also_rooms: Vec<String>,
    pub version: i64,
    pub updated_at_ms: i64,
    pub updated_by_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct GetBooking {
    pub id: BookingId,
}

/// Bookings overlapping `[from_ms, to_ms)`: the day, week or tape-chart view.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListBookings {
    pub from_ms: Instant,
    pub to_ms: Instant,
    #[serde(default)]
    pub include_cancelled: bool,
}

pub(super) const SELECT: &str = concat!("SELECT b.id, b.person_name, b.person_phone, b.type_id, t.name, t.colour, b.starts_at_ms, b.ends_at_ms,
        b.arrival_date, b.departure_date, b.status, b.notes,
        (SELECT group_concat(resource_id) FROM booking_resources WHERE booking_id = b.id),
        b.cancel_reason, b.override_by IS NOT NULL, b.version, b.updated_at_ms, s.name, b.person_id, ",
        most_serious_alert_sql!("b.person_id"), ",
        EXISTS (SELECT 1 FROM incidents i JOIN bookings ib ON ib.id = i.booking_id
                 WHERE i.person_id = b.person_id AND i.remember = 1 AND i.booking_id <> b.id AND ib.starts_at_ms < b.starts_at_ms),
        (SELECT group_concat(r.name, ', ') FROM bookings o JOIN booking_resources obr ON obr.booking_id = o.id
           JOIN resources r ON r.id = obr.resource_id
          WHERE o.person_id = b.person_id AND o.id <> b.id AND o.live = 1 AND r.kind = 'room'
            AND o.starts_at_ms < b.ends_at_ms AND o.ends_at_ms > b.starts_at_ms
            -- Bounded below by the longest stay (LONGEST_STAY_MS), so the index on
            -- (person_id, starts_at_ms) reads a year of the person's bookings, not ten.
            AND o.starts_at_ms > b.starts_at_ms - 31708800000)
   FROM bookings b JOIN appointment_types t ON t.id = b.type_id LEFT JOIN staff s ON s.id = b.updated_by");

/// The longest stay, as the booking list's other-room subquery bounds it (in SELECT's text).
#[cfg(test)]
pub(super) const LONGEST_STAY_MS: i64 = 31_708_800_000;

pub(super) struct Raw {
    b: Booking,
    status: String,
}

pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Raw> {
    let ids: Option<String> = r.get(12)?;
    let status: String = r.get(10)?;
    Ok(Raw {
        b: Booking {
            id: r.get(0)?,
            person_name: r.get(1)?,
            person_phone: r.get(2)?,
            type_id: r.get(3)?,
            type_name: r.get(4)?,
            colour: r.get(5)?,
            starts_at_ms: r.get(6)?,
            ends_at_ms: r.get(7)?,
            arrival_date: r.get(8)?,
            departure_date: r.get(9)?,
            status: BookingStatus::Booked,
            next_statuses: vec![],
            notes: r.get(11)?,
            resource_ids: ids
                .unwrap_or_default()
                .split(',')
                .filter_map(|s| s.parse().ok().map(ResourceId))
                .collect(),
            cancel_reason: r.get(13)?,
            overridden: r.get(14)?,
            version: r.get(15)?,
            updated_at_ms: r.get(16)?,
            updated_by_name: r.get(17)?,
            person_id: r.get(18)?,
            occasions: vec![],
            remembered: r.get(20)?,
            also_rooms: r
                .get::<_, Option<String>>(21)?
                .map(|s| s.split(", ").map(str::to_owned).collect())
                .unwrap_or_default(),
            alert: r.get::<_, Option<i64>>(19)?.map(AlertSeverity::from_rank),
        },
        status,
    })
}

pub(super) fn finish(p: &Practice, now_ms: i64, raw: Raw) -> CoreResult<Booking> {
    let mut b = raw.b;
    b.status = BookingStatus::parse(&raw.status)?;
    b.next_statuses = next_statuses_now(p.kind, b.status, &status_clock(p, now_ms, &b));
    b.resource_ids.sort_unstable();
    Ok(b)
}

/// The clock's say on a booking's status changes (see [`StatusClock`]).
pub(super) fn status_clock(p: &Practice, now_ms: i64, b: &Booking) -> StatusClock {
    let tz = p.tz();
    let day = local_date(tz, b.starts_at_ms);
    let day_start = local_ms(tz, day, 0);
    let early = i64::from(p.early_arrival_minutes) * MINUTE_MS;
    StatusClock {
        now_ms,
        arrive_from_ms: b.starts_at_ms.saturating_sub(early).max(day_start),
        arrive_until_ms: match p.kind {
            PracticeKind::Dental => local_ms(tz, day, 1440),
            PracticeKind::Hotel => b.ends_at_ms,
        },
        starts_at_ms: b.starts_at_ms,
    }
}

pub fn get(ctx: &ReadCtx<'_>, req: GetBooking) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    load(ctx, &p, req.id)
}

pub(super) fn load(ctx: &ReadCtx<'_>, p: &Practice, id: BookingId) -> CoreResult<Booking> {
    let sql = format!("{SELECT} WHERE b.id = ?1");
    let raw = ctx
        .tx
        .query_row(&sql, [id], from_row)
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => CoreError::not_found("That booking"),
            e => e.into(),
        })?;
    let mut b = finish(p, ctx.now_ms, raw)?;
    b.occasions = occasions::of(ctx, id)?;
    Ok(b)
}

pub use crate::intervals::LIST_RANGE;

pub fn list(ctx: &ReadCtx<'_>, req: ListBookings) -> CoreResult<Vec<Booking>> {
    let p = practice::require(ctx)?;
    let range = Span::new(req.from_ms, req.to_ms, &LIST_RANGE)?;
    let sql = format!(
        "{SELECT} WHERE b.ends_at_ms > ?1 AND b.ends_at_ms < ?2 + ?4 AND b.starts_at_ms < ?2 AND (b.live = 1 OR ?3)
          ORDER BY b.starts_at_ms, b.id"
    );
    let mut stmt = ctx.tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            range.start_ms(),
            range.end_ms(),
            req.include_cancelled,
            max_length_ms(p.kind)
        ],
        from_row,
    )?;
    let mut out = Vec::new();
    for raw in rows {
        out.push(finish(&p, ctx.now_ms, raw?)?);
    }
    let ids: Vec<BookingId> = out.iter().map(|b| b.id).collect();
    for (id, o) in occasions::of_many(ctx, &ids)? {
        if let Some(b) = out.iter_mut().find(|b| b.id == id) {
            b.occasions.push(o);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod bounds {
    #[test]
    fn the_other_room_subquery_is_bounded_by_the_longest_stay() {
        assert_eq!(
            super::LONGEST_STAY_MS,
            super::max_length_ms(crate::setup::practice::PracticeKind::Hotel)
        );
        assert!(super::SELECT.contains(&format!("- {}", super::LONGEST_STAY_MS)));
    }
}
