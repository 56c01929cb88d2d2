//! What follows from a change to a booking, an occasion or an important date,
//! inside the same transaction: occasions from important dates, tasks from the
//! rules, relative tasks moving with their booking, open tasks cancelled with
//! a cancelled booking, and gestures proposed for remembered incidents.
use rusqlite::params;

use crate::app::Ctx;
use crate::care::incidents;
use crate::care::tasks::{self, CloseTask, Fill, Task, TaskStatus};
use crate::error::CoreResult;
use crate::ids::{BookingId, PersonId};
use crate::people::dates::{self, AddImportantDate, ImportantDate, RemoveImportantDate};
use crate::scheduling::occasions::{self, AddOccasion, DismissOccasion, Occasion};
use crate::setup::task_rules::{self, RuleTrigger};

/// `add_occasion`: the occasion, and the tasks its kind's rules make.
pub fn add_occasion(ctx: &mut Ctx<'_>, req: AddOccasion) -> CoreResult<Vec<Occasion>> {
    let booking = req.booking_id;
    let added = occasions::add(ctx, req)?;
    occasion_added(ctx, booking, &added)?;
    occasions::of(ctx, booking)
}

/// `dismiss_occasion`: dismissed (remembered), and its open tasks cancelled.
pub fn dismiss_occasion(ctx: &mut Ctx<'_>, req: DismissOccasion) -> CoreResult<Vec<Occasion>> {
    let id = req.id;
    let booking = occasions::dismiss(ctx, req)?;
    occasion_gone(ctx, id, "The occasion was dismissed.")?;
    occasions::of(ctx, booking)
}

/// `close_task`: done, skipped or open again. A gesture task done is the
/// gesture made for its remembered incident on that visit.
pub fn close_task(ctx: &mut Ctx<'_>, req: CloseTask) -> CoreResult<Task> {
    let closed = tasks::close(ctx, req)?;
    if let (true, TaskStatus::Done, Some(incident), Some(booking)) = (
        closed.from_rule,
        closed.status,
        closed.incident_id,
        closed.booking_id,
    ) {
        let what = if closed.close_note.is_empty() {
            closed.title.clone()
        } else {
            closed.close_note.clone()
        };
        incidents::gesture_made(ctx, incident, booking, &what)?;
    }
    Ok(closed)
}

/// An occasion was recorded on a booking: the rules for its kind make their tasks.
pub(crate) fn occasion_added(
    ctx: &mut Ctx<'_>,
    booking: BookingId,
    occasion: &Occasion,
) -> CoreResult<()> {
    let f = tasks::facts(ctx, booking)?;
    if !f.live {
        return Ok(());
    }
    let words = if occasion.text.is_empty() {
        occasion.kind.as_str().replace('_', " ")
    } else {
        occasion.text.clone()
    };
    for rule in task_rules::matching(ctx, RuleTrigger::Occasion, Some(occasion.kind.as_str()))? {
        let fill = Fill {
            occasion: &words,
            ..Fill::default()
        };
        tasks::from_rule(ctx, &rule, &f, Some(occasion.id), None, &fill)?;
    }
    Ok(())
}

/// An occasion was dismissed or withdrawn: its open tasks are cancelled.
pub(crate) fn occasion_gone(ctx: &mut Ctx<'_>, occasion: i64, reason: &str) -> CoreResult<()> {
    tasks::cancel_open(ctx, None, Some(occasion), reason)
}

/// A booking was made or changed (moved, resized, another room or person).
pub(crate) fn booking_written(ctx: &mut Ctx<'_>, booking: BookingId) -> CoreResult<()> {
    let synced = occasions::sync_from_dates(ctx, booking)?;
    for o in &synced.added {
        occasion_added(ctx, booking, o)?;
    }
    for id in synced.withdrawn {
        occasion_gone(ctx, id, "The important date no longer falls on this visit.")?;
    }
    tasks::follow_booking(ctx, booking)?;
    incidents::propose_gestures(ctx, booking)
}

/// A booking was cancelled or not turned up for: its open tasks are cancelled.
pub(crate) fn booking_ended(ctx: &mut Ctx<'_>, booking: BookingId, reason: &str) -> CoreResult<()> {
    tasks::cancel_open(ctx, Some(booking), None, reason)
}

/// A cancellation undone: the tasks it closed (at `cancelled_at_ms`) open again.
pub(crate) fn booking_restored(
    ctx: &mut Ctx<'_>,
    booking: BookingId,
    cancelled_at_ms: i64,
) -> CoreResult<()> {
    tasks::reopen_cancelled(ctx, booking, cancelled_at_ms)
}

/// The person's bookings from now on, which an important date may touch.
fn upcoming(ctx: &Ctx<'_>, person: PersonId) -> CoreResult<Vec<BookingId>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id FROM bookings WHERE person_id = ?1 AND live = 1 AND ends_at_ms > ?2 ORDER BY starts_at_ms LIMIT 50",
    )?;
    let rows = stmt.query_map(params![person, ctx.now_ms], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A person's record took in another's (a merge): their coming bookings are
/// followed again, as if every date, incident and rule now on the record had
/// been on it when each booking was written — occasions from the dates that
/// came, gestures for the incidents that came, tasks from the rules.
pub(crate) fn person_absorbed(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<()> {
    for b in upcoming(ctx, person)? {
        booking_written(ctx, b)?;
    }
    Ok(())
}

/// `add_important_date`: the date, and occasions on the person's coming bookings.
pub fn add_important_date(
    ctx: &mut Ctx<'_>,
    req: AddImportantDate,
) -> CoreResult<Vec<ImportantDate>> {
    let person = req.person_id;
    dates::add(ctx, req)?;
    for b in upcoming(ctx, person)? {
        booking_written(ctx, b)?;
    }
    dates::of(ctx, person)
}

/// `remove_important_date`: the occasions it made on coming bookings go too.
pub fn remove_important_date(
    ctx: &mut Ctx<'_>,
    req: RemoveImportantDate,
) -> CoreResult<Vec<ImportantDate>> {
    let person = dates::remove(ctx, req)?;
    for b in upcoming(ctx, person)? {
        booking_written(ctx, b)?;
    }
    dates::of(ctx, person)
}

/// `save_person`: the record, and — when the date of birth changed — the
/// birthday occasions on their coming bookings.
pub fn save_person(
    ctx: &mut Ctx<'_>,
    req: crate::people::records::SavePerson,
) -> CoreResult<crate::people::records::Person> {
    crate::people::likely::refuse_if_known(ctx, &req)?;
    let before = match req.id {
        Some(id) => Some(crate::people::records::get(ctx, id)?.date_of_birth),
        None => None,
    };
    let saved = crate::people::records::save(ctx, req)?;
    if before.is_some_and(|dob| dob != saved.date_of_birth) {
        for b in upcoming(ctx, saved.id)? {
            booking_written(ctx, b)?;
        }
    }
    Ok(saved)
}
