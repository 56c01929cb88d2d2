//! Encrypting a plain practice file in place, the first time a Hearth that
//! encrypts opens it.
//!
//! The order makes every crash survivable — at any instant there is one good
//! file at the practice's path that opens:
//! 1. a new key is made and kept on this computer (synced);
//! 2. the plain file's write-ahead log is folded into it;
//! 3. an encrypted copy is written beside it (`….db.encrypting`);
//! 4. the copy's audit trail is sealed with the key (`audit::chain`);
//! 5. the copy is verified against the plain file: it opens with the key, its
//!    integrity check passes, its sealed audit chain is whole, and every table
//!    has exactly the rows the plain file has;
//! 6. the copy is synced and renamed over the plain file (one atomic step:
//!    the plain file is gone the moment the encrypted one is in place).
//!
//! A crash before 6 leaves the plain file as it was (the half-made copy is
//! removed on the next open, which starts again); after 6, the encrypted file
//! and its key.
use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::backup;
use super::keys::{KeyStore, PracticeKey};
use crate::error::{CoreError, CoreResult};

/// Where the encrypted copy is made.
fn encrypting_path(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}.encrypting", db.to_string_lossy()))
}

/// Removes a half-made encrypted copy a crash left behind.
pub fn clear_leftovers(db: &Path) {
    let _ = fs::remove_file(encrypting_path(db));
}

/// Encrypts the plain file at `db` in place with a new key kept in `keys`.
pub fn in_place(db: &Path, keys: &KeyStore) -> CoreResult<PracticeKey> {
    // SQLCipher fully started before the connection that exports is opened.
    super::keys::ready();
    let key = PracticeKey::random()?;
    keys.save(&key)?;
    let copy = encrypting_path(db);
    let _ = fs::remove_file(&copy);
    {
        let conn = Connection::open(db)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Everything committed is in the main file, and no log outlives it.
        let _mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        let literal = key.sql_literal();
        conn.execute(
            "ATTACH DATABASE ?1 AS locked KEY ?2",
            rusqlite::params![copy.to_string_lossy(), literal.as_str()],
        )?;
        conn.query_row("SELECT sqlcipher_export('locked')", [], |_| Ok(()))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        conn.execute_batch(&format!(
            "PRAGMA locked.user_version = {version}; DETACH DATABASE locked;"
        ))?;
    }
    if let Err(e) = seal(&copy, &key) {
        let _ = fs::remove_file(&copy);
        return Err(e);
    }
    let plain = backup::verify(db, &[])?;
    let locked = backup::verify(&copy, std::slice::from_ref(&key))?;
    // The seal's own record is the one row the copy adds.
    let rows = |v: &backup::Verdict| {
        let mut t = v.tables.clone();
        t.remove("audit_seal");
        t
    };
    let same = locked.encrypted
        && locked.schema == plain.schema
        && rows(&locked) == rows(&plain)
        && locked.audit_entries == plain.audit_entries
        && locked.problem == plain.problem;
    if !same {
        let _ = fs::remove_file(&copy);
        return Err(CoreError::Storage(format!(
            "the encrypted copy of the practice file did not match it ({}), so the file was left as it was",
            locked.problem.unwrap_or_else(|| "different row counts".into())
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(&copy, fs::Permissions::from_mode(0o600));
    }
    fs::File::open(&copy)
        .and_then(|f| f.sync_all())
        .map_err(|e| CoreError::Storage(format!("could not sync the encrypted copy: {e}")))?;
    fs::rename(&copy, db).map_err(|e| {
        CoreError::Storage(format!("could not put the encrypted copy in place: {e}"))
    })?;
    if let Some(d) = db.parent().and_then(|p| fs::File::open(p).ok()) {
        let _ = d.sync_all();
    }
    Ok(key)
}

/// Seals the encrypted copy's audit trail with its new key, in one transaction.
fn seal(copy: &Path, key: &PracticeKey) -> CoreResult<()> {
    let mut conn = Connection::open(copy)?;
    super::keys::apply(&conn, key)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    crate::audit::chain::seal_with_key(&tx)?;
    tx.commit()?;
    Ok(())
}
