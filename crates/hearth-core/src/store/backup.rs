//! Backups of the practice file, and putting one back. A backup is an online,
//! consistent copy — SQLite's backup API on a connection of its own, inside
//! one read transaction (a WAL snapshot), a few hundred pages at a time, so the
//! desk keeps booking meanwhile — written under a temporary
//! name, synced, renamed, then **verified**: SQLite's integrity check, a schema
//! this Hearth reads, the audit chain whole, and a row count of every table.
//! Restoring verifies the backup first and keeps the current file aside as a
//! backup of its own; nothing is changed when the backup is not good.
//!
//! [`tick`] takes one when the newest in a folder is older than the interval,
//! and [`prune`] keeps 24 hourly, 14 daily, 8 weekly and 12 monthly, never the
//! newest good one; each backup's verdict is kept beside it (`….db.json`).
//! The practice's own schedule and its folders are `setup/backups.rs`.
//!
//! A backup is locked with the practice's key, as the practice file is
//! (the copy is opened with the same key, so each page is written encrypted):
//! it opens only on a computer with the key, or with the recovery key.
mod pacing;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit;
use crate::error::{CoreError, CoreResult};
use crate::store::keys::{self, FileKind, KeyStore, PracticeKey};
use crate::store::migrations::latest_version;

/// What checking a backup found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Good: it opens, is whole, its audit trail is whole, and this Hearth reads it.
    pub ok: bool,
    /// Locked with a key (a file from before encryption is not).
    pub encrypted: bool,
    /// What is wrong, in words, when it is not good.
    pub problem: Option<String>,
    pub schema: u32,
    pub audit_entries: i64,
    /// The audit trail's newest head in this backup: one more copy of it kept
    /// outside the practice file (`audit::chain`), which a restore carries on.
    pub audit_head: Option<crate::audit::chain::Anchor>,
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

/// Pages copied in one step of a backup (256 KiB), with a breath between steps.
const PAGES_PER_STEP: std::os::raw::c_int = 64;

/// Copies the practice file at `source` (locked with `key`) into `dir` as a
/// new backup, locked with the same key, then verifies it. The work runs on
/// a thread of its own at the lowest priority (`pacing`), so the desk's
/// bookings come first.
pub fn create(
    source: &Path,
    key: Option<&PracticeKey>,
    dir: &Path,
    now_ms: i64,
) -> CoreResult<Backup> {
    pacing::behind_the_desk(|| create_here(source, key, dir, now_ms))
}

fn create_here(
    source: &Path,
    key: Option<&PracticeKey>,
    dir: &Path,
    now_ms: i64,
) -> CoreResult<Backup> {
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
        if let Some(k) = key {
            keys::apply(&conn, k)?;
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // One read transaction for the whole copy: one snapshot, however the desk
        // writes meanwhile (the backup never starts over).
        conn.execute_batch("BEGIN; SELECT count(*) FROM sqlite_master;")?;
        let mut to = Connection::open(&partial)?;
        if let Some(k) = key {
            keys::apply(&to, k)?;
        }
        to.execute_batch("PRAGMA synchronous = OFF;")?;
        {
            // SQLite's online backup, a few dozen pages at a time with a breath
            // between: the desk's bookings keep a core and the disk to themselves.
            let copy = rusqlite::backup::Backup::new(&conn, &mut to)?;
            let mut breath = pacing::Breath::new();
            loop {
                match copy.step(PAGES_PER_STEP)? {
                    rusqlite::backup::StepResult::Done => break,
                    rusqlite::backup::StepResult::More => breath.take(),
                    _ => std::thread::sleep(std::time::Duration::from_millis(3)),
                }
            }
        }
        // A backup is read on its own: no write-ahead log travels with it.
        let _mode: String = to.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        drop(to);
        conn.execute_batch("COMMIT;")?;
    }
    // Only the practice's own user reads a backup: it holds everyone's records.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&partial, fs::Permissions::from_mode(0o600))
            .map_err(|e| io("could not protect", &partial, e))?;
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    }
    let file = fs::File::open(&partial).map_err(|e| io("could not read", &partial, e))?;
    file.sync_all()
        .map_err(|e| io("could not sync", &partial, e))?;
    drop(file);
    fs::rename(&partial, &path).map_err(|e| io("could not name", &path, e))?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    let verdict = verify(&path, key.map(std::slice::from_ref).unwrap_or_default())?;
    // The verdict travels with the backup: what was checked, when, and the checksum.
    let record = serde_json::json!({ "taken_at_ms": now_ms, "verdict": &verdict });
    let _ = fs::write(sidecar(&path), record.to_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(sidecar(&path), fs::Permissions::from_mode(0o600));
    }
    Ok(Backup { path, verdict })
}

/// Puts a copy of the backup `b` (locked with `key`) in `dir` as well, under
/// the same name: copied under a temporary name, synced, renamed, then
/// verified there (a copy that does not check out is said, not hidden).
pub fn copy_to(b: &Backup, key: Option<&PracticeKey>, dir: &Path) -> CoreResult<Backup> {
    fs::create_dir_all(dir).map_err(|e| io("could not make the backup folder", dir, e))?;
    let name = b
        .path
        .file_name()
        .ok_or_else(|| CoreError::Storage("a backup without a name".into()))?;
    let path = dir.join(name);
    let partial = path.with_extension("db.partial");
    fs::copy(&b.path, &partial).map_err(|e| io("could not copy the backup to", &partial, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(&partial, fs::Permissions::from_mode(0o600));
    }
    fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| io("could not sync", &partial, e))?;
    fs::rename(&partial, &path).map_err(|e| io("could not name", &path, e))?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    let verdict = verify(&path, key.map(std::slice::from_ref).unwrap_or_default())?;
    let taken = taken_at(&path).unwrap_or(0);
    let record = serde_json::json!({ "taken_at_ms": taken, "verdict": &verdict });
    let _ = fs::write(sidecar(&path), record.to_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(sidecar(&path), fs::Permissions::from_mode(0o600));
    }
    Ok(Backup { path, verdict })
}

/// Where a backup's verdict is kept: `hearth-….db.json` beside it.
fn sidecar(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}.json", path.to_string_lossy()))
}

/// When a backup was taken, from its name (`hearth-20261207-021530[-2].db`).
pub fn taken_at(path: &Path) -> Option<i64> {
    let name = path.file_name()?.to_str()?;
    let stamp = name.strip_prefix("hearth-")?.get(..15)?;
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S")
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

/// Whether the backup at `path` was verified good when it was taken (its sidecar says so).
pub fn recorded_good(path: &Path) -> bool {
    fs::read_to_string(sidecar(path))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|v| v["verdict"]["ok"] == true)
}

/// How many of each to keep: the newest backup of each of the last `hourly`
/// hours that have one, then of `daily` days, `weekly` weeks, `monthly` months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub hourly: usize,
    pub daily: usize,
    pub weekly: usize,
    pub monthly: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            hourly: 24,
            daily: 14,
            weekly: 8,
            monthly: 12,
        }
    }
}

/// Which of the backups taken at `taken` (ms) to keep under `r` (UTC buckets):
/// the union of the four rules, and always the newest.
pub fn keep(taken: &[i64], r: Retention) -> std::collections::BTreeSet<i64> {
    use chrono::Datelike;
    let mut newest_first: Vec<i64> = taken.to_vec();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    newest_first.dedup();
    let mut kept = std::collections::BTreeSet::new();
    if let Some(n) = newest_first.first() {
        kept.insert(*n);
    }
    let day = |t: i64| t.div_euclid(86_400_000);
    let month = |t: i64| {
        chrono::DateTime::from_timestamp_millis(t)
            .map_or(0, |d| i64::from(d.year()) * 12 + i64::from(d.month0()))
    };
    let rules: [(usize, &dyn Fn(i64) -> i64); 4] = [
        (r.hourly, &|t: i64| t.div_euclid(3_600_000)),
        (r.daily, &day),
        (r.weekly, &|t: i64| (day(t) + 3).div_euclid(7)),
        (r.monthly, &month),
    ];
    for (count, bucket) in rules {
        let mut seen = std::collections::BTreeSet::new();
        for &t in &newest_first {
            if seen.len() >= count {
                break;
            }
            if seen.insert(bucket(t)) {
                kept.insert(t);
            }
        }
    }
    kept
}

/// Removes the backups in `dir` that `keep` does not keep (with their
/// verdicts); never the newest good one. Returns how many went.
pub fn prune(dir: &Path, r: Retention) -> CoreResult<usize> {
    let found: Vec<(PathBuf, i64)> = list(dir)?
        .into_iter()
        .filter_map(|b| taken_at(&b.path).map(|t| (b.path, t)))
        .collect();
    let times: Vec<i64> = found.iter().map(|(_, t)| *t).collect();
    let mut kept = keep(&times, r);
    if let Some((_, t)) = found.iter().find(|(p, _)| recorded_good(p)) {
        kept.insert(*t);
    }
    let mut gone = 0;
    for (path, t) in &found {
        if !kept.contains(t) {
            fs::remove_file(path).map_err(|e| io("could not remove", path, e))?;
            let _ = fs::remove_file(sidecar(path));
            gone += 1;
        }
    }
    Ok(gone)
}

/// One turn of the practice computer's own backups: when the newest backup in
/// `dir` is older than `every_ms` (or there is none), take one, then prune.
/// Returns the backup taken, if one was due.
pub fn tick(
    db: &Path,
    key: Option<&PracticeKey>,
    dir: &Path,
    now_ms: i64,
    every_ms: i64,
    r: Retention,
) -> CoreResult<Option<Backup>> {
    let newest = list(dir)?.iter().filter_map(|b| taken_at(&b.path)).max();
    if newest.is_some_and(|t| now_ms - t < every_ms) {
        return Ok(None);
    }
    let b = create(db, key, dir, now_ms)?;
    prune(dir, r)?;
    Ok(Some(b))
}

fn sha256_of(path: &Path) -> CoreResult<(u64, String)> {
    let mut f = fs::File::open(path).map_err(|e| io("could not read", path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    let mut breath = pacing::Breath::new();
    loop {
        breath.take();
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

/// Checks a backup file without changing it, unlocking it with whichever of
/// `keys` opens it (a plain file needs none). A file that is not a good
/// backup is a verdict with its problem, not an error.
pub fn verify(path: &Path, keys: &[PracticeKey]) -> CoreResult<Verdict> {
    examine(path, keys).map(|(v, _)| v)
}

/// [`verify`], and the key that opened the file.
fn examine(path: &Path, keys: &[PracticeKey]) -> CoreResult<(Verdict, Option<PracticeKey>)> {
    let (size, sha256) = sha256_of(path)?;
    let encrypted = keys::file_kind(path) == FileKind::Locked;
    let mut v = Verdict {
        ok: false,
        encrypted,
        problem: None,
        schema: 0,
        audit_entries: 0,
        audit_head: None,
        tables: BTreeMap::new(),
        size,
        sha256,
    };
    let mut opened_with = None;
    let bad = |mut v: Verdict, problem: String| {
        v.problem = Some(problem);
        Ok((v, None))
    };
    let mut conn = match Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) {
        Ok(c) => c,
        Err(e) => return bad(v, format!("it does not open ({e})")),
    };
    if encrypted {
        match keys::find(path, keys) {
            Some(k) if keys::apply(&conn, &k).is_ok() => opened_with = Some(k),
            _ => {
                return bad(
                    v,
                    "it is locked with a key this computer does not have (or it is not a Hearth backup): give its recovery key".into(),
                )
            }
        }
    }
    // The check visits each table's pages again for each of its indexes: with
    // the whole file in the cache each page is read (and decrypted) once
    // (memory is taken only as pages are read, at most 64 MiB).
    let _ = conn.execute_batch("PRAGMA cache_size = -65536;");
    // The check breathes as the copy does (`pacing`): it rests every few
    // milliseconds of work, so a booking never waits behind it for long.
    let mut breath = pacing::Breath::new();
    let _ = conn.progress_handler(
        1000,
        Some(move || {
            breath.take();
            false
        }),
    );
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
                v.audit_head = audit::chain::anchor(&conn).ok().flatten();
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
    Ok((v, opened_with))
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
/// have it open). The backup is verified first, unlocked with this computer's
/// keys or the `recovery` key: a bad one changes nothing. A recovery key that
/// opens it is kept on this computer. The current file is first kept as a
/// backup in `aside`.
pub fn restore(
    file: &Path,
    db: &Path,
    aside: &Path,
    now_ms: i64,
    keys: &KeyStore,
    recovery: Option<&PracticeKey>,
) -> CoreResult<Restored> {
    let mut candidates = keys.keys_for(file);
    candidates.extend(recovery.cloned());
    let (verdict, key) = examine(file, &candidates)?;
    if !verdict.ok {
        return Err(CoreError::invalid(
            "file",
            format!(
                "That backup can't be restored: {}. Nothing was changed; choose another backup.",
                verdict.problem.clone().unwrap_or_default()
            ),
        ));
    }
    if let Some(k) = &key {
        keys.save(k)?;
    }
    let kept_aside = if db.exists() {
        Some(keep_aside(db, aside, now_ms, keys)?)
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
    // The trail goes back to the backup's: its head is now the newest this
    // computer may expect. A backup from before the seal is sealed when it is
    // opened, so it has no head to expect yet.
    if let Some(k) = &key {
        match (
            &verdict.audit_head,
            verdict.schema >= audit::chain::SEALED_FROM,
        ) {
            (Some(head), true) => keys.set_anchor(k, head)?,
            _ => keys.forget_anchor(k),
        }
    }
    Ok(Restored {
        kept_aside,
        verdict,
    })
}

/// Keeps the current practice file as a backup before it is replaced: a
/// verified backup when this computer can open it, else a plain copy of its
/// bytes (a file whose key is lost is still kept, never destroyed).
fn keep_aside(db: &Path, aside: &Path, now_ms: i64, keys: &KeyStore) -> CoreResult<PathBuf> {
    let key = match keys::file_kind(db) {
        FileKind::Plain => None,
        _ => keys::find_for(db, keys),
    };
    if key.is_some() || keys::file_kind(db) == FileKind::Plain {
        return Ok(create(db, key.as_ref(), aside, now_ms)?.path);
    }
    fs::create_dir_all(aside).map_err(|e| io("could not make the backup folder", aside, e))?;
    let to = aside.join(file_name(now_ms));
    fs::copy(db, &to).map_err(|e| io("could not keep a copy at", &to, e))?;
    Ok(to)
}
