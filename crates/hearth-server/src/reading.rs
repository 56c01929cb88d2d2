//! Where a command that only reads runs: threads of its own at a lower
//! scheduling priority (Linux: nice 10), so that on a small practice computer
//! other desks' long reads (a year of bookings, a report) give way to a
//! booking when they compete for the same cores. Writes, and every request's
//! session check, run on the runtime's blocking threads at normal priority.
//! A read still gets the whole machine when nothing else is asking.
use std::sync::OnceLock;

use tokio::runtime::{Builder, Runtime};
use tokio::task::JoinError;

/// How much lower a reading thread runs: a nice value (0 is normal, 19 the lowest).
/// At 10 the scheduler gives a normal thread about ten times its share.
#[cfg(target_os = "linux")]
const GIVE_WAY: i32 = 10;

/// The readers' runtime: started on the first read; None if the system would
/// not start its thread (reads then run where writes do).
fn readers() -> Option<&'static Runtime> {
    static READERS: OnceLock<Option<Runtime>> = OnceLock::new();
    READERS
        .get_or_init(|| {
            Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("hearth-read")
                .on_thread_start(give_way)
                .build()
                .ok()
        })
        .as_ref()
}

/// Runs the read `f` on a reading thread; its answer, as `spawn_blocking` gives it.
pub async fn run<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, JoinError> {
    match readers() {
        Some(rt) => rt.spawn_blocking(f).await,
        None => tokio::task::spawn_blocking(f).await,
    }
}

/// Lowers this thread's priority (each of the readers' threads, as it starts).
/// Where that is refused, it runs at normal priority: only slower to give way.
fn give_way() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), GIVE_WAY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_read_runs_on_a_thread_that_gives_way() {
        let (name, nice) = run(|| {
            let name = std::thread::current().name().map(str::to_owned);
            #[cfg(target_os = "linux")]
            let nice = rustix::process::getpriority_process(Some(rustix::thread::gettid())).ok();
            #[cfg(not(target_os = "linux"))]
            let nice: Option<i32> = None;
            (name, nice)
        })
        .await
        .expect("the read ran");
        assert_eq!(name.as_deref(), Some("hearth-read"));
        #[cfg(target_os = "linux")]
        assert_eq!(
            nice,
            Some(GIVE_WAY),
            "a reading thread runs at nice {GIVE_WAY}"
        );
        let _ = nice;
    }

    #[tokio::test]
    async fn a_write_keeps_the_normal_priority() {
        #[cfg(target_os = "linux")]
        {
            let nice = tokio::task::spawn_blocking(|| {
                rustix::process::getpriority_process(Some(rustix::thread::gettid())).ok()
            })
            .await
            .expect("ran");
            assert_eq!(nice, rustix::process::getpriority_process(None).ok());
        }
    }
}
