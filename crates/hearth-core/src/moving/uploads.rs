//! A file handed to Hearth in parts: the screens send an export a few
//! hundred kilobytes at a time (every request is at most 1 MiB), and the
//! parts are kept inside the practice file — encrypted with everything else,
//! never in a folder beside it — until the import has read them, or a day.
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};

/// The largest file handed over (a practice of 20,000 people exports a few MB).
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

/// How long an upload that was never imported is kept.
const KEPT_MS: i64 = 24 * 3_600_000;

/// `add_import_part`: the next part of a file (the first part starts it).
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct AddImportPart {
    /// None for the first part; then the id it answered.
    #[serde(default)]
    pub upload_id: Option<i64>,
    /// The file's name, as the manager chose it ("patients.csv").
    pub name: String,
    /// The part's bytes, base64.
    pub part: String,
    /// This is the file's last part.
    #[serde(default)]
    pub last: bool,
}

/// A file handed over so far.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Upload {
    pub id: i64,
    pub name: String,
    pub bytes: i64,
    pub complete: bool,
}

pub fn add_part(ctx: &mut Ctx<'_>, req: AddImportPart) -> CoreResult<Upload> {
    let name = crate::setup::clean_text("name", "The file's name", &req.name, 200, true)?;
    let part = data_encoding::BASE64
        .decode(req.part.trim().as_bytes())
        .map_err(|_| CoreError::invalid("part", "The file could not be read. Choose it again."))?;
    forget_old(ctx)?;
    let id = match req.upload_id {
        None => {
            ctx.tx.execute(
                "INSERT INTO import_uploads (name, by_staff, at_ms) VALUES (?1, ?2, ?3)",
                params![name, ctx.actor.staff_id, ctx.now_ms],
            )?;
            ctx.tx.last_insert_rowid()
        }
        Some(id) => id,
    };
    let complete: bool = ctx
        .tx
        .query_row(
            "SELECT complete FROM import_uploads WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(gone)?;
    if complete {
        return Err(CoreError::invalid(
            "upload_id",
            "That file was already handed over in full. Choose it again to start over.",
        ));
    }
    let (so_far, seq): (i64, i64) = ctx.tx.query_row(
        "SELECT coalesce(sum(length(bytes)), 0), count(*) FROM import_upload_parts WHERE upload_id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let size = so_far as usize + part.len();
    too_large(size)?;
    ctx.tx.execute(
        "INSERT INTO import_upload_parts (upload_id, seq, bytes) VALUES (?1, ?2, ?3)",
        params![id, seq, part],
    )?;
    ctx.tx.execute(
        "UPDATE import_uploads SET complete = ?2 WHERE id = ?1",
        params![id, req.last],
    )?;
    Ok(Upload {
        id,
        name,
        bytes: size as i64,
        complete: req.last,
    })
}

/// Uploads nobody imported within a day are not kept.
fn forget_old(ctx: &Ctx<'_>) -> CoreResult<()> {
    ctx.tx.execute(
        "DELETE FROM import_uploads WHERE at_ms < ?1",
        [ctx.now_ms - KEPT_MS],
    )?;
    Ok(())
}

fn too_large(size: usize) -> CoreResult<()> {
    if size > MAX_UPLOAD_BYTES {
        return Err(CoreError::invalid(
            "part",
            format!(
                "The file is larger than {} MB. Export fewer columns, or split it in two.",
                MAX_UPLOAD_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// Puts a whole file in place at once (the `hearth import` command).
pub fn add_whole(ctx: &mut Ctx<'_>, name: &str, bytes: &[u8]) -> CoreResult<Upload> {
    too_large(bytes.len())?;
    forget_old(ctx)?;
    ctx.tx.execute(
        "INSERT INTO import_uploads (name, complete, by_staff, at_ms) VALUES (?1, 1, ?2, ?3)",
        params![name, ctx.actor.staff_id, ctx.now_ms],
    )?;
    let id = ctx.tx.last_insert_rowid();
    ctx.tx.execute(
        "INSERT INTO import_upload_parts (upload_id, seq, bytes) VALUES (?1, 0, ?2)",
        params![id, bytes],
    )?;
    Ok(Upload {
        id,
        name: name.to_owned(),
        bytes: bytes.len() as i64,
        complete: true,
    })
}

/// A whole file handed over: its name and bytes.
pub fn read(ctx: &ReadCtx<'_>, id: i64) -> CoreResult<(String, Vec<u8>)> {
    let (name, complete): (String, bool) = ctx
        .tx
        .query_row(
            "SELECT name, complete FROM import_uploads WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(gone)?;
    if !complete {
        return Err(CoreError::invalid(
            "upload_id",
            "The file was not handed over in full. Choose it again.",
        ));
    }
    let mut bytes = Vec::new();
    let mut stmt = ctx
        .tx
        .prepare("SELECT bytes FROM import_upload_parts WHERE upload_id = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        let part: Vec<u8> = r.get(0)?;
        bytes.extend_from_slice(&part);
    }
    Ok((name, bytes))
}

/// Forgets a file once it is imported.
pub fn remove(ctx: &Ctx<'_>, id: i64) -> CoreResult<()> {
    ctx.tx
        .execute("DELETE FROM import_uploads WHERE id = ?1", [id])?;
    Ok(())
}

/// No such upload: never made, imported already, or forgotten after a day.
fn gone() -> CoreError {
    CoreError::not_found("The file to import")
}
