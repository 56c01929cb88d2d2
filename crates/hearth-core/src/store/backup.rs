//! Backups of the practice file, and putting one back. A backup is an online,
//! consistent copy — `VACUUM INTO` on a connection of its own, reading a WAL
//! snapshot, so the desk keeps booking meanwhile — written under a temporary
//! name, synced, renamed, then **verified**: SQLite's integrity check, a schema
//! this Hearth reads, the audit chain whole, and a row count of every table.
//! Restoring verifies the backup first and keeps the current file aside as a
//! backup of its own; nothing is changed when the backup is not good.
//!
//! Backups are not yet encrypted: that comes with the encrypted practice file.
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit;
use crate::error::{CoreError, CoreResult};
use crate::store::migrations::latest_version;

/// What checking a backup found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Good: it opens, is whole, its audit trail is whole, and this Hearth reads it.
    pub ok: bool,
    /// What is wrong, in words, when it is not good.
    pub problem: Option<String>,
    pub schema: u32,
    pub audit_entries: i64,
    /// Rows in each table.
    pub tables: BTreeMap<String, i64>,
    pub size: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
}

/// A backup written and checked.
#[derive(Debug, Clone, Serialize)]
pub struct Backup {
    pub path: PathBuf,
    pub verdict: Verdict,
}

/// A backup file found in a folder.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub path: PathBuf,
    pub size: u64,
}

fn io(what: &str, path: &Path, e: std::io::Error) -> CoreError {
    CoreError::Storage(format!("{what} {}: {e}", path.display()))
}

/// Where backups go unless told otherwise: a folder beside the practice's
/// folder, never inside it ("…/hearth" → "…/hearth-backups").
pub fn default_dir(db: &Path) -> PathBuf {
    let folder = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = folder
        .file_name()
        .map_or_else(|| "hearth".into(), |n| n.to_string_lossy().into_owned());
    folder
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!("{name}-backups"))
}

/// The file name of a backup taken at `now_ms`: `hearth-20261207-021530.db`.
pub fn file_name(now_ms: i64) -> String {
    let at = chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_default();
    format!("hearth-{}.db", at.format("%Y%m%d-%H%M%S"))
}

/// Copies the practice file at `source` into `dir` as a new backup, then verifies it.
pub fn create(source: &Path, dir: &Path, now_ms: i64) -> CoreResult<Backup> {
    fs::create_dir_all(dir).map_err(|e| io("could not make the backup folder", dir, e))?;
    let mut path = dir.join(file_name(now_ms));
    let mut n = 2;
    while path.exists() {
        path = dir.join(file_name(now_ms).replace(".db", &format!("-{n}.db")));
        n += 1;
    }
    let partial = path.with_extension("db.partial");
    let _ = fs::remove_file(&partial);
    {
        // A connection of its own, read-only: a snapshot, never a lock on the writer.
        let conn = Connection::open_with_flags(
            source,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute("VACUUM INTO ?1", [partial.to_string_lossy()])?;
    }
    let file = fs::File::open(&partial).map_err(|e| io("could not read", &partial, e))?;
    file.sync_all()
        .map_err(|e| io("could not sync", &partial, e))?;
    drop(file);
    fs::rename(&partial, &path).map_err(|e| io("could not name", &path, e))?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    let verdict = verify(&path)?;
    Ok(Backup { path, verdict })
}

fn sha256_of(path: &Path) -> CoreResult<(u64, String)> {
    let mut f = fs::File::open(path).map_err(|e| io("could not read", path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| io("could not read", path, e))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
    Ok((size, hex::encode(h.finalize())))
}

/// Checks a backup file without changing it. A file that is not a good backup
/// is a verdict with its problem, not an error.
pub fn verify(path: &Path) -> CoreResult<Verdict> {
    let (size, sha256) = sha256_of(path)?;
    let mut v = Verdict {
        ok: false,
        problem: None,
        schema: 0,
        audit_entries: 0,
        tables: BTreeMap::new(),
        size,
        sha256,
    };
    let bad = |mut v: Verdict, problem: String| {
        v.problem = Some(problem);
        Ok(v)
    };
    let conn = match Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) {
        Ok(c) => c,
        Err(e) => return bad(v, format!("it does not open ({e})")),
    };
    let integrity: Result<String, _> = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0));
    match integrity {
        Ok(s) if s == "ok" => {}
        Ok(s) => return bad(v, format!("it is damaged ({s})")),
        Err(e) => return bad(v, format!("it is not a Hearth practice file ({e})")),
    }
    v.schema = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap_or(0);
    if v.schema == 0 {
        return bad(v, "it is not a Hearth practice file".into());
    }
    if v.schema > latest_version() {
        return bad(
            v,
            "it was written by a newer Hearth: update Hearth to read it".into(),
        );
    }
    let names: Vec<String> = match conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'people_search%' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
    {
        Ok(n) => n,
        Err(e) => return bad(v, format!("its tables can't be read ({e})")),
    };
    for name in names {
        let count: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM \"{}\"", name.replace('"', "")),
                [],
                |r| r.get(0),
            )
            .unwrap_or(-1);
        v.tables.insert(name, count);
    }
    if v.schema >= 3 {
        match audit::verify(&conn) {
            Ok(a) => {
                v.audit_entries = a.entries;
                if let Some(id) = a.first_broken {
                    return bad(
                        v,
                        format!(
                            "its audit trail is broken at entry {id} ({})",
                            a.problem.unwrap_or_default()
                        ),
                    );
                }
            }
            Err(e) => return bad(v, format!("its audit trail can't be read ({e})")),
        }
    }
    v.ok = true;
    Ok(v)
}

/// The backups in `dir`, newest first (by name, which is by time).
pub fn list(dir: &Path) -> CoreResult<Vec<Listed>> {
    let mut out = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io("could not read the folder", dir, e)),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("hearth-") && name.ends_with(".db") {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            out.push(Listed { path, size });
        }
    }
    out.sort_by(|a, b| b.path.cmp(&a.path));
    Ok(out)
}

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
pub struct Restored {
    /// The file as it was before, kept as a backup (none when there was no file).
    pub kept_aside: Option<PathBuf>,
    pub verdict: Verdict,
}

/// Puts the backup `file` in place of the practice file `db` (Hearth must not
/// have it open). The backup is verified first: a bad one changes nothing.
/// The current file is first kept as a backup in `aside`.
pub fn restore(file: &Path, db: &Path, aside: &Path, now_ms: i64) -> CoreResult<Restored> {
    let verdict = verify(file)?;
    if !verdict.ok {
        return Err(CoreError::invalid(
            "file",
            format!(
                "That backup can't be restored: {}. Nothing was changed; choose another backup.",
                verdict.problem.clone().unwrap_or_default()
            ),
        ));
    }
    let kept_aside = if db.exists() {
        Some(create(db, aside, now_ms)?.path)
    } else {
        None
    };
    let tmp = db.with_extension("db.restoring");
    fs::copy(file, &tmp).map_err(|e| io("could not copy the backup to", &tmp, e))?;
    fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| io("could not sync", &tmp, e))?;
    // The old file's write-ahead log belongs to the old file.
    for suffix in ["-wal", "-shm"] {
        let _ = fs::remove_file(PathBuf::from(format!("{}{suffix}", db.to_string_lossy())));
    }
    fs::rename(&tmp, db).map_err(|e| io("could not put the backup in place at", db, e))?;
    if let Some(d) = db.parent().and_then(|p| fs::File::open(p).ok()) {
        let _ = d.sync_all();
    }
    Ok(Restored {
        kept_aside,
        verdict,
    })
}
