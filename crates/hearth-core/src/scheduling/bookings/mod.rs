//! Bookings: create, edit (which covers move and resize), cancel, status
//! changes, and reading a range for the calendar. Each write is one
//! transaction that re-checks every rule; a stale version is refused and names
//! who changed the booking.
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod read;
mod time;
mod upkeep;

pub use read::*;
pub use time::*;
pub(crate) use upkeep::*;

use crate::app::{Ctx, ReadCtx};
use crate::care::follow;
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{AppointmentTypeId, BookingId, PersonId, ResourceId};
use crate::instant::Instant;
use crate::people::records;
use crate::request;
use crate::scheduling::room_status;
use crate::scheduling::rules::{self, Proposed};
use crate::scheduling::status::{
    cancel_refusal, check_transition, clock_allows, BookingStatus, ClockRefusal,
};
use crate::setup::appointment_types;
use crate::setup::clean_text;
use crate::setup::practice::{self, Practice, PracticeKind};
use crate::time::{fmt_day, fmt_time};

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CreateBooking {
    /// The patient or guest, when picked; otherwise the name (and phone) find
    /// or make their record.
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub person_name: String,
    #[serde(default)]
    pub person_phone: String,
    /// The typed name is someone new, even though it is like a name Hearth
    /// knows (the desk looked at the likely matches and said so).
    #[serde(default)]
    pub someone_new: bool,
    pub type_id: AppointmentTypeId,
    /// The chair and provider, or the room.
    pub resource_ids: Vec<ResourceId>,
    #[serde(deserialize_with = "request::object")]
    pub time: BookingTime,
    #[serde(default)]
    pub notes: String,
    /// Book outside opening hours or over blocked time anyway (recorded).
    #[serde(default)]
    pub override_rules: bool,
}

/// Edit, move or resize: fields left out stay as they are.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct UpdateBooking {
    pub id: BookingId,
    pub expected_version: i64,
    /// Another person for this booking.
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub person_name: Option<String>,
    #[serde(default)]
    pub person_phone: Option<String>,
    /// The typed name is someone new (see [`CreateBooking::someone_new`]).
    #[serde(default)]
    pub someone_new: bool,
    #[serde(default)]
    pub type_id: Option<AppointmentTypeId>,
    #[serde(default)]
    pub resource_ids: Option<Vec<ResourceId>>,
    #[serde(default, deserialize_with = "request::option_object")]
    pub time: Option<BookingTime>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub override_rules: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CancelBooking {
    pub id: BookingId,
    pub expected_version: i64,
    pub reason: String,
}

/// `restore_booking`: undo a cancellation, soon after it.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct RestoreBooking {
    pub id: BookingId,
    pub expected_version: i64,
}

/// How long a cancellation can be undone.
pub const UNDO_CANCEL_MS: i64 = 15 * 60_000;

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SetBookingStatus {
    pub id: BookingId,
    pub expected_version: i64,
    pub status: BookingStatus,
    /// Check in even though the room is not clean or inspected (the desk was asked).
    #[serde(default)]
    pub even_if_room_not_ready: bool,
}

pub use crate::intervals::{max_length_ms, MAX_APPOINTMENT_MS, MAX_STAY_NIGHTS};

/// Refuses a status change the clock does not allow now, saying when it will be.
fn check_clock(p: &Practice, now_ms: i64, b: &Booking, to: BookingStatus) -> CoreResult<()> {
    let tz = p.tz();
    let what = match p.kind {
        PracticeKind::Dental => "appointment",
        PracticeKind::Hotel => "stay",
    };
    let action = to.label(p.kind);
    let refusal = match clock_allows(b.status, to, &status_clock(p, now_ms, b)) {
        Ok(()) => return Ok(()),
        Err(r) => r,
    };
    let message = match refusal {
        ClockRefusal::TooEarly { from_ms } => format!(
            "{}'s {what} starts {} {}. It can be marked {action} from {} {} on.",
            b.person_name,
            fmt_day(tz, b.starts_at_ms),
            fmt_time(p.clock(), b.starts_at_ms),
            fmt_day(tz, from_ms),
            fmt_time(p.clock(), from_ms),
        ),
        ClockRefusal::TooLate => format!(
            "{}'s {what} was on {}, so it can no longer be marked {action}. Mark it no-show, or leave a note on it.",
            b.person_name,
            fmt_day(tz, b.starts_at_ms),
        ),
        ClockRefusal::NotStartedYet => format!(
            "{}'s {what} has not started yet (it starts {} {}), so it can't be a no-show yet.",
            b.person_name,
            fmt_day(tz, b.starts_at_ms),
            fmt_time(p.clock(), b.starts_at_ms),
        ),
    };
    Err(CoreError::BadTransition { message })
}

/// The person a booking is for: the one picked (its name and phone are the
/// booking's), or the one the typed name and phone belong to (made if new,
/// asked about if the name is like someone's: `likely::find_or_create`).
fn person_for(
    ctx: &mut Ctx<'_>,
    picked: Option<PersonId>,
    name: &str,
    phone: &str,
    someone_new: bool,
) -> CoreResult<(PersonId, String, String)> {
    match picked {
        Some(id) => {
            let p = records::get(ctx, id)?;
            if p.archived {
                return Err(CoreError::invalid(
                    "person_id",
                    format!(
                        "{} is archived; restore the record before booking.",
                        p.full_name
                    ),
                ));
            }
            Ok((id, p.full_name, p.phone))
        }
        None => {
            let name = clean_text("person_name", "The name", name, 120, true)?;
            let phone = clean_text("person_phone", "The phone number", phone, 40, false)?;
            // The phone as the record shows it ("07911 123456"), when it reads as a number.
            let (id, phone) =
                crate::people::likely::find_or_create(ctx, &name, &phone, someone_new)?;
            Ok((id, name, phone))
        }
    }
}

fn clean_person(name: &str, phone: &str, notes: &str) -> CoreResult<(String, String, String)> {
    Ok((
        clean_text("person_name", "The name", name, 120, true)?,
        clean_text("person_phone", "The phone number", phone, 40, false)?,
        crate::setup::clean_lines("notes", "The notes", notes, 4000, false)?,
    ))
}

fn write_resources(
    ctx: &Ctx<'_>,
    id: BookingId,
    resource_ids: &[ResourceId],
    start: i64,
    end: i64,
    live: bool,
) -> CoreResult<()> {
    ctx.tx
        .execute("DELETE FROM booking_resources WHERE booking_id = ?1", [id])?;
    let mut stmt = ctx.tx.prepare_cached(
        "INSERT INTO booking_resources (booking_id, resource_id, starts_at_ms, ends_at_ms, live) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for r in resource_ids {
        stmt.execute(params![id, r, start, end, live])?;
    }
    Ok(())
}

pub fn create(ctx: &mut Ctx<'_>, req: CreateBooking) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    let t = appointment_types::bookable(ctx, req.type_id)?;
    let (span, arrival, departure) = resolve_time(&p, &req.time)?;
    let (start, end) = (span.start_ms(), span.end_ms());
    let proposed = |person_id| Proposed {
        id: None,
        starts_at_ms: start,
        ends_at_ms: end,
        resource_ids: &req.resource_ids,
        kind: &t,
        was: None,
        person_id,
        was_resource_ids: &[],
    };
    let (person_id, name, phone) = match person_for(
        ctx,
        req.person_id,
        &req.person_name,
        &req.person_phone,
        req.someone_new,
    ) {
        // A time that can't be booked is said first: no use asking who
        // a booking is for until it can be made.
        Err(asked @ CoreError::MaybeKnown { .. }) => {
            rules::check(ctx, &p, &proposed(None), req.override_rules)?;
            return Err(asked);
        }
        other => other?,
    };
    let (name, phone, notes) = clean_person(&name, &phone, &req.notes)?;
    let overrides = rules::check(ctx, &p, &proposed(Some(person_id)), req.override_rules)?;
    let overridden = !overrides.is_empty();
    let by = ctx.actor.staff_id;
    ctx.tx.execute(
        "INSERT INTO bookings (person_name, person_phone, type_id, starts_at_ms, ends_at_ms, arrival_date, departure_date, status, notes,
                               override_by, override_at_ms, created_by, created_at_ms, updated_by, updated_at_ms, person_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'booked', ?8, ?9, ?10, ?11, ?12, ?11, ?12, ?13)",
        params![
            name,
            phone,
            t.id,
            start,
            end,
            arrival,
            departure,
            notes,
            overridden.then_some(by).flatten(),
            overridden.then_some(ctx.now_ms),
            by,
            ctx.now_ms,
            person_id
        ],
    )?;
    let id = BookingId(ctx.tx.last_insert_rowid());
    write_resources(ctx, id, &req.resource_ids, start, end, true)?;
    ctx.changed(topics::BOOKING_CHANGED, id);
    ctx.detail(serde_json::json!({ "overridden": overrides }));
    follow::booking_written(ctx, id)?;
    load(ctx, &p, id)
}

/// The rule check [`create`] makes, without writing: for an import judging
/// its rows. The booking's start and end, or the rule it breaks.
pub(crate) fn check_new(
    ctx: &ReadCtx<'_>,
    p: &Practice,
    t: &crate::setup::appointment_types::AppointmentType,
    person_id: Option<PersonId>,
    resource_ids: &[ResourceId],
    time: &BookingTime,
    override_rules: bool,
) -> CoreResult<(i64, i64)> {
    let (span, _, _) = resolve_time(p, time)?;
    let (start, end) = (span.start_ms(), span.end_ms());
    rules::check(
        ctx,
        p,
        &Proposed {
            id: None,
            starts_at_ms: start,
            ends_at_ms: end,
            resource_ids,
            kind: t,
            was: None,
            person_id,
            was_resource_ids: &[],
        },
        override_rules,
    )?;
    Ok((start, end))
}

/// A live booking of `person` at exactly this time already (a file imported
/// twice books nobody twice).
pub(crate) fn same_time_for(
    ctx: &ReadCtx<'_>,
    person: PersonId,
    start: i64,
    end: i64,
) -> CoreResult<Option<BookingId>> {
    Ok(ctx
        .tx
        .prepare_cached(
            "SELECT id FROM bookings WHERE person_id = ?1 AND starts_at_ms = ?2 AND ends_at_ms = ?3 AND live = 1 LIMIT 1",
        )?
        .query_row(params![person, start, end], |r| r.get(0))
        .optional()?)
}

/// A timed booking for a known person (a follow-up, someone off the
/// waitlist): every rule of [`create`], no override.
pub(crate) fn book_person(
    ctx: &mut Ctx<'_>,
    person: PersonId,
    type_id: AppointmentTypeId,
    resource_ids: Vec<ResourceId>,
    (starts_at_ms, ends_at_ms): (Instant, Instant),
    notes: String,
) -> CoreResult<Booking> {
    create(
        ctx,
        CreateBooking {
            person_id: Some(person),
            person_name: String::new(),
            person_phone: String::new(),
            type_id,
            resource_ids,
            time: BookingTime::Timed {
                starts_at_ms,
                ends_at_ms,
            },
            notes,
            override_rules: false,
            someone_new: false,
        },
    )
}

/// Loads the booking and refuses a stale version, naming who changed it.
fn load_current(
    ctx: &ReadCtx<'_>,
    p: &Practice,
    id: BookingId,
    expected_version: i64,
) -> CoreResult<Booking> {
    let b = load(ctx, p, id)?;
    if b.version != expected_version {
        let who = b
            .updated_by_name
            .clone()
            .unwrap_or_else(|| "someone else".into());
        return Err(CoreError::Stale {
            message: format!(
                "{}'s booking was just changed by {who} at {}. It has been reloaded — check it and make your change again.",
                b.person_name,
                fmt_time(p.clock(), b.updated_at_ms)
            ),
        });
    }
    Ok(b)
}

pub fn update(ctx: &mut Ctx<'_>, req: UpdateBooking) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    let old = load_current(ctx, &p, req.id, req.expected_version)?;
    if old.status.is_final() || !old.status.is_live() {
        return Err(CoreError::BadTransition {
            message: format!("A {} booking can't be changed.", old.status.label(p.kind)),
        });
    }
    // Another person (picked, or a changed name) is relinked below; a new
    // phone alone keeps the booking's person (the same Ana Ruiz, a new number).
    let renamed = req
        .person_name
        .as_deref()
        .is_some_and(|n| n.trim() != old.person_name.trim());
    let relinked = if let (None, false, Some(same)) = (req.person_id, renamed, old.person_id) {
        req.person_phone
            .as_deref()
            .map(|phone| (same, old.person_name.clone(), phone.trim().to_owned()))
    } else if req.person_id.is_some() || req.person_name.is_some() || req.person_phone.is_some() {
        Some(person_for(
            ctx,
            req.person_id,
            req.person_name.as_deref().unwrap_or(&old.person_name),
            req.person_phone.as_deref().unwrap_or(&old.person_phone),
            req.someone_new,
        )?)
    } else {
        None
    };
    let (name, phone) = match &relinked {
        Some((_, name, phone)) => (name.clone(), phone.clone()),
        None => (old.person_name.clone(), old.person_phone.clone()),
    };
    let (name, phone, notes) =
        clean_person(&name, &phone, req.notes.as_deref().unwrap_or(&old.notes))?;
    let t = match req.type_id {
        Some(id) if id != old.type_id => appointment_types::bookable(ctx, id)?,
        _ => appointment_types::get(ctx, old.type_id)?,
    };
    let (start, end, arrival, departure) = match &req.time {
        Some(time) => {
            let (span, arrival, departure) = resolve_time(&p, time)?;
            (span.start_ms(), span.end_ms(), arrival, departure)
        }
        None => (
            old.starts_at_ms,
            old.ends_at_ms,
            old.arrival_date.clone(),
            old.departure_date.clone(),
        ),
    };
    let resource_ids = req
        .resource_ids
        .clone()
        .unwrap_or_else(|| old.resource_ids.clone());
    let overrides = rules::check(
        ctx,
        &p,
        &Proposed {
            id: Some(old.id),
            starts_at_ms: start,
            ends_at_ms: end,
            resource_ids: &resource_ids,
            kind: &t,
            was: Some((old.starts_at_ms, old.ends_at_ms)),
            person_id: relinked.as_ref().map(|r| r.0).or(old.person_id),
            was_resource_ids: &old.resource_ids,
        },
        req.override_rules,
    )?;
    let overridden = !overrides.is_empty();
    let by = ctx.actor.staff_id;
    ctx.tx.execute(
        "UPDATE bookings SET person_name = ?2, person_phone = ?3, type_id = ?4, starts_at_ms = ?5, ends_at_ms = ?6,
                arrival_date = ?7, departure_date = ?8, notes = ?9,
                override_by = CASE WHEN ?10 THEN ?11 ELSE override_by END,
                override_at_ms = CASE WHEN ?10 THEN ?12 ELSE override_at_ms END,
                updated_by = ?11, updated_at_ms = ?12, version = version + 1
          WHERE id = ?1",
        params![old.id, name, phone, t.id, start, end, arrival, departure, notes, overridden, by, ctx.now_ms],
    )?;
    if let Some((person_id, _, _)) = relinked {
        ctx.tx.execute(
            "UPDATE bookings SET person_id = ?2 WHERE id = ?1",
            params![old.id, person_id],
        )?;
    }
    write_resources(ctx, old.id, &resource_ids, start, end, true)?;
    ctx.changed(topics::BOOKING_CHANGED, old.id);
    follow::booking_written(ctx, old.id)?;
    let moved =
        start != old.starts_at_ms || end != old.ends_at_ms || resource_ids != old.resource_ids;
    ctx.detail(serde_json::json!({ "moved": moved, "from": [old.starts_at_ms, old.ends_at_ms], "to": [start, end], "overridden": overrides }));
    load(ctx, &p, old.id)
}

pub fn cancel(ctx: &mut Ctx<'_>, req: CancelBooking) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    let old = load_current(ctx, &p, req.id, req.expected_version)?;
    if old.status.is_final() || !old.status.is_live() {
        return Err(CoreError::BadTransition {
            message: format!("A {} booking can't be cancelled.", old.status.label(p.kind)),
        });
    }
    if let Some(instead) = cancel_refusal(p.kind, old.status) {
        return Err(CoreError::BadTransition {
            message: format!("{} {instead}", old.person_name),
        });
    }
    let reason = clean_text("reason", "The reason", &req.reason, 500, true)?;
    let by = ctx.actor.staff_id;
    ctx.tx.execute(
        "UPDATE bookings SET status = 'cancelled', live = 0, cancel_reason = ?2, cancelled_by = ?3, cancelled_at_ms = ?4,
                updated_by = ?3, updated_at_ms = ?4, version = version + 1 WHERE id = ?1",
        params![old.id, reason, by, ctx.now_ms],
    )?;
    ctx.tx.execute(
        "UPDATE booking_resources SET live = 0 WHERE booking_id = ?1",
        [old.id],
    )?;
    record_status(ctx, old.id, old.status, BookingStatus::Cancelled)?;
    ctx.changed(topics::BOOKING_CHANGED, old.id);
    follow::booking_ended(ctx, old.id, &format!("Booking cancelled: {reason}"))?;
    load(ctx, &p, old.id)
}

/// A booking that freed its time (a no-show, a cancellation) takes it back:
/// the rule check, without hours and blocks (it was made within them), so
/// someone booked there since is named.
fn take_back_slot(ctx: &ReadCtx<'_>, p: &Practice, old: &Booking) -> CoreResult<()> {
    let t = appointment_types::get(ctx, old.type_id)?;
    rules::check(
        ctx,
        p,
        &Proposed {
            id: Some(old.id),
            starts_at_ms: old.starts_at_ms,
            ends_at_ms: old.ends_at_ms,
            resource_ids: &old.resource_ids,
            kind: &t,
            was: Some((old.starts_at_ms, old.ends_at_ms)),
            person_id: old.person_id,
            was_resource_ids: &old.resource_ids,
        },
        true,
    )?;
    Ok(())
}

/// Undo a cancellation made in the last [`UNDO_CANCEL_MS`]: the booking
/// takes its time back (if nobody has it now) with the status it had, and the
/// tasks the cancellation closed open again.
pub fn restore(ctx: &mut Ctx<'_>, req: RestoreBooking) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    let old = load_current(ctx, &p, req.id, req.expected_version)?;
    if old.status != BookingStatus::Cancelled {
        return Err(CoreError::BadTransition {
            message: format!("{}'s booking is not cancelled.", old.person_name),
        });
    }
    let (cancelled_at, before): (Option<i64>, Option<String>) = ctx.tx.query_row(
        "SELECT b.cancelled_at_ms,
                (SELECT from_status FROM status_changes WHERE booking_id = b.id AND to_status = 'cancelled' ORDER BY id DESC LIMIT 1)
           FROM bookings b WHERE b.id = ?1",
        [old.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let cancelled_at = cancelled_at.unwrap_or(0);
    if ctx.now_ms - cancelled_at > UNDO_CANCEL_MS {
        return Err(CoreError::BadTransition {
            message: format!(
                "{}'s booking was cancelled at {}, too long ago to undo. Book it again instead.",
                old.person_name,
                fmt_time(p.clock(), cancelled_at)
            ),
        });
    }
    let status = before
        .as_deref()
        .and_then(|s| BookingStatus::parse(s).ok())
        .filter(|s| s.is_live())
        .unwrap_or(BookingStatus::Booked);
    take_back_slot(ctx, &p, &old)?;
    ctx.tx.execute(
        "UPDATE bookings SET status = ?2, live = 1, cancel_reason = NULL, cancelled_by = NULL, cancelled_at_ms = NULL,
                updated_by = ?3, updated_at_ms = ?4, version = version + 1 WHERE id = ?1",
        params![old.id, status.as_str(), ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.tx.execute(
        "UPDATE booking_resources SET live = 1 WHERE booking_id = ?1",
        [old.id],
    )?;
    record_status(ctx, old.id, BookingStatus::Cancelled, status)?;
    ctx.changed(topics::BOOKING_CHANGED, old.id);
    follow::booking_restored(ctx, old.id, cancelled_at)?;
    ctx.detail(serde_json::json!({ "restored_to": status.as_str() }));
    load(ctx, &p, old.id)
}

fn record_status(
    ctx: &Ctx<'_>,
    id: BookingId,
    from: BookingStatus,
    to: BookingStatus,
) -> CoreResult<()> {
    ctx.tx.execute(
        "INSERT INTO status_changes (booking_id, from_status, to_status, at_ms, by_staff) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, from.as_str(), to.as_str(), ctx.now_ms, ctx.actor.staff_id],
    )?;
    Ok(())
}

pub fn set_status(ctx: &mut Ctx<'_>, req: SetBookingStatus) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    let old = load_current(ctx, &p, req.id, req.expected_version)?;
    check_transition(p.kind, old.status, req.status)?;
    check_clock(&p, ctx.now_ms, &old, req.status)?;
    if req.status == BookingStatus::CheckedIn {
        // Never two guests checked in to one room: the last one checks out first.
        if let Some(message) = room_status::still_occupied(ctx, &old.resource_ids, old.id)? {
            return Err(CoreError::RoomOccupied { message });
        }
        if !req.even_if_room_not_ready {
            if let Some(message) = room_status::not_ready(ctx, &old.resource_ids)? {
                return Err(CoreError::RoomNotReady { message });
            }
        }
    }
    if !old.status.is_live() && req.status.is_live() {
        // Restoring a no-show takes the slot back: someone may have it now.
        take_back_slot(ctx, &p, &old)?;
    }
    let live = req.status.is_live();
    ctx.tx.execute(
        "UPDATE bookings SET status = ?2, live = ?3, updated_by = ?4, updated_at_ms = ?5, version = version + 1 WHERE id = ?1",
        params![old.id, req.status.as_str(), live, ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.tx.execute(
        "UPDATE booking_resources SET live = ?2 WHERE booking_id = ?1",
        params![old.id, live],
    )?;
    record_status(ctx, old.id, old.status, req.status)?;
    ctx.changed(topics::BOOKING_CHANGED, old.id);
    if req.status == BookingStatus::CheckedOut {
        room_status::mark_dirty(ctx, &old.resource_ids)?;
    }
    if !live {
        follow::booking_ended(ctx, old.id, "Did not arrive (no-show).")?;
    }
    ctx.detail(serde_json::json!({ "from": old.status.as_str(), "to": req.status.as_str() }));
    load(ctx, &p, old.id)
}
