//! Staff members: names, roles, logins and passwords (the `staff` table).
//! Staff are archived, never deleted; archiving or resetting a password ends
//! the member's sessions at once. Roles and what they allow live in `access`.
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{passwords, sessions};
use crate::app::{Actor, Ctx, Hearth, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::StaffId;
use crate::setup::{clean_colour, clean_text};

pub use crate::access::StaffRole;

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Staff {
    pub id: StaffId,
    pub name: String,
    pub role: StaffRole,
    pub colour: String,
    pub archived: bool,
    /// What they sign in with; `None` for staff from before sign-in existed.
    pub login: Option<String>,
    pub has_password: bool,
    /// A manager set the password: it must be changed at the next sign-in.
    pub must_change_password: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListStaff {
    #[serde(default)]
    pub include_archived: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SaveStaff {
    /// Absent to add a new staff member.
    #[serde(default)]
    pub id: Option<StaffId>,
    pub name: String,
    pub role: StaffRole,
    pub colour: String,
    /// Short and unique (`maria`). Required for a new member.
    #[serde(default)]
    pub login: Option<String>,
    /// A new member's first password, to be changed at first sign-in.
    #[serde(default)]
    pub temporary_password: Option<String>,
}

/// `reset_staff_password`: a manager gives someone a new temporary password.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ResetStaffPassword {
    pub id: StaffId,
    pub temporary_password: String,
}

/// `change_password`: anyone changes their own.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ArchiveStaff {
    pub id: StaffId,
    pub archived: bool,
}

const COLUMNS: &str =
    "id, name, role, colour, archived, login, password_hash IS NOT NULL, must_change_password";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(Staff, String)> {
    let role: String = r.get(2)?;
    Ok((
        Staff {
            id: r.get(0)?,
            name: r.get(1)?,
            role: StaffRole::FrontDesk,
            colour: r.get(3)?,
            archived: r.get(4)?,
            login: r.get(5)?,
            has_password: r.get(6)?,
            must_change_password: r.get(7)?,
        },
        role,
    ))
}

fn to_staff((mut s, role): (Staff, String)) -> CoreResult<Staff> {
    s.role = StaffRole::parse(&role)?;
    Ok(s)
}

pub fn list(ctx: &ReadCtx<'_>, req: ListStaff) -> CoreResult<Vec<Staff>> {
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM staff WHERE archived = 0 OR ?1 ORDER BY archived, name"
    ))?;
    let rows = stmt
        .query_map([req.include_archived], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(to_staff).collect()
}

pub fn get(ctx: &ReadCtx<'_>, id: StaffId) -> CoreResult<Staff> {
    let t = ctx
        .tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM staff WHERE id = ?1"),
            [id],
            from_row,
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => CoreError::not_found("That staff member"),
            e => e.into(),
        })?;
    to_staff(t)
}

/// Inserts without a permission check: used by practice setup for the first manager.
pub(crate) fn insert(
    ctx: &mut Ctx<'_>,
    name: &str,
    role: StaffRole,
    colour: &str,
) -> CoreResult<StaffId> {
    let name = clean_text("name", "The name", name, 80, true)?;
    let colour = clean_colour(colour)?;
    ctx.tx.execute(
        "INSERT INTO staff (name, role, colour) VALUES (?1, ?2, ?3)",
        params![name, role.as_str(), colour],
    )?;
    let id = StaffId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::STAFF_CHANGED, id);
    Ok(id)
}

/// A login as stored: trimmed, lower case, 2–32 of a–z, 0–9, `.`, `-`, `_`.
pub fn clean_login(login: &str) -> CoreResult<String> {
    let l = login.trim().to_lowercase();
    let ok_chars = l
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if l.chars().count() < 2 || l.chars().count() > 32 || !ok_chars {
        return Err(CoreError::invalid(
            "login",
            "A login is 2 to 32 letters or digits (dots, dashes and underscores allowed), such as maria or tom.reid.",
        ));
    }
    Ok(l)
}

/// Sets a member's login (when given) and password. `temporary` makes the
/// password one to change at the next sign-in. Ends the member's sessions
/// when a password is replaced.
pub(crate) fn set_credentials(
    ctx: &mut Ctx<'_>,
    id: StaffId,
    login: Option<&str>,
    password_hash: &str,
    temporary: bool,
) -> CoreResult<()> {
    if let Some(login) = login {
        set_login(ctx, id, login)?;
    }
    ctx.tx.execute(
        "UPDATE staff SET password_hash = ?2, must_change_password = ?3, version = version + 1 WHERE id = ?1",
        params![id, password_hash, temporary],
    )?;
    sessions::end_all_for(ctx.tx, id, ctx.now_ms, "password changed")?;
    ctx.changed(topics::STAFF_CHANGED, id);
    Ok(())
}

fn set_login(ctx: &mut Ctx<'_>, id: StaffId, login: &str) -> CoreResult<()> {
    let login = clean_login(login)?;
    let taken: Option<i64> = ctx
        .tx
        .query_row(
            "SELECT id FROM staff WHERE login = ?1 AND id <> ?2",
            params![login, id],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(CoreError::invalid(
            "login",
            format!("The login \"{login}\" is already someone else's. Choose another."),
        ));
    }
    ctx.tx.execute(
        "UPDATE staff SET login = ?2 WHERE id = ?1",
        params![id, login],
    )?;
    Ok(())
}

pub fn save(ctx: &mut Ctx<'_>, req: SaveStaff) -> CoreResult<Staff> {
    let id = match req.id {
        None => {
            let Some(login) = req.login.as_deref().filter(|l| !l.trim().is_empty()) else {
                return Err(CoreError::invalid(
                    "login",
                    "Give the new staff member a login, such as their first name.",
                ));
            };
            let Some(password) = req.temporary_password.as_deref() else {
                return Err(CoreError::invalid(
                    "temporary_password",
                    "Give the new staff member a temporary password; they choose their own when they first sign in.",
                ));
            };
            passwords::check_new("temporary_password", password)?;
            let id = insert(ctx, &req.name, req.role, &req.colour)?;
            set_credentials(ctx, id, Some(login), &passwords::hash(password)?, true)?;
            id
        }
        Some(id) => {
            get(ctx, id)?;
            if let Some(login) = req.login.as_deref().filter(|l| !l.trim().is_empty()) {
                set_login(ctx, id, login)?;
            }
            if req.temporary_password.is_some() {
                return Err(CoreError::invalid(
                    "temporary_password",
                    "Reset a password with \"Reset password\", not by editing.",
                ));
            }
            // A manager who demotes themselves could leave nobody able to
            // manage the practice (a fuzz finding).
            if ctx.actor.staff_id == Some(id) && req.role != StaffRole::Manager {
                return Err(CoreError::invalid(
                    "role",
                    "You can't take away your own manager role; ask another manager to do it.",
                ));
            }
            let name = clean_text("name", "The name", &req.name, 80, true)?;
            let colour = clean_colour(&req.colour)?;
            ctx.tx.execute(
                "UPDATE staff SET name = ?2, role = ?3, colour = ?4, version = version + 1 WHERE id = ?1",
                params![id, name, req.role.as_str(), colour],
            )?;
            ctx.changed(topics::STAFF_CHANGED, id);
            id
        }
    };
    ctx.detail(serde_json::json!({ "role": req.role.as_str() }));
    get(ctx, id)
}

pub fn archive(ctx: &mut Ctx<'_>, req: ArchiveStaff) -> CoreResult<Staff> {
    get(ctx, req.id)?;
    if req.archived && ctx.actor.staff_id == Some(req.id) {
        return Err(CoreError::invalid(
            "id",
            "You can't archive yourself; ask another manager.",
        ));
    }
    ctx.tx.execute(
        "UPDATE staff SET archived = ?2, version = version + 1 WHERE id = ?1",
        params![req.id, req.archived],
    )?;
    if req.archived {
        sessions::end_all_for(ctx.tx, req.id, ctx.now_ms, "archived")?;
    }
    ctx.changed(topics::STAFF_CHANGED, req.id);
    ctx.detail(serde_json::json!({ "archived": req.archived }));
    get(ctx, req.id)
}

pub fn reset_password(ctx: &mut Ctx<'_>, req: ResetStaffPassword) -> CoreResult<Staff> {
    let member = get(ctx, req.id)?;
    if member.archived {
        return Err(CoreError::invalid(
            "id",
            "Restore this staff member before giving them a password.",
        ));
    }
    if member.login.is_none() {
        return Err(CoreError::invalid(
            "id",
            "Give this staff member a login first (edit them), then a password.",
        ));
    }
    passwords::check_new("temporary_password", &req.temporary_password)?;
    let hash = passwords::hash(&req.temporary_password)?;
    set_credentials(ctx, req.id, None, &hash, true)?;
    if let Some(login) = &member.login {
        sessions::clear_failures(ctx.tx, login)?;
    }
    get(ctx, req.id)
}

/// One try at a password: counted against `login`'s lock first (see
/// [`sessions::take_try`]), then verified outside any transaction (Argon2
/// takes a while; the writer is never held for it). True when it matched,
/// and the count is cleared; a wrong one that used the last try is
/// `access.locked`. `stored` is None for a login nobody has: the same time is
/// spent, so timing does not tell.
pub fn try_password(
    h: &Hearth,
    login: &str,
    stored: Option<&str>,
    password: &str,
) -> CoreResult<bool> {
    let now = h.clock.now_ms();
    // A refusal while locked reads only: a flood against a locked login
    // never queues for the writer.
    h.store.read(|tx| sessions::check_lock(tx, login, now))?;
    let tries = h.store.write(|tx| sessions::take_try(tx, login, now))?;
    let matches = match stored {
        Some(hash) => passwords::verify(password, hash),
        None => {
            passwords::verify_nothing(password);
            false
        }
    };
    if matches {
        h.store.write(|tx| sessions::clear_failures(tx, login))?;
        return Ok(true);
    }
    if tries >= sessions::LOCK_AFTER {
        return Err(CoreError::Locked {
            minutes: sessions::LOCK_MINUTES,
        });
    }
    Ok(false)
}

/// One try at the signed-in member's own password (typed again before
/// something sensitive, or to change it), counted like a try at signing in.
/// Answers who they are and whether it matched.
pub fn try_own_password(h: &Hearth, actor: &Actor, password: &str) -> CoreResult<(StaffId, bool)> {
    let id = actor.staff_id.ok_or_else(CoreError::auth_required)?;
    let (login, stored): (Option<String>, Option<String>) = h.store.read(|tx| {
        Ok(tx
            .query_row(
                "SELECT login, password_hash FROM staff WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((None, None)))
    })?;
    let right = match &login {
        Some(l) => try_password(h, l, stored.as_deref(), password)?,
        // A member from before logins existed has no lock to count against.
        None => stored.is_some_and(|hash| passwords::verify(password, &hash)),
    };
    Ok((id, right))
}

/// Changes the signed-in member's own password; their other sessions end,
/// this one carries on. A wrong current password counts like a wrong one at
/// sign-in (five, then a wait), and neither password is hashed while the
/// writer is held.
pub fn change_password(h: &Hearth, actor: &Actor, req: ChangePassword) -> CoreResult<Staff> {
    passwords::check_new("new_password", &req.new_password)?;
    if req.new_password == req.current_password {
        return Err(CoreError::invalid(
            "new_password",
            "Choose a password different from the one you have now.",
        ));
    }
    let (id, right) = try_own_password(h, actor, &req.current_password)?;
    if !right {
        return Err(CoreError::invalid(
            "current_password",
            "Your current password is not right. Type it again.",
        ));
    }
    let hash = passwords::hash(&req.new_password)?;
    h.write(actor, "change_password", |ctx| {
        ctx.tx.execute(
            "UPDATE staff SET password_hash = ?2, must_change_password = 0, version = version + 1 WHERE id = ?1",
            params![id, hash],
        )?;
        if let Some(this) = ctx.actor.session_id {
            sessions::end_others(ctx.tx, id, this, ctx.now_ms, "password changed")?;
        }
        ctx.changed(topics::STAFF_CHANGED, id);
        get(ctx, id)
    })
}

/// Renames a member (the demo's "Dentist" becomes a person).
pub(crate) fn rename(ctx: &mut Ctx<'_>, id: StaffId, name: &str) -> CoreResult<()> {
    ctx.tx.execute(
        "UPDATE staff SET name = ?2, version = version + 1 WHERE id = ?1",
        params![id, name],
    )?;
    ctx.changed(topics::STAFF_CHANGED, id);
    Ok(())
}

/// What signing in needs about a login: the member, their password hash, and
/// whether they are archived.
pub fn by_login(
    conn: &rusqlite::Connection,
    login: &str,
) -> CoreResult<Option<(StaffId, Option<String>, bool)>> {
    Ok(conn
        .query_row(
            "SELECT id, password_hash, archived FROM staff WHERE login = ?1",
            [login],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// Whether anyone has a password yet (a file from before sign-in has none).
pub fn anyone_has_password(conn: &rusqlite::Connection) -> CoreResult<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff WHERE password_hash IS NOT NULL)",
        [],
        |r| r.get(0),
    )?)
}
