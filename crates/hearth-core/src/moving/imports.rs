//! The record of each import: who brought which file in, when, and what it
//! added, filled in or skipped — and its undo. For [`UNDO_DAYS`] days an
//! import can be undone in one step: the alerts, notes and dates it added go;
//! the fields it filled in go back to how they were, unless the desk has
//! changed them since; the bookings it added go, unless the desk has moved,
//! changed or used them since; the people it added go, unless the desk has
//! booked or written something for them since (those are kept, and counted).
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Actor, Ctx, Hearth, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{BookingId, PersonId, StaffId};
use crate::people::{alerts, dates, notes, records};

/// How long an import can be undone.
pub const UNDO_DAYS: i64 = 7;
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportState {
    /// Still being written (or cut short: undo it and import again).
    Running,
    Done,
    Undone,
}

/// An import, as Settings → Import lists it.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct ImportRecord {
    pub id: i64,
    /// "people" or "bookings".
    pub kind: String,
    pub file_name: String,
    pub by: Option<StaffId>,
    pub by_name: String,
    pub at_ms: i64,
    pub state: ImportState,
    pub added: i64,
    pub merged: i64,
    pub skipped: i64,
    pub undone_at_ms: Option<i64>,
    /// Until when "Undo this import" is offered (none once undone).
    pub undo_until_ms: Option<i64>,
}

/// `list_imports`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListImports {}

/// `undo_import`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UndoImport {
    pub id: i64,
}

/// What an undo did.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Undone {
    pub import: ImportRecord,
    /// People and bookings taken out.
    pub removed: i64,
    pub restored: i64,
    /// People and bookings kept: the desk has used them since (a booking
    /// moved or arrived; someone booked or written about).
    pub kept: i64,
    /// Fields kept as the desk changed them since the import.
    pub kept_fields: i64,
}

const SELECT: &str = "SELECT i.id, i.kind, i.file_name, i.by_staff, coalesce(s.name, ''), i.at_ms, i.state, i.added, i.merged, i.skipped, i.undone_at_ms
                        FROM imports i LEFT JOIN staff s ON s.id = i.by_staff";

fn row(ctx_now: i64, r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportRecord> {
    let state: String = r.get(6)?;
    let state = match state.as_str() {
        "running" => ImportState::Running,
        "undone" => ImportState::Undone,
        _ => ImportState::Done,
    };
    let at_ms: i64 = r.get(5)?;
    let until = at_ms + UNDO_DAYS * DAY_MS;
    Ok(ImportRecord {
        id: r.get(0)?,
        kind: r.get(1)?,
        file_name: r.get(2)?,
        by: r.get::<_, Option<i64>>(3)?.map(StaffId),
        by_name: r.get(4)?,
        at_ms,
        state,
        added: r.get(7)?,
        merged: r.get(8)?,
        skipped: r.get(9)?,
        undone_at_ms: r.get(10)?,
        undo_until_ms: (state != ImportState::Undone && ctx_now <= until).then_some(until),
    })
}

pub fn list(ctx: &ReadCtx<'_>, _req: ListImports) -> CoreResult<Vec<ImportRecord>> {
    let mut stmt = ctx
        .tx
        .prepare(&format!("{SELECT} ORDER BY i.id DESC LIMIT 200"))?;
    let now = ctx.now_ms;
    let rows = stmt.query_map([], |r| row(now, r))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(ctx: &ReadCtx<'_>, id: i64) -> CoreResult<ImportRecord> {
    let now = ctx.now_ms;
    ctx.tx
        .query_row(&format!("{SELECT} WHERE i.id = ?1"), [id], |r| row(now, r))
        .optional()?
        .ok_or_else(|| CoreError::not_found("That import"))
}

/// When the same file (by its SHA-256) was last imported and not undone.
pub(super) fn done_with(ctx: &ReadCtx<'_>, sha256: &str) -> CoreResult<Option<i64>> {
    Ok(ctx.tx.query_row(
        "SELECT max(at_ms) FROM imports WHERE file_sha256 = ?1 AND state <> 'undone'",
        [sha256],
        |r| r.get(0),
    )?)
}

pub(super) fn start(
    ctx: &mut Ctx<'_>,
    kind: &str,
    file_name: &str,
    sha256: &str,
) -> CoreResult<i64> {
    ctx.tx.execute(
        "INSERT INTO imports (kind, file_name, file_sha256, by_staff, at_ms, state) VALUES (?1, ?2, ?3, ?4, ?5, 'running')",
        params![kind, file_name, sha256, ctx.actor.staff_id, ctx.now_ms],
    )?;
    Ok(ctx.tx.last_insert_rowid())
}

pub(super) fn count(
    ctx: &Ctx<'_>,
    id: i64,
    added: i64,
    merged: i64,
    skipped: i64,
) -> CoreResult<()> {
    ctx.tx
        .prepare_cached(
            "UPDATE imports SET added = added + ?2, merged = merged + ?3, skipped = skipped + ?4 WHERE id = ?1",
        )?
        .execute(params![id, added, merged, skipped])?;
    Ok(())
}

pub(super) fn finish(ctx: &Ctx<'_>, id: i64) -> CoreResult<ImportRecord> {
    ctx.tx.execute(
        "UPDATE imports SET state = 'done' WHERE id = ?1 AND state = 'running'",
        [id],
    )?;
    get(ctx, id)
}

/// Records one change an import made.
pub(super) fn record(
    ctx: &Ctx<'_>,
    import_id: i64,
    what: &str,
    row_id: i64,
    person: PersonId,
    before: Option<&str>,
    after: Option<&str>,
) -> CoreResult<()> {
    ctx.tx
        .prepare_cached(
            "INSERT INTO import_changes (import_id, what, row_id, person_id, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![import_id, what, row_id, person, before, after])?;
    Ok(())
}

/// One recorded change: what, its row, whose, the fields before and after.
type Change = (String, i64, i64, Option<String>, Option<String>);

/// People removed per transaction by an undo: the desk's bookings wait at
/// most one batch.
pub const UNDO_BATCH: usize = 500;

/// `undo_import`: the alerts, notes and dates it added and the fields it
/// filled in, in one transaction; then the people it added, in batches of
/// [`UNDO_BATCH`]; then the import is marked undone. An undo cut short is
/// finished by undoing again.
pub fn undo(h: &Hearth, actor: &Actor, req: UndoImport) -> CoreResult<Undone> {
    let (people, bookings, restored, kept_fields) = h.write(actor, "undo_import", |ctx| {
        let record = get(ctx, req.id)?;
        if record.state == ImportState::Undone {
            return Err(CoreError::invalid("id", "This import was already undone."));
        }
        if record.undo_until_ms.is_none() {
            return Err(CoreError::invalid(
                "id",
                format!("An import can be undone for {UNDO_DAYS} days only; this one is older."),
            ));
        }
        let changes: Vec<Change> = {
            let mut stmt = ctx.tx.prepare(
                "SELECT what, row_id, person_id, before, after FROM import_changes WHERE import_id = ?1 ORDER BY rowid DESC",
            )?;
            let rows = stmt.query_map([req.id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let (mut restored, mut kept_fields) = (0i64, 0i64);
        for (what, row_id, person, _, _) in &changes {
            match what.as_str() {
                "alert" => alerts::delete_imported(ctx, *row_id)?,
                "note" => notes::delete_imported(ctx, *row_id)?,
                "date" => dates::delete_imported(ctx, *row_id)?,
                _ => continue,
            }
            ctx.changed(topics::PERSON_CHANGED, *person);
        }
        for (what, _, person, _, after) in &changes {
            if what != "filled" {
                continue;
            }
            let person = PersonId(*person);
            // Erased since: nothing is put back.
            let Some(after) = after else { continue };
            let after: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(after).unwrap_or_default();
            for (field, value) in &after {
                if !records::FILLABLE.contains(&field.as_str()) {
                    continue;
                }
                // Changed by the desk since: kept as the desk left it.
                if records::fillable(ctx, person, field)? != value.as_str().unwrap_or("") {
                    kept_fields += 1;
                    continue;
                }
                // An import fills only what was empty: it goes back to empty.
                records::set_fillable(ctx, person, field, "", None)?;
                restored += 1;
            }
        }
        let people: Vec<PersonId> = changes
            .iter()
            .filter(|(what, ..)| what == "person")
            .map(|(_, row_id, ..)| PersonId(*row_id))
            .collect();
        let bookings: Vec<BookingId> = changes
            .iter()
            .filter(|(what, ..)| what == "booking")
            .map(|(_, row_id, ..)| BookingId(*row_id))
            .collect();
        ctx.detail(serde_json::json!({
            "import": req.id, "people": people.len(), "bookings": bookings.len(),
            "restored": restored, "kept_fields": kept_fields, "started": true,
        }));
        Ok((people, bookings, restored, kept_fields))
    })?;
    let (mut removed, mut kept) = (0i64, 0i64);
    // The bookings first: the people they were for can go after them.
    for batch in bookings.chunks(UNDO_BATCH / 5) {
        let (r, k) = h.write(actor, "undo_import", |ctx| {
            let (mut r, mut k) = (0i64, 0i64);
            for id in batch {
                match crate::scheduling::bookings::delete_imported(ctx, *id)? {
                    crate::scheduling::bookings::Removal::Removed => r += 1,
                    crate::scheduling::bookings::Removal::Kept => k += 1,
                    crate::scheduling::bookings::Removal::Gone => {}
                }
            }
            ctx.detail(
                serde_json::json!({ "import": req.id, "removed_bookings": r, "kept_bookings": k }),
            );
            Ok((r, k))
        })?;
        removed += r;
        kept += k;
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    for batch in people.chunks(UNDO_BATCH) {
        let (r, k) = h.write(actor, "undo_import", |ctx| {
            let (mut r, mut k) = (0i64, 0i64);
            for removal in records::delete_imported_many(ctx, batch)? {
                match removal {
                    records::Removal::Removed => r += 1,
                    records::Removal::Kept => k += 1,
                    records::Removal::Gone => {}
                }
            }
            ctx.detail(serde_json::json!({ "import": req.id, "removed": r, "kept": k }));
            Ok((r, k))
        })?;
        removed += r;
        kept += k;
        // The writer's lock is not fair: hand it to the desk between batches.
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    h.write(actor, "undo_import", |ctx| {
        // Nothing of the people removed stays in the search index's pages.
        records::compact_search(ctx)?;
        ctx.tx.execute(
            "UPDATE imports SET state = 'undone', undone_at_ms = ?2, undone_by = ?3 WHERE id = ?1",
            params![req.id, ctx.now_ms, ctx.actor.staff_id],
        )?;
        ctx.changed(topics::PERSON_CHANGED, 0);
        if !bookings.is_empty() {
            ctx.changed(topics::BOOKING_CHANGED, 0);
        }
        ctx.detail(serde_json::json!({
            "import": req.id, "removed": removed, "restored": restored, "kept": kept, "kept_fields": kept_fields, "done": true,
        }));
        Ok(Undone {
            import: get(ctx, req.id)?,
            removed,
            restored,
            kept,
            kept_fields,
        })
    })
}

/// Forgets what an import filled in for a person being erased (as it was and
/// as the import left it): erased means gone here too.
pub(crate) fn forget_person(ctx: &Ctx<'_>, person: PersonId) -> CoreResult<()> {
    ctx.tx.execute(
        "UPDATE import_changes SET before = NULL, after = NULL WHERE person_id = ?1",
        [person],
    )?;
    Ok(())
}
