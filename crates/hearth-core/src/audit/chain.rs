//! The sealed chain over `audit_log`. Each entry's `hash` seals its canonical
//! content (a JSON array of every column, in order, ending with the previous
//! entry's hash); `audit_head` holds the newest entry's id and hash, so
//! removing the last entry shows as well.
//!
//! The seal is an HMAC-SHA-256 under a key derived from the practice key
//! (`keys::PracticeKey::audit_seal_key`), which is never in the file: only a
//! connection opened with the key has the seal (`SEAL_FN`), and `audit_seal`
//! names which key sealed the chain. A trail rebuilt with the published
//! algorithm, or with no seal at all, is named as rebuilt. A plain file (from
//! before encryption, or a benchmark's) has no key, so its chain is plain
//! SHA-256 until it is encrypted and sealed.
//!
//! What a seal alone cannot catch is a trail cut short: every earlier head is
//! a valid head. So the newest head is also kept outside the file — beside the
//! key file (`KeyStore::anchor`) and in each verified backup's record — and
//! [`verify_against`] names a trail that ends before it, is empty, or holds
//! another entry there.
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::CoreResult;

/// The first schema whose trail is sealed (migration 0021).
pub const SEALED_FROM: u32 = 21;

/// The SQL function that seals, on connections opened with the practice key.
pub const SEAL_FN: &str = "hearth_audit_seal";
/// The SQL function naming that key (its public id).
pub const KEY_FN: &str = "hearth_audit_key";

/// The newest head of the trail, kept outside the practice file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    pub entry: i64,
    pub hash: String,
}

/// How a chain's entries are sealed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Seal {
    /// Plain SHA-256: files with no key.
    Plain,
    /// HMAC-SHA-256 under the practice's audit seal key.
    Keyed,
}

/// The id of the key this connection was opened with, if any.
fn connection_key(conn: &Connection) -> Option<String> {
    conn.prepare_cached(&format!("SELECT {KEY_FN}()"))
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .ok()
}

fn version(conn: &Connection) -> CoreResult<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// The id of the key that sealed the chain (none: a plain chain).
fn sealed_by(conn: &Connection) -> CoreResult<Option<String>> {
    if !has_seal_table(conn)? {
        return Ok(None);
    }
    seal_record(conn)
}

/// The seal's record, in a file that has its table.
fn seal_record(conn: &Connection) -> CoreResult<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT key_id FROM audit_seal WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

fn seal(conn: &Connection, how: Seal, canonical: &str) -> CoreResult<String> {
    Ok(match how {
        Seal::Plain => hex::encode(Sha256::digest(canonical.as_bytes())),
        Seal::Keyed => conn
            .prepare_cached(&format!("SELECT {SEAL_FN}(?1)"))?
            .query_row([canonical], |r| r.get(0))?,
    })
}

/// The file has the seal's record (schema 21 on).
fn has_seal_table(conn: &Connection) -> CoreResult<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'audit_seal'",
        [],
        |r| r.get(0),
    )?)
}

/// The seal that appending on `conn` uses. Appending happens on a migrated
/// file, which has the seal's record; two cached statements per entry.
fn seal_for(conn: &Connection) -> CoreResult<Seal> {
    Ok(match seal_record(conn)? {
        None => Seal::Plain,
        Some(k) if connection_key(conn).as_deref() == Some(k.as_str()) => Seal::Keyed,
        Some(_) => {
            return Err(crate::error::CoreError::Storage(
                "the audit trail is sealed with a practice key this connection was not opened with"
                    .into(),
            ))
        }
    })
}

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
fn canonical_of(
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
    serde_json::json!([
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
    .to_string()
}

fn row_canonical(r: &Row, prev: &str) -> String {
    canonical_of(
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
        .prepare_cached("SELECT entry_id, hash FROM audit_head WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

fn set_head(conn: &Connection, id: i64, hash: &str) -> CoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO audit_head (id, entry_id, hash) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET entry_id = ?1, hash = ?2",
    )?
    .execute(params![id, hash])?;
    Ok(())
}

/// Appends one entry inside the caller's (writing) transaction; returns its id.
pub fn append(conn: &Connection, e: &Entry<'_>) -> CoreResult<i64> {
    let (last_id, prev) = head(conn)?.unwrap_or((0, GENESIS.to_owned()));
    let max_id: i64 = conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM audit_log")?
        .query_row([], |r| r.get(0))?;
    let id = last_id.max(max_id) + 1;
    let how = seal_for(conn)?;
    let canonical = canonical_of(
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
    let hash = seal(conn, how, &canonical)?;
    conn.prepare_cached(
        "INSERT INTO audit_log (id, at_ms, staff_id, action, entity, entity_id, detail, session_id, workstation, command, outcome, entities, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
            id, e.at_ms, e.staff_id, e.action, e.entity, e.entity_id, e.detail, e.session_id,
            e.workstation, e.command, e.outcome, e.entities, prev, hash
    ])?;
    set_head(conn, id, &hash)?;
    Ok(id)
}

/// Seals the entries written before the chain existed (schema v3): run once,
/// by the migration that introduces the chain, in its transaction.
pub fn seal_legacy(conn: &Connection) -> CoreResult<()> {
    reseal(conn, Seal::Plain)
}

/// Recomputes every entry's hash, in id order, with `how`, and the head.
fn reseal(conn: &Connection, how: Seal) -> CoreResult<()> {
    let rows: Vec<Row> = {
        let mut stmt = conn.prepare(&format!("{SELECT_ROWS} ORDER BY id"))?;
        let rows = stmt.query_map([], read_row)?;
        rows.collect::<Result<_, _>>()?
    };
    let mut prev = GENESIS.to_owned();
    let mut last = None;
    for r in rows {
        let h = seal(conn, how, &row_canonical(&r, &prev))?;
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

/// Seals a plain chain with the key of the connection (opened with the
/// practice key): run by the migration that brings the seal, and when a plain
/// file is encrypted. A plain chain that is already broken is left as it is,
/// so its break is still reported where it is, never sealed over. Does
/// nothing on a connection without a key or a chain already sealed.
pub fn seal_with_key(conn: &Connection) -> CoreResult<()> {
    let Some(key) = connection_key(conn) else {
        return Ok(());
    };
    if !has_seal_table(conn)? || sealed_by(conn)?.is_some() {
        return Ok(());
    }
    if !walk(conn, Seal::Plain, None)?.is_whole() {
        return Ok(());
    }
    reseal(conn, Seal::Keyed)?;
    conn.execute(
        "INSERT INTO audit_seal (id, key_id) VALUES (1, ?1)",
        params![key],
    )?;
    Ok(())
}

/// The trail's newest head, to keep outside the file.
pub fn anchor(conn: &Connection) -> CoreResult<Option<Anchor>> {
    Ok(head(conn)?.map(|(entry, hash)| Anchor { entry, hash }))
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Serialize, TS, utoipa::ToSchema)]
pub struct Verdict {
    /// Entries checked.
    pub entries: i64,
    /// The first entry that does not fit (edited, inserted, the one after a
    /// deleted entry, or the first one missing from a trail cut short), or
    /// `None` when the chain is whole.
    pub first_broken: Option<i64>,
    /// What is wrong there, in words.
    pub problem: Option<String>,
    /// Sealed with the practice's key (a plain file's trail is not).
    pub sealed: bool,
    /// Checked against a copy of its head kept outside the file.
    pub anchored: bool,
}

impl Verdict {
    pub fn is_whole(&self) -> bool {
        self.first_broken.is_none()
    }

    fn broken(mut self, id: i64, problem: String) -> Verdict {
        self.first_broken = Some(id);
        self.problem = Some(problem);
        self
    }
}

/// Walks the whole chain in id order (no copy of the head to compare with).
pub fn verify(conn: &Connection) -> CoreResult<Verdict> {
    verify_against(conn, None)
}

/// Walks the whole chain in id order, then compares its head with `anchor`,
/// the newest head seen outside the file: a trail that ends before it, is
/// empty, or holds another entry there was cut short or rebuilt.
pub fn verify_against(conn: &Connection, anchor: Option<&Anchor>) -> CoreResult<Verdict> {
    let sealed = sealed_by(conn)?;
    let key = connection_key(conn);
    let how = match (&sealed, &key) {
        (None, _) => Seal::Plain,
        (Some(s), Some(k)) if s == k => Seal::Keyed,
        (Some(_), Some(_)) => {
            return unverifiable(
                conn,
                "is sealed with another practice's key (the file was swapped or re-keyed)",
            )
        }
        (Some(_), None) => {
            return unverifiable(
                conn,
                "is sealed with a practice key, but this copy is not locked with one (a plain copy of a sealed trail): it cannot be checked here",
            )
        }
    };
    let v = walk(conn, how, anchor)?;
    if !v.is_whole() {
        return Ok(v);
    }
    // A file opened with its key whose trail carries no seal: the seal was
    // removed and the trail rebuilt with the published algorithm.
    if how == Seal::Plain && key.is_some() && version(conn)? >= SEALED_FROM && v.entries > 0 {
        let first = first_id(conn)?;
        return Ok(v.broken(
            first,
            "is not sealed with the practice's key: the trail was rebuilt without it".into(),
        ));
    }
    Ok(v)
}

/// A sealed trail this connection cannot check, named at its first entry.
fn unverifiable(conn: &Connection, problem: &str) -> CoreResult<Verdict> {
    Ok(Verdict {
        entries: 0,
        first_broken: Some(first_id(conn)?),
        problem: Some(problem.into()),
        sealed: true,
        anchored: false,
    })
}

fn first_id(conn: &Connection) -> CoreResult<i64> {
    Ok(
        conn.query_row("SELECT coalesce(min(id), 0) FROM audit_log", [], |r| {
            r.get(0)
        })?,
    )
}

fn walk(conn: &Connection, how: Seal, anchor: Option<&Anchor>) -> CoreResult<Verdict> {
    let mut stmt = conn.prepare(&format!("{SELECT_ROWS} ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut v = Verdict {
        entries: 0,
        first_broken: None,
        problem: None,
        sealed: how == Seal::Keyed,
        anchored: anchor.is_some(),
    };
    let mut last_id = 0i64;
    let mut at_anchor = None;
    while let Some(r) = rows.next()? {
        let r = read_row(r)?;
        v.entries += 1;
        if r.prev_hash.as_deref() != Some(prev.as_str()) {
            return Ok(v.broken(
                r.id,
                "does not follow the entry before it (an entry was deleted or inserted here)"
                    .into(),
            ));
        }
        let canonical = row_canonical(&r, &prev);
        let h = seal(conn, how, &canonical)?;
        if r.hash.as_deref() != Some(h.as_str()) {
            let plain = seal(conn, Seal::Plain, &canonical)?;
            let problem = if how == Seal::Keyed && r.hash.as_deref() == Some(plain.as_str()) {
                "was rebuilt without the practice's key (its hash is the published algorithm's, not the seal)"
            } else {
                "its content does not match its hash (it was edited or inserted by hand)"
            };
            return Ok(v.broken(r.id, problem.into()));
        }
        if anchor.is_some_and(|a| a.entry == r.id) {
            at_anchor = Some(h.clone());
        }
        prev = h;
        last_id = r.id;
    }
    match head(conn)? {
        None if v.entries == 0 => {}
        Some((id, h)) if id == last_id && h == prev => {}
        _ => {
            return Ok(v.broken(
                last_id,
                "is not the newest entry the trail recorded (entries after it were deleted)".into(),
            ))
        }
    }
    let Some(a) = anchor else {
        return Ok(v);
    };
    if v.entries == 0 {
        return Ok(v.broken(
            a.entry,
            format!("is missing: the trail is empty, but it held at least {} entries by the copy of its head kept outside the file (it was emptied)", a.entry),
        ));
    }
    if last_id < a.entry {
        return Ok(v.broken(
            last_id + 1,
            format!("is missing: the trail ends at entry {last_id}, but it reached entry {} by the copy of its head kept outside the file (it was cut short)", a.entry),
        ));
    }
    match at_anchor {
        Some(h) if h == a.hash => Ok(v),
        _ => Ok(v.broken(
            a.entry,
            "is not the entry the trail held there by the copy of its head kept outside the file (the trail was rebuilt)".into(),
        )),
    }
}
