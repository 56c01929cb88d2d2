//! The waitlist (`waitlist`, an ASAP list): a person wanting a visit of a
//! type, with a provider or anyone, in a window. When a booking is cancelled
//! or moved and frees time, the entries that fit it — longest-waiting first —
//! are offered with the slot; booking one takes them off the list. An entry
//! can come from a follow-up handoff that found no slot (the handoff is then
//! done: "on the waitlist").
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::care::handoffs::{self, FollowUpSpec, HandoffAction, HandoffStatus};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{AppointmentTypeId, PersonId, ResourceId};
use crate::instant::{Instant, LocalDate};
use crate::scheduling::bookings;
use crate::scheduling::slots::{self, FindSlots, Slot};
use crate::scheduling::window::{Window, WindowSpec};
use crate::setup::{clean_text, practice};
use crate::time::local_date;

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct WaitlistEntry {
    pub id: i64,
    pub person_id: PersonId,
    pub person_name: String,
    pub type_id: AppointmentTypeId,
    pub type_name: String,
    pub provider_id: Option<ResourceId>,
    pub provider_name: Option<String>,
    pub duration_minutes: u32,
    pub window: Window,
    pub notes: String,
    pub handoff_id: Option<i64>,
    pub created_at_ms: i64,
}

/// `add_to_waitlist`: a request by hand, or the follow-up of a handoff.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct AddToWaitlist {
    /// Take person, type, provider, length and window from this follow-up handoff.
    #[serde(default)]
    pub handoff_id: Option<i64>,
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub request: Option<FollowUpSpec>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListWaitlist {}

/// `remove_from_waitlist`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct RemoveFromWaitlist {
    pub id: i64,
    pub reason: String,
}

/// `waitlist_for_freed`: who on the list fits time just freed.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct WaitlistForFreed {
    pub starts_at_ms: Instant,
    pub ends_at_ms: Instant,
    pub resource_ids: Vec<ResourceId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct WaitlistFit {
    pub entry: WaitlistEntry,
    /// A free slot inside the freed time that fits their request.
    pub slot: Slot,
}

/// `book_from_waitlist`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct BookFromWaitlist {
    pub id: i64,
    pub starts_at_ms: Instant,
    pub ends_at_ms: Instant,
    pub resource_ids: Vec<ResourceId>,
}

const SELECT: &str = concat!("SELECT w.id, w.person_id,
        (SELECT ", full_name_sql!("p"), " FROM people p WHERE p.id = w.person_id),
        w.type_id, t.name, w.provider_id, r.name, w.duration_minutes, w.window_from, w.window_to, w.notes, w.handoff_id, w.created_at_ms
   FROM waitlist w JOIN appointment_types t ON t.id = w.type_id LEFT JOIN resources r ON r.id = w.provider_id");

/// A stored window day; the columns are NOT NULL and written by `add`.
fn day(s: String) -> rusqlite::Result<LocalDate> {
    LocalDate::from_stored(Some(&s)).ok_or_else(|| {
        rusqlite::Error::InvalidColumnType(0, "date".into(), rusqlite::types::Type::Text)
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<WaitlistEntry> {
    Ok(WaitlistEntry {
        id: r.get(0)?,
        person_id: r.get(1)?,
        person_name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        type_id: r.get(3)?,
        type_name: r.get(4)?,
        provider_id: r.get(5)?,
        provider_name: r.get(6)?,
        duration_minutes: r.get(7)?,
        window: Window {
            from: day(r.get(8)?)?,
            to: day(r.get(9)?)?,
        },
        notes: r.get(10)?,
        handoff_id: r.get(11)?,
        created_at_ms: r.get(12)?,
    })
}

fn get_open(ctx: &ReadCtx<'_>, id: i64) -> CoreResult<WaitlistEntry> {
    ctx.tx
        .query_row(
            &format!("{SELECT} WHERE w.id = ?1 AND w.closed_at_ms IS NULL"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("That waitlist entry"))
}

/// Everyone waiting, longest-waiting first.
pub fn list(ctx: &ReadCtx<'_>, _req: ListWaitlist) -> CoreResult<Vec<WaitlistEntry>> {
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "{SELECT} WHERE w.closed_at_ms IS NULL ORDER BY w.created_at_ms, w.id LIMIT 500"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn add(ctx: &mut Ctx<'_>, req: AddToWaitlist) -> CoreResult<WaitlistEntry> {
    let notes = clean_text("notes", "The notes", &req.notes, 500, false)?;
    let (person, spec, handoff) = match (req.handoff_id, req.person_id, req.request) {
        (Some(h), None, None) => {
            let h = handoffs::get(ctx, h)?;
            let (HandoffAction::FollowUp, Some(f), Some(person)) =
                (h.action, &h.follow_up, h.person_id)
            else {
                return Err(CoreError::invalid(
                    "handoff_id",
                    "That handoff does not ask for a follow-up.",
                ));
            };
            if matches!(h.status, HandoffStatus::Done | HandoffStatus::Declined) {
                return Err(CoreError::BadTransition {
                    message: "That follow-up was already dealt with.".into(),
                });
            }
            let spec = FollowUpSpec {
                type_id: f.type_id,
                provider_id: f.provider_id,
                duration_minutes: Some(f.duration_minutes),
                window: WindowSpec {
                    from: Some(f.window.from),
                    to: Some(f.window.to),
                    ..WindowSpec::default()
                },
            };
            (person, spec, Some(h.id))
        }
        (None, Some(person), Some(spec)) => {
            crate::people::records::get(ctx, person)?;
            (person, spec, None)
        }
        _ => {
            return Err(CoreError::invalid(
                "person_id",
                "Say who is waiting and for what (or which follow-up handoff).",
            ))
        }
    };
    let (minutes, w) = handoffs::check_follow_up(ctx, &spec)?;
    ctx.tx.execute(
        "INSERT INTO waitlist (person_id, type_id, provider_id, duration_minutes, window_from, window_to, notes, handoff_id, created_by, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![person, spec.type_id, spec.provider_id, minutes, w.from.date().to_string(), w.to.date().to_string(), notes, handoff, ctx.actor.staff_id, ctx.now_ms],
    )?;
    let id = ctx.tx.last_insert_rowid();
    ctx.changed(topics::WAITLIST_CHANGED, id);
    ctx.detail(serde_json::json!({ "waitlist_id": id, "person_id": person }));
    if let Some(h) = handoff {
        handoffs::finish(ctx, h, HandoffStatus::Done, "On the waitlist", None)?;
    }
    get_open(ctx, id)
}

pub fn remove(ctx: &mut Ctx<'_>, req: RemoveFromWaitlist) -> CoreResult<Vec<WaitlistEntry>> {
    let e = get_open(ctx, req.id)?;
    let reason = clean_text("reason", "The reason", &req.reason, 300, true)?;
    ctx.tx.execute(
        "UPDATE waitlist SET closed_at_ms = ?2, closed_by = ?3, closed_reason = ?4 WHERE id = ?1",
        params![e.id, ctx.now_ms, ctx.actor.staff_id, reason],
    )?;
    ctx.changed(topics::WAITLIST_CHANGED, e.id);
    ctx.detail(serde_json::json!({ "waitlist_id": e.id }));
    list(ctx, ListWaitlist {})
}

/// Who fits the freed time `[start, end)` on `resources`, longest-waiting
/// first, each with a free slot inside it.
pub fn for_freed(ctx: &ReadCtx<'_>, req: WaitlistForFreed) -> CoreResult<Vec<WaitlistFit>> {
    let p = practice::require(ctx)?;
    let (start, end) = (req.starts_at_ms.ms(), req.ends_at_ms.ms());
    if end <= start {
        return Err(CoreError::invalid(
            "ends_at_ms",
            "The freed time ends before it starts.",
        ));
    }
    let today = local_date(p.tz(), start);
    let Some(day) = LocalDate::new(today) else {
        return Ok(vec![]);
    };
    let provider_of: Vec<ResourceId> = {
        let list = serde_json::to_string(&req.resource_ids)
            .map_err(|e| CoreError::Storage(e.to_string()))?;
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT id FROM resources WHERE kind = 'provider' AND id IN (SELECT value FROM json_each(?1))",
        )?;
        let rows = stmt.query_map([list], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut out = Vec::new();
    for e in list(ctx, ListWaitlist {})? {
        if e.window.from > day || e.window.to < day {
            continue;
        }
        if e.provider_id.is_some_and(|p| !provider_of.contains(&p)) {
            continue;
        }
        let found = slots::find(
            ctx,
            FindSlots {
                type_id: e.type_id,
                provider_id: e.provider_id.or(provider_of.first().copied()),
                chair_id: None,
                from_date: day,
                within_days: 1,
                count: 200,
                duration_minutes: Some(e.duration_minutes),
                part: None,
            },
        )?;
        if let Some(slot) = found
            .into_iter()
            .find(|s| s.starts_at_ms >= start && s.ends_at_ms <= end)
        {
            out.push(WaitlistFit { entry: e, slot });
        }
    }
    Ok(out)
}

pub fn book(ctx: &mut Ctx<'_>, req: BookFromWaitlist) -> CoreResult<bookings::Booking> {
    let e = get_open(ctx, req.id)?;
    let booked = bookings::book_person(
        ctx,
        e.person_id,
        e.type_id,
        req.resource_ids,
        (req.starts_at_ms, req.ends_at_ms),
        e.notes.clone(),
    )?;
    ctx.tx.execute(
        "UPDATE waitlist SET closed_at_ms = ?2, closed_by = ?3, closed_reason = 'booked', booking_id = ?4 WHERE id = ?1",
        params![e.id, ctx.now_ms, ctx.actor.staff_id, booked.id],
    )?;
    ctx.changed(topics::WAITLIST_CHANGED, e.id);
    ctx.detail(serde_json::json!({ "waitlist_id": e.id, "booking_id": booked.id }));
    Ok(booked)
}

/// A merge: the merged record's requests are the survivor's.
/// Every waitlist request of a person, closed ones too (their export).
pub(crate) fn of(ctx: &ReadCtx<'_>, person: PersonId) -> CoreResult<Vec<WaitlistEntry>> {
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "{SELECT} WHERE w.person_id = ?1 ORDER BY w.created_at_ms, w.id"
    ))?;
    let rows = stmt.query_map(params![person], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn move_person(ctx: &mut Ctx<'_>, from: PersonId, to: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE waitlist SET person_id = ?2 WHERE person_id = ?1",
        params![from, to],
    )?)
}

/// An erasure: their requests leave the list.
pub(crate) fn erase_for(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    Ok(ctx
        .tx
        .execute("DELETE FROM waitlist WHERE person_id = ?1", [person])?)
}
