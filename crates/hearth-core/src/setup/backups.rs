//! What the manager sees of the practice's backups (Settings → Backups): the
//! folder they go to, the newest verified one and how old it is, how many are
//! kept, and whether none is younger than a day. Read from the backup folder
//! itself (each backup carries its verdict, `store/backup.rs`).
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::store::backup;

/// `get_backup_status`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GetBackupStatus {}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct BackupStatus {
    /// Where the backups go.
    pub folder: String,
    /// The newest backup that was verified good when it was taken.
    pub newest_good_ms: Option<i64>,
    pub newest_good_size: Option<u64>,
    /// Backups in the folder (good or not).
    pub kept: u32,
    /// No verified backup is younger than a day: the manager is told.
    pub stale: bool,
}

const DAY_MS: i64 = 86_400_000;

pub fn status(ctx: &ReadCtx<'_>, _req: GetBackupStatus) -> CoreResult<BackupStatus> {
    let db = ctx
        .tx
        .path()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| CoreError::Storage("the practice file has no path".into()))?;
    let dir = backup::default_dir(std::path::Path::new(db));
    let found = backup::list(&dir)?;
    let newest = found.iter().find(|b| backup::recorded_good(&b.path));
    let newest_good_ms = newest.and_then(|b| backup::taken_at(&b.path));
    Ok(BackupStatus {
        folder: dir.to_string_lossy().into_owned(),
        newest_good_ms,
        newest_good_size: newest.map(|b| b.size),
        kept: found.len() as u32,
        stale: newest_good_ms.is_none_or(|t| ctx.now_ms - t > DAY_MS),
    })
}
