//! Folding the write-ahead log back into the practice file off the desk's
//! path. SQLite's own automatic checkpoint runs inside the commit that
//! crosses its threshold, so every few dozen bookings one booking also
//! rewrites (and, encrypted, decrypts and re-encrypts) a thousand pages and
//! syncs the file; while a backup holds its snapshot the checkpoint cannot
//! finish and is tried again after every commit. Here a thread of its own,
//! on a connection of its own, checkpoints at most once every [`PACE`] after
//! writes (`PASSIVE`: it never waits for, nor blocks, a writer or a reader).
//! The writer keeps SQLite's automatic checkpoint only as a backstop, at
//! [`BACKSTOP_PAGES`], should this thread be unable to run.
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};

use super::keys::{self, PracticeKey};

/// The least time between two checkpoints: how long the log may hold
/// writes before they are folded into the file.
pub const PACE: std::time::Duration = std::time::Duration::from_millis(1000);

/// The writer's own automatic checkpoint, for when this thread cannot run:
/// a log of 8,192 pages (32 MiB) is folded by the commit that reaches it.
pub const BACKSTOP_PAGES: i64 = 8192;

#[derive(Default)]
struct State {
    /// A commit happened since the last checkpoint.
    dirty: bool,
    stop: bool,
}

struct Shared {
    path: PathBuf,
    key: Arc<RwLock<Option<PracticeKey>>>,
    state: Mutex<State>,
    wake: Condvar,
    /// The thread's connection; held while checkpointing, and while the file
    /// is being replaced (no checkpoint then, and none on the old file).
    conn: Mutex<Option<Connection>>,
}

impl Shared {
    fn checkpoint(&self) {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if conn.is_none() {
            *conn = self.open().ok();
        }
        if let Some(c) = conn.as_ref() {
            // Busy or not, the next round tries again; a failed connection is
            // opened afresh.
            if c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(0))
                .is_err()
            {
                *conn = None;
            }
        }
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let key = self.key.read().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(k) = &key {
            keys::apply(&conn, k).map_err(|_| rusqlite::Error::InvalidQuery)?;
        }
        // This connection only checkpoints: it never writes a row, so it
        // never folds the log itself on a commit.
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0;")?;
        Ok(conn)
    }
}

pub(super) struct Checkpointing {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointing {
    /// Starts the thread; none when it could not start (the writer's
    /// backstop then folds the log).
    pub(super) fn start(
        path: PathBuf,
        key: Arc<RwLock<Option<PracticeKey>>>,
    ) -> Option<Checkpointing> {
        let shared = Arc::new(Shared {
            path,
            key,
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            conn: Mutex::new(None),
        });
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("hearth-checkpoint".into())
            .spawn(move || loop {
                {
                    let mut state = worker.state.lock().unwrap_or_else(|p| p.into_inner());
                    while !state.dirty && !state.stop {
                        state = worker.wake.wait(state).unwrap_or_else(|p| p.into_inner());
                    }
                    if state.stop {
                        return;
                    }
                    state.dirty = false;
                }
                worker.checkpoint();
                // Rest, unless closing: the commits meanwhile are folded together.
                let until = std::time::Instant::now() + PACE;
                let mut state = worker.state.lock().unwrap_or_else(|p| p.into_inner());
                while !state.stop {
                    let now = std::time::Instant::now();
                    if now >= until {
                        break;
                    }
                    state = match worker.wake.wait_timeout(state, until - now) {
                        Ok((s, _)) => s,
                        Err(p) => p.into_inner().0,
                    };
                }
            })
            .ok()?;
        Some(Checkpointing {
            shared,
            thread: Some(thread),
        })
    }

    /// Says a commit happened (cheap: the thread does the work).
    pub(super) fn after_commit(&self) {
        let mut state = self.shared.state.lock().unwrap_or_else(|p| p.into_inner());
        if !state.dirty {
            state.dirty = true;
            drop(state);
            self.shared.wake.notify_one();
        }
    }

    /// Waits for a checkpoint in progress, closes the thread's connection and
    /// keeps it closed while the guard lives (the file is being replaced).
    pub(super) fn pause(&self) -> MutexGuard<'_, Option<Connection>> {
        let mut conn = self.shared.conn.lock().unwrap_or_else(|p| p.into_inner());
        *conn = None;
        conn
    }
}

impl Drop for Checkpointing {
    fn drop(&mut self) {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .stop = true;
        self.shared.wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        // The connection closes here, before the writer: the writer, closing
        // last, folds the log into the file and removes it.
        *self.shared.conn.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;

    fn size(path: &std::path::Path) -> u64 {
        std::fs::metadata(path).map_or(0, |m| m.len())
    }

    #[test]
    fn writes_reach_the_file_without_the_writer_folding_the_log() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("practice.db");
        let store = Store::open_plain(&path).expect("open");
        // 2 MiB: far below the writer's own backstop (32 MiB), so only the
        // thread can fold it into the file.
        store
            .write(|tx| {
                tx.execute_batch("CREATE TABLE notes (body BLOB)")?;
                for _ in 0..64 {
                    tx.execute("INSERT INTO notes VALUES (zeroblob(32768))", [])?;
                }
                Ok(())
            })
            .expect("write");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while size(&path) < 2 << 20 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            size(&path) >= 2 << 20,
            "the log was not folded into the file"
        );
        let wal = dir.path().join("practice.db-wal");
        assert!(wal.exists(), "the log stays while the store is open");
        drop(store);
        // The thread's connection closed before the writer, which folded the
        // log and removed it as the last connection.
        assert!(!wal.exists(), "the log outlived the store");
    }
}
