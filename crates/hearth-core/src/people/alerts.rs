//! Alerts on a person (`person_alerts`): what the desk must know before
//! anything else — an allergy, a condition, a premedication, an accessibility
//! need — with a severity. Shown at the top of the person's page and as a
//! badge on their bookings. Removed, never deleted.
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::CoreResult;
use crate::events::topics;
use crate::ids::PersonId;
use crate::people::records;
use crate::setup::clean_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Allergy,
    Condition,
    Premedication,
    Accessibility,
    Other,
}

/// Least to most serious (the order badges compare by).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AlertSeverity {
    Info,
    Warning,
    Critical,
}

stored_enum!(AlertKind, Other { Allergy = "allergy", Condition = "condition", Premedication = "premedication", Accessibility = "accessibility", Other = "other" });

stored_enum!(AlertSeverity, Info { Info = "info", Warning = "warning", Critical = "critical" });

impl AlertSeverity {
    /// From the rank `most_serious_alert_sql!` computes (critical 3,
    /// warning 2, info 1).
    pub(crate) fn from_rank(rank: i64) -> AlertSeverity {
        match rank {
            3 => AlertSeverity::Critical,
            2 => AlertSeverity::Warning,
            _ => AlertSeverity::Info,
        }
    }
}

impl AlertKind {
    /// "Allergy", as the desk says it (the screens' `alertKindLabel`).
    pub fn label(self) -> &'static str {
        match self {
            AlertKind::Allergy => "Allergy",
            AlertKind::Condition => "Condition",
            AlertKind::Premedication => "Premedication",
            AlertKind::Accessibility => "Accessibility",
            AlertKind::Other => "Other",
        }
    }
}

impl AlertSeverity {
    /// ‼ ⚠ ℹ, as the calendar marks them (the screens' `alertMark`).
    pub fn mark(self) -> &'static str {
        match self {
            AlertSeverity::Critical => "‼",
            AlertSeverity::Warning => "⚠",
            AlertSeverity::Info => "ℹ",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Alert {
    pub id: i64,
    pub kind: AlertKind,
    pub severity: AlertSeverity,
    pub text: String,
    pub created_at_ms: i64,
}

/// `add_person_alert`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct AddAlert {
    pub person_id: PersonId,
    pub kind: AlertKind,
    pub severity: AlertSeverity,
    pub text: String,
}

/// `remove_person_alert`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct RemoveAlert {
    pub id: i64,
}

/// A person's live alerts, most serious first.
pub fn of(ctx: &ReadCtx<'_>, person: PersonId) -> CoreResult<Vec<Alert>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id, kind, severity, text, created_at_ms FROM person_alerts WHERE person_id = ?1 AND removed = 0 ORDER BY id",
    )?;
    let rows = stmt.query_map([person], |r| {
        Ok(Alert {
            id: r.get(0)?,
            kind: AlertKind::parse(&r.get::<_, String>(1)?),
            severity: AlertSeverity::parse(&r.get::<_, String>(2)?),
            text: r.get(3)?,
            created_at_ms: r.get(4)?,
        })
    })?;
    let mut out: Vec<Alert> = rows.collect::<Result<_, _>>()?;
    out.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.id.cmp(&b.id)));
    Ok(out)
}

pub fn add(ctx: &mut Ctx<'_>, req: AddAlert) -> CoreResult<Vec<Alert>> {
    records::get(ctx, req.person_id)?;
    let text = clean_text("text", "What to know", &req.text, 300, true)?;
    ctx.tx.execute(
        "INSERT INTO person_alerts (person_id, kind, severity, text, created_by, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![req.person_id, req.kind.as_str(), req.severity.as_str(), text, ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.changed(topics::PERSON_CHANGED, req.person_id);
    ctx.detail(serde_json::json!({ "person_id": req.person_id, "kind": req.kind.as_str(), "severity": req.severity.as_str() }));
    of(ctx, req.person_id)
}

pub fn remove(ctx: &mut Ctx<'_>, req: RemoveAlert) -> CoreResult<Vec<Alert>> {
    let person = crate::people::owner_of_live(ctx, "person_alerts", req.id, "That alert")?;
    ctx.tx.execute(
        "UPDATE person_alerts SET removed = 1 WHERE id = ?1",
        [req.id],
    )?;
    ctx.changed(topics::PERSON_CHANGED, person);
    ctx.detail(serde_json::json!({ "person_id": person }));
    of(ctx, person)
}

/// An alert as a generator writes it (the demo).
pub(crate) fn insert_generated(
    ctx: &Ctx<'_>,
    person: PersonId,
    kind: AlertKind,
    severity: AlertSeverity,
    text: &str,
) -> CoreResult<()> {
    ctx.tx.execute(
        "INSERT INTO person_alerts (person_id, kind, severity, text, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![person, kind.as_str(), severity.as_str(), text, ctx.now_ms],
    )?;
    Ok(())
}

/// A merge: the merged record's alerts become the survivor's. Returns how many moved.
pub(crate) fn move_person(ctx: &mut Ctx<'_>, from: PersonId, to: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE person_alerts SET person_id = ?2 WHERE person_id = ?1",
        rusqlite::params![from, to],
    )?)
}

/// An erasure: the person's alerts are emptied and removed.
pub(crate) fn erase_for(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE person_alerts SET text = '', removed = 1 WHERE person_id = ?1",
        [person],
    )?)
}

/// An alert brought by an import (`moving::people`): its id, for the undo.
pub(crate) fn insert_imported(
    ctx: &Ctx<'_>,
    person: PersonId,
    kind: AlertKind,
    text: &str,
) -> CoreResult<i64> {
    ctx.tx
        .prepare_cached(
            "INSERT INTO person_alerts (person_id, kind, severity, text, created_by, created_at_ms) VALUES (?1, ?2, 'warning', ?3, ?4, ?5)",
        )?
        .execute(params![person, kind.as_str(), text, ctx.actor.staff_id, ctx.now_ms])?;
    Ok(ctx.tx.last_insert_rowid())
}

/// An import's alert taken back (`moving::imports`).
pub(crate) fn delete_imported(ctx: &Ctx<'_>, id: i64) -> CoreResult<()> {
    ctx.tx
        .execute("DELETE FROM person_alerts WHERE id = ?1", [id])?;
    Ok(())
}
