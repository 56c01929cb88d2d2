//! The hash chain over `audit_log`. Each entry's `hash` is the SHA-256 of its
//! canonical content (a JSON array of every column, in order, ending with the
//! previous entry's hash); `audit_head` holds the newest entry's id and hash,
//! so removing the last entry shows as well. What it catches: any change made
//! with ordinary tools (an SQL editor, a script) that does not recompute every
//! later hash. What it cannot catch alone: someone who rewrites the whole
//! chain with this algorithm; a copy of the head kept elsewhere anchors that.
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::CoreResult;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry to append. `entities` and `detail` are JSON text.
#[derive(Debug, Clone, Default)]
pub struct Entry<'a> {
    pub at_ms: i64,
    pub staff_id: Option<i64>,
    pub session_id: Option<i64>,
    pub workstation: Option<&'a str>,
    /// What happened: the command's name, or `sign_in`, `sign_out`, …
    pub action: &'a str,
    /// The command that ran, when one did.
    pub command: Option<&'a str>,
    /// The first thing changed (`booking`, 12), for quick filtering.
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    /// `done`, or the refusal's code (`staff.forbidden`, `auth.locked`, …).
    pub outcome: &'a str,
    pub entities: &'a str,
    pub detail: &'a str,
}

/// A stored row, as the hash covers it.
struct Row {
    id: i64,
    at_ms: i64,
    staff_id: Option<i64>,
    action: String,
    entity: String,
    entity_id: Option<i64>,
    detail: String,
    session_id: Option<i64>,
    workstation: Option<String>,
    command: Option<String>,
    outcome: String,
    entities: String,
    prev_hash: Option<String>,
    hash: Option<String>,
}

const SELECT_ROWS: &str = "SELECT id, at_ms, staff_id, action, entity, entity_id, detail, session_id, workstation, command, outcome, entities, prev_hash, hash FROM audit_log";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        at_ms: r.get(1)?,
        staff_id: r.get(2)?,
        action: r.get(3)?,
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        detail: r.get(6)?,
        session_id: r.get(7)?,
        workstation: r.get(8)?,
        command: r.get(9)?,
        outcome: r.get(10)?,
        entities: r.get(11)?,
        prev_hash: r.get(12)?,
        hash: r.get(13)?,
    })
}

#[allow(clippy::too_many_arguments)]
fn hash_of(
    id: i64,
    at_ms: i64,
    staff_id: Option<i64>,
    session_id: Option<i64>,
    workstation: Option<&str>,
    action: &str,
    command: Option<&str>,
    entity: &str,
    entity_id: Option<i64>,
    outcome: &str,
    entities: &str,
    detail: &str,
    prev_hash: &str,
) -> String {
    let canonical = serde_json::json!([
        id,
        at_ms,
        staff_id,
        session_id,
        workstation,
        action,
        command,
        entity,
        entity_id,
        outcome,
        entities,
        detail,
        prev_hash
    ])
    .to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

fn row_hash(r: &Row, prev: &str) -> String {
    hash_of(
        r.id,
        r.at_ms,
        r.staff_id,
        r.session_id,
        r.workstation.as_deref(),
        &r.action,
        r.command.as_deref(),
        &r.entity,
        r.entity_id,
        &r.outcome,
        &r.entities,
        &r.detail,
        prev,
    )
}

fn head(conn: &Connection) -> CoreResult<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT entry_id, hash FROM audit_head WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

fn set_head(conn: &Connection, id: i64, hash: &str) -> CoreResult<()> {
    conn.execute(
        "INSERT INTO audit_head (id, entry_id, hash) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET entry_id = ?1, hash = ?2",
        params![id, hash],
    )?;
    Ok(())
}

/// Appends one entry inside the caller's (writing) transaction; returns its id.
pub fn append(conn: &Connection, e: &Entry<'_>) -> CoreResult<i64> {
    let (last_id, prev) = head(conn)?.unwrap_or((0, GENESIS.to_owned()));
    let max_id: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| {
        r.get(0)
    })?;
    let id = last_id.max(max_id) + 1;
    let hash = hash_of(
        id,
        e.at_ms,
        e.staff_id,
        e.session_id,
        e.workstation,
        e.action,
        e.command,
        e.entity,
        e.entity_id,
        e.outcome,
        e.entities,
        e.detail,
        &prev,
    );
    conn.execute(
        "INSERT INTO audit_log (id, at_ms, staff_id, action, entity, entity_id, detail, session_id, workstation, command, outcome, entities, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            id, e.at_ms, e.staff_id, e.action, e.entity, e.entity_id, e.detail, e.session_id,
            e.workstation, e.command, e.outcome, e.entities, prev, hash
        ],
    )?;
    set_head(conn, id, &hash)?;
    Ok(id)
}

/// Seals the entries written before the chain existed (schema v3): run once,
/// by the migration that introduces the chain, in its transaction.
pub fn seal_legacy(conn: &Connection) -> CoreResult<()> {
    let rows: Vec<Row> = {
        let mut stmt = conn.prepare(&format!("{SELECT_ROWS} ORDER BY id"))?;
        let rows = stmt.query_map([], read_row)?;
        rows.collect::<Result<_, _>>()?
    };
    let mut prev = GENESIS.to_owned();
    let mut last = None;
    for r in rows {
        let h = row_hash(&r, &prev);
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
            params![r.id, prev, h],
        )?;
        last = Some(r.id);
        prev = h;
    }
    if let Some(id) = last {
        set_head(conn, id, &prev)?;
    }
    Ok(())
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Serialize, TS, utoipa::ToSchema)]
pub struct Verdict {
    /// Entries checked.
    pub entries: i64,
    /// The first entry that does not fit (edited, inserted, or the one after
    /// a deleted entry), or `None` when the chain is whole.
    pub first_broken: Option<i64>,
    /// What is wrong there, in words.
    pub problem: Option<String>,
}

impl Verdict {
    pub fn is_whole(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Walks the whole chain in id order.
pub fn verify(conn: &Connection) -> CoreResult<Verdict> {
    let mut stmt = conn.prepare(&format!("{SELECT_ROWS} ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut entries = 0i64;
    let mut last_id = 0i64;
    let broken = |id: i64, entries: i64, problem: &str| Verdict {
        entries,
        first_broken: Some(id),
        problem: Some(problem.to_owned()),
    };
    while let Some(r) = rows.next()? {
        let r = read_row(r)?;
        entries += 1;
        if r.prev_hash.as_deref() != Some(prev.as_str()) {
            return Ok(broken(
                r.id,
                entries,
                "does not follow the entry before it (an entry was deleted or inserted here)",
            ));
        }
        let h = row_hash(&r, &prev);
        if r.hash.as_deref() != Some(h.as_str()) {
            return Ok(broken(
                r.id,
                entries,
                "its content does not match its hash (it was edited or inserted by hand)",
            ));
        }
        prev = h;
        last_id = r.id;
    }
    match head(conn)? {
        None if entries == 0 => {}
        Some((id, h)) if id == last_id && h == prev => {}
        _ => {
            return Ok(broken(
                last_id,
                entries,
                "is not the newest entry the trail recorded (entries after it were deleted)",
            ))
        }
    }
    Ok(Verdict {
        entries,
        first_broken: None,
        problem: None,
    })
}
