//! Notes about a person (`person_notes`), each with its author and time:
//! what the desk and the practitioners hand each other about someone. Newest
//! first; removed, never deleted.
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::CoreResult;
use crate::events::topics;
use crate::ids::PersonId;
use crate::people::records;
use crate::setup::clean_lines;

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Note {
    pub id: i64,
    pub body: String,
    pub author_name: Option<String>,
    pub at_ms: i64,
}

/// `add_person_note`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct AddNote {
    pub person_id: PersonId,
    pub body: String,
}

/// `remove_person_note`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct RemoveNote {
    pub id: i64,
}

/// A person's notes, newest first (at most 100).
pub fn of(ctx: &ReadCtx<'_>, person: PersonId) -> CoreResult<Vec<Note>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT n.id, n.body, s.name, n.created_at_ms FROM person_notes n LEFT JOIN staff s ON s.id = n.created_by
          WHERE n.person_id = ?1 AND n.removed = 0 ORDER BY n.created_at_ms DESC, n.id DESC LIMIT 100",
    )?;
    let rows = stmt.query_map([person], |r| {
        Ok(Note {
            id: r.get(0)?,
            body: r.get(1)?,
            author_name: r.get(2)?,
            at_ms: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn add(ctx: &mut Ctx<'_>, req: AddNote) -> CoreResult<Vec<Note>> {
    records::get(ctx, req.person_id)?;
    let body = clean_lines("body", "The note", &req.body, 2000, true)?;
    ctx.tx.execute(
        "INSERT INTO person_notes (person_id, body, created_by, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
        params![req.person_id, body, ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.changed(topics::PERSON_CHANGED, req.person_id);
    ctx.detail(serde_json::json!({ "person_id": req.person_id }));
    of(ctx, req.person_id)
}

pub fn remove(ctx: &mut Ctx<'_>, req: RemoveNote) -> CoreResult<Vec<Note>> {
    let person = crate::people::owner_of_live(ctx, "person_notes", req.id, "That note")?;
    ctx.tx.execute(
        "UPDATE person_notes SET removed = 1 WHERE id = ?1",
        [req.id],
    )?;
    ctx.changed(topics::PERSON_CHANGED, person);
    ctx.detail(serde_json::json!({ "person_id": person }));
    of(ctx, person)
}

/// A merge: the merged record's notes become the survivor's. Returns how many moved.
pub(crate) fn move_person(ctx: &mut Ctx<'_>, from: PersonId, to: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE person_notes SET person_id = ?2 WHERE person_id = ?1",
        rusqlite::params![from, to],
    )?)
}

/// An erasure: the person's notes are emptied and removed.
pub(crate) fn erase_for(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE person_notes SET body = '', removed = 1 WHERE person_id = ?1",
        [person],
    )?)
}

/// A note brought by an import (`moving::people`): its id, for the undo.
pub(crate) fn insert_imported(ctx: &Ctx<'_>, person: PersonId, body: &str) -> CoreResult<i64> {
    ctx.tx
        .prepare_cached(
            "INSERT INTO person_notes (person_id, body, created_by, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![person, body, ctx.actor.staff_id, ctx.now_ms])?;
    Ok(ctx.tx.last_insert_rowid())
}

/// An import's note taken back (`moving::imports`).
pub(crate) fn delete_imported(ctx: &Ctx<'_>, id: i64) -> CoreResult<()> {
    ctx.tx
        .execute("DELETE FROM person_notes WHERE id = ?1", [id])?;
    Ok(())
}
