//! Handoffs (`handoffs`): a note from the signed-in staff member to a role or
//! a person — about a person and/or a booking, or a shift note — with a
//! priority and an optional requested action (book a follow-up in a window,
//! call back, make a task). Open → seen (who, when) → done (who, when,
//! outcome) or declined (why). Each member's inbox is what was sent to them
//! or to their role; the header counts the unseen.
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::StaffRole;
use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{AppointmentTypeId, BookingId, PersonId, ResourceId, StaffId};
use crate::instant::LocalDate;
use crate::scheduling::window::{self, Window, WindowSpec};
use crate::setup::{appointment_types, clean_text, practice};
use crate::time::local_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandoffPriority {
    Normal,
    Urgent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandoffAction {
    None,
    /// Book a follow-up (type, provider, length, window).
    FollowUp,
    CallBack,
    /// Make a task of it.
    Task,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandoffStatus {
    Open,
    Seen,
    Done,
    Declined,
}

stored_enum!(HandoffPriority, Normal { Normal = "normal", Urgent = "urgent" });
stored_enum!(HandoffAction, None { None = "none", FollowUp = "follow_up", CallBack = "call_back", Task = "task" });
stored_enum!(HandoffStatus, Open { Open = "open", Seen = "seen", Done = "done", Declined = "declined" });

/// What a follow-up request asks for.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct FollowUpSpec {
    pub type_id: AppointmentTypeId,
    /// With this provider ("with me"); any when left out.
    #[serde(default)]
    pub provider_id: Option<ResourceId>,
    /// Minutes; the type's length when left out.
    #[serde(default)]
    pub duration_minutes: Option<u32>,
    pub window: WindowSpec,
}

/// A follow-up request as stored: the window in dates.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct FollowUp {
    pub type_id: AppointmentTypeId,
    pub type_name: String,
    pub provider_id: Option<ResourceId>,
    pub provider_name: Option<String>,
    pub duration_minutes: u32,
    pub window: Window,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Handoff {
    pub id: i64,
    pub from_staff: Option<StaffId>,
    pub from_name: Option<String>,
    pub to_role: Option<StaffRole>,
    pub to_staff: Option<StaffId>,
    pub to_name: Option<String>,
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    pub booking_id: Option<BookingId>,
    pub shift_note: bool,
    pub body: String,
    pub priority: HandoffPriority,
    pub action: HandoffAction,
    pub follow_up: Option<FollowUp>,
    pub status: HandoffStatus,
    pub seen_by_name: Option<String>,
    pub seen_at_ms: Option<i64>,
    pub closed_by_name: Option<String>,
    pub closed_at_ms: Option<i64>,
    /// What was done, or why it was declined.
    pub outcome: String,
    /// The follow-up booked from it.
    pub result_booking_id: Option<BookingId>,
    pub created_at_ms: i64,
    pub version: i64,
}

/// `send_handoff`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SendHandoff {
    #[serde(default)]
    pub to_role: Option<StaffRole>,
    #[serde(default)]
    pub to_staff: Option<StaffId>,
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub booking_id: Option<BookingId>,
    /// A note for the next shift (night desk → morning desk).
    #[serde(default)]
    pub shift_note: bool,
    pub body: String,
    pub priority: HandoffPriority,
    pub action: HandoffAction,
    #[serde(default)]
    pub follow_up: Option<FollowUpSpec>,
}

/// `list_handoffs`: my inbox (to me or my role), or what I sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListHandoffs {
    #[serde(default)]
    pub sent: bool,
    /// Done and declined ones too.
    #[serde(default)]
    pub include_closed: bool,
}

/// `count_handoffs`: the header's badge.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CountHandoffs {}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct HandoffCount {
    pub unseen: u32,
    pub urgent_unseen: u32,
    pub open: u32,
}

/// `mark_handoff_seen`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct MarkHandoffSeen {
    pub id: i64,
}

/// `close_handoff`: done (with what was done) or declined (with why).
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CloseHandoff {
    pub id: i64,
    pub expected_version: i64,
    pub status: HandoffStatus,
    #[serde(default)]
    pub outcome: String,
}

const SELECT: &str = concat!("SELECT h.id, h.from_staff, f.name, h.to_role, h.to_staff, t.name, h.person_id,
        (SELECT ", full_name_sql!("p"), " FROM people p WHERE p.id = h.person_id),
        h.booking_id, h.shift_note, h.body, h.priority, h.action,
        h.follow_type_id, ty.name, h.follow_provider_id, pr.name, h.follow_minutes, h.window_from, h.window_to,
        h.status, sb.name, h.seen_at_ms, cb.name, h.closed_at_ms, h.outcome, h.result_booking_id, h.created_at_ms, h.version
   FROM handoffs h
   LEFT JOIN staff f ON f.id = h.from_staff LEFT JOIN staff t ON t.id = h.to_staff
   LEFT JOIN appointment_types ty ON ty.id = h.follow_type_id LEFT JOIN resources pr ON pr.id = h.follow_provider_id
   LEFT JOIN staff sb ON sb.id = h.seen_by LEFT JOIN staff cb ON cb.id = h.closed_by");

fn from_row(r: &Row<'_>) -> rusqlite::Result<Handoff> {
    let role: Option<String> = r.get(3)?;
    let type_id: Option<AppointmentTypeId> = r.get(13)?;
    let from: Option<String> = r.get(18)?;
    let to: Option<String> = r.get(19)?;
    let day = |s: Option<String>| LocalDate::from_stored(s.as_deref());
    let follow_up = match (type_id, day(from), day(to)) {
        (Some(type_id), Some(from), Some(to)) => Some(FollowUp {
            type_id,
            type_name: r.get::<_, Option<String>>(14)?.unwrap_or_default(),
            provider_id: r.get(15)?,
            provider_name: r.get(16)?,
            duration_minutes: r.get::<_, Option<u32>>(17)?.unwrap_or(0),
            window: Window { from, to },
        }),
        _ => None,
    };
    Ok(Handoff {
        id: r.get(0)?,
        from_staff: r.get(1)?,
        from_name: r.get(2)?,
        to_role: role.and_then(|r| StaffRole::parse(&r).ok()),
        to_staff: r.get(4)?,
        to_name: r.get(5)?,
        person_id: r.get(6)?,
        person_name: r.get(7)?,
        booking_id: r.get(8)?,
        shift_note: r.get(9)?,
        body: r.get(10)?,
        priority: HandoffPriority::parse(&r.get::<_, String>(11)?),
        action: HandoffAction::parse(&r.get::<_, String>(12)?),
        follow_up,
        status: HandoffStatus::parse(&r.get::<_, String>(20)?),
        seen_by_name: r.get(21)?,
        seen_at_ms: r.get(22)?,
        closed_by_name: r.get(23)?,
        closed_at_ms: r.get(24)?,
        outcome: r.get(25)?,
        result_booking_id: r.get(26)?,
        created_at_ms: r.get(27)?,
        version: r.get(28)?,
    })
}

pub fn get(ctx: &ReadCtx<'_>, id: i64) -> CoreResult<Handoff> {
    ctx.tx
        .query_row(&format!("{SELECT} WHERE h.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("That handoff"))
}

/// Who is asking, and their role (every handoff command has a signed-in actor).
fn me(ctx: &ReadCtx<'_>) -> CoreResult<(StaffId, StaffRole)> {
    let id = ctx.actor.staff_id.ok_or_else(CoreError::auth_required)?;
    let (role, _) = StaffRole::of(ctx.tx, id)?.ok_or_else(CoreError::auth_required)?;
    Ok((id, role))
}

/// Sent to `me` or to my role.
const MINE: &str = "(h.to_staff = ?1 OR h.to_role = ?2)";

pub fn list(ctx: &ReadCtx<'_>, req: ListHandoffs) -> CoreResult<Vec<Handoff>> {
    let (id, role) = me(ctx)?;
    let whose = if req.sent {
        "h.from_staff = ?1 AND ?2 IS NOT NULL"
    } else {
        MINE
    };
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "{SELECT} WHERE {whose} AND (?3 OR h.status IN ('open', 'seen'))
          ORDER BY h.status IN ('done', 'declined'), h.priority = 'urgent' DESC, h.created_at_ms DESC LIMIT 200"
    ))?;
    let rows = stmt.query_map(params![id, role.as_str(), req.include_closed], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn count(ctx: &ReadCtx<'_>, _req: CountHandoffs) -> CoreResult<HandoffCount> {
    let (id, role) = me(ctx)?;
    Ok(ctx.tx.query_row(
        &format!(
            "SELECT coalesce(sum(h.status = 'open'), 0), coalesce(sum(h.status = 'open' AND h.priority = 'urgent'), 0),
                    coalesce(sum(h.status IN ('open', 'seen')), 0)
               FROM handoffs h WHERE {MINE}"
        ),
        params![id, role.as_str()],
        |r| {
            Ok(HandoffCount {
                unseen: r.get(0)?,
                urgent_unseen: r.get(1)?,
                open: r.get(2)?,
            })
        },
    )?)
}

/// The practice's today (for windows), from its clock.
pub(crate) fn today(ctx: &ReadCtx<'_>) -> CoreResult<chrono::NaiveDate> {
    let p = practice::require(ctx)?;
    Ok(local_date(p.tz(), ctx.now_ms))
}

/// A follow-up request checked: the type bookable, the provider a provider,
/// the length sane, the window resolved from today.
pub(crate) fn check_follow_up(ctx: &ReadCtx<'_>, spec: &FollowUpSpec) -> CoreResult<(u32, Window)> {
    let t = appointment_types::bookable(ctx, spec.type_id)?;
    if let Some(p) = spec.provider_id {
        let kind: Option<String> = ctx
            .tx
            .query_row(
                "SELECT kind FROM resources WHERE id = ?1 AND archived = 0",
                [p],
                |r| r.get(0),
            )
            .optional()?;
        if kind.as_deref() != Some("provider") {
            return Err(CoreError::invalid(
                "provider_id",
                "Choose a provider who is on the team.",
            ));
        }
    }
    let minutes = spec.duration_minutes.unwrap_or(t.duration_minutes);
    if minutes == 0 || minutes > 12 * 60 {
        return Err(CoreError::invalid(
            "duration_minutes",
            "The length must be between 1 minute and 12 hours.",
        ));
    }
    Ok((minutes, window::resolve(&spec.window, today(ctx)?)?))
}

pub fn send(ctx: &mut Ctx<'_>, req: SendHandoff) -> CoreResult<Handoff> {
    let (from, _) = me(ctx)?;
    let body = crate::setup::clean_lines("body", "The note", &req.body, 2000, true)?;
    match (req.to_role, req.to_staff) {
        (None, None) => {
            return Err(CoreError::invalid(
                "to_role",
                "Say who it is for: a role or a person.",
            ))
        }
        (_, Some(s)) if StaffRole::of(ctx.tx, s)?.is_none_or(|(_, archived)| archived) => {
            return Err(CoreError::invalid(
                "to_staff",
                "That staff member is not on the team.",
            ))
        }
        _ => {}
    }
    let mut person = req.person_id;
    if let Some(b) = req.booking_id {
        let of: Option<Option<PersonId>> = ctx
            .tx
            .query_row("SELECT person_id FROM bookings WHERE id = ?1", [b], |r| {
                r.get(0)
            })
            .optional()?;
        match of {
            None => return Err(CoreError::not_found("That booking")),
            Some(p) => person = person.or(p),
        }
    }
    if let Some(p) = person {
        crate::people::records::get(ctx, p)?;
    }
    let follow = match (req.action, &req.follow_up) {
        (HandoffAction::FollowUp, Some(spec)) => {
            if person.is_none() {
                return Err(CoreError::invalid(
                    "person_id",
                    "A follow-up needs the patient or guest it is for.",
                ));
            }
            let (minutes, w) = check_follow_up(ctx, spec)?;
            Some((spec, minutes, w))
        }
        (HandoffAction::FollowUp, None) => {
            return Err(CoreError::invalid(
                "follow_up",
                "Say what to book: the type and the window.",
            ))
        }
        (_, _) => None,
    };
    ctx.tx.execute(
        "INSERT INTO handoffs (from_staff, to_role, to_staff, person_id, booking_id, shift_note, body, priority, action,
                               follow_type_id, follow_provider_id, follow_minutes, window_from, window_to, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            from,
            req.to_role.map(StaffRole::as_str),
            req.to_staff,
            person,
            req.booking_id,
            req.shift_note,
            body,
            req.priority.as_str(),
            req.action.as_str(),
            follow.as_ref().map(|f| f.0.type_id),
            follow.as_ref().and_then(|f| f.0.provider_id),
            follow.as_ref().map(|f| f.1),
            follow.as_ref().map(|f| f.2.from.date().to_string()),
            follow.as_ref().map(|f| f.2.to.date().to_string()),
            ctx.now_ms
        ],
    )?;
    let id = ctx.tx.last_insert_rowid();
    ctx.changed(topics::HANDOFF_CHANGED, id);
    ctx.detail(serde_json::json!({ "handoff_id": id, "action": req.action.as_str(), "priority": req.priority.as_str() }));
    get(ctx, id)
}

/// Only what was sent to me or my role is mine to see or close.
fn mine(ctx: &ReadCtx<'_>, id: i64) -> CoreResult<Handoff> {
    let (me_id, role) = me(ctx)?;
    let h = get(ctx, id)?;
    if h.to_staff != Some(me_id) && h.to_role != Some(role) {
        return Err(CoreError::Forbidden {
            message: "That handoff was sent to someone else.".into(),
        });
    }
    Ok(h)
}

pub fn mark_seen(ctx: &mut Ctx<'_>, req: MarkHandoffSeen) -> CoreResult<Handoff> {
    let h = mine(ctx, req.id)?;
    if h.status == HandoffStatus::Open {
        ctx.tx.execute(
            "UPDATE handoffs SET status = 'seen', seen_by = ?2, seen_at_ms = ?3, version = version + 1 WHERE id = ?1",
            params![h.id, ctx.actor.staff_id, ctx.now_ms],
        )?;
        ctx.changed(topics::HANDOFF_CHANGED, h.id);
    }
    get(ctx, h.id)
}

pub fn close(ctx: &mut Ctx<'_>, req: CloseHandoff) -> CoreResult<Handoff> {
    let h = mine(ctx, req.id)?;
    if h.version != req.expected_version {
        return Err(CoreError::Stale {
            message: "This handoff was just changed on another desk. It has been reloaded — check it and try again.".into(),
        });
    }
    let outcome = clean_text("outcome", "The outcome", &req.outcome, 500, false)?;
    match req.status {
        HandoffStatus::Done | HandoffStatus::Declined => {}
        _ => {
            return Err(CoreError::invalid(
                "status",
                "A handoff is closed as done or declined.",
            ))
        }
    }
    if matches!(h.status, HandoffStatus::Done | HandoffStatus::Declined) {
        return Err(CoreError::BadTransition {
            message: format!(
                "This handoff was already closed by {}.",
                h.closed_by_name.unwrap_or_else(|| "someone".into())
            ),
        });
    }
    if req.status == HandoffStatus::Declined && outcome.is_empty() {
        return Err(CoreError::invalid("outcome", "Say why it is declined."));
    }
    finish(ctx, h.id, req.status, &outcome, None)?;
    get(ctx, h.id)
}

/// Closes a handoff (seen on the way if it was not), with its outcome and
/// the booking made from it.
pub(crate) fn finish(
    ctx: &mut Ctx<'_>,
    id: i64,
    status: HandoffStatus,
    outcome: &str,
    booking: Option<BookingId>,
) -> CoreResult<()> {
    ctx.tx.execute(
        "UPDATE handoffs SET status = ?2, outcome = ?3, result_booking_id = coalesce(?4, result_booking_id),
                closed_by = ?5, closed_at_ms = ?6,
                seen_by = coalesce(seen_by, ?5), seen_at_ms = coalesce(seen_at_ms, ?6), version = version + 1
          WHERE id = ?1",
        params![id, status.as_str(), outcome, booking, ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.changed(topics::HANDOFF_CHANGED, id);
    ctx.detail(serde_json::json!({ "handoff_id": id, "status": status.as_str() }));
    Ok(())
}

/// A follow-up booked by mistake and taken back: open again, as it was
/// before the booking (seen, not done; no outcome or booking).
pub(crate) fn reopen(ctx: &mut Ctx<'_>, id: i64) -> CoreResult<()> {
    ctx.tx.execute(
        "UPDATE handoffs SET status = 'seen', outcome = '', result_booking_id = NULL, closed_by = NULL, closed_at_ms = NULL,
                version = version + 1
          WHERE id = ?1",
        [id],
    )?;
    ctx.changed(topics::HANDOFF_CHANGED, id);
    ctx.detail(serde_json::json!({ "handoff_id": id, "status": "seen" }));
    Ok(())
}

/// A merge: handoffs about the merged record are about the survivor.
/// Every handoff about a person, closed ones too, newest first (their export).
pub(crate) fn of(ctx: &ReadCtx<'_>, person: PersonId) -> CoreResult<Vec<Handoff>> {
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "{SELECT} WHERE h.person_id = ?1 ORDER BY h.created_at_ms DESC, h.id DESC"
    ))?;
    let rows = stmt.query_map(params![person], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn move_person(ctx: &mut Ctx<'_>, from: PersonId, to: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE handoffs SET person_id = ?2, version = version + 1 WHERE person_id = ?1",
        params![from, to],
    )?)
}

/// An erasure: handoffs about the person stay (who sent what to whom, and
/// when) without their words.
pub(crate) fn erase_for(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE handoffs SET body = '(erased on request)', outcome = '', version = version + 1 WHERE person_id = ?1",
        [person],
    )?)
}
