//! Rules that prepare (`task_rules`): an occasion of a kind, or an incident
//! remembered from an earlier visit, makes a task for a role, due a number of
//! minutes before (or after) the booking's start or end. A manager edits them
//! in Settings; a new practice starts with [`DEFAULTS`] for its kind. The
//! titles may name `{room}`, `{name}`, `{occasion}`, `{gesture}` and
//! `{incident}`, filled from the booking when the task is made and kept in
//! step when the booking changes (see `care::tasks`).
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::StaffRole;
use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::kind::PracticeKind;
use crate::setup::clean_text;

/// What sets a rule off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleTrigger {
    /// An occasion of `occasion_kind` on a booking.
    Occasion,
    /// A new booking for someone with an incident remembered from before.
    RememberedIncident,
}

/// The moment of the booking a task is due relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// The appointment's start, the stay's check-in.
    Start,
    /// The appointment's end, the stay's check-out.
    End,
}

stored_enum!(Anchor, Start { Start = "start", End = "end" });

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct TaskRule {
    pub id: i64,
    pub trigger: RuleTrigger,
    /// For an occasion rule: its kind (`anniversary`, `birthday`, …).
    pub occasion_kind: Option<String>,
    pub role: StaffRole,
    pub title: String,
    pub anchor: Anchor,
    /// Minutes from the anchor: −120 is two hours before.
    pub offset_minutes: i32,
    pub active: bool,
    pub version: i64,
}

/// `save_task_rule`: add (no `id`) or edit a rule; `active: false` turns it off.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SaveTaskRule {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub expected_version: Option<i64>,
    pub trigger: RuleTrigger,
    #[serde(default)]
    pub occasion_kind: Option<String>,
    pub role: StaffRole,
    pub title: String,
    pub anchor: Anchor,
    pub offset_minutes: i32,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListTaskRules {
    #[serde(default)]
    pub include_inactive: bool,
}

/// The occasion kinds a rule can name (as `scheduling::occasions` stores them).
pub const OCCASION_KINDS: &[&str] = &[
    "anniversary",
    "birthday",
    "first_visit",
    "honeymoon",
    "nervous_patient",
    "celebration",
    "other",
];

type Default = (
    PracticeKind,
    RuleTrigger,
    Option<&'static str>,
    StaffRole,
    &'static str,
    i32,
);

/// The rules a practice starts with, per kind, all relative to the start.
/// Schema v7 gives an upgraded practice the same (a store test holds them equal).
pub const DEFAULTS: &[Default] = &[
    (
        PracticeKind::Hotel,
        RuleTrigger::Occasion,
        Some("anniversary"),
        StaffRole::Housekeeping,
        "Champagne on ice and a signed card in {room}",
        -120,
    ),
    (
        PracticeKind::Hotel,
        RuleTrigger::Occasion,
        Some("anniversary"),
        StaffRole::Manager,
        "Write and sign the card for {name}: {occasion}",
        -240,
    ),
    (
        PracticeKind::Hotel,
        RuleTrigger::Occasion,
        Some("honeymoon"),
        StaffRole::Housekeeping,
        "Sparkling wine and petals in {room}",
        -120,
    ),
    (
        PracticeKind::Hotel,
        RuleTrigger::Occasion,
        Some("birthday"),
        StaffRole::Housekeeping,
        "Birthday cake and a card in {room}",
        -120,
    ),
    (
        PracticeKind::Hotel,
        RuleTrigger::RememberedIncident,
        None,
        StaffRole::Manager,
        "Gesture for {name}: {gesture}",
        -180,
    ),
    (
        PracticeKind::Dental,
        RuleTrigger::Occasion,
        Some("birthday"),
        StaffRole::FrontDesk,
        "A birthday card from the team for {name}",
        -1440,
    ),
    (
        PracticeKind::Dental,
        RuleTrigger::Occasion,
        Some("nervous_patient"),
        StaffRole::FrontDesk,
        "10 extra minutes and a quiet room for {name}",
        -1440,
    ),
    (
        PracticeKind::Dental,
        RuleTrigger::Occasion,
        Some("first_visit"),
        StaffRole::FrontDesk,
        "Welcome forms ready for {name}",
        -60,
    ),
    (
        PracticeKind::Dental,
        RuleTrigger::RememberedIncident,
        None,
        StaffRole::Manager,
        "Gesture for {name}: {gesture}",
        -1440,
    ),
];

const COLUMNS: &str =
    "id, trigger, occasion_kind, role, title, anchor, offset_minutes, active, version";

fn from_row(r: &Row<'_>) -> rusqlite::Result<TaskRule> {
    let trigger: String = r.get(1)?;
    let role: String = r.get(3)?;
    Ok(TaskRule {
        id: r.get(0)?,
        trigger: RuleTrigger::parse(&trigger),
        occasion_kind: r.get(2)?,
        role: StaffRole::parse(&role).unwrap_or(StaffRole::Manager),
        title: r.get(4)?,
        anchor: Anchor::parse(&r.get::<_, String>(5)?),
        offset_minutes: r.get(6)?,
        active: r.get(7)?,
        version: r.get(8)?,
    })
}

stored_enum!(RuleTrigger, RememberedIncident { Occasion = "occasion", RememberedIncident = "remembered_incident" });

/// Gives a new practice the default rules of its kind.
pub(crate) fn seed_defaults(ctx: &Ctx<'_>, kind: PracticeKind) -> CoreResult<()> {
    for (k, trigger, occasion, role, title, offset) in DEFAULTS {
        if *k != kind {
            continue;
        }
        ctx.tx.execute(
            "INSERT INTO task_rules (trigger, occasion_kind, role, title, anchor, offset_minutes, updated_at_ms)
             VALUES (?1, ?2, ?3, ?4, 'start', ?5, ?6)",
            params![trigger.as_str(), occasion, role.as_str(), title, offset, ctx.now_ms],
        )?;
    }
    Ok(())
}

pub fn list(ctx: &ReadCtx<'_>, req: ListTaskRules) -> CoreResult<Vec<TaskRule>> {
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM task_rules WHERE active = 1 OR ?1 ORDER BY trigger, occasion_kind, id"
    ))?;
    let rows = stmt.query_map([req.include_inactive], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The active rules for an occasion kind, or for a remembered incident.
pub fn matching(
    ctx: &ReadCtx<'_>,
    trigger: RuleTrigger,
    occasion_kind: Option<&str>,
) -> CoreResult<Vec<TaskRule>> {
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM task_rules
          WHERE active = 1 AND trigger = ?1 AND (?2 IS NULL OR occasion_kind = ?2) ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![trigger.as_str(), occasion_kind], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn get(ctx: &ReadCtx<'_>, id: i64) -> CoreResult<TaskRule> {
    ctx.tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM task_rules WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("That rule"))
}

/// At most a week either side of the booking.
const MAX_OFFSET_MINUTES: i32 = 7 * 24 * 60;

pub fn save(ctx: &mut Ctx<'_>, req: SaveTaskRule) -> CoreResult<TaskRule> {
    let title = clean_text("title", "The task", &req.title, 200, true)?;
    let occasion_kind = match (req.trigger, req.occasion_kind.as_deref()) {
        (RuleTrigger::Occasion, Some(k)) if OCCASION_KINDS.contains(&k) => Some(k.to_owned()),
        (RuleTrigger::Occasion, _) => {
            return Err(CoreError::invalid(
                "occasion_kind",
                "Choose the occasion this rule is for.",
            ))
        }
        (RuleTrigger::RememberedIncident, _) => None,
    };
    if req.offset_minutes.abs() > MAX_OFFSET_MINUTES {
        return Err(CoreError::invalid(
            "offset_minutes",
            "A task can be due at most a week before or after the booking.",
        ));
    }
    let id = match req.id {
        None => {
            ctx.tx.execute(
                "INSERT INTO task_rules (trigger, occasion_kind, role, title, anchor, offset_minutes, active, updated_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![req.trigger.as_str(), occasion_kind, req.role.as_str(), title, req.anchor.as_str(), req.offset_minutes, req.active, ctx.now_ms],
            )?;
            ctx.tx.last_insert_rowid()
        }
        Some(id) => {
            let old = get(ctx, id)?;
            if req.expected_version != Some(old.version) {
                return Err(CoreError::Stale {
                    message: "This rule was just changed on another desk. It has been reloaded — make your change again.".into(),
                });
            }
            ctx.tx.execute(
                "UPDATE task_rules SET trigger = ?2, occasion_kind = ?3, role = ?4, title = ?5, anchor = ?6, offset_minutes = ?7,
                        active = ?8, updated_at_ms = ?9, version = version + 1 WHERE id = ?1",
                params![id, req.trigger.as_str(), occasion_kind, req.role.as_str(), title, req.anchor.as_str(), req.offset_minutes, req.active, ctx.now_ms],
            )?;
            id
        }
    };
    ctx.changed(topics::TASK_RULE_CHANGED, id);
    get(ctx, id)
}
