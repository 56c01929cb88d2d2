//! The practice's key, and where this computer keeps it.
//!
//! The practice file and every backup of it are SQLCipher databases locked
//! with one random 256-bit key, made when the practice is created (or when a
//! file from before encryption is first opened). The key is never written in
//! the practice's folder nor beside a backup: this computer keeps it in a key
//! file readable only by the user Hearth runs as (`0600` in a `0700` folder,
//! `~/.config/hearth/keys/` or `$HEARTH_KEY_DIR`). A key file rather than the
//! desktop keyring, because the desk must start unattended — `hearth serve`
//! runs as a service with no desktop session, and a keyring is locked until
//! someone signs in to one.
//!
//! The **recovery key** is the same key written for people: Crockford base32
//! (no I, L, O or U to misread), three checksum bytes so a slip of one
//! character is caught, in fourteen groups of four. It is the only way to open
//! a backup on a computer that does not have the key file.
use std::fs;
use std::path::{Path, PathBuf};

use data_encoding::Encoding;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};

/// How many checksum bytes follow the key in a recovery key.
const CHECK_BYTES: usize = 3;

/// One practice's key. Its bytes are wiped from memory when dropped, and it
/// never prints itself.
#[derive(Clone)]
pub struct PracticeKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for PracticeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PracticeKey({})", self.id())
    }
}

impl PartialEq for PracticeKey {
    fn eq(&self, other: &Self) -> bool {
        *self.0 == *other.0
    }
}

/// Crockford's base32: digits and capitals without I, L, O, U; read back
/// case-blind, with O as 0 and I or L as 1.
fn crockford() -> Encoding {
    let mut spec = data_encoding::Specification::new();
    spec.symbols.push_str("0123456789ABCDEFGHJKMNPQRSTVWXYZ");
    spec.translate.from.push_str("abcdefghjkmnpqrstvwxyzOoIiLl");
    spec.translate.to.push_str("ABCDEFGHJKMNPQRSTVWXYZ001111");
    // The specification is fixed and valid; were it not, every test would say so.
    spec.encoding()
        .unwrap_or_else(|_| data_encoding::BASE32_NOPAD.clone())
}

impl PracticeKey {
    /// A new random key from the operating system's generator.
    pub fn random() -> CoreResult<PracticeKey> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut())
            .map_err(|e| CoreError::Storage(format!("no randomness for the practice key: {e}")))?;
        Ok(PracticeKey(bytes))
    }

    /// What SQLCipher's `PRAGMA key` and `ATTACH … KEY` take for a raw key:
    /// `x'…'` (no key derivation: the key is already random, so opening is
    /// instant). For the core, and for tools that export a copy.
    pub fn sql_literal(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(*self.0)))
    }

    /// The key that seals the audit trail (`audit::chain`): derived from the
    /// practice key, so it is kept wherever that key is kept (the key file,
    /// the recovery sheet) and never in the practice file.
    pub fn audit_seal_key(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(mac(&*self.0, b"hearth audit seal v1"))
    }

    /// A short name for the key that says nothing of it: its key file's name.
    pub fn id(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"hearth practice key id");
        h.update(*self.0);
        hex::encode(&h.finalize()[..8])
    }

    /// The recovery key: 56 characters in groups of four, `7K2M-…`.
    pub fn recovery(&self) -> String {
        let mut raw = Zeroizing::new(Vec::with_capacity(32 + CHECK_BYTES));
        raw.extend_from_slice(&*self.0);
        raw.extend_from_slice(&checksum(&self.0));
        let text = Zeroizing::new(crockford().encode(&raw));
        text.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Reads a recovery key as typed: spaces, dashes and case do not matter.
    pub fn from_recovery(typed: &str) -> CoreResult<PracticeKey> {
        let clean: Zeroizing<String> = Zeroizing::new(
            typed
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect(),
        );
        let wrong = |message: &str| CoreError::BadRecoveryKey {
            message: message.to_owned(),
        };
        if clean.is_empty() {
            return Err(wrong(
                "Type the recovery key from the practice's recovery sheet.",
            ));
        }
        if clean.len() != 56 {
            return Err(wrong(&format!(
                "A recovery key has 56 characters (14 groups of 4); this one has {}. Check it against the recovery sheet.",
                clean.len()
            )));
        }
        let raw = Zeroizing::new(crockford().decode(clean.as_bytes()).map_err(|_| {
            wrong("That recovery key has a character a recovery key never has (only digits and letters other than I, L, O and U). Check it against the recovery sheet.")
        })?);
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&raw[..32]);
        if raw[32..] != checksum(&key) {
            return Err(wrong(
                "That recovery key has a mistake in it: one of its characters does not match the recovery sheet. Check each group again.",
            ));
        }
        Ok(PracticeKey(key))
    }
}

fn checksum(key: &[u8; 32]) -> [u8; CHECK_BYTES] {
    let mut h = Sha256::new();
    h.update(b"hearth recovery key");
    h.update(key);
    let d = h.finalize();
    [d[0], d[1], d[2]]
}

/// The folder where this computer keeps practice keys, one file per key.
#[derive(Debug, Clone)]
pub struct KeyStore {
    dir: PathBuf,
}

impl KeyStore {
    /// This computer's keys: `$HEARTH_KEY_DIR`, else `$XDG_CONFIG_HOME/hearth/keys`,
    /// else `~/.config/hearth/keys`.
    pub fn for_this_computer() -> KeyStore {
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let dir = if let Some(d) = env("HEARTH_KEY_DIR") {
            PathBuf::from(d)
        } else if let Some(c) = env("XDG_CONFIG_HOME") {
            PathBuf::from(c).join("hearth").join("keys")
        } else if let Some(h) = env("HOME") {
            PathBuf::from(h).join(".config").join("hearth").join("keys")
        } else {
            PathBuf::from(".hearth-keys")
        };
        KeyStore { dir }
    }

    pub fn at(dir: impl Into<PathBuf>) -> KeyStore {
        KeyStore { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every key this computer has (none when the folder does not exist
    /// yet), the newest first.
    pub fn keys(&self) -> Vec<PracticeKey> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("key") {
                continue;
            }
            if let Some(key) = read_key(&path) {
                let made = entry.metadata().and_then(|m| m.modified()).ok();
                found.push((made, key));
            }
        }
        found.sort_by_key(|b| std::cmp::Reverse(b.0));
        found.into_iter().map(|(_, k)| k).collect()
    }

    /// The keys to try on the file at `path`: the one that opened it last
    /// first (remembered by the file's salt, its first 16 bytes, which are
    /// public), then the others.
    pub fn keys_for(&self, path: &Path) -> Vec<PracticeKey> {
        let mut all = self.keys();
        if let Some(id) = salt_of(path).and_then(|s| fs::read_to_string(self.hint(&s)).ok()) {
            if let Some(i) = all.iter().position(|k| k.id() == id.trim()) {
                let k = all.remove(i);
                all.insert(0, k);
            }
        }
        all
    }

    /// Remembers which key opened the file at `path` (best effort).
    fn remember(&self, path: &Path, key: &PracticeKey) {
        if let Some(salt) = salt_of(path) {
            let _ = fs::write(self.hint(&salt), key.id());
        }
    }

    fn hint(&self, salt: &str) -> PathBuf {
        self.dir.join(format!("{salt}.opens"))
    }

    /// The newest head of the audit trail this computer saw for the practice
    /// locked with `key` (`audit::chain::Anchor`), kept beside its key file:
    /// outside the practice file, so a trail cut short or rebuilt is caught.
    pub fn anchor(&self, key: &PracticeKey) -> Option<crate::audit::chain::Anchor> {
        let text = fs::read_to_string(self.anchor_path(key)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Keeps `anchor` as the newest head for `key`'s practice: written under
    /// a temporary name and renamed, readable only by its owner. Not synced:
    /// a head lost to a power cut leaves an older anchor, which the trail
    /// still passes.
    pub fn set_anchor(
        &self,
        key: &PracticeKey,
        anchor: &crate::audit::chain::Anchor,
    ) -> CoreResult<()> {
        let path = self.anchor_path(key);
        let tmp = path.with_extension("anchor.partial");
        let fail = |e: std::io::Error| {
            CoreError::Storage(format!(
                "could not keep the audit trail's head in {}: {e}",
                self.dir.display()
            ))
        };
        let text = serde_json::to_string(anchor).map_err(|e| CoreError::Storage(e.to_string()))?;
        write_owner_only(&tmp, text.as_bytes(), false).map_err(fail)?;
        fs::rename(&tmp, &path).map_err(fail)
    }

    /// Forgets the head kept for `key`'s practice (a restore of a trail not
    /// sealed yet: the next write keeps the new one).
    pub fn forget_anchor(&self, key: &PracticeKey) {
        let _ = fs::remove_file(self.anchor_path(key));
    }

    fn anchor_path(&self, key: &PracticeKey) -> PathBuf {
        self.dir.join(format!("{}.anchor", key.id()))
    }

    /// Keeps `key` on this computer, durably (written, synced, renamed into
    /// place, folder synced) before any file is locked with it.
    pub fn save(&self, key: &PracticeKey) -> CoreResult<()> {
        let fail = |what: &str, e: std::io::Error| {
            CoreError::Storage(format!(
                "could not {what} the practice key in {}: {e}",
                self.dir.display()
            ))
        };
        fs::create_dir_all(&self.dir).map_err(|e| fail("make a folder for", e))?;
        let path = self.dir.join(format!("{}.key", key.id()));
        if path.exists() {
            return Ok(());
        }
        let tmp = self.dir.join(format!("{}.key.partial", key.id()));
        let text = Zeroizing::new(hex::encode(*key.0));
        write_owner_only(&tmp, text.as_bytes(), true).map_err(|e| fail("write", e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o700));
        }
        fs::rename(&tmp, &path).map_err(|e| fail("keep", e))?;
        if let Ok(d) = fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Writes `bytes` to a new file at `path` that only its owner may read
/// (0600), synced when `sync`.
fn write_owner_only(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    if sync {
        f.sync_all()?;
    }
    Ok(())
}

/// HMAC-SHA-256 of `data` under `key`.
fn mac(key: &[u8], data: &[u8]) -> [u8; 32] {
    use hmac::Mac;
    let mut out = [0u8; 32];
    // HMAC takes a key of any length: building it never fails.
    if let Ok(mut m) = hmac::Hmac::<Sha256>::new_from_slice(key) {
        m.update(data);
        out.copy_from_slice(&m.finalize().into_bytes());
    }
    out
}

fn read_key(path: &Path) -> Option<PracticeKey> {
    let text = fs::read_to_string(path).map(Zeroizing::new).ok()?;
    let mut bytes = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(text.trim(), bytes.as_mut()).ok()?;
    Some(PracticeKey(bytes))
}

fn salt_of(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 16];
    fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    Some(hex::encode(head))
}

/// What is at a practice file's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Nothing yet (or an empty file with no log): a new practice.
    New,
    /// A plain SQLite file, from before encryption.
    Plain,
    /// An encrypted file: whole pages of what reads as noise.
    Locked,
    /// Neither: not a database at all.
    NotADatabase,
}

pub fn file_kind(path: &Path) -> FileKind {
    use std::io::Read;
    let Ok(mut f) = fs::File::open(path) else {
        return FileKind::New;
    };
    let len = f.metadata().map_or(0, |m| m.len());
    if len == 0 {
        // A practice whose first pages are still in its write-ahead log is
        // not new: it is locked with a key already made.
        let wal = PathBuf::from(format!("{}-wal", path.to_string_lossy()));
        return if fs::metadata(wal).is_ok_and(|m| m.len() > 0) {
            FileKind::Locked
        } else {
            FileKind::New
        };
    }
    let mut head = [0u8; 16];
    if f.read_exact(&mut head).is_ok() && &head == b"SQLite format 3\0" {
        FileKind::Plain
    } else if len % 512 == 0 {
        FileKind::Locked
    } else {
        FileKind::NotADatabase
    }
}

/// Which of `keys` opens the encrypted file at `path`: each is tried on a
/// fresh read-only connection (a connection keyed wrong stays wrong), and
/// each try is instant (raw keys, no derivation).
pub fn find(path: &Path, keys: &[PracticeKey]) -> Option<PracticeKey> {
    use rusqlite::OpenFlags;
    keys.iter()
        .find(|key| {
            rusqlite::Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .is_ok_and(|c| {
                // A wrong key is expected here: SQLCipher need not log each one.
                let _ = c.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()));
                apply(&c, key).is_ok()
                    && c.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                        r.get::<_, i64>(0)
                    })
                    .is_ok()
            })
        })
        .cloned()
}

/// This computer's key for the encrypted file at `path`, remembered for next time.
pub fn find_for(path: &Path, keys: &KeyStore) -> Option<PracticeKey> {
    let key = find(path, &keys.keys_for(path))?;
    keys.remember(path, &key);
    Some(key)
}

/// A raw connection to the practice file at `path`, unlocked with this
/// computer's key when it is encrypted: for tools and tests that look below
/// the core. A plain or missing file opens as plain SQLite.
pub fn open_raw(path: impl AsRef<Path>) -> CoreResult<rusqlite::Connection> {
    open_raw_with(path, rusqlite::OpenFlags::default())
}

/// [`open_raw`] with SQLite's open flags (read-only, say).
pub fn open_raw_with(
    path: impl AsRef<Path>,
    flags: rusqlite::OpenFlags,
) -> CoreResult<rusqlite::Connection> {
    let path = path.as_ref();
    let key = if file_kind(path) == FileKind::Locked {
        Some(
            find_for(path, &KeyStore::for_this_computer()).ok_or_else(|| {
                CoreError::KeyMissing {
                    message: locked_message(path),
                }
            })?,
        )
    } else {
        None
    };
    let conn = rusqlite::Connection::open_with_flags(path, flags)?;
    if let Some(k) = key {
        apply(&conn, &k)?;
    }
    Ok(conn)
}

/// The audit trail's head this computer kept for the encrypted practice file
/// at `path` (none for a plain file or one it has no key for).
pub fn anchor_for(path: &Path, keys: &KeyStore) -> Option<crate::audit::chain::Anchor> {
    if file_kind(path) != FileKind::Locked {
        return None;
    }
    keys.anchor(&find_for(path, keys)?)
}

/// Sets `key` on a connection not yet read from, and gives the connection
/// the audit trail's seal: `hearth_audit_seal(text)` (hex HMAC-SHA-256 under
/// the key's audit seal key) and `hearth_audit_key()` (the key's public id).
/// The seal exists only on connections opened with the key.
pub fn apply(conn: &rusqlite::Connection, key: &PracticeKey) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    ready();
    let literal = key.sql_literal();
    conn.pragma_update(None, "key", literal.as_str())?;
    let seal_key = key.audit_seal_key();
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function(crate::audit::chain::SEAL_FN, 1, flags, move |ctx| {
        let text: String = ctx.get(0)?;
        Ok(hex::encode(mac(&*seal_key, text.as_bytes())))
    })?;
    let id = key.id();
    conn.create_scalar_function(crate::audit::chain::KEY_FN, 0, flags, move |_| {
        Ok(id.clone())
    })
}

/// Waits until SQLCipher has finished starting up in this process. SQLite
/// marks itself initialised just before SQLCipher's own start-up runs, so a
/// thread that opens its first connection at that instant could key it before
/// SQLCipher is ready ("sqlcipher not initialized"), or miss its functions
/// ("no such function: sqlcipher_export"). Once per process, before any
/// connection is keyed: throwaway in-memory connections are tried until one
/// has both.
pub(crate) fn ready() {
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| {
        for _ in 0..200 {
            // Ready: a new connection can be keyed, and has SQLCipher's
            // functions (registered last of all).
            let ready = rusqlite::Connection::open_in_memory().is_ok_and(|c| {
                c.prepare("SELECT sqlcipher_export('main')").is_ok()
                    && c.pragma_update(None, "key", "x'00'").is_ok()
            });
            if ready {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    });
}

/// The sentence for a file this computer has no key for.
pub fn locked_message(path: &Path) -> String {
    format!(
        "This practice file is locked with a key this computer does not have. Restore it with its recovery key: in Hearth choose \"Restore a practice\", or run `hearth backup restore {} --db {} --recovery-key KEY` with the key from the practice's recovery sheet.",
        path.display(),
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_key_reads_back_however_it_is_typed() {
        let key = PracticeKey::random().expect("key");
        let sheet = key.recovery();
        assert_eq!(
            sheet.len(),
            56 + 13,
            "14 groups of 4 with 13 dashes: {sheet}"
        );
        assert!(!sheet.contains(['I', 'L', 'O', 'U']));
        assert_eq!(PracticeKey::from_recovery(&sheet).expect("as printed"), key);
        let typed = sheet.to_lowercase().replace('-', " ");
        assert_eq!(
            PracticeKey::from_recovery(&typed).expect("lower case, spaces"),
            key
        );
    }

    #[test]
    fn a_recovery_key_with_one_wrong_character_is_refused_with_a_sentence() {
        let key = PracticeKey::random().expect("key");
        let sheet = key.recovery();
        let alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        // Every position, every other symbol: a single slip is always caught.
        let chars: Vec<char> = sheet.chars().collect();
        for i in (0..chars.len()).filter(|i| chars[*i] != '-') {
            for other in alphabet.chars().filter(|c| *c != chars[i]).step_by(7) {
                let mut typo = chars.clone();
                typo[i] = other;
                let typo: String = typo.into_iter().collect();
                match PracticeKey::from_recovery(&typo) {
                    Err(CoreError::BadRecoveryKey { message }) => {
                        assert!(message.contains("recovery sheet"), "{message}")
                    }
                    other => panic!("a slip at {i} was not caught: {other:?}"),
                }
            }
        }
        let short = &sheet[..sheet.len() - 5];
        let err = PracticeKey::from_recovery(short).expect_err("too short");
        assert!(err.to_string().contains("56 characters"), "{err}");
        let err = PracticeKey::from_recovery(&sheet.replacen(
            |c: char| c.is_ascii_alphanumeric(),
            "U",
            1,
        ))
        .expect_err("a U");
        assert!(err.to_string().contains("never has"), "{err}");
    }

    #[test]
    fn keys_are_kept_readable_only_by_their_owner() {
        let dir = tempfile::tempdir().expect("dir");
        let store = KeyStore::at(dir.path().join("keys"));
        assert!(store.keys().is_empty());
        let key = PracticeKey::random().expect("key");
        store.save(&key).expect("save");
        store.save(&key).expect("saving twice is harmless");
        assert_eq!(store.keys(), vec![key.clone()]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = dir.path().join("keys").join(format!("{}.key", key.id()));
            let mode = fs::metadata(file).expect("file").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let mode = fs::metadata(dir.path().join("keys"))
                .expect("dir")
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o700);
        }
        assert!(
            !format!("{key:?}").contains(&hex::encode(*key.0)),
            "the key never prints itself"
        );
    }
}
