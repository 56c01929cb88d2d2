//! Occasions on a booking (`booking_occasions`): what this visit or stay is
//! for beyond the appointment — an anniversary, a birthday, a first visit, a
//! nervous patient — with the desk's words. Shown on the booking and as a badge
//! on the calendar. Dismissed, never deleted, so a dismissal is remembered.
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::BookingId;
use crate::people::dates::{self, DateKind};
use crate::setup::{clean_text, practice};
use crate::time::local_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OccasionKind {
    Anniversary,
    Birthday,
    FirstVisit,
    Honeymoon,
    NervousPatient,
    Celebration,
    Other,
}

stored_enum!(OccasionKind, Other { Anniversary = "anniversary", Birthday = "birthday", FirstVisit = "first_visit", Honeymoon = "honeymoon", NervousPatient = "nervous_patient", Celebration = "celebration", Other = "other" });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Occasion {
    pub id: i64,
    pub kind: OccasionKind,
    /// The desk's words ("10th wedding anniversary").
    pub text: String,
    /// Made from an important date on the person's record.
    pub from_date: bool,
}

/// `add_occasion`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct AddOccasion {
    pub booking_id: BookingId,
    pub kind: OccasionKind,
    #[serde(default)]
    pub text: String,
}

/// `dismiss_occasion`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct DismissOccasion {
    pub id: i64,
}

/// A booking's live occasions, oldest first.
pub fn of(ctx: &ReadCtx<'_>, booking: BookingId) -> CoreResult<Vec<Occasion>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id, kind, text, auto_key IS NOT NULL FROM booking_occasions WHERE booking_id = ?1 AND dismissed_at_ms IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([booking], |r| {
        Ok(Occasion {
            id: r.get(0)?,
            kind: OccasionKind::parse(&r.get::<_, String>(1)?),
            text: r.get(2)?,
            from_date: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Removes the occasions an important date put on a booking by itself (not
/// dismissed), as an undone import takes the booking out; one the desk added
/// or dismissed stays, and keeps the booking.
pub(crate) fn delete_automatic(ctx: &Ctx<'_>, booking: BookingId) -> rusqlite::Result<()> {
    ctx.tx
        .prepare_cached(
            "DELETE FROM booking_occasions WHERE booking_id = ?1 AND auto_key IS NOT NULL AND dismissed_at_ms IS NULL",
        )?
        .execute([booking])?;
    Ok(())
}

/// The live occasions of every booking in `ids`, as `(booking, occasion)`.
pub fn of_many(ctx: &ReadCtx<'_>, ids: &[BookingId]) -> CoreResult<Vec<(BookingId, Occasion)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = serde_json::to_string(ids).map_err(|e| CoreError::Storage(e.to_string()))?;
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT booking_id, id, kind, text, auto_key IS NOT NULL FROM booking_occasions
          WHERE dismissed_at_ms IS NULL AND booking_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
    )?;
    let rows = stmt.query_map([list], |r| {
        Ok((
            r.get(0)?,
            Occasion {
                id: r.get(1)?,
                kind: OccasionKind::parse(&r.get::<_, String>(2)?),
                text: r.get(3)?,
                from_date: r.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Records an occasion (`care::follow::add_occasion` makes its tasks).
pub(crate) fn add(ctx: &mut Ctx<'_>, req: AddOccasion) -> CoreResult<Occasion> {
    let live: Option<bool> = ctx
        .tx
        .query_row(
            "SELECT live FROM bookings WHERE id = ?1",
            [req.booking_id],
            |r| r.get(0),
        )
        .ok();
    match live {
        None => return Err(CoreError::not_found("That booking")),
        Some(false) => {
            return Err(CoreError::invalid(
                "booking_id",
                "A cancelled booking takes no occasions.",
            ))
        }
        Some(true) => {}
    }
    let text = clean_text("text", "The occasion", &req.text, 200, false)?;
    if req.kind == OccasionKind::Other && text.is_empty() {
        return Err(CoreError::invalid("text", "Say what the occasion is."));
    }
    ctx.tx.execute(
        "INSERT INTO booking_occasions (booking_id, kind, text, created_by, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![req.booking_id, req.kind.as_str(), text, ctx.actor.staff_id, ctx.now_ms],
    )?;
    let id = ctx.tx.last_insert_rowid();
    ctx.changed(topics::BOOKING_CHANGED, req.booking_id);
    ctx.detail(serde_json::json!({ "booking_id": req.booking_id, "kind": req.kind.as_str() }));
    Ok(Occasion {
        id,
        kind: req.kind,
        text,
        from_date: false,
    })
}

/// Dismisses an occasion; returns its booking (`care::follow::dismiss_occasion`
/// cancels its tasks).
pub(crate) fn dismiss(ctx: &mut Ctx<'_>, req: DismissOccasion) -> CoreResult<BookingId> {
    let booking: Option<BookingId> = ctx
        .tx
        .query_row(
            "SELECT booking_id FROM booking_occasions WHERE id = ?1 AND dismissed_at_ms IS NULL",
            [req.id],
            |r| r.get(0),
        )
        .ok();
    let Some(booking) = booking else {
        return Err(CoreError::not_found("That occasion"));
    };
    ctx.tx.execute(
        "UPDATE booking_occasions SET dismissed_at_ms = ?2, dismissed_by = ?3 WHERE id = ?1",
        params![req.id, ctx.now_ms, ctx.actor.staff_id],
    )?;
    ctx.changed(topics::BOOKING_CHANGED, booking);
    ctx.detail(serde_json::json!({ "booking_id": booking }));
    Ok(booking)
}

/// What [`sync_from_dates`] changed on a booking.
#[derive(Default)]
pub(crate) struct Synced {
    /// Occasions made (or made again) from a date.
    pub added: Vec<Occasion>,
    /// Occasions whose date no longer falls on the booking.
    pub withdrawn: Vec<i64>,
}

/// Brings a booking's occasions from important dates in line with its person's
/// dates and its own days: a date within the visit or stay, or the practice's
/// lead days before it, is an occasion; one dismissed by staff stays
/// dismissed; one whose date no longer falls on it (the booking moved, the
/// date was removed) is withdrawn — and made again if it comes back.
pub(crate) fn sync_from_dates(ctx: &mut Ctx<'_>, booking: BookingId) -> CoreResult<Synced> {
    let p = practice::require(ctx)?;
    let (start, end, person, live): (i64, i64, Option<crate::ids::PersonId>, bool) =
        ctx.tx.query_row(
            "SELECT starts_at_ms, ends_at_ms, person_id, live FROM bookings WHERE id = ?1",
            [booking],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    let mut out = Synced::default();
    let dates = match (person, live) {
        (Some(person), true) => dates::of(ctx, person)?,
        _ => vec![],
    };
    let tz = p.tz();
    let last = local_date(tz, end);
    let first = local_date(tz, start) - chrono::Duration::days(i64::from(p.occasion_lead_days));
    let mut wanted: Vec<(String, OccasionKind, String)> = Vec::new();
    for d in &dates {
        use chrono::Datelike;
        for y in first.year()..=last.year() {
            let day = chrono::NaiveDate::from_ymd_opt(y, d.month, d.day)
                .or_else(|| chrono::NaiveDate::from_ymd_opt(y, d.month, d.day.saturating_sub(1)));
            if day.is_some_and(|day| first <= day && day <= last) {
                let kind = match d.kind {
                    DateKind::Birthday => OccasionKind::Birthday,
                    DateKind::Anniversary => OccasionKind::Anniversary,
                    DateKind::Other => OccasionKind::Celebration,
                };
                wanted.push((d.key(), kind, d.words_in(y)));
                break;
            }
        }
    }
    let existing: Vec<(i64, String, bool, bool)> = {
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT id, auto_key, dismissed_at_ms IS NOT NULL, dismissed_by IS NOT NULL FROM booking_occasions
              WHERE booking_id = ?1 AND auto_key IS NOT NULL",
        )?;
        let rows = stmt.query_map([booking], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    for (key, kind, text) in &wanted {
        match existing.iter().find(|e| &e.1 == key) {
            None => {
                ctx.tx.execute(
                    "INSERT INTO booking_occasions (booking_id, kind, text, created_by, created_at_ms, auto_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![booking, kind.as_str(), text, ctx.actor.staff_id, ctx.now_ms, key],
                )?;
                out.added.push(Occasion {
                    id: ctx.tx.last_insert_rowid(),
                    kind: *kind,
                    text: text.clone(),
                    from_date: true,
                });
            }
            // Withdrawn before (dismissed by no one): it applies again.
            Some(&(id, _, true, false)) => {
                ctx.tx.execute(
                    "UPDATE booking_occasions SET dismissed_at_ms = NULL, text = ?2 WHERE id = ?1",
                    params![id, text],
                )?;
                out.added.push(Occasion {
                    id,
                    kind: *kind,
                    text: text.clone(),
                    from_date: true,
                });
            }
            Some(&(id, _, false, _)) => {
                ctx.tx.execute(
                    "UPDATE booking_occasions SET text = ?2 WHERE id = ?1 AND text <> ?2",
                    params![id, text],
                )?;
            }
            // Dismissed by staff: remembered.
            Some(_) => {}
        }
    }
    for (id, key, dismissed, _) in &existing {
        if !dismissed && !wanted.iter().any(|w| &w.0 == key) {
            ctx.tx.execute(
                "UPDATE booking_occasions SET dismissed_at_ms = ?2 WHERE id = ?1",
                params![id, ctx.now_ms],
            )?;
            out.withdrawn.push(*id);
        }
    }
    if !out.added.is_empty() || !out.withdrawn.is_empty() {
        ctx.changed(topics::BOOKING_CHANGED, booking);
    }
    Ok(out)
}

/// An erasure: the words on the person's occasions go (their kinds stay).
pub(crate) fn erase_for(ctx: &mut Ctx<'_>, person: crate::ids::PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE booking_occasions SET text = '' WHERE booking_id IN (SELECT id FROM bookings WHERE person_id = ?1)",
        [person],
    )?)
}
