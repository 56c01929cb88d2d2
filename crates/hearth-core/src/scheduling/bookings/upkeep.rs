//! Bookings written or rewritten on the practice's behalf rather than at the
//! desk: the demo's generated history, an import's undo, and a person's
//! bookings moved by a merge or anonymised by an erasure.
use crate::app::Ctx;
use crate::error::CoreResult;
use crate::events::topics;
use crate::ids::{AppointmentTypeId, BookingId, PersonId, ResourceId, StaffId};
use crate::instant::LocalDate;
use crate::scheduling::occasions;
use crate::scheduling::status::BookingStatus;
use rusqlite::{params, OptionalExtension};

/// What became of a booking an import added, when the import was undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Removal {
    Removed,
    /// The desk has used it since (moved, arrived, an incident, a handoff, a
    /// task done): kept.
    Kept,
    /// Already gone (an undo cut short and run again).
    Gone,
}

/// Removes a booking an import added, with what followed from it by itself
/// (its places, the open tasks and occasions the rules made) — unless the
/// desk has changed or used it since.
pub(crate) fn delete_imported(ctx: &mut Ctx<'_>, id: BookingId) -> CoreResult<Removal> {
    let untouched: Option<bool> = ctx
        .tx
        .prepare_cached("SELECT version = 1 AND status = 'booked' FROM bookings WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match untouched {
        None => return Ok(Removal::Gone),
        Some(false) => return Ok(Removal::Kept),
        Some(true) => {}
    }
    ctx.tx.execute_batch("SAVEPOINT undo_booking")?;
    let removed = (|| -> rusqlite::Result<usize> {
        crate::care::tasks::delete_untouched_of_booking(ctx, id)?;
        occasions::delete_automatic(ctx, id)?;
        ctx.tx
            .prepare_cached("DELETE FROM booking_resources WHERE booking_id = ?1")?
            .execute([id])?;
        ctx.tx
            .prepare_cached("DELETE FROM bookings WHERE id = ?1")?
            .execute([id])
    })();
    match removed {
        Ok(_) => {
            ctx.tx.execute_batch("RELEASE undo_booking")?;
            ctx.changed(topics::BOOKING_CHANGED, id);
            Ok(Removal::Removed)
        }
        // Something the desk made points at it: everything goes back.
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            ctx.tx
                .execute_batch("ROLLBACK TO undo_booking; RELEASE undo_booking")?;
            Ok(Removal::Kept)
        }
        Err(e) => Err(e.into()),
    }
}

/// A booking as a generator writes it (the demo, benchmarks): already known
/// not to overlap, so no rule check; history dates and status as given.
pub(crate) struct GeneratedBooking<'a> {
    pub person: (&'a str, &'a str),
    pub person_id: PersonId,
    pub type_id: AppointmentTypeId,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub dates: Option<(LocalDate, LocalDate)>,
    pub status: BookingStatus,
    pub resource_ids: &'a [ResourceId],
    pub by: StaffId,
    pub created_at_ms: i64,
    pub cancel_reason: Option<&'a str>,
}

/// Writes a generated booking and what it holds; returns its id.
pub(crate) fn insert_generated(ctx: &Ctx<'_>, b: &GeneratedBooking<'_>) -> CoreResult<BookingId> {
    let live = b.status.is_live();
    let (arrival, departure) = match b.dates {
        Some((a, d)) => (Some(a.date().to_string()), Some(d.date().to_string())),
        None => (None, None),
    };
    ctx.tx.prepare_cached(
        "INSERT INTO bookings (person_name, person_phone, type_id, starts_at_ms, ends_at_ms, arrival_date, departure_date, status, live,
                               cancel_reason, cancelled_by, created_by, created_at_ms, updated_by, updated_at_ms, person_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CASE WHEN ?10 IS NULL THEN NULL ELSE ?11 END, ?11, ?12, ?11, ?12, ?13)",
    )?
    .execute(params![
        b.person.0, b.person.1, b.type_id, b.starts_at_ms, b.ends_at_ms, arrival, departure,
        b.status.as_str(), live, b.cancel_reason, b.by, b.created_at_ms, b.person_id
    ])?;
    let id = BookingId(ctx.tx.last_insert_rowid());
    let mut stmt = ctx.tx.prepare_cached(
        "INSERT INTO booking_resources (booking_id, resource_id, starts_at_ms, ends_at_ms, live) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for r in b.resource_ids {
        stmt.execute(params![id, r, b.starts_at_ms, b.ends_at_ms, live])?;
    }
    Ok(id)
}

/// A generated confirmed booking whose patient has just arrived (the demo's waiting room).
pub(crate) fn mark_generated_arrived(
    ctx: &Ctx<'_>,
    id: BookingId,
    at_ms: i64,
    by: StaffId,
) -> CoreResult<()> {
    ctx.tx.execute(
        "UPDATE bookings SET status = 'arrived' WHERE id = ?1 AND status = 'confirmed'",
        [id],
    )?;
    insert_status_change(
        ctx,
        id,
        BookingStatus::Confirmed,
        BookingStatus::Arrived,
        at_ms,
        by,
    )
}

/// Records a past status change (a generator's history).
pub(crate) fn insert_status_change(
    ctx: &Ctx<'_>,
    id: BookingId,
    from: BookingStatus,
    to: BookingStatus,
    at_ms: i64,
    by: StaffId,
) -> CoreResult<()> {
    ctx.tx.execute(
        "INSERT INTO status_changes (booking_id, from_status, to_status, at_ms, by_staff) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, from.as_str(), to.as_str(), at_ms, by],
    )?;
    Ok(())
}

/// A merge: the merged record's bookings become the survivor's, under its name.
pub(crate) fn move_person(
    ctx: &mut Ctx<'_>,
    from: PersonId,
    to: PersonId,
    name: &str,
) -> CoreResult<usize> {
    let ids: Vec<BookingId> = {
        let mut stmt = ctx
            .tx
            .prepare_cached("SELECT id FROM bookings WHERE person_id = ?1")?;
        let rows = stmt.query_map([from], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in &ids {
        ctx.tx.execute(
            "UPDATE bookings SET person_id = ?2, person_name = ?3, version = version + 1 WHERE id = ?1",
            params![id, to, name],
        )?;
        ctx.changed(topics::BOOKING_CHANGED, *id);
    }
    Ok(ids.len())
}

/// An erasure: the person's bookings keep their times, type and status (so
/// counts stay true) and lose the name, phone and notes.
pub(crate) fn anonymise_person(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    let ids: Vec<BookingId> = {
        let mut stmt = ctx
            .tx
            .prepare_cached("SELECT id FROM bookings WHERE person_id = ?1")?;
        let rows = stmt.query_map([person], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in &ids {
        ctx.tx.execute(
            "UPDATE bookings SET person_name = 'Erased', person_phone = '', notes = '', cancel_reason = CASE WHEN cancel_reason IS NULL THEN NULL ELSE '' END,
                    version = version + 1 WHERE id = ?1",
            [id],
        )?;
        ctx.changed(topics::BOOKING_CHANGED, *id);
    }
    Ok(ids.len())
}
