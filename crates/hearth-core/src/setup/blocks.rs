//! Blocked time: closed days and holidays (practice-wide), staff meetings or a
//! room out of order (one resource). Bookings may not overlap blocked time
//! unless the actor explicitly overrides.
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{BlockId, ResourceId};
use crate::instant::{Instant, LocalDate, Span, SpanFields, DAY_MS};
use crate::setup::{clean_text, practice, resources};
use crate::time::local_ms;

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Block {
    pub id: BlockId,
    /// `None` for the whole practice.
    pub resource_id: Option<ResourceId>,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListBlocks {
    pub from_ms: Instant,
    pub to_ms: Instant,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct AddBlock {
    #[serde(default)]
    pub resource_id: Option<ResourceId>,
    pub starts_at_ms: Instant,
    pub ends_at_ms: Instant,
    pub reason: String,
}

/// Closes the practice (or one resource) for whole local days, `from`..=`to`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct AddClosedDays {
    #[serde(default)]
    pub resource_id: Option<ResourceId>,
    pub from: LocalDate,
    pub to: LocalDate,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct RemoveBlock {
    pub id: BlockId,
}

pub fn list(ctx: &ReadCtx<'_>, req: ListBlocks) -> CoreResult<Vec<Block>> {
    let range = Span::new(req.from_ms, req.to_ms, &crate::intervals::LIST_RANGE)?;
    overlapping(ctx, range.start_ms(), range.end_ms())
}

/// The longest blocked time: a closed stretch of a year and a day, with slack
/// for the DST hour.
const BLOCK: SpanFields<'static> = SpanFields {
    start: "starts_at_ms",
    end: "ends_at_ms",
    what: "Blocked time",
    max_ms: 368 * DAY_MS,
    max_text: "a year",
};

/// Blocks overlapping `[from, to)`, practice-wide and per resource.
pub fn overlapping(ctx: &ReadCtx<'_>, from: i64, to: i64) -> CoreResult<Vec<Block>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id, resource_id, starts_at_ms, ends_at_ms, reason FROM blocks
         WHERE removed = 0 AND ends_at_ms > ?1 AND starts_at_ms < ?2 ORDER BY starts_at_ms",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(Block {
            id: r.get(0)?,
            resource_id: r.get(1)?,
            starts_at_ms: r.get(2)?,
            ends_at_ms: r.get(3)?,
            reason: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn add(ctx: &mut Ctx<'_>, req: AddBlock) -> CoreResult<Block> {
    practice::require(ctx)?;
    let reason = clean_text("reason", "The reason", &req.reason, 200, true)?;
    let span = Span::new(req.starts_at_ms, req.ends_at_ms, &BLOCK)?;
    if let Some(r) = req.resource_id {
        resources::get(ctx, r)?;
    }
    ctx.tx.execute(
        "INSERT INTO blocks (resource_id, starts_at_ms, ends_at_ms, reason, created_by, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![req.resource_id, span.start_ms(), span.end_ms(), reason, ctx.actor.staff_id, ctx.now_ms],
    )?;
    let id = BlockId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::BLOCK_CHANGED, id);
    ctx.detail(serde_json::json!({ "resource_id": req.resource_id }));
    Ok(Block {
        id,
        resource_id: req.resource_id,
        starts_at_ms: span.start_ms(),
        ends_at_ms: span.end_ms(),
        reason,
    })
}

pub fn add_closed_days(ctx: &mut Ctx<'_>, req: AddClosedDays) -> CoreResult<Block> {
    let p = practice::require(ctx)?;
    if req.to < req.from {
        return Err(CoreError::invalid(
            "to",
            "The last closed day must not be before the first.",
        ));
    }
    if (req.to.date() - req.from.date()).num_days() > 366 {
        return Err(CoreError::invalid("to", "Close at most a year at a time."));
    }
    let tz = p.tz();
    let span = Span::from_ms(
        local_ms(tz, req.from.date(), 0),
        local_ms(tz, req.to.date(), 1440),
        &BLOCK,
    )?;
    add(
        ctx,
        AddBlock {
            resource_id: req.resource_id,
            starts_at_ms: span.start(),
            ends_at_ms: span.end(),
            reason: req.reason,
        },
    )
}

pub fn remove(ctx: &mut Ctx<'_>, req: RemoveBlock) -> CoreResult<()> {
    let n = ctx.tx.execute(
        "UPDATE blocks SET removed = 1 WHERE id = ?1 AND removed = 0",
        [req.id],
    )?;
    if n == 0 {
        return Err(CoreError::not_found("That blocked time"));
    }
    ctx.changed(topics::BLOCK_CHANGED, req.id);
    Ok(())
}

/// Writes blocked time as a generator sets it up (the demo), with no checks.
pub(crate) fn insert_generated(
    ctx: &Ctx<'_>,
    resource_id: Option<ResourceId>,
    starts_at_ms: i64,
    ends_at_ms: i64,
    reason: &str,
) -> CoreResult<BlockId> {
    ctx.tx.execute(
        "INSERT INTO blocks (resource_id, starts_at_ms, ends_at_ms, reason, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![resource_id, starts_at_ms, ends_at_ms, reason, ctx.now_ms],
    )?;
    Ok(BlockId(ctx.tx.last_insert_rowid()))
}
