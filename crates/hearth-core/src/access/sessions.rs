//! Sessions and the sign-in lockout, over the `sessions` and
//! `sign_in_failures` tables. A session is a random 256-bit token the core
//! hands out once; only its SHA-256 is stored. It ends when its owner signs
//! out, is archived or has the password reset, after the practice's idle
//! limit without use, or at the end of its day ([`MAX_AGE_MS`]).
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::access::StaffRole;
use crate::error::{CoreError, CoreResult};
use crate::ids::StaffId;

/// A session lasts at most a working day, however busy.
pub const MAX_AGE_MS: i64 = 12 * 3600 * 1000;
/// Wrong passwords in a row that lock a login, and for how long.
pub const LOCK_AFTER: i64 = 5;
pub const LOCK_MINUTES: u32 = 5;
/// `last_seen` is written at most this often (a read should not always write).
pub const TOUCH_EVERY_MS: i64 = 15_000;
const DEFAULT_IDLE_MINUTES: i64 = 10;

/// A live session, as the core resolved it from a token.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub staff_id: StaffId,
    pub role: StaffRole,
    pub must_change_password: bool,
    pub workstation: String,
    pub last_seen_ms: i64,
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> CoreResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| CoreError::Storage(format!("no randomness for a session: {e}")))?;
    Ok(hex::encode(bytes))
}

/// Starts a session for `staff_id`; returns its id and the token (the only
/// time the token exists outside the caller).
pub fn issue(
    conn: &Connection,
    staff_id: StaffId,
    workstation: &str,
    workstation_id: Option<i64>,
    now_ms: i64,
) -> CoreResult<(i64, String)> {
    let token = new_token()?;
    conn.execute(
        "INSERT INTO sessions (token_hash, staff_id, workstation, workstation_id, created_at_ms, last_seen_ms, expires_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
        params![token_hash(&token), staff_id, workstation, workstation_id, now_ms, now_ms + MAX_AGE_MS],
    )?;
    Ok((conn.last_insert_rowid(), token))
}

/// The practice's idle limit in milliseconds (10 minutes before setup).
pub fn idle_limit_ms(conn: &Connection) -> CoreResult<i64> {
    let minutes: Option<i64> = conn
        .query_row(
            "SELECT idle_lock_minutes FROM practice WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(minutes.unwrap_or(DEFAULT_IDLE_MINUTES) * 60_000)
}

/// What a token stands for. `Expired` means the caller should end it.
pub enum Resolved {
    Live(Session),
    Expired { id: i64, message: String },
}

/// Resolves a token: refuses a missing, ended or archived member's session.
pub fn resolve(conn: &Connection, token: &str, now_ms: i64) -> CoreResult<Resolved> {
    type Row = (
        i64,
        StaffId,
        String,
        bool,
        bool,
        String,
        i64,
        i64,
        Option<i64>,
    );
    let row: Option<Row> = conn
        .query_row(
            "SELECT s.id, s.staff_id, st.role, st.archived, st.must_change_password, s.workstation,
                    s.last_seen_ms, s.expires_at_ms, s.ended_at_ms
               FROM sessions s JOIN staff st ON st.id = s.staff_id
              WHERE s.token_hash = ?1",
            [token_hash(token)],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            },
        )
        .optional()?;
    let Some((id, staff_id, role, archived, must_change, workstation, last_seen, expires, ended)) =
        row
    else {
        return Err(CoreError::auth_required());
    };
    if ended.is_some() || archived {
        return Err(CoreError::AuthRequired {
            message: "You were signed out. Sign in to carry on.".into(),
        });
    }
    let idle = idle_limit_ms(conn)?;
    if now_ms >= expires {
        return Ok(Resolved::Expired {
            id,
            message: "Your sign-in lasted a full day and has ended. Sign in again to carry on."
                .into(),
        });
    }
    if now_ms - last_seen >= idle {
        return Ok(Resolved::Expired {
            id,
            message: format!(
                "Hearth locked after {} minutes without use. Sign in again to carry on.",
                idle / 60_000
            ),
        });
    }
    Ok(Resolved::Live(Session {
        id,
        staff_id,
        role: StaffRole::parse(&role)?,
        must_change_password: must_change,
        workstation,
        last_seen_ms: last_seen,
    }))
}

pub fn touch(conn: &Connection, id: i64, now_ms: i64) -> CoreResult<()> {
    conn.execute(
        "UPDATE sessions SET last_seen_ms = max(last_seen_ms, ?2) WHERE id = ?1",
        params![id, now_ms],
    )?;
    Ok(())
}

pub fn end(conn: &Connection, id: i64, now_ms: i64, why: &str) -> CoreResult<()> {
    conn.execute(
        "UPDATE sessions SET ended_at_ms = ?2, ended_why = ?3 WHERE id = ?1 AND ended_at_ms IS NULL",
        params![id, now_ms, why],
    )?;
    Ok(())
}

/// Ends every live session of one staff member (archived, password reset).
pub fn end_all_for(
    conn: &Connection,
    staff_id: StaffId,
    now_ms: i64,
    why: &str,
) -> CoreResult<usize> {
    Ok(conn.execute(
        "UPDATE sessions SET ended_at_ms = ?2, ended_why = ?3 WHERE staff_id = ?1 AND ended_at_ms IS NULL",
        params![staff_id, now_ms, why],
    )?)
}

/// Ends every live session (the practice was restored from a backup).
pub fn end_all(conn: &Connection, now_ms: i64, why: &str) -> CoreResult<usize> {
    Ok(conn.execute(
        "UPDATE sessions SET ended_at_ms = ?1, ended_why = ?2 WHERE ended_at_ms IS NULL",
        params![now_ms, why],
    )?)
}

/// Ends every live session opened from paired computer `workstation_id`
/// (a manager withdrew it).
pub fn end_all_from(
    conn: &Connection,
    workstation_id: i64,
    now_ms: i64,
    why: &str,
) -> CoreResult<usize> {
    Ok(conn.execute(
        "UPDATE sessions SET ended_at_ms = ?2, ended_why = ?3 WHERE workstation_id = ?1 AND ended_at_ms IS NULL",
        params![workstation_id, now_ms, why],
    )?)
}

/// Ends a member's other sessions (they changed their password here).
pub fn end_others(
    conn: &Connection,
    staff_id: StaffId,
    keep: i64,
    now_ms: i64,
    why: &str,
) -> CoreResult<usize> {
    Ok(conn.execute(
        "UPDATE sessions SET ended_at_ms = ?3, ended_why = ?4 WHERE staff_id = ?1 AND id <> ?2 AND ended_at_ms IS NULL",
        params![staff_id, keep, now_ms, why],
    )?)
}

/// Refuses while `login` is locked. Reads only: a refusal costs the writer
/// nothing, so a flood against a locked login stays cheap.
pub fn check_lock(conn: &Connection, login: &str, now_ms: i64) -> CoreResult<()> {
    let until: Option<Option<i64>> = conn
        .query_row(
            "SELECT locked_until_ms FROM sign_in_failures WHERE login = ?1",
            [login],
            |r| r.get(0),
        )
        .optional()?;
    match until {
        Some(Some(t)) if now_ms < t => Err(CoreError::Locked {
            minutes: LOCK_MINUTES,
        }),
        _ => Ok(()),
    }
}

/// Takes one try at `login`'s password, in one statement with the check of
/// its lock: refused while locked, else counted *before* the password is
/// verified (and forgotten by [`clear_failures`] when it was right). A
/// hundred guesses sent at once get the same five verifications as a hundred
/// sent one by one. Returns how many tries are now counted; the
/// [`LOCK_AFTER`]th locks the login.
pub fn take_try(conn: &Connection, login: &str, now_ms: i64) -> CoreResult<i64> {
    let lock_ms = i64::from(LOCK_MINUTES) * 60_000;
    let taken: Option<i64> = conn
        .query_row(
            "INSERT INTO sign_in_failures (login, failures, last_failure_ms, locked_until_ms)
             VALUES (?1, 1, ?2, CASE WHEN ?3 <= 1 THEN ?2 + ?4 END)
             ON CONFLICT (login) DO UPDATE SET
               failures = CASE WHEN locked_until_ms IS NOT NULL AND locked_until_ms <= ?2 THEN 1 ELSE failures + 1 END,
               locked_until_ms = CASE
                 WHEN locked_until_ms IS NOT NULL AND locked_until_ms <= ?2 THEN CASE WHEN ?3 <= 1 THEN ?2 + ?4 END
                 WHEN failures + 1 >= ?3 THEN ?2 + ?4
                 ELSE locked_until_ms END,
               last_failure_ms = ?2
             WHERE locked_until_ms IS NULL OR locked_until_ms <= ?2
             RETURNING failures",
            params![login, now_ms, LOCK_AFTER, lock_ms],
            |r| r.get(0),
        )
        .optional()?;
    taken.ok_or(CoreError::Locked {
        minutes: LOCK_MINUTES,
    })
}

pub fn clear_failures(conn: &Connection, login: &str) -> CoreResult<()> {
    conn.execute("DELETE FROM sign_in_failures WHERE login = ?1", [login])?;
    Ok(())
}
