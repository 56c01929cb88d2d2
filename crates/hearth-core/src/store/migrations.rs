//! Schema migrations: `migrations/NNNN_name.sql` at the workspace root, embedded
//! at build time, applied in order, one transaction each, with the version kept
//! in `PRAGMA user_version`. A file written by a newer Hearth is refused.
use rusqlite::Connection;

use crate::error::{CoreError, CoreResult};

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

pub fn current_version(conn: &Connection) -> CoreResult<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

pub fn migrate(conn: &mut Connection) -> CoreResult<()> {
    let current = current_version(conn)?;
    let latest = latest_version();
    if current > latest {
        return Err(CoreError::SchemaTooNew {
            message: format!(
                "This practice file was saved by a newer version of Hearth (file version {current}; this Hearth reads up to {latest}). Update Hearth on this computer to open it."
            ),
        });
    }
    for (version, _name, sql) in MIGRATIONS.iter().filter(|(v, _, _)| *v > current) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        after(&tx, *version)?;
        tx.commit()?;
    }
    Ok(())
}

/// What a migration needs done in Rust, in its own transaction.
fn after(tx: &Connection, version: u32) -> CoreResult<()> {
    if version == 3 {
        // Entries written before the chain existed are sealed into it once.
        crate::audit::chain::seal_legacy(tx)?;
    }
    if version == crate::audit::chain::SEALED_FROM {
        // A file opened with its key has its trail sealed with it.
        crate::audit::chain::seal_with_key(tx)?;
    }
    Ok(())
}
