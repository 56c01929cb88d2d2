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
use crate::setup::clean_text;

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

impl OccasionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OccasionKind::Anniversary => "anniversary",
            OccasionKind::Birthday => "birthday",
            OccasionKind::FirstVisit => "first_visit",
            OccasionKind::Honeymoon => "honeymoon",
            OccasionKind::NervousPatient => "nervous_patient",
            OccasionKind::Celebration => "celebration",
            OccasionKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> OccasionKind {
        match s {
            "anniversary" => OccasionKind::Anniversary,
            "birthday" => OccasionKind::Birthday,
            "first_visit" => OccasionKind::FirstVisit,
            "honeymoon" => OccasionKind::Honeymoon,
            "nervous_patient" => OccasionKind::NervousPatient,
            "celebration" => OccasionKind::Celebration,
            _ => OccasionKind::Other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Occasion {
    pub id: i64,
    pub kind: OccasionKind,
    /// The desk's words ("10th wedding anniversary").
    pub text: String,
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
        "SELECT id, kind, text FROM booking_occasions WHERE booking_id = ?1 AND dismissed_at_ms IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([booking], |r| {
        Ok(Occasion {
            id: r.get(0)?,
            kind: OccasionKind::parse(&r.get::<_, String>(1)?),
            text: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The live occasions of every booking in `ids`, as `(booking, occasion)`.
pub fn of_many(ctx: &ReadCtx<'_>, ids: &[BookingId]) -> CoreResult<Vec<(BookingId, Occasion)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = serde_json::to_string(ids).map_err(|e| CoreError::Storage(e.to_string()))?;
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT booking_id, id, kind, text FROM booking_occasions
          WHERE dismissed_at_ms IS NULL AND booking_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
    )?;
    let rows = stmt.query_map([list], |r| {
        Ok((
            r.get(0)?,
            Occasion {
                id: r.get(1)?,
                kind: OccasionKind::parse(&r.get::<_, String>(2)?),
                text: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn add(ctx: &mut Ctx<'_>, req: AddOccasion) -> CoreResult<Vec<Occasion>> {
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
    ctx.changed(topics::BOOKING_CHANGED, req.booking_id);
    ctx.detail(serde_json::json!({ "booking_id": req.booking_id, "kind": req.kind.as_str() }));
    of(ctx, req.booking_id)
}

pub fn dismiss(ctx: &mut Ctx<'_>, req: DismissOccasion) -> CoreResult<Vec<Occasion>> {
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
    of(ctx, booking)
}
