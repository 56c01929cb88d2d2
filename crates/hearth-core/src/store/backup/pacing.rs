//! Keeping a backup out of the desk's way: a backup copies and checks the
//! whole file, and the desk's bookings must not wait for a core behind it.
//! It runs on a thread of its own at the lowest scheduling priority, so a
//! booking that wakes takes the core from it at once (docs/performance.md,
//! "Encrypted at rest, and backups while the desk books").

/// Runs `work` on a thread of its own at the lowest scheduling priority and
/// returns what it returns. The caller's thread keeps its own priority.
pub(super) fn behind_the_desk<T: Send>(
    work: impl FnOnce() -> crate::error::CoreResult<T> + Send,
) -> crate::error::CoreResult<T> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("hearth-backup".into())
            .spawn_scoped(scope, || {
                lowest_priority();
                work()
            });
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(crate::error::CoreError::Storage(
                    "the backup stopped unexpectedly: take another, and do not rely on this one".into(),
                ))
            }),
            Err(_) => Err(crate::error::CoreError::Storage(
                "the computer could not start the backup (no thread to run it); try again in a moment"
                    .into(),
            )),
        }
    })
}

/// How long a backup works before it rests, and rests before it works again:
/// at most half of one core, in slices short enough that a booking that
/// meets one waits a millisecond or two, not the whole copy or check.
const WORK: std::time::Duration = std::time::Duration::from_millis(2);
const REST: std::time::Duration = std::time::Duration::from_millis(2);

/// A backup's breathing: called often from inside its copy, checksum and
/// check, it sleeps `REST` once `WORK` has gone by since the last rest.
pub(super) struct Breath {
    since: std::time::Instant,
}

impl Breath {
    pub(super) fn new() -> Self {
        Self {
            since: std::time::Instant::now(),
        }
    }

    /// Rests if the work since the last rest has reached its slice.
    pub(super) fn take(&mut self) {
        if self.since.elapsed() >= WORK {
            std::thread::sleep(REST);
            self.since = std::time::Instant::now();
        }
    }
}

/// Lowers this thread's priority to the least (nice 19): on Linux, a
/// thread's nice value is its own. Best effort.
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    {
        let me = rustix::thread::gettid();
        let _ = rustix::process::setpriority_process(Some(me), 19);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    fn my_priority() -> i32 {
        rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap_or(-100)
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_work_runs_at_the_lowest_priority_and_the_caller_keeps_its_own() {
        let before = my_priority();
        let (inside, name) = behind_the_desk(|| {
            Ok((
                my_priority(),
                std::thread::current().name().map(str::to_owned),
            ))
        })
        .expect("ran");
        assert_eq!(inside, 19);
        assert_eq!(name.as_deref(), Some("hearth-backup"));
        assert_eq!(my_priority(), before);
    }

    #[test]
    fn a_breath_rests_only_once_its_slice_of_work_is_done() {
        let mut b = Breath::new();
        let t = std::time::Instant::now();
        b.take();
        assert!(t.elapsed() < REST, "no rest before any work");
        std::thread::sleep(WORK);
        let t = std::time::Instant::now();
        b.take();
        assert!(t.elapsed() >= REST, "a rest after a slice of work");
    }

    #[test]
    fn a_failure_or_a_panic_comes_back_as_an_error() {
        let failed: crate::error::CoreResult<()> =
            behind_the_desk(|| Err(crate::error::CoreError::Storage("disk full".into())));
        assert!(matches!(failed, Err(crate::error::CoreError::Storage(m)) if m == "disk full"));
        let panicked: crate::error::CoreResult<()> = behind_the_desk(|| panic!("boom"));
        assert!(
            matches!(panicked, Err(crate::error::CoreError::Storage(m)) if m.contains("do not rely"))
        );
    }
}
