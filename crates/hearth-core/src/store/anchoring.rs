//! Keeping the audit trail's newest head outside the practice file (beside
//! the key, `KeyStore::set_anchor`) without slowing a write: the writer only
//! hands the new head over; a thread of its own writes it, at most once every
//! [`PACE`], keeping only the newest — so a busy desk's bookings never queue
//! behind a file being renamed. A read of the kept head, or the store
//! closing, first writes what is still waiting.
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use super::keys::{KeyStore, PracticeKey};
use crate::audit::chain::Anchor;

/// The least time between two writes of the kept head: the most it can lag
/// behind the trail while Hearth runs.
pub const PACE: std::time::Duration = std::time::Duration::from_millis(500);

struct Shared {
    keys: KeyStore,
    /// The newest head handed over and not yet written; `stop` once closing.
    latest: Mutex<(Option<(PracticeKey, Anchor)>, bool)>,
    wake: Condvar,
    /// Held while writing: the head last written (writes never go backwards).
    written: Mutex<Option<Anchor>>,
}

impl Shared {
    /// Writes the waiting head, if any, unless it is the one already kept.
    fn write_waiting(&self) {
        let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
        let waiting = self
            .latest
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .0
            .take();
        if let Some((key, head)) = waiting {
            if written.as_ref() != Some(&head) && self.keys.set_anchor(&key, &head).is_ok() {
                *written = Some(head);
            }
        }
    }
}

pub(super) struct Anchoring {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Anchoring {
    pub(super) fn start(keys: KeyStore) -> Anchoring {
        let shared = Arc::new(Shared {
            keys,
            latest: Mutex::new((None, false)),
            wake: Condvar::new(),
            written: Mutex::new(None),
        });
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("hearth-audit-anchor".into())
            .spawn(move || loop {
                {
                    let mut latest = worker.latest.lock().unwrap_or_else(|p| p.into_inner());
                    while latest.0.is_none() && !latest.1 {
                        latest = worker.wake.wait(latest).unwrap_or_else(|p| p.into_inner());
                    }
                    if latest.0.is_none() && latest.1 {
                        return;
                    }
                }
                worker.write_waiting();
                // Then rest, unless closing: what arrives meanwhile is
                // written once, the newest.
                let until = std::time::Instant::now() + PACE;
                let mut latest = worker.latest.lock().unwrap_or_else(|p| p.into_inner());
                while !latest.1 {
                    let now = std::time::Instant::now();
                    if now >= until {
                        break;
                    }
                    latest = match worker.wake.wait_timeout(latest, until - now) {
                        Ok((l, _)) => l,
                        Err(p) => p.into_inner().0,
                    };
                }
            })
            .ok();
        Anchoring { shared, thread }
    }

    pub(super) fn keys(&self) -> &KeyStore {
        &self.shared.keys
    }

    /// Hands over the trail's head after a commit (the thread writes it).
    pub(super) fn hand_over(&self, key: PracticeKey, head: Anchor) {
        let mut latest = self.shared.latest.lock().unwrap_or_else(|p| p.into_inner());
        // Only the first head after a write wakes the thread: the ones after
        // it replace it while the thread rests (no wake-up per booking).
        let first = latest.0.replace((key, head)).is_none();
        drop(latest);
        if self.thread.is_some() {
            if first {
                self.shared.wake.notify_one();
            }
        } else {
            self.shared.write_waiting();
        }
    }

    /// Writes what is waiting now.
    pub(super) fn flush(&self) {
        self.shared.write_waiting();
    }

    /// After the file was replaced: the next head is written whatever it is.
    pub(super) fn forget_written(&self) {
        *self
            .shared
            .written
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
    }
}

impl Drop for Anchoring {
    fn drop(&mut self) {
        self.shared
            .latest
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .1 = true;
        self.shared.wake.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
