//! Tasks (`tasks`): something to do for a person or a visit — champagne on
//! ice, a card to sign, a shower to fix, a gesture to make — assigned to a
//! role or a staff member, due at an instant or relative to a booking ("two
//! hours before check-in"). A relative task follows its booking when it moves;
//! cancelling the booking cancels its open tasks with the reason. Closed as
//! done or skipped (who, when, why), never deleted.
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{disclosure, StaffRole};
use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{BookingId, IncidentId, PersonId, StaffId, TaskId};
use crate::instant::Instant;
use crate::setup::clean_text;
use crate::setup::task_rules::{Anchor, TaskRule};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Done,
    Skipped,
    /// Its booking or occasion went away (the reason is the note).
    Cancelled,
}

stored_enum!(TaskStatus, Open { Open = "open", Done = "done", Skipped = "skipped", Cancelled = "cancelled" });

/// Due relative to a booking: its start or end plus `offset_minutes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RelativeDue {
    pub anchor: Anchor,
    pub offset_minutes: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub details: String,
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    pub booking_id: Option<BookingId>,
    pub incident_id: Option<IncidentId>,
    pub occasion_id: Option<i64>,
    /// Made by a rule (not by hand).
    pub from_rule: bool,
    pub role: Option<StaffRole>,
    pub staff_id: Option<StaffId>,
    pub staff_name: Option<String>,
    pub relative: Option<RelativeDue>,
    pub due_at_ms: i64,
    pub status: TaskStatus,
    /// Open and past due.
    pub overdue: bool,
    pub closed_by_name: Option<String>,
    pub closed_at_ms: Option<i64>,
    /// Why it was skipped or cancelled, or what was done.
    pub close_note: String,
    pub version: i64,
}

/// `add_task`: a task by hand, for a role or a member, due at an instant or
/// relative to a booking.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct AddTask {
    pub title: String,
    #[serde(default)]
    pub details: String,
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub booking_id: Option<BookingId>,
    #[serde(default)]
    pub incident_id: Option<IncidentId>,
    #[serde(default)]
    pub role: Option<StaffRole>,
    #[serde(default)]
    pub staff_id: Option<StaffId>,
    #[serde(default)]
    pub due_at_ms: Option<Instant>,
    #[serde(default)]
    pub relative: Option<RelativeDue>,
}

/// `close_task`: done, skipped (say why) or open again.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CloseTask {
    pub id: TaskId,
    pub expected_version: i64,
    pub status: TaskStatus,
    #[serde(default)]
    pub note: String,
}

/// `list_tasks`: a board (tasks due in a range, with open ones from before it
/// carried in as overdue), or everything for a person or a booking.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListTasks {
    #[serde(default)]
    pub from_ms: Option<Instant>,
    #[serde(default)]
    pub to_ms: Option<Instant>,
    /// A role's board (with the tasks given to its members by name).
    #[serde(default)]
    pub role: Option<StaffRole>,
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub booking_id: Option<BookingId>,
    /// Done, skipped and cancelled ones too.
    #[serde(default)]
    pub include_closed: bool,
}

const SELECT: &str = concat!("SELECT t.id, t.title, t.details, t.person_id,
        (SELECT ", full_name_sql!("p"), " FROM people p WHERE p.id = t.person_id),
        t.booking_id, t.incident_id, t.occasion_id, t.rule_id IS NOT NULL, t.role, t.staff_id, s.name,
        t.anchor, t.offset_minutes, t.due_at_ms, t.status, c.name, t.closed_at_ms, t.close_note, t.version
   FROM tasks t LEFT JOIN staff s ON s.id = t.staff_id LEFT JOIN staff c ON c.id = t.closed_by");

fn from_row(now_ms: i64) -> impl Fn(&Row<'_>) -> rusqlite::Result<Task> {
    move |r| {
        let role: Option<String> = r.get(9)?;
        let anchor: Option<String> = r.get(12)?;
        let offset: Option<i32> = r.get(13)?;
        let due: i64 = r.get(14)?;
        let status = TaskStatus::parse(&r.get::<_, String>(15)?);
        Ok(Task {
            id: r.get(0)?,
            title: r.get(1)?,
            details: r.get(2)?,
            person_id: r.get(3)?,
            person_name: r.get(4)?,
            booking_id: r.get(5)?,
            incident_id: r.get(6)?,
            occasion_id: r.get(7)?,
            from_rule: r.get(8)?,
            role: role.and_then(|r| StaffRole::parse(&r).ok()),
            staff_id: r.get(10)?,
            staff_name: r.get(11)?,
            relative: anchor.zip(offset).map(|(a, o)| RelativeDue {
                anchor: Anchor::parse(&a),
                offset_minutes: o,
            }),
            due_at_ms: due,
            overdue: status == TaskStatus::Open && due < now_ms,
            status,
            closed_by_name: r.get(16)?,
            closed_at_ms: r.get(17)?,
            close_note: r.get(18)?,
            version: r.get(19)?,
        })
    }
}

pub fn get(ctx: &ReadCtx<'_>, id: TaskId) -> CoreResult<Task> {
    ctx.tx
        .query_row(
            &format!("{SELECT} WHERE t.id = ?1"),
            [id],
            from_row(ctx.now_ms),
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("That task"))
}

/// The board the acting member may see: any (`wanted`), or only their own
/// role's when the disclosure table keeps them to it (housekeeping).
fn board(ctx: &ReadCtx<'_>, wanted: Option<StaffRole>) -> CoreResult<Option<StaffRole>> {
    match ctx.actor.staff_id {
        None => Ok(wanted),
        Some(_) => {
            let role = ctx.role()?;
            Ok(if disclosure::sees_all_tasks(role) {
                wanted
            } else {
                Some(role)
            })
        }
    }
}

pub fn list(ctx: &ReadCtx<'_>, req: ListTasks) -> CoreResult<Vec<Task>> {
    let req = ListTasks {
        role: board(ctx, req.role)?,
        ..req
    };
    let from = req.from_ms.map(Instant::ms);
    let to = req.to_ms.map(Instant::ms);
    if let (Some(f), Some(t)) = (from, to) {
        if t <= f {
            return Err(CoreError::invalid(
                "to_ms",
                "The end must be after the start.",
            ));
        }
    }
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "{SELECT}
          WHERE (?1 IS NULL OR t.role = ?1 OR t.staff_id IN (SELECT id FROM staff WHERE role = ?1))
            AND (?2 IS NULL OR t.person_id = ?2)
            AND (?3 IS NULL OR t.booking_id = ?3)
            AND (?4 OR t.status = 'open')
            AND (?5 IS NULL OR t.due_at_ms >= ?5 OR t.status = 'open')
            AND (?6 IS NULL OR t.due_at_ms < ?6)
          ORDER BY t.due_at_ms, t.id LIMIT 500"
    ))?;
    let rows = stmt.query_map(
        params![
            req.role.map(StaffRole::as_str),
            req.person_id,
            req.booking_id,
            req.include_closed,
            from,
            to
        ],
        from_row(ctx.now_ms),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What a task needs to know about its booking: when, who, where.
pub(crate) struct BookingFacts {
    pub id: BookingId,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub person_id: Option<PersonId>,
    /// Preferred name if they have one, else the name on the booking.
    pub name: String,
    /// The booking's rooms or chairs by name ("Room 214").
    pub place: String,
    pub live: bool,
}

pub(crate) fn facts(ctx: &ReadCtx<'_>, id: BookingId) -> CoreResult<BookingFacts> {
    ctx.tx
        .query_row(
            "SELECT b.id, b.starts_at_ms, b.ends_at_ms, b.person_id,
                    coalesce(nullif((SELECT preferred_name FROM people WHERE id = b.person_id), ''), b.person_name),
                    coalesce((SELECT group_concat(r.name, ', ') FROM booking_resources br JOIN resources r ON r.id = br.resource_id
                               WHERE br.booking_id = b.id AND r.kind IN ('room', 'chair')), ''),
                    b.live
               FROM bookings b WHERE b.id = ?1",
            [id],
            |r| {
                Ok(BookingFacts {
                    id: r.get(0)?,
                    starts_at_ms: r.get(1)?,
                    ends_at_ms: r.get(2)?,
                    person_id: r.get(3)?,
                    name: r.get(4)?,
                    place: r.get(5)?,
                    live: r.get(6)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("That booking"))
}

fn due(f: &BookingFacts, rel: RelativeDue) -> i64 {
    let at = match rel.anchor {
        Anchor::Start => f.starts_at_ms,
        Anchor::End => f.ends_at_ms,
    };
    at + i64::from(rel.offset_minutes) * 60_000
}

/// Fills `{room}` and `{name}` from the booking (the rest is filled when the
/// task is made and kept in its template).
fn render(template: &str, f: &BookingFacts) -> String {
    let place = if f.place.is_empty() {
        "the room"
    } else {
        &f.place
    };
    template.replace("{room}", place).replace("{name}", &f.name)
}

/// What a rule's title may name besides the booking's room and person.
#[derive(Default)]
pub(crate) struct Fill<'a> {
    pub occasion: &'a str,
    pub gesture: &'a str,
    pub incident: &'a str,
}

/// A task from a rule for a booking.
pub(crate) fn from_rule(
    ctx: &mut Ctx<'_>,
    rule: &TaskRule,
    f: &BookingFacts,
    occasion_id: Option<i64>,
    incident_id: Option<IncidentId>,
    fill: &Fill<'_>,
) -> CoreResult<TaskId> {
    let template = rule
        .title
        .replace("{occasion}", fill.occasion)
        .replace("{gesture}", fill.gesture)
        .replace("{incident}", fill.incident);
    let rel = RelativeDue {
        anchor: rule.anchor,
        offset_minutes: rule.offset_minutes,
    };
    ctx.tx.execute(
        "INSERT INTO tasks (title, title_template, person_id, booking_id, incident_id, occasion_id, rule_id, role,
                            anchor, offset_minutes, due_at_ms, created_by, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            render(&template, f),
            template,
            f.person_id,
            f.id,
            incident_id,
            occasion_id,
            rule.id,
            rule.role.as_str(),
            rel.anchor.as_str(),
            rel.offset_minutes,
            due(f, rel),
            ctx.actor.staff_id,
            ctx.now_ms
        ],
    )?;
    let id = TaskId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::TASK_CHANGED, id);
    Ok(id)
}

/// Whether a rule already made its task for this booking (and incident),
/// not counting cancelled ones.
pub(crate) fn exists_for_rule(
    ctx: &ReadCtx<'_>,
    rule_id: i64,
    booking: BookingId,
    incident: Option<IncidentId>,
) -> CoreResult<bool> {
    Ok(ctx
        .tx
        .query_row(
            "SELECT 1 FROM tasks WHERE rule_id = ?1 AND booking_id = ?2 AND incident_id IS ?3 AND status <> 'cancelled' LIMIT 1",
            params![rule_id, booking, incident],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub fn add(ctx: &mut Ctx<'_>, req: AddTask) -> CoreResult<Task> {
    let title = clean_text("title", "The task", &req.title, 200, true)?;
    let details = clean_text("details", "The details", &req.details, 2000, false)?;
    if req.role.is_none() && req.staff_id.is_none() {
        return Err(CoreError::invalid(
            "role",
            "Say who the task is for: a role or a person.",
        ));
    }
    if let Some(s) = req.staff_id {
        if StaffRole::of(ctx.tx, s)?.is_none_or(|(_, archived)| archived) {
            return Err(CoreError::invalid(
                "staff_id",
                "That staff member is not on the team.",
            ));
        }
    }
    let facts = req.booking_id.map(|b| facts(ctx, b)).transpose()?;
    let person_id = req.person_id.or(facts.as_ref().and_then(|f| f.person_id));
    if let Some(p) = person_id {
        crate::people::records::get(ctx, p)?;
    }
    let due_at = match (req.due_at_ms, req.relative, &facts) {
        (_, Some(rel), Some(f)) => {
            if rel.offset_minutes.abs() > 7 * 24 * 60 {
                return Err(CoreError::invalid(
                    "relative",
                    "A task can be due at most a week before or after the booking.",
                ));
            }
            due(f, rel)
        }
        (_, Some(_), None) => {
            return Err(CoreError::invalid(
                "relative",
                "A task due relative to a booking needs the booking.",
            ))
        }
        (Some(at), None, _) => at.ms(),
        (None, None, _) => {
            return Err(CoreError::invalid("due_at_ms", "Say when the task is due."))
        }
    };
    ctx.tx.execute(
        "INSERT INTO tasks (title, details, person_id, booking_id, incident_id, role, staff_id, anchor, offset_minutes,
                            due_at_ms, created_by, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            title,
            details,
            person_id,
            req.booking_id,
            req.incident_id,
            req.role.map(StaffRole::as_str),
            req.staff_id,
            req.relative.map(|r| r.anchor.as_str()),
            req.relative.map(|r| r.offset_minutes),
            due_at,
            ctx.actor.staff_id,
            ctx.now_ms
        ],
    )?;
    let id = TaskId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::TASK_CHANGED, id);
    ctx.detail(serde_json::json!({ "task_id": id, "booking_id": req.booking_id }));
    get(ctx, id)
}

/// Closes a task (`care::follow::close_task` records a gesture it makes).
pub(crate) fn close(ctx: &mut Ctx<'_>, req: CloseTask) -> CoreResult<Task> {
    let old = get(ctx, req.id)?;
    if let Some(mine) = board(ctx, None)? {
        let members_role = match old.staff_id {
            Some(id) => StaffRole::of(ctx.tx, id)?.map(|(r, _)| r),
            None => None,
        };
        if old.role != Some(mine) && members_role != Some(mine) {
            return Err(CoreError::Forbidden {
                message:
                    "This task is for another team. You can see and close your own team's tasks."
                        .into(),
            });
        }
    }
    if old.version != req.expected_version {
        return Err(CoreError::Stale {
            message: format!(
                "\u{201c}{}\u{201d} was just changed on another desk. It has been reloaded — check it and try again.",
                old.title
            ),
        });
    }
    let note = clean_text("note", "The note", &req.note, 500, false)?;
    match (old.status, req.status) {
        (_, TaskStatus::Cancelled) => {
            return Err(CoreError::invalid(
                "status",
                "A task is cancelled with its booking; mark it skipped and say why instead.",
            ))
        }
        (TaskStatus::Cancelled, _) => {
            return Err(CoreError::BadTransition {
                message: format!(
                    "\u{201c}{}\u{201d} was cancelled ({}), so it can't be changed.",
                    old.title,
                    old.close_note.trim_end_matches('.')
                ),
            })
        }
        (a, b) if a == b => {
            return Err(CoreError::BadTransition {
                message: format!("\u{201c}{}\u{201d} is already {}.", old.title, b.as_str()),
            })
        }
        (_, TaskStatus::Skipped) if note.is_empty() => {
            return Err(CoreError::invalid("note", "Say why the task is skipped."))
        }
        _ => {}
    }
    let open = req.status == TaskStatus::Open;
    ctx.tx.execute(
        "UPDATE tasks SET status = ?2, closed_by = ?3, closed_at_ms = ?4, close_note = ?5, version = version + 1 WHERE id = ?1",
        params![
            old.id,
            req.status.as_str(),
            (!open).then_some(ctx.actor.staff_id).flatten(),
            (!open).then_some(ctx.now_ms),
            note
        ],
    )?;
    ctx.changed(topics::TASK_CHANGED, old.id);
    ctx.detail(serde_json::json!({ "task_id": old.id, "status": req.status.as_str() }));
    get(ctx, old.id)
}

/// A booking moved, resized or changed room or person: its relative tasks
/// follow it, and titles naming the room or the person are filled again.
pub(crate) fn follow_booking(ctx: &mut Ctx<'_>, booking: BookingId) -> CoreResult<()> {
    let f = facts(ctx, booking)?;
    // (task, title template, anchor, offset)
    type Relative = (TaskId, Option<String>, Option<String>, Option<i32>);
    let rows: Vec<Relative> = {
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT id, title_template, anchor, offset_minutes FROM tasks WHERE booking_id = ?1 AND status = 'open'",
        )?;
        let rows = stmt.query_map([booking], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, template, anchor, offset) in rows {
        let due_at = anchor.zip(offset).map(|(a, o)| {
            due(
                &f,
                RelativeDue {
                    anchor: Anchor::parse(&a),
                    offset_minutes: o,
                },
            )
        });
        let title = template.as_deref().map(|t| render(t, &f));
        let n = ctx.tx.execute(
            "UPDATE tasks SET due_at_ms = coalesce(?2, due_at_ms), title = coalesce(?3, title), version = version + 1
              WHERE id = ?1 AND (due_at_ms IS NOT coalesce(?2, due_at_ms) OR title IS NOT coalesce(?3, title))",
            params![id, due_at, title],
        )?;
        if n > 0 {
            ctx.changed(topics::TASK_CHANGED, id);
        }
    }
    Ok(())
}

/// Removes the tasks the rules made for a booking (or its occasions) that
/// nobody has touched, as an undone import takes the booking out; a task
/// done, skipped or edited stays, and keeps the booking.
pub(crate) fn delete_untouched_of_booking(
    ctx: &Ctx<'_>,
    booking: BookingId,
) -> rusqlite::Result<()> {
    ctx.tx
        .prepare_cached(
            "DELETE FROM tasks WHERE status = 'open' AND version = 1 AND rule_id IS NOT NULL AND id IN (
                SELECT id FROM tasks WHERE booking_id = ?1
                UNION SELECT t.id FROM booking_occasions o JOIN tasks t ON t.occasion_id = o.id WHERE o.booking_id = ?1)",
        )?
        .execute([booking])?;
    Ok(())
}

/// Cancels the open tasks of a booking (cancelled, a no-show) or of one
/// occasion (dismissed, no longer on this visit), with the reason.
pub(crate) fn cancel_open(
    ctx: &mut Ctx<'_>,
    booking: Option<BookingId>,
    occasion: Option<i64>,
    reason: &str,
) -> CoreResult<()> {
    let ids: Vec<TaskId> = {
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT id FROM tasks WHERE status = 'open' AND (?1 IS NULL OR booking_id = ?1) AND (?2 IS NULL OR occasion_id = ?2)
                AND (?1 IS NOT NULL OR ?2 IS NOT NULL)",
        )?;
        let rows = stmt.query_map(params![booking, occasion], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in ids {
        ctx.tx.execute(
            "UPDATE tasks SET status = 'cancelled', closed_by = ?2, closed_at_ms = ?3, close_note = ?4, version = version + 1 WHERE id = ?1",
            params![id, ctx.actor.staff_id, ctx.now_ms, reason],
        )?;
        ctx.changed(topics::TASK_CHANGED, id);
    }
    Ok(())
}

/// The booking's tasks closed as cancelled at `at_ms` (by its cancellation),
/// open again.
pub(crate) fn reopen_cancelled(
    ctx: &mut Ctx<'_>,
    booking: BookingId,
    at_ms: i64,
) -> CoreResult<()> {
    let ids: Vec<TaskId> = {
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT id FROM tasks WHERE booking_id = ?1 AND status = 'cancelled' AND closed_at_ms = ?2",
        )?;
        let rows = stmt.query_map(params![booking, at_ms], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in ids {
        ctx.tx.execute(
            "UPDATE tasks SET status = 'open', closed_by = NULL, closed_at_ms = NULL, close_note = '', version = version + 1 WHERE id = ?1",
            [id],
        )?;
        ctx.changed(topics::TASK_CHANGED, id);
    }
    Ok(())
}

/// A task for an incident (a repair): for `role`, due now.
pub(crate) fn for_incident(
    ctx: &mut Ctx<'_>,
    f: &BookingFacts,
    incident: IncidentId,
    title: &str,
    role: StaffRole,
) -> CoreResult<TaskId> {
    ctx.tx.execute(
        "INSERT INTO tasks (title, person_id, booking_id, incident_id, role, due_at_ms, created_by, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6)",
        params![title, f.person_id, f.id, incident, role.as_str(), ctx.now_ms, ctx.actor.staff_id],
    )?;
    let id = TaskId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::TASK_CHANGED, id);
    Ok(id)
}

/// An incident's open tasks, done with `note`: its repair tasks when it is
/// resolved (`gestures` false), or its gesture tasks on `booking` when the
/// gesture was recorded directly (`gestures` true).
pub(crate) fn done_for_incident(
    ctx: &mut Ctx<'_>,
    incident: IncidentId,
    booking: Option<BookingId>,
    gestures: bool,
    note: &str,
) -> CoreResult<()> {
    let ids: Vec<TaskId> = {
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT id FROM tasks WHERE status = 'open' AND incident_id = ?1 AND (?2 IS NULL OR booking_id = ?2)
                AND (rule_id IS NOT NULL) = ?3",
        )?;
        let rows = stmt.query_map(params![incident, booking, gestures], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in ids {
        ctx.tx.execute(
            "UPDATE tasks SET status = 'done', closed_by = ?2, closed_at_ms = ?3, close_note = ?4, version = version + 1 WHERE id = ?1",
            params![id, ctx.actor.staff_id, ctx.now_ms, note],
        )?;
        ctx.changed(topics::TASK_CHANGED, id);
    }
    Ok(())
}

/// A merge: the merged record's tasks become the survivor's.
pub(crate) fn move_person(ctx: &mut Ctx<'_>, from: PersonId, to: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE tasks SET person_id = ?2, version = version + 1 WHERE person_id = ?1",
        params![from, to],
    )?)
}

/// An erasure: the person's tasks lose their words (titles name them); open
/// ones are cancelled.
pub(crate) fn erase_for(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE tasks SET title = 'Erased', title_template = NULL, details = '', close_note = '',
                status = CASE WHEN status = 'open' THEN 'cancelled' ELSE status END,
                closed_at_ms = coalesce(closed_at_ms, ?2), version = version + 1
          WHERE person_id = ?1 OR booking_id IN (SELECT id FROM bookings WHERE person_id = ?1)",
        params![person, ctx.now_ms],
    )?)
}
