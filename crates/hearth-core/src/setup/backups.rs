//! The practice's backups as its manager runs them: where they go (the
//! default folder beside the practice's folder, plus any a manager adds — a
//! second disk, a USB stick, a mounted share), how often, how many are kept,
//! the recovery sheet, and what Settings → Backups and the manager's notice
//! show. The practice computer backs itself up through [`keep_backing_up`]
//! (desktop and `hearth serve`); "Back up now" and restoring a chosen backup
//! are [`back_up_now`] and [`restore`]. The files themselves — copying,
//! verifying, pruning, putting back — are `store/backup.rs`.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::sessions;
use crate::app::{Actor, Ctx, Hearth, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::{topics, ChangeBatch};
use crate::setup::staff;
use crate::store::backup::{self, Retention};
use crate::store::keys::{KeyStore, PracticeKey};

const DAY_MS: i64 = 86_400_000;

/// `get_backup_status`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GetBackupStatus {}

/// One place backups go, and what is there.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Destination {
    /// None for the default folder (it can't be removed).
    pub id: Option<i64>,
    pub label: String,
    pub folder: String,
    /// The folder is there and can be written to (a USB stick left at home is not).
    pub present: bool,
    /// The newest backup there that was verified good when it was written.
    pub newest_good_ms: Option<i64>,
    pub newest_good_size: Option<u64>,
    /// Backups kept there.
    pub kept: u32,
}

/// A backup file a manager can restore.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct BackupFile {
    pub path: String,
    pub destination: String,
    pub taken_at_ms: i64,
    pub size: u64,
    /// Verified good when it was written.
    pub good: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct BackupStatus {
    /// The default folder (kept for screens that show one line).
    pub folder: String,
    pub destinations: Vec<Destination>,
    /// The newest verified backup anywhere.
    pub newest_good_ms: Option<i64>,
    pub newest_good_size: Option<u64>,
    /// Backups in the default folder (good or not).
    pub kept: u32,
    /// No verified backup is younger than a day: the manager is told.
    pub stale: bool,
    /// When the next automatic backup is due (while Hearth runs).
    pub next_due_ms: i64,
    #[schema(minimum = 15, maximum = 1440)]
    pub every_minutes: u32,
    pub retention: RetentionSettings,
    /// What the manager should do, when something needs them (red notice).
    pub attention: Option<String>,
    /// When a manager said the recovery sheet is kept safe (none: not yet).
    pub recovery_sheet_at_ms: Option<i64>,
    /// The newest backups across every folder, newest first (to restore from).
    pub recent: Vec<BackupFile>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    #[schema(minimum = 1, maximum = 240)]
    pub hourly: u32,
    #[schema(minimum = 1, maximum = 365)]
    pub daily: u32,
    #[schema(minimum = 0, maximum = 104)]
    pub weekly: u32,
    #[schema(minimum = 0, maximum = 120)]
    pub monthly: u32,
}

struct Settings {
    every_minutes: u32,
    retention: RetentionSettings,
    recovery_sheet_at_ms: Option<i64>,
}

impl RetentionSettings {
    fn rule(self) -> Retention {
        Retention {
            hourly: self.hourly as usize,
            daily: self.daily as usize,
            weekly: self.weekly as usize,
            monthly: self.monthly as usize,
        }
    }
}

fn settings(tx: &rusqlite::Connection) -> CoreResult<Settings> {
    Ok(tx
        .query_row(
            "SELECT every_minutes, keep_hourly, keep_daily, keep_weekly, keep_monthly, recovery_sheet_at_ms FROM backup_settings WHERE id = 1",
            [],
            |r| {
                Ok(Settings {
                    every_minutes: r.get(0)?,
                    retention: RetentionSettings {
                        hourly: r.get(1)?,
                        daily: r.get(2)?,
                        weekly: r.get(3)?,
                        monthly: r.get(4)?,
                    },
                    recovery_sheet_at_ms: r.get(5)?,
                })
            },
        )
        .optional()?
        .unwrap_or(Settings {
            every_minutes: 60,
            retention: RetentionSettings {
                hourly: 24,
                daily: 14,
                weekly: 8,
                monthly: 12,
            },
            recovery_sheet_at_ms: None,
        }))
}

fn db_path(tx: &rusqlite::Connection) -> CoreResult<PathBuf> {
    tx.path()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| CoreError::Storage("the practice file has no path".into()))
}

/// Every destination: the default folder first, then the added ones.
fn folders(tx: &rusqlite::Connection) -> CoreResult<Vec<(Option<i64>, String, PathBuf)>> {
    let mut out = vec![(
        None,
        "This computer".to_owned(),
        backup::default_dir(&db_path(tx)?),
    )];
    let mut stmt =
        tx.prepare_cached("SELECT id, label, folder FROM backup_destinations ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            Some(r.get(0)?),
            r.get(1)?,
            PathBuf::from(r.get::<_, String>(2)?),
        ))
    })?;
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

/// Whether backups can be written in `dir` now (it exists and is a folder).
fn present(dir: &Path, default: bool) -> bool {
    // The default folder is made when needed; an added one must be there.
    dir.is_dir() || (default && dir.parent().is_some_and(Path::is_dir))
}

pub fn status(ctx: &ReadCtx<'_>, _req: GetBackupStatus) -> CoreResult<BackupStatus> {
    let s = settings(ctx.tx)?;
    let mut destinations = Vec::new();
    let mut recent = Vec::new();
    for (id, label, dir) in folders(ctx.tx)? {
        let found = if dir.is_dir() {
            backup::list(&dir)?
        } else {
            Vec::new()
        };
        let newest = found.iter().find(|b| backup::recorded_good(&b.path));
        for b in found.iter().take(30) {
            recent.push(BackupFile {
                path: b.path.to_string_lossy().into_owned(),
                destination: label.clone(),
                taken_at_ms: backup::taken_at(&b.path).unwrap_or(0),
                size: b.size,
                good: backup::recorded_good(&b.path),
            });
        }
        destinations.push(Destination {
            id,
            present: present(&dir, id.is_none()),
            folder: dir.to_string_lossy().into_owned(),
            label,
            newest_good_ms: newest.and_then(|b| backup::taken_at(&b.path)),
            newest_good_size: newest.map(|b| b.size),
            kept: found.len() as u32,
        });
    }
    recent.sort_by_key(|b| std::cmp::Reverse(b.taken_at_ms));
    recent.truncate(30);
    let newest = destinations
        .iter()
        .filter_map(|d| d.newest_good_ms.map(|t| (t, d.newest_good_size)))
        .max_by_key(|(t, _)| *t);
    let newest_good_ms = newest.map(|(t, _)| t);
    let stale = newest_good_ms.is_none_or(|t| ctx.now_ms - t > DAY_MS);
    let every_ms = i64::from(s.every_minutes) * 60_000;
    let attention = if let Some(d) = destinations.iter().find(|d| !d.present) {
        Some(format!(
            "The backup folder \u{201c}{}\u{201d} ({}) is not there, so backups are not reaching it. Plug in or mount it, or remove it from Settings \u{2192} Backups.",
            d.label, d.folder
        ))
    } else if stale {
        Some(match newest_good_ms {
            None => "The practice has no verified backup yet. Choose \u{201c}Back up now\u{201d} in Settings \u{2192} Backups.".to_owned(),
            Some(_) => "No verified backup in the last 24 hours. Choose \u{201c}Back up now\u{201d} in Settings \u{2192} Backups; if it fails, check the backup folders have room.".to_owned(),
        })
    } else {
        destinations
            .iter()
            .find(|d| d.newest_good_ms.is_none_or(|t| ctx.now_ms - t > DAY_MS))
            .map(|d| format!(
                "The backup folder \u{201c}{}\u{201d} has no verified backup from the last 24 hours. Choose \u{201c}Back up now\u{201d} in Settings \u{2192} Backups.",
                d.label
            ))
    };
    Ok(BackupStatus {
        folder: destinations[0].folder.clone(),
        kept: destinations[0].kept,
        newest_good_ms,
        newest_good_size: newest.and_then(|(_, size)| size),
        stale,
        next_due_ms: newest_good_ms.map_or(ctx.now_ms, |t| (t + every_ms).max(ctx.now_ms)),
        every_minutes: s.every_minutes,
        retention: s.retention,
        attention,
        recovery_sheet_at_ms: s.recovery_sheet_at_ms,
        destinations,
        recent,
    })
}

/// `add_backup_destination`: a folder a manager adds.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddBackupDestination {
    /// A full path to a folder that exists: a second disk, a USB stick, a mounted share.
    pub folder: String,
    /// What the manager calls it ("USB stick", "Office NAS").
    pub label: String,
}

pub fn add_destination(ctx: &mut Ctx<'_>, req: AddBackupDestination) -> CoreResult<BackupStatus> {
    let label = req.label.trim();
    if label.is_empty() || label.chars().count() > 60 {
        return Err(CoreError::invalid(
            "label",
            "Give the folder a short name the practice will recognise, such as \u{201c}USB stick\u{201d}.",
        ));
    }
    let folder = PathBuf::from(req.folder.trim());
    if !folder.is_absolute() {
        return Err(CoreError::invalid(
            "folder",
            "Give the folder's full path, starting with / (for example /media/usb/hearth-backups).",
        ));
    }
    if !folder.is_dir() {
        return Err(CoreError::invalid(
            "folder",
            "There is no folder there. Plug in or mount the disk, make the folder, then add it.",
        ));
    }
    let db = db_path(ctx.tx)?;
    let practice_folder = db.parent().unwrap_or(Path::new("/"));
    let canonical = folder.canonicalize().unwrap_or_else(|_| folder.clone());
    if canonical.starts_with(practice_folder.canonicalize().unwrap_or_default()) {
        return Err(CoreError::invalid(
            "folder",
            "Choose a folder outside the practice's own folder: a backup there is lost with it.",
        ));
    }
    if folders(ctx.tx)?.iter().any(|(_, _, f)| *f == canonical) {
        return Err(CoreError::invalid(
            "folder",
            "Backups already go to that folder.",
        ));
    }
    // A folder Hearth can't write to is said now, not on the night it matters.
    let probe = canonical.join(".hearth-write-check");
    std::fs::write(&probe, b"ok").map_err(|_| {
        CoreError::invalid(
            "folder",
            "Hearth can't write in that folder. Check it isn't read-only and that this computer's user may write there.",
        )
    })?;
    let _ = std::fs::remove_file(&probe);
    ctx.tx.execute(
        "INSERT INTO backup_destinations (folder, label, added_at_ms) VALUES (?1, ?2, ?3)",
        params![canonical.to_string_lossy(), label, ctx.now_ms],
    )?;
    let id = ctx.tx.last_insert_rowid();
    ctx.changed(topics::PRACTICE_CHANGED, id);
    ctx.detail(serde_json::json!({ "destination_id": id }));
    status(ctx, GetBackupStatus {})
}

/// `remove_backup_destination`: backups stop going there (the files stay).
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveBackupDestination {
    pub id: i64,
}

pub fn remove_destination(
    ctx: &mut Ctx<'_>,
    req: RemoveBackupDestination,
) -> CoreResult<BackupStatus> {
    let n = ctx
        .tx
        .execute("DELETE FROM backup_destinations WHERE id = ?1", [req.id])?;
    if n == 0 {
        return Err(CoreError::not_found("backup folder"));
    }
    ctx.changed(topics::PRACTICE_CHANGED, req.id);
    ctx.detail(serde_json::json!({ "destination_id": req.id }));
    status(ctx, GetBackupStatus {})
}

/// `set_backup_schedule`: how often, and how many are kept.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetBackupSchedule {
    /// Minutes between backups while Hearth runs (15 to 1440).
    #[schema(minimum = 15, maximum = 1440)]
    pub every_minutes: u32,
    pub retention: RetentionSettings,
}

pub fn set_schedule(ctx: &mut Ctx<'_>, req: SetBackupSchedule) -> CoreResult<BackupStatus> {
    let r = req.retention;
    let bad = |field: &str, what: &str| Err(CoreError::invalid(field, what.to_owned()));
    if !(15..=1440).contains(&req.every_minutes) {
        return bad(
            "every_minutes",
            "Back up between every 15 minutes and once a day.",
        );
    }
    if !(1..=240).contains(&r.hourly) || !(1..=365).contains(&r.daily) {
        return bad(
            "retention",
            "Keep at least one hourly and one daily backup (up to 240 hourly and 365 daily).",
        );
    }
    if r.weekly > 104 || r.monthly > 120 {
        return bad(
            "retention",
            "Keep at most 104 weekly and 120 monthly backups.",
        );
    }
    ctx.tx.execute(
        "UPDATE backup_settings SET every_minutes = ?1, keep_hourly = ?2, keep_daily = ?3, keep_weekly = ?4, keep_monthly = ?5 WHERE id = 1",
        params![req.every_minutes, r.hourly, r.daily, r.weekly, r.monthly],
    )?;
    ctx.changed(topics::PRACTICE_CHANGED, 1);
    ctx.detail(serde_json::json!({ "every_minutes": req.every_minutes }));
    status(ctx, GetBackupStatus {})
}

/// `confirm_recovery_sheet`: the manager has printed or written down the key.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRecoverySheet {}

pub fn confirm_recovery_sheet(
    ctx: &mut Ctx<'_>,
    _req: ConfirmRecoverySheet,
) -> CoreResult<BackupStatus> {
    let by = ctx.actor.staff_id;
    ctx.tx.execute(
        "UPDATE backup_settings SET recovery_sheet_at_ms = ?1, recovery_sheet_by = ?2 WHERE id = 1",
        params![ctx.now_ms, by],
    )?;
    ctx.changed(topics::PRACTICE_CHANGED, 1);
    status(ctx, GetBackupStatus {})
}

/// `show_recovery_key`: the manager types their password again.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowRecoveryKey {
    pub password: String,
}

/// The recovery sheet: what to print or write down.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RecoverySheet {
    pub practice_name: String,
    /// 14 groups of 4 characters.
    pub recovery_key: String,
    /// A short fingerprint that names this key without revealing it.
    pub key_id: String,
    pub shown_at_ms: i64,
}

/// Checks the signed-in member's password again (before showing the key or
/// restoring). Wrong passwords count toward the same lock as signing in: five,
/// then a wait, so a session left open can't be used to guess the password.
fn check_password(h: &Hearth, actor: &Actor, password: &str) -> CoreResult<()> {
    let (_, right) = staff::try_own_password(h, actor, password)?;
    if right {
        return Ok(());
    }
    Err(CoreError::invalid(
        "password",
        "That password is not right. Type your own password again.",
    ))
}

pub fn show_recovery_key(
    h: &Hearth,
    actor: &Actor,
    req: ShowRecoveryKey,
) -> CoreResult<RecoverySheet> {
    check_password(h, actor, &req.password)?;
    let key = h.store.key().ok_or_else(|| {
        CoreError::Storage("this practice file is not encrypted, so it has no recovery key".into())
    })?;
    let practice_name = h.write(actor, "show_recovery_key", |ctx| {
        // Recorded: who saw the key, when (never the key itself).
        ctx.detail(serde_json::json!({ "key_id": key.id() }));
        Ok(ctx
            .tx
            .query_row("SELECT name FROM practice WHERE id = 1", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .unwrap_or_default())
    })?;
    Ok(RecoverySheet {
        practice_name,
        recovery_key: key.recovery(),
        key_id: key.id(),
        shown_at_ms: h.clock.now_ms(),
    })
}

/// `back_up_now`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BackUpNow {}

/// What one backup run did, folder by folder.
pub struct Run {
    pub taken: Option<backup::Backup>,
    /// Folders that did not get it, with why.
    pub missed: Vec<(String, String)>,
}

/// One backup to every destination: written and verified in the first folder
/// that is there, copied (and verified) to each other one; folders that are
/// not there are skipped, and the others still get it. Then each is pruned.
/// `force`: now, whatever the schedule says; else only when the newest good
/// backup in some present folder is older than the interval.
pub fn run(h: &Hearth, force: bool) -> CoreResult<Run> {
    let now = h.clock.now_ms();
    let (s, dests, db) = h
        .store
        .read(|tx| Ok((settings(tx)?, folders(tx)?, db_path(tx)?)))?;
    let every_ms = i64::from(s.every_minutes) * 60_000;
    let key = h.store.key();
    let mut missed = Vec::new();
    let mut due = Vec::new();
    for (id, label, dir) in &dests {
        if !present(dir, id.is_none()) {
            missed.push((label.clone(), "the folder is not there".to_owned()));
            continue;
        }
        let newest = backup::list(dir)?
            .iter()
            .filter(|b| backup::recorded_good(&b.path))
            .find_map(|b| backup::taken_at(&b.path));
        if force || newest.is_none_or(|t| now - t >= every_ms) {
            due.push((label.clone(), dir.clone()));
        }
    }
    let mut taken: Option<backup::Backup> = None;
    for (label, dir) in &due {
        let result = match &taken {
            None => backup::create(&db, key.as_ref(), dir, now),
            Some(first) => backup::copy_to(first, key.as_ref(), dir),
        };
        match result {
            Ok(b) if b.verdict.ok => {
                let _ = backup::prune(dir, s.retention.rule());
                if taken.is_none() {
                    taken = Some(b);
                }
            }
            Ok(b) => missed.push((
                label.clone(),
                format!(
                    "the backup did not check out: {}",
                    b.verdict.problem.unwrap_or_default()
                ),
            )),
            Err(e) => missed.push((label.clone(), e.to_string())),
        }
    }
    Ok(Run { taken, missed })
}

/// "Back up now": one backup to every folder, recorded in the activity trail.
pub fn back_up_now(h: &Hearth, actor: &Actor, _req: BackUpNow) -> CoreResult<BackupStatus> {
    let r = run(h, true)?;
    h.write(actor, "back_up_now", |ctx| {
        ctx.changed(topics::PRACTICE_CHANGED, 1);
        ctx.detail(serde_json::json!({
            "backup": r.taken.as_ref().and_then(|b| b.path.file_name()).map(|n| n.to_string_lossy().into_owned()),
            "sha256": r.taken.as_ref().map(|b| b.verdict.sha256.clone()),
            "missed": r.missed.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(),
        }));
        Ok(())
    })?;
    if r.taken.is_none() {
        let why = r
            .missed
            .first()
            .map_or_else(String::new, |(l, w)| format!(" ({l}: {w})"));
        return Err(CoreError::Storage(format!(
            "no backup could be written{why}. Check the backup folders are there and have room"
        )));
    }
    h.read(actor, |ctx| status(ctx, GetBackupStatus {}))
}

/// `restore_backup`: put a chosen backup in place of the practice.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreBackup {
    /// One of the backups Settings → Backups lists.
    pub path: String,
    /// The manager's own password, again.
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RestoreDone {
    pub restored: String,
    pub taken_at_ms: i64,
    /// The practice as it was before, kept as a backup.
    pub kept_aside: Option<String>,
    pub bookings: i64,
    pub people: i64,
}

/// Restores a backup while Hearth runs: verified first (a bad one changes
/// nothing), the current file kept aside as a backup, then every session is
/// signed out and every screen told that everything changed. Recorded in the
/// restored file's trail: who restored what, and what was kept aside.
pub fn restore(h: &Hearth, actor: &Actor, req: RestoreBackup) -> CoreResult<RestoreDone> {
    check_password(h, actor, &req.password)?;
    let listed = h.read(actor, |ctx| status(ctx, GetBackupStatus {}))?;
    let chosen = listed
        .recent
        .iter()
        .find(|b| b.path == req.path)
        .ok_or_else(|| {
            CoreError::invalid(
                "path",
                "Choose one of the backups listed in Settings \u{2192} Backups.",
            )
        })?
        .clone();
    let file = PathBuf::from(&chosen.path);
    let keys = KeyStore::for_this_computer();
    let key: Vec<PracticeKey> = h.store.key().into_iter().collect();
    let verdict = backup::verify(&file, &key)?;
    if !verdict.ok {
        return Err(CoreError::invalid(
            "path",
            format!(
                "That backup can't be restored: {}. Nothing was changed; choose another backup.",
                verdict.problem.unwrap_or_default()
            ),
        ));
    }
    let now = h.clock.now_ms();
    let aside = backup::default_dir(h.store.path()).join("before-restore");
    let done = h.store.replace_file(&keys, |db| {
        backup::restore(&file, db, &aside, now, &keys, key.first())
    })?;
    let kept_aside = done.kept_aside.map(|p| p.to_string_lossy().into_owned());
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    h.write(actor, "restore_backup", |ctx| {
        let ended = sessions::end_all(ctx.tx, ctx.now_ms, "restored")?;
        ctx.detail(serde_json::json!({
            "backup": file_name,
            "taken_at_ms": chosen.taken_at_ms,
            "sha256": done.verdict.sha256,
            "kept_aside": kept_aside.as_deref().and_then(|p| Path::new(p).file_name()).map(|n| n.to_string_lossy().into_owned()),
            "sessions_ended": ended,
        }));
        Ok(())
    })?;
    // Every screen, here and on connected computers, starts afresh.
    h.events.publish(ChangeBatch::everything());
    Ok(RestoreDone {
        restored: file_name,
        taken_at_ms: chosen.taken_at_ms,
        kept_aside,
        bookings: done.verdict.tables.get("bookings").copied().unwrap_or(0),
        people: done.verdict.tables.get("people").copied().unwrap_or(0),
    })
}

/// `restore_practice`: on a new computer, the practice from a backup.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestorePractice {
    /// The backup file's full path (on the USB stick, the second disk, the share).
    pub file: String,
    /// The recovery key from the practice's recovery sheet.
    pub recovery_key: String,
}

/// "Restore a practice" on a computer with no practice yet: the backup is
/// opened with the recovery key and verified before anything changes; the
/// key is then kept on this computer and the backup put in place. Recorded
/// in the restored practice's own trail.
pub fn restore_practice(h: &Hearth, actor: &Actor, req: RestorePractice) -> CoreResult<()> {
    let set_up: i64 = h
        .store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM practice", [], |r| r.get(0))?))?;
    if set_up > 0 {
        return Err(CoreError::Forbidden {
            message: "This computer already has a practice. A manager restores a backup from Settings \u{2192} Backups.".into(),
        });
    }
    let key = PracticeKey::from_recovery(&req.recovery_key)?;
    let file = PathBuf::from(req.file.trim());
    if !file.is_file() {
        return Err(CoreError::invalid(
            "file",
            "There is no backup file there. Choose the file (hearth-\u{2026}.db) on the USB stick or backup disk.",
        ));
    }
    let verdict = backup::verify(&file, std::slice::from_ref(&key))?;
    if !verdict.ok {
        let problem = verdict.problem.unwrap_or_default();
        let message = if problem.contains("recovery key") {
            "That recovery key does not open this backup. Check it is the sheet for this practice, and the newest backup file.".to_owned()
        } else {
            format!("That backup can't be restored: {problem}. Nothing was changed; choose another backup.")
        };
        return Err(CoreError::invalid("file", message));
    }
    let keys = KeyStore::for_this_computer();
    let now = h.clock.now_ms();
    let aside = backup::default_dir(h.store.path()).join("before-restore");
    let done = h.store.replace_file(&keys, |db| {
        backup::restore(&file, db, &aside, now, &keys, Some(&key))
    })?;
    h.write(actor, "restore_practice", |ctx| {
        sessions::end_all(ctx.tx, ctx.now_ms, "restored")?;
        ctx.detail(serde_json::json!({
            "backup": file.file_name().map(|n| n.to_string_lossy().into_owned()),
            "sha256": done.verdict.sha256,
        }));
        Ok(())
    })?;
    h.events.publish(ChangeBatch::everything());
    Ok(())
}

/// Backs the practice up by itself while it runs (desktop and `hearth
/// serve`): at start when the newest backup is older than the interval (the
/// first start of a day always finds it so), then whenever it is due,
/// checking every minute. A failure is said on the console, in words without
/// anyone's details, and never touches the desk.
pub fn keep_backing_up(h: Arc<Hearth>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || loop {
        match run(&h, false) {
            Ok(r) => {
                for (label, why) in r.missed {
                    eprintln!("hearth: a backup did not reach \u{201c}{label}\u{201d}: {why}");
                }
            }
            Err(e) => eprintln!("hearth: the automatic backup failed: {e}"),
        }
        std::thread::sleep(std::time::Duration::from_secs(60));
    })
}
