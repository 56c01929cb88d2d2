//! kill -9 at any instant of the first-open encryption and of a backup leaves
//! a practice that opens with everything it had: the process is killed after
//! a growing delay until a run gets to the end, and after each kill the file
//! is opened and counted.
mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Bookings in the practice at `db`, opened as the desk opens it (on `keys`).
fn bookings(keys: &Path, db: &Path) -> i64 {
    let (ok, text) = common::hearth_on(keys, &["audit", "verify", "--db", &s(db)]);
    assert!(
        ok && text.contains("whole"),
        "the trail after a kill: {text}"
    );
    let key = hearth_core::store::keys::KeyStore::at(keys).keys();
    let v = hearth_core::store::backup::verify(db, &key).expect("verdict");
    assert!(v.ok, "{v:?}");
    v.tables["bookings"]
}

/// Runs `hearth ARGS` and kills it (SIGKILL) after `after`; true when it
/// finished first.
fn run_killed(keys: &Path, args: &[&str], after: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .env("HEARTH_KEY_DIR", keys)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while start.elapsed() < after {
        if child.try_wait().expect("wait").is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    false
}

#[test]
fn kill_nine_during_first_open_encryption_and_during_a_backup_loses_nothing() {
    let root = tempfile::tempdir().expect("dir");
    let keys = root.path().join("keys");
    let plain = root.path().join("plain.db");
    {
        // A practice as a Hearth from before encryption wrote it: a year of the demo.
        let clock = std::sync::Arc::new(hearth_core::clock::FixedClock::new(1_796_000_000_000));
        let h = hearth_core::Hearth::open_plain_with_clock(&plain, clock).expect("plain");
        hearth_core::demo::generate(
            &h,
            &hearth_core::demo::DemoOptions {
                kind: hearth_core::setup::practice::PracticeKind::Hotel,
                years: 1,
                resources: None,
                seed: 3,
            },
        )
        .expect("demo");
    }
    // Everything in the file itself, so a copy of it is the whole practice.
    rusqlite::Connection::open(&plain)
        .expect("open")
        .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
        .expect("fold the log in");
    let expected = bookings(&keys, &plain);
    let folder = root.path().join("hearth");
    std::fs::create_dir_all(&folder).expect("folder");
    let db = folder.join("practice.db");

    // The first open encrypts in place: killed at 0, 10, 20 … ms until it finishes.
    let mut kills = 0;
    for step in 0.. {
        for leftover in ["-wal", "-shm", ".encrypting"] {
            let _ = std::fs::remove_file(format!("{}{leftover}", s(&db)));
        }
        std::fs::copy(&plain, &db).expect("a fresh plain copy");
        let finished = run_killed(
            &keys,
            &["backup", "list", "--db", &s(&db)],
            Duration::from_millis(step * 10),
        );
        // Whatever instant it died at, the practice opens with every booking.
        assert_eq!(bookings(&keys, &db), expected, "killed at {} ms", step * 10);
        let _ = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .env("HEARTH_KEY_DIR", &keys)
            .args([
                "backup",
                "create",
                "--db",
                &s(&db),
                "--to",
                &s(&root.path().join("x")),
            ])
            .output();
        assert_eq!(
            hearth_core::store::keys::file_kind(&db),
            hearth_core::store::keys::FileKind::Locked,
            "the next open finished the work"
        );
        if finished {
            break;
        }
        kills += 1;
        assert!(step < 500, "encryption never finished");
    }
    assert!(kills > 0, "no run was killed mid-way");

    // A backup killed at any instant: the practice is untouched, and no file
    // that looks like a backup is a bad one.
    let dir = root.path().join("backups");
    let key = hearth_core::store::keys::KeyStore::at(&keys).keys();
    for step in 0..30 {
        run_killed(
            &keys,
            &["backup", "create", "--db", &s(&db), "--to", &s(&dir)],
            Duration::from_millis(step * 5),
        );
        assert_eq!(
            bookings(&keys, &db),
            expected,
            "backup killed at {} ms",
            step * 5
        );
        for b in hearth_core::store::backup::list(&dir).expect("list") {
            let v = hearth_core::store::backup::verify(&b.path, &key).expect("verdict");
            assert!(v.ok, "{}: {v:?}", b.path.display());
        }
    }
}
