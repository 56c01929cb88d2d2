//! Providers' own hours (the rota): each provider's weekly pattern of working
//! shifts, inside the practice's opening hours (`resource_hours`). A provider
//! with no shifts works whenever the practice is open; one with shifts works
//! only then, and a weekday without a shift is their day off. Days off,
//! courses and holidays are blocked time on the provider (`blocks.rs`).
//! `scheduling/working.rs` turns a rota into "is this provider working then".
use std::collections::HashMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::ResourceId;
use crate::setup::practice;
use crate::setup::resources::{self, ResourceKind};

/// One working stretch of a weekday: `weekday` 0 = Monday, minutes from local midnight.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS, utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    #[schema(minimum = 0, maximum = 6)]
    pub weekday: u8,
    #[schema(minimum = 0, maximum = 1440)]
    pub start: u16,
    #[schema(minimum = 0, maximum = 1440)]
    pub end: u16,
}

/// A provider's week.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Rota {
    pub resource_id: ResourceId,
    pub name: String,
    /// Empty: works whenever the practice is open.
    pub shifts: Vec<Shift>,
}

/// `list_rotas`: every provider's week.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRotas {}

/// `set_rota`: a provider's week, replaced whole. No shifts: the practice's hours.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRota {
    pub resource_id: ResourceId,
    pub shifts: Vec<Shift>,
}

/// Every provider's shifts, by provider (those with none are absent).
pub(crate) fn all_shifts(ctx: &ReadCtx<'_>) -> CoreResult<HashMap<ResourceId, Vec<Shift>>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT resource_id, weekday, start_minute, end_minute FROM resource_hours ORDER BY resource_id, weekday, start_minute",
    )?;
    let mut out: HashMap<ResourceId, Vec<Shift>> = HashMap::new();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, ResourceId>(0)?,
            Shift {
                weekday: r.get(1)?,
                start: r.get(2)?,
                end: r.get(3)?,
            },
        ))
    })?;
    for row in rows {
        let (id, s) = row?;
        out.entry(id).or_default().push(s);
    }
    Ok(out)
}

/// One provider's shifts (empty: the practice's hours).
pub(crate) fn shifts_of(ctx: &ReadCtx<'_>, id: ResourceId) -> CoreResult<Vec<Shift>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT weekday, start_minute, end_minute FROM resource_hours WHERE resource_id = ?1 ORDER BY weekday, start_minute",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Shift {
            weekday: r.get(0)?,
            start: r.get(1)?,
            end: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn list(ctx: &ReadCtx<'_>, _req: ListRotas) -> CoreResult<Vec<Rota>> {
    let mut shifts = all_shifts(ctx)?;
    Ok(resources::list(ctx, resources::ListResources::default())?
        .into_iter()
        .filter(|r| r.kind == ResourceKind::Provider)
        .map(|r| Rota {
            resource_id: r.id,
            shifts: shifts.remove(&r.id).unwrap_or_default(),
            name: r.name,
        })
        .collect())
}

pub fn set(ctx: &mut Ctx<'_>, req: SetRota) -> CoreResult<Rota> {
    let p = practice::require(ctx)?;
    let r = resources::get(ctx, req.resource_id)?;
    if r.kind != ResourceKind::Provider {
        return Err(CoreError::invalid(
            "resource_id",
            format!(
                "{} is not a provider: only providers have their own hours.",
                r.name
            ),
        ));
    }
    let mut shifts = req.shifts.clone();
    shifts.sort();
    for (i, s) in shifts.iter().enumerate() {
        let day = crate::time::WEEKDAY_NAMES
            .get(usize::from(s.weekday))
            .ok_or_else(|| {
                CoreError::invalid("shifts", "A weekday is 0 (Monday) to 6 (Sunday).")
            })?;
        if s.start >= s.end || s.end > 1440 {
            return Err(CoreError::invalid(
                "shifts",
                format!("On {day}, a shift must end after it starts, by midnight."),
            ));
        }
        if let Some(next) = shifts.get(i + 1) {
            if next.weekday == s.weekday && next.start < s.end {
                return Err(CoreError::invalid(
                    "shifts",
                    format!("On {day}, two shifts overlap: make them one."),
                ));
            }
        }
        let open = p.hours_for(s.weekday);
        if open.is_none_or(|h| s.start < h.opens || s.end > h.closes) {
            return Err(CoreError::invalid(
                "shifts",
                match open {
                    None => {
                        format!("The practice is closed on {day}s: open it in Opening hours first.")
                    }
                    Some(h) => format!(
                        "On {day}s the practice is open {}–{}: a shift must be inside those hours.",
                        hhmm(h.opens),
                        hhmm(h.closes)
                    ),
                },
            ));
        }
    }
    ctx.tx.execute(
        "DELETE FROM resource_hours WHERE resource_id = ?1",
        [req.resource_id],
    )?;
    let mut stmt = ctx.tx.prepare_cached(
        "INSERT INTO resource_hours (resource_id, weekday, start_minute, end_minute) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for s in &shifts {
        stmt.execute(params![req.resource_id, s.weekday, s.start, s.end])?;
    }
    drop(stmt);
    ctx.changed(topics::RESOURCE_CHANGED, req.resource_id);
    ctx.detail(serde_json::json!({ "resource_id": req.resource_id, "shifts": shifts.len() }));
    Ok(Rota {
        resource_id: r.id,
        name: r.name,
        shifts,
    })
}

fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}
