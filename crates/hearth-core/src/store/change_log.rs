//! The change log (`change_log` table): one row per committed write, naming
//! what changed (topics and ids) and the window it came from, with an
//! increasing id. `Hearth::write` appends inside the write's transaction and
//! publishes the row after commit; a screen that reconnects asks for the rows
//! after the last id it saw; [`follow`] publishes the rows another process
//! wrote to the same file.
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{params, Connection};

use crate::error::{CoreError, CoreResult};
use crate::events::{Change, ChangeBatch, EventBus};

/// Appends one batch; returns its id.
pub fn append(
    conn: &Connection,
    at_ms: i64,
    origin: Option<&str>,
    changes: &[Change],
) -> CoreResult<i64> {
    let json = serde_json::to_string(changes).map_err(|e| CoreError::Storage(e.to_string()))?;
    conn.execute(
        "INSERT INTO change_log (at_ms, origin, changes) VALUES (?1, ?2, ?3)",
        params![at_ms, origin, json],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The newest id (0 when nothing was ever written).
pub fn latest(conn: &Connection) -> CoreResult<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM change_log", [], |r| {
            r.get(0)
        })?,
    )
}

/// The batches after `after`, oldest first, at most `limit` (`None` when more
/// than `limit` were missed: the caller should refetch everything instead).
pub fn since(conn: &Connection, after: i64, limit: usize) -> CoreResult<Option<Vec<ChangeBatch>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, origin, changes FROM change_log WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit as i64 + 1], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, origin, changes) = row?;
        // A row edited into nonsense reads as "something changed": refetch.
        let changes: Vec<Change> = serde_json::from_str(&changes).unwrap_or_else(|_| {
            vec![Change {
                topic: "*".into(),
                ids: vec![],
            }]
        });
        out.push(ChangeBatch {
            id,
            origin,
            changes,
        });
    }
    if out.len() > limit {
        return Ok(None);
    }
    Ok(Some(out))
}

/// What the follower shares with the process's own writer.
#[derive(Default)]
pub struct Following {
    /// Ids this process published itself (the follower skips them once).
    pub own: Mutex<BTreeSet<i64>>,
    pub stop: AtomicBool,
}

/// How often the follower looks for another process's commits.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(150);

/// Publishes on `bus` every batch another process commits to the file at
/// the file `conn` reads (a read connection of its own), from a thread of
/// its own, until `state.stop` is set. Cheap when idle: it asks SQLite's
/// `data_version`, which changes only on a commit.
pub fn follow(conn: Connection, bus: EventBus, state: Arc<Following>) -> CoreResult<()> {
    let mut seen = latest(&conn)?;
    let mut version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
    std::thread::Builder::new()
        .name("hearth-follow".into())
        .spawn(move || {
            while !state.stop.load(Ordering::Relaxed) {
                std::thread::sleep(FOLLOW_EVERY);
                let Ok(v) = conn.query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))
                else {
                    continue;
                };
                if v == version {
                    continue;
                }
                version = v;
                let batches = match since(&conn, seen, 1000) {
                    Ok(Some(b)) => b,
                    Ok(None) => {
                        // Fell far behind: everything may have changed.
                        seen = latest(&conn).unwrap_or(seen);
                        bus.publish(ChangeBatch::everything());
                        continue;
                    }
                    Err(_) => continue,
                };
                for b in batches {
                    seen = b.id;
                    let mine = state
                        .own
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .remove(&b.id);
                    if !mine {
                        bus.publish(b);
                    }
                }
            }
        })
        .map_err(|e| CoreError::Storage(format!("could not start following changes: {e}")))?;
    Ok(())
}
