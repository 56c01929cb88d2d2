//! The store: one SQLite file opened with the pragmas Hearth relies on
//! (WAL, `synchronous=FULL`, foreign keys, busy timeout) and migrated on open.
//! One writer connection: every write goes through [`Store::write`], one
//! `BEGIN IMMEDIATE` transaction, so two desks racing for one slot are
//! serialised here (across processes too). Beside it, a small pool of
//! read-only connections: [`Store::read`] runs on one of them, so a year-long
//! report never waits for a booking and a booking never waits for a report
//! (WAL lets readers see the last commit while the writer works). The pool
//! runs at most one read per processor core but one, so however many screens
//! ask for a year at once, the writer keeps a core of its own
//! (docs/performance.md, "A booking beside year-long reads"). The door's
//! own questions — whose session is this, which paired computer — are point
//! lookups asked before every request; they have a read-only connection of
//! their own ([`Store::look_up`]), so a booking never queues for its session
//! check behind another desk's year-long read.
//!
//! The file is encrypted (SQLCipher): every connection is unlocked with the
//! practice's key ([`keys`]) before it reads. A new practice gets a new key; a
//! plain file from before encryption is encrypted in place on first open
//! ([`encrypt`]); a file this computer has no key for is refused with a
//! sentence that says how to restore it.
mod anchoring;
pub mod backup;
pub mod change_log;
mod checkpointing;
pub mod encrypt;
pub mod keys;
pub mod migrations;

use crate::audit::chain::Anchor;
use keys::{FileKind, KeyStore, PracticeKey};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{CoreError, CoreResult};

/// The most read connections, whatever the machine.
const MAX_READERS: usize = 4;

/// Each connection's page cache. Pages are decrypted as they are read into it,
/// so a cache that holds a week's working set keeps the encrypted file as fast
/// as a plain one (docs/performance.md, "Encrypted at rest"); memory is taken
/// only as pages are read.
const CACHE_PRAGMA: &str = "PRAGMA cache_size = -16384;";

/// Read-only connections: idle ones, and how many exist (idle or lent out).
struct Readers {
    idle: Vec<Connection>,
    open: usize,
    /// While the file is being replaced (a restore), no read starts.
    closed: bool,
}

pub struct Store {
    // Fields drop in this order: the read connections and the checkpointing
    // thread's close before the writer, so the writer closes last and folds
    // the write-ahead log into the file.
    readers: Mutex<Readers>,
    /// The door's connection for point lookups (opened on first use).
    door: Mutex<Option<Connection>>,
    /// Folds the write-ahead log into the file off the writer's path.
    checkpointing: Option<checkpointing::Checkpointing>,
    writer: Mutex<Connection>,
    /// Signalled when a read connection comes back.
    returned: Condvar,
    max_readers: usize,
    path: PathBuf,
    /// The practice's key; none only for a plain file opened on purpose
    /// (benchmarks). It changes only when a restore puts another file in place.
    key: Arc<RwLock<Option<PracticeKey>>>,
    /// Keeps the audit trail's newest head beside this computer's key for
    /// the file (none for a plain file).
    anchoring: Option<anchoring::Anchoring>,
}

impl Store {
    /// Opens (creating if needed) and migrates the practice file at `path`,
    /// unlocking it with this computer's key for it (`keys`). A new file gets
    /// a new key, kept in `keys` before anything is written; a plain file is
    /// encrypted in place first.
    pub fn open(path: impl AsRef<Path>, keys: &KeyStore) -> CoreResult<Store> {
        let path = path.as_ref().to_path_buf();
        keys::ready();
        encrypt::clear_leftovers(&path);
        let key = match keys::file_kind(&path) {
            FileKind::New => {
                let key = PracticeKey::random()?;
                keys.save(&key)?;
                create_owner_only(&path)?;
                key
            }
            FileKind::Plain => encrypt::in_place(&path, keys)?,
            FileKind::Locked => find_key(&path, keys)?,
            FileKind::NotADatabase => return Err(CoreError::Corrupt),
        };
        let mut store = Self::open_as(path, Some(key))?;
        store.anchoring = Some(anchoring::Anchoring::start(keys.clone()));
        // Only the user Hearth runs as reads the practice file and its log
        // (SQLite makes a new log with the file's mode; one from before this
        // rule is narrowed here).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for suffix in ["", "-wal", "-shm"] {
                let file = PathBuf::from(format!("{}{suffix}", store.path.to_string_lossy()));
                if file.exists() {
                    let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600));
                }
            }
        }
        Ok(store)
    }

    /// Opens a plain, unencrypted file as it is: for benchmarks that measure
    /// what encryption costs, never for a practice.
    pub fn open_plain(path: impl AsRef<Path>) -> CoreResult<Store> {
        Self::open_as(path.as_ref().to_path_buf(), None)
    }

    fn open_as(path: PathBuf, key: Option<PracticeKey>) -> CoreResult<Store> {
        keys::ready();
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(k) = &key {
            keys::apply(&conn, k)?;
        }
        let conn = Self::prepare_writer(conn, &path, key.as_ref())?;
        let key = Arc::new(RwLock::new(key));
        let checkpointing = checkpointing::Checkpointing::start(path.clone(), key.clone());
        if checkpointing.is_none() {
            // No thread to fold the log: the writer folds it, as SQLite does by default.
            conn.execute_batch("PRAGMA wal_autocheckpoint = 1000;")?;
        }
        Ok(Store {
            checkpointing,
            writer: Mutex::new(conn),
            door: Mutex::new(None),
            readers: Mutex::new(Readers {
                idle: Vec::new(),
                open: 0,
                closed: false,
            }),
            returned: Condvar::new(),
            max_readers: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .saturating_sub(1)
                .clamp(1, MAX_READERS),
            path,
            key,
            anchoring: None,
        })
    }

    /// The writer's pragmas, a backup before an upgrade, then the migrations.
    fn prepare_writer(
        conn: Connection,
        path: &Path,
        key: Option<&PracticeKey>,
    ) -> CoreResult<Connection> {
        let mut conn = configure(conn)?;
        // A file an older Hearth wrote is backed up before it is updated (beside the
        // practice's folder, in before-upgrade/): a migration that went wrong can be undone.
        let current = migrations::current_version(&conn)?;
        if current > 0 && current < migrations::latest_version() {
            let now_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            let dir = backup::default_dir(path).join("before-upgrade");
            backup::create(path, key, &dir, now_ms).map_err(|e| {
                CoreError::Storage(format!(
                    "Hearth could not back the practice up before updating it, so nothing was changed ({e})"
                ))
            })?;
        }
        migrations::migrate(&mut conn)?;
        Ok(conn)
    }

    /// The audit trail's newest head as this computer last kept it outside
    /// the file (none for a plain file, or before the first write).
    pub fn anchor(&self) -> Option<Anchor> {
        let anchoring = self.anchoring.as_ref()?;
        anchoring.flush();
        anchoring.keys().anchor(&self.key()?)
    }

    /// Hands the trail's head over to be kept beside the key after a write
    /// (written off the writer's path). Best effort: a head that could not be
    /// kept is kept after the next write.
    fn keep_anchor(&self, conn: &Connection) {
        let (Some(anchoring), Some(key)) = (&self.anchoring, self.key()) else {
            return;
        };
        if let Ok(Some(head)) = crate::audit::chain::anchor(conn) {
            anchoring.hand_over(key, head);
        }
    }

    /// The key the practice file is locked with (none for a plain file).
    pub fn key(&self) -> Option<PracticeKey> {
        self.key.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Replaces the practice file while Hearth runs (a restore): waits for
    /// the reads in flight, closes every connection, runs `f` on the file's
    /// path, then opens what is there now — unlocked with this computer's
    /// key for it, and migrated — whether `f` succeeded or not. Writes and
    /// reads wait meanwhile.
    pub fn replace_file<T>(
        &self,
        keys: &KeyStore,
        f: impl FnOnce(&Path) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let mut writer = self.lock();
        // The head waiting to be kept is the old file's: kept before `f` may
        // keep the new file's.
        if let Some(a) = &self.anchoring {
            a.flush();
        }
        // No checkpoint on the old file, nor on the new one until it is open.
        let paused = self.checkpointing.as_ref().map(|c| c.pause());
        // The door waits too, and opens on the new file after.
        let mut door = self.door.lock().unwrap_or_else(|p| p.into_inner());
        *door = None;
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        pool.closed = true;
        while pool.open > pool.idle.len() {
            pool = self.returned.wait(pool).unwrap_or_else(|p| p.into_inner());
        }
        pool.idle.clear();
        pool.open = 0;
        drop(pool);
        // Until the file is open again, a write is refused rather than lost.
        let placeholder = Connection::open_in_memory()?;
        placeholder.execute_batch("PRAGMA query_only = ON;")?;
        let old = std::mem::replace(&mut *writer, placeholder);
        let closed = old.close().map_err(|(_, e)| CoreError::from(e));
        let out = closed.and_then(|()| f(&self.path));
        let reopened = (|| {
            let key = match keys::file_kind(&self.path) {
                FileKind::Plain | FileKind::New => None,
                FileKind::NotADatabase => return Err(CoreError::Corrupt),
                FileKind::Locked => Some(find_key(&self.path, keys)?),
            };
            let conn = Connection::open_with_flags(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            if let Some(k) = &key {
                keys::apply(&conn, k)?;
            }
            let conn = Self::prepare_writer(conn, &self.path, key.as_ref())?;
            Ok((conn, key))
        })();
        if let Some(a) = &self.anchoring {
            a.forget_written();
        }
        let opened = reopened.map(|(conn, key)| {
            if self.checkpointing.is_none() {
                let _ = conn.execute_batch("PRAGMA wal_autocheckpoint = 1000;");
            }
            *writer = conn;
            *self.key.write().unwrap_or_else(|p| p.into_inner()) = key;
        });
        drop(paused);
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        pool.closed = false;
        drop(pool);
        drop(door);
        self.returned.notify_all();
        opened?;
        out
    }

    /// A read-only connection: writing through it is refused by SQLite.
    pub(crate) fn open_reader(&self) -> CoreResult<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(k) = self.key() {
            keys::apply(&conn, &k)?;
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch("PRAGMA query_only = ON;")?;
        conn.execute_batch(CACHE_PRAGMA)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-written transaction
        // (rusqlite rolls back on drop), so a poisoned lock is safe to reuse.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` inside one write transaction; commits only if it returns Ok.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> CoreResult<T>) -> CoreResult<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        if let Some(c) = &self.checkpointing {
            c.after_commit();
        }
        self.keep_anchor(&conn);
        Ok(out)
    }

    /// Folds the write-ahead log into the file and empties it, so the older
    /// copies of pages it holds (what an erasure just removed) are gone from
    /// disk. Waits a moment for readers on older snapshots; false when some
    /// still held one and the log could not be emptied.
    pub fn empty_log(&self) -> CoreResult<bool> {
        let conn = self.lock();
        for _ in 0..50 {
            let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            if busy == 0 {
                return Ok(true);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Ok(false)
    }

    /// Borrows a read connection, waiting while all of them are in use.
    fn borrow_reader(&self) -> CoreResult<Connection> {
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if pool.closed {
                pool = self.returned.wait(pool).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            if let Some(c) = pool.idle.pop() {
                return Ok(c);
            }
            if pool.open < self.max_readers {
                pool.open += 1;
                drop(pool);
                return self.open_reader().inspect_err(|_| {
                    self.readers.lock().unwrap_or_else(|p| p.into_inner()).open -= 1;
                    self.returned.notify_one();
                });
            }
            pool = self.returned.wait(pool).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn give_back(&self, conn: Connection) {
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if conn.is_autocommit() {
            pool.idle.push(conn);
        } else {
            // Left mid-transaction: close it rather than reuse it.
            pool.open -= 1;
        }
        drop(pool);
        self.returned.notify_one();
    }

    /// Runs `f`, a point lookup asked at the door before a request (a
    /// session, a paired computer), on a read-only connection of its own:
    /// never in the queue for the read pool, so it never waits behind a long
    /// read. Only for lookups by key: a long read here would hold the door.
    pub fn look_up<T>(&self, f: impl FnOnce(&Transaction<'_>) -> CoreResult<T>) -> CoreResult<T> {
        let mut door = self.door.lock().unwrap_or_else(|p| p.into_inner());
        let conn = match door.as_mut() {
            Some(c) => c,
            None => door.insert(self.open_reader()?),
        };
        let result = (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&tx)?;
            tx.finish()?;
            Ok(out)
        })();
        if !conn.is_autocommit() {
            // Left mid-transaction: close it rather than reuse it.
            *door = None;
        }
        result
    }

    /// How many reads run at once (one per processor core but one).
    pub fn max_readers(&self) -> usize {
        self.max_readers
    }

    /// Runs `f` on a consistent read snapshot, on a read-only connection.
    pub fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> CoreResult<T>) -> CoreResult<T> {
        let mut conn = self.borrow_reader()?;
        let result = (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&tx)?;
            tx.finish()?;
            Ok(out)
        })();
        self.give_back(conn);
        result
    }
}

/// Makes the new, empty practice file readable by its owner only, before
/// SQLite writes a byte to it (its log and shared memory take the same mode).
fn create_owner_only(path: &Path) -> CoreResult<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        // Made a moment ago by another process opening the same new file.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(CoreError::Storage(format!(
            "the practice file could not be made: {}",
            e.kind()
        ))),
    }
}

/// Statements each connection keeps prepared: more than a booking's path
/// uses (SQLite's parser is a large part of a small write's time), so a
/// booking never parses the same SQL twice.
const STATEMENT_CACHE: usize = 128;

fn configure(conn: Connection) -> CoreResult<Connection> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // journal_mode returns a row; query it rather than execute.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    // secure_delete: what a write removes is overwritten with zeros, not left
    // in free space where a copy of the file (and its key) would still show it.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
    )?;
    conn.execute_batch(CACHE_PRAGMA)?;
    // The log is folded into the file by a thread of its own (`checkpointing`);
    // the writer folds it only if it grows this long.
    conn.execute_batch(&format!(
        "PRAGMA wal_autocheckpoint = {};",
        checkpointing::BACKSTOP_PAGES
    ))?;
    Ok(conn)
}

/// The key among this computer's that opens the encrypted file at `path`.
fn find_key(path: &Path, keys: &KeyStore) -> CoreResult<PracticeKey> {
    keys::find_for(path, keys).ok_or_else(|| CoreError::KeyMissing {
        message: keys::locked_message(path),
    })
}
