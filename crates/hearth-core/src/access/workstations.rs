//! The practice's other computers, over the `share_identity`, `workstations`
//! and `pairing_failures` tables: the certificate the practice is shared with
//! (its fingerprint is what other computers pin), the six-digit pairing code
//! that changes every [`CODE_PERIOD_MS`], and the workstations paired with it.
//! A workstation pairs once with the code shown on the practice computer and
//! keeps a random 256-bit credential (only its SHA-256 is stored); every
//! request it makes carries it, and a manager can withdraw it at any time.
//! Making the certificate and speaking TLS are the transport's business.
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::ids::StaffId;

/// A pairing code is good for this long (and for one period more, so a code
/// read at the last second still works).
pub const CODE_PERIOD_MS: i64 = 5 * 60_000;
/// Wrong codes within [`PAUSE_WINDOW_MS`] that pause pairing.
pub const PAUSE_AFTER: i64 = 10;
pub const PAUSE_WINDOW_MS: i64 = 10 * 60_000;
/// Wrong codes from all devices together within the window that pause pairing
/// for everyone.
pub const PAUSE_AFTER_ALL: i64 = 100;
/// `last_seen_ms` is written at most this often.
pub const SEEN_EVERY_MS: i64 = 60_000;
/// The port the practice is shared on unless a manager chooses another.
pub const DEFAULT_PORT: u16 = 8443;

/// The practice's TLS identity and pairing secret.
#[derive(Clone)]
pub struct ShareIdentity {
    pub cert_der: Vec<u8>,
    pub key_der: Vec<u8>,
    /// SHA-256 of the certificate, "AB:CD:…" (what a person compares).
    pub fingerprint: String,
    pub sharing: bool,
    pub port: u16,
    secret: Vec<u8>,
}

impl std::fmt::Debug for ShareIdentity {
    // Never prints the key or the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShareIdentity")
            .field("fingerprint", &self.fingerprint)
            .field("sharing", &self.sharing)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl ShareIdentity {
    /// The code valid now, and until when it is shown.
    pub fn code_at(&self, now_ms: i64) -> (String, i64) {
        let step = now_ms.div_euclid(CODE_PERIOD_MS);
        (code_for(&self.secret, step), (step + 1) * CODE_PERIOD_MS)
    }

    fn accepts(&self, code: &str, now_ms: i64) -> bool {
        let step = now_ms.div_euclid(CODE_PERIOD_MS);
        [step, step - 1]
            .iter()
            .any(|s| constant_time_eq(code_for(&self.secret, *s).as_bytes(), code.as_bytes()))
    }
}

fn code_for(secret: &[u8], step: i64) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"hearth-pairing-code");
    hasher.update(secret);
    hasher.update(step.to_be_bytes());
    let digest = hasher.finalize();
    let n = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 1_000_000;
    format!("{n:06}")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// "AB:CD:…": the SHA-256 of a DER certificate, as people compare it.
pub fn fingerprint_of(cert_der: &[u8]) -> String {
    Sha256::digest(cert_der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn random_bytes(what: &str) -> CoreResult<[u8; 32]> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| CoreError::Storage(format!("no randomness for {what}: {e}")))?;
    Ok(bytes)
}

pub fn identity(conn: &Connection) -> CoreResult<Option<ShareIdentity>> {
    Ok(conn
        .query_row(
            "SELECT cert_der, key_der, fingerprint, pairing_secret, sharing, port
               FROM share_identity WHERE id = 1",
            [],
            |r| {
                Ok(ShareIdentity {
                    cert_der: r.get(0)?,
                    key_der: r.get(1)?,
                    fingerprint: r.get(2)?,
                    secret: r.get(3)?,
                    sharing: r.get(4)?,
                    port: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// Keeps a newly made certificate and key as the practice's, with a new
/// pairing secret — unless it already has one (that one stays: computers
/// have pinned it).
pub fn keep_identity(
    conn: &Connection,
    cert_der: &[u8],
    key_der: &[u8],
    now_ms: i64,
) -> CoreResult<ShareIdentity> {
    if let Some(existing) = identity(conn)? {
        return Ok(existing);
    }
    let secret = random_bytes("the pairing code")?;
    conn.execute(
        "INSERT INTO share_identity (id, cert_der, key_der, fingerprint, pairing_secret, port, created_at_ms)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            cert_der,
            key_der,
            fingerprint_of(cert_der),
            secret.as_slice(),
            DEFAULT_PORT,
            now_ms
        ],
    )?;
    identity(conn)?.ok_or_else(|| CoreError::Storage("the certificate was not kept".into()))
}

pub fn set_sharing(conn: &Connection, sharing: bool, port: u16) -> CoreResult<()> {
    conn.execute(
        "UPDATE share_identity SET sharing = ?1, port = ?2 WHERE id = 1",
        params![sharing, port],
    )?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkstationKind {
    /// Hearth's desktop app on another computer.
    Desktop,
    /// A browser or tablet.
    Browser,
}

impl WorkstationKind {
    fn as_str(self) -> &'static str {
        match self {
            WorkstationKind::Desktop => "desktop",
            WorkstationKind::Browser => "browser",
        }
    }
}

/// A paired computer or tablet, as Settings lists it.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Workstation {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub kind: WorkstationKind,
    #[ts(type = "number")]
    pub paired_at_ms: i64,
    #[ts(type = "number")]
    pub last_seen_ms: i64,
    #[ts(type = "number | null")]
    pub revoked_at_ms: Option<i64>,
}

const COLUMNS: &str = "id, name, kind, paired_at_ms, last_seen_ms, revoked_at_ms";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Workstation> {
    let kind: String = r.get(2)?;
    Ok(Workstation {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: if kind == "browser" {
            WorkstationKind::Browser
        } else {
            WorkstationKind::Desktop
        },
        paired_at_ms: r.get(3)?,
        last_seen_ms: r.get(4)?,
        revoked_at_ms: r.get(5)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> CoreResult<Workstation> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM workstations WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| CoreError::not_found("That computer"))
}

/// Paired computers, the ones still allowed first, most recently seen first.
pub fn list(conn: &Connection) -> CoreResult<Vec<Workstation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM workstations
          ORDER BY revoked_at_ms IS NOT NULL, last_seen_ms DESC, id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

fn credential_hash(credential: &str) -> String {
    hex::encode(Sha256::digest(credential.as_bytes()))
}

/// How long pairing is paused for `source` (in minutes, rounded up): past
/// [`PAUSE_AFTER`] wrong codes from it within [`PAUSE_WINDOW_MS`], or past
/// [`PAUSE_AFTER_ALL`] from every device together (a guesser using many
/// addresses still gets only so many tries).
pub fn paused(conn: &Connection, source: &str, now_ms: i64) -> CoreResult<Option<u32>> {
    let since = now_ms - PAUSE_WINDOW_MS;
    let mine: (i64, Option<i64>) = conn.query_row(
        "SELECT count(*), min(at_ms) FROM pairing_failures WHERE source = ?1 AND at_ms > ?2",
        params![source, since],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let all: (i64, Option<i64>) = conn.query_row(
        "SELECT count(*), min(at_ms) FROM pairing_failures WHERE at_ms > ?1",
        [since],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let oldest = if mine.0 >= PAUSE_AFTER {
        mine.1
    } else if all.0 >= PAUSE_AFTER_ALL {
        all.1
    } else {
        return Ok(None);
    };
    let until = oldest.unwrap_or(now_ms) + PAUSE_WINDOW_MS;
    let minutes = ((until - now_ms).max(0) + 59_999) / 60_000;
    Ok(Some(u32::try_from(minutes.max(1)).unwrap_or(10)))
}

pub fn record_failure(conn: &Connection, source: &str, now_ms: i64) -> CoreResult<()> {
    conn.execute(
        "DELETE FROM pairing_failures WHERE at_ms <= ?1",
        [now_ms - PAUSE_WINDOW_MS],
    )?;
    conn.execute(
        "INSERT INTO pairing_failures (at_ms, source) VALUES (?1, ?2)",
        params![now_ms, source],
    )?;
    Ok(())
}

/// A code has paired a computer: a new secret, so the code on the practice
/// computer's screen changes at once and the used one pairs nothing else.
pub fn new_code(conn: &Connection) -> CoreResult<()> {
    let secret = random_bytes("the pairing code")?;
    conn.execute(
        "UPDATE share_identity SET pairing_secret = ?1 WHERE id = 1",
        [secret.as_slice()],
    )?;
    Ok(())
}

/// Whether `code` is the one the practice computer shows (now or a moment
/// ago). Spaces and dashes typed between the digits are ignored.
pub fn code_matches(identity: &ShareIdentity, code: &str, now_ms: i64) -> bool {
    let digits: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    digits.len() == 6
        && digits.chars().all(|c| c.is_ascii_digit())
        && identity.accepts(&digits, now_ms)
}

/// Adds a paired workstation; returns it and its credential (the only time
/// the credential exists outside the workstation).
pub fn add(
    conn: &Connection,
    name: &str,
    kind: WorkstationKind,
    now_ms: i64,
) -> CoreResult<(Workstation, String)> {
    let credential = hex::encode(random_bytes("a workstation")?);
    conn.execute(
        "INSERT INTO workstations (name, kind, credential_hash, paired_at_ms, last_seen_ms)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        params![name, kind.as_str(), credential_hash(&credential), now_ms],
    )?;
    Ok((get(conn, conn.last_insert_rowid())?, credential))
}

/// The workstation a credential stands for; `workstation.unpaired` for an
/// unknown or withdrawn one.
pub fn resolve(conn: &Connection, credential: &str) -> CoreResult<Workstation> {
    let found = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM workstations WHERE credential_hash = ?1"),
            [credential_hash(credential)],
            from_row,
        )
        .optional()?;
    match found {
        None => Err(unpaired()),
        Some(w) if w.revoked_at_ms.is_some() => Err(CoreError::Unpaired {
            message: "A manager withdrew this computer's access to the practice. Ask a manager for a pairing code to connect it again.".into(),
        }),
        Some(w) => Ok(w),
    }
}

/// The refusal a computer that never paired gets.
pub fn unpaired() -> CoreError {
    CoreError::Unpaired {
        message: "This computer is not paired with the practice yet. Type the six-digit code shown on the practice computer (Settings → Sharing).".into(),
    }
}

pub fn touch(conn: &Connection, id: i64, now_ms: i64) -> CoreResult<()> {
    conn.execute(
        "UPDATE workstations SET last_seen_ms = max(last_seen_ms, ?2) WHERE id = ?1",
        params![id, now_ms],
    )?;
    Ok(())
}

/// Withdraws computer `id`, and ends the staff sessions opened from it: a
/// tablet paired again later starts signed out. Returns how many ended.
pub fn revoke(conn: &Connection, id: i64, by: Option<StaffId>, now_ms: i64) -> CoreResult<usize> {
    conn.execute(
        "UPDATE workstations SET revoked_at_ms = ?2, revoked_by = ?3
          WHERE id = ?1 AND revoked_at_ms IS NULL",
        params![id, now_ms, by],
    )?;
    super::sessions::end_all_from(conn, id, now_ms, "withdrawn")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity_with(secret: &[u8]) -> ShareIdentity {
        ShareIdentity {
            cert_der: vec![1, 2, 3],
            key_der: vec![],
            fingerprint: fingerprint_of(&[1, 2, 3]),
            sharing: true,
            port: DEFAULT_PORT,
            secret: secret.to_vec(),
        }
    }

    #[test]
    fn the_code_changes_each_period_and_the_last_one_still_works() {
        let id = identity_with(b"secret one");
        let t = 1_800_000_000_000;
        let (now, until) = id.code_at(t);
        assert_eq!(now.len(), 6);
        assert!(until > t && until - t <= CODE_PERIOD_MS);
        assert!(code_matches(&id, &now, t));
        assert!(code_matches(
            &id,
            &format!("{} {}", &now[..3], &now[3..]),
            t
        ));
        // A period later it is still taken; two periods later it is not.
        assert!(code_matches(&id, &now, until));
        assert!(!code_matches(&id, &now, until + CODE_PERIOD_MS));
        let (next, _) = id.code_at(until);
        let (after, _) = id.code_at(until + CODE_PERIOD_MS);
        assert!(now != next || next != after, "the code rotates");
        // Another practice's secret gives other codes.
        let other = identity_with(b"secret two");
        assert_ne!(other.code_at(t).0, now);
        assert!(!code_matches(&id, "12345", t));
        assert!(!code_matches(&id, "abcdef", t));
    }

    #[test]
    fn fingerprints_read_as_pairs() {
        let f = fingerprint_of(b"cert");
        assert_eq!(f.len(), 32 * 3 - 1);
        assert!(f
            .split(':')
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit())));
        assert!(!format!("{:?}", identity_with(b"s")).contains("secret"));
    }
}
