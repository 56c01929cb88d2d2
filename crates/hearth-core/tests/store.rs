//! The store: migrations from empty and from every earlier schema's fixture,
//! refusing newer files, failing clearly on bad files, and two desks racing
//! for one slot (threads and separate processes): exactly one wins each race.
mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use common::{clashes, Desk};
use hearth_core::commands::dispatch_value as dispatch;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::store::migrations::latest_version;
use hearth_core::{Actor, Hearth};
use serde_json::json;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn day_start(d: &str) -> i64 {
    common::date(d)
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp_millis()
}

fn user_version(path: &Path) -> u32 {
    let conn = hearth_core::store::keys::open_raw(path).expect("open");
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version")
}

#[test]
fn a_new_file_is_migrated_to_the_latest_schema_with_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("new.db");
    let _h = Hearth::open(&path).expect("open");
    assert_eq!(user_version(&path), latest_version());
    let conn = hearth_core::store::keys::open_raw(&path).expect("open");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
}

/// Every schema version has a fixture written by that version, and each one
/// opens in this build with its data intact. When a migration is added, run
/// `UPDATE_FIXTURES=1 cargo test -p hearth-core --test store` once to add the
/// new version's fixture (older fixtures are never rewritten).
#[test]
fn every_earlier_schema_fixture_upgrades_and_keeps_its_bookings() {
    let latest = latest_version();
    let newest = fixtures().join(format!("v{latest}.db"));
    if std::env::var("UPDATE_FIXTURES").is_ok_and(|v| v == "1") && !newest.exists() {
        // A plain practice: a plain file has no key, so its trail is not sealed.
        let desk = Desk::plain(PracticeKind::Dental);
        desk.book("Fixture Person", "Chair 1", desk.at("2026-11-24", 9, 0), 30)
            .expect("book");
        let conn =
            hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
        // Fixtures are plain SQLite: they hold no secret, open on any
        // machine, and each upgrade test also encrypts one in place.
        conn.execute(
            "ATTACH DATABASE ?1 AS plain KEY ''",
            [newest.to_string_lossy()],
        )
        .expect("attach");
        conn.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
            .expect("write fixture");
        conn.execute_batch(&format!(
            "PRAGMA plain.user_version = {latest}; DETACH DATABASE plain;"
        ))
        .expect("version");
    }
    for v in 1..=latest {
        let fixture = fixtures().join(format!("v{v}.db"));
        assert!(
            fixture.exists(),
            "missing fixture for schema {v}: {}",
            fixture.display()
        );
        assert_eq!(
            user_version(&fixture),
            v,
            "fixture v{v} must be written by schema {v}"
        );
        let dir = tempfile::tempdir().expect("dir");
        let folder = dir.path().join("practice");
        std::fs::create_dir_all(&folder).expect("folder");
        let copy = folder.join("old.db");
        std::fs::copy(&fixture, &copy).expect("copy");
        let h = Hearth::open(&copy).expect("older file opens");
        assert_eq!(user_version(&copy), latest);
        assert_eq!(
            hearth_core::store::keys::file_kind(&copy),
            hearth_core::store::keys::FileKind::Locked,
            "v{v}: the plain file was encrypted in place"
        );
        // Backed up first, beside the practice's folder, as the older Hearth left it.
        if v < latest {
            let saved = hearth_core::store::backup::list(
                &dir.path().join("practice-backups").join("before-upgrade"),
            )
            .expect("list");
            assert_eq!(saved.len(), 1, "one backup before the upgrade from v{v}");
            let key: Vec<_> = h.store.key().into_iter().collect();
            let verdict = hearth_core::store::backup::verify(&saved[0].path, &key).expect("verify");
            assert!(verdict.ok && verdict.encrypted, "v{v}: {verdict:?}");
            assert_eq!(verdict.schema, v, "the backup is the file as v{v} wrote it");
        }
        let manager = Actor {
            staff_id: Some(hearth_core::ids::StaffId(1)),
            origin: None,
            ..Default::default()
        };
        let all = dispatch(
            &h,
            &manager,
            "list_bookings",
            json!({ "from_ms": day_start("2026-11-24"), "to_ms": day_start("2026-11-25") }),
        )
        .expect("bookings readable");
        assert!(
            all.as_array()
                .is_some_and(|a| a.iter().any(|b| b["person_name"] == "Fixture Person")),
            "v{v}: {all}"
        );
    }
}

#[test]
fn a_file_from_a_newer_hearth_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("future.db");
    {
        let conn = hearth_core::store::keys::open_raw(&path).expect("open");
        conn.pragma_update(None, "user_version", latest_version() + 5)
            .expect("set");
    }
    let e = Hearth::open(&path).err().expect("refused");
    assert_eq!(e.code(), "store.schema_too_new");
    assert!(e.to_string().contains("newer version of Hearth"), "{e}");
}

#[test]
fn a_file_that_is_not_a_database_gives_a_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("notes.db");
    std::fs::write(
        &path,
        b"this is a shopping list, not a practice file ........................................",
    )
    .expect("write");
    let e = Hearth::open(&path).err().expect("refused");
    assert_eq!(e.code(), "store.corrupt");
}

#[cfg(unix)]
#[test]
fn a_read_only_file_refuses_writes_and_keeps_reads() {
    use std::os::unix::fs::PermissionsExt;
    let desk = Desk::new(PracticeKind::Dental);
    let path = desk.dir.path().join("hearth.db");
    drop(desk.hearth);
    let dir = &desk.dir;
    for f in ["hearth.db", "hearth.db-wal", "hearth.db-shm"] {
        let p = dir.path().join(f);
        if p.exists() {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        }
    }
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555))
        .expect("chmod dir");
    // Root ignores permissions; the test only means something for ordinary users.
    let is_root = std::fs::write(dir.path().join("probe"), b"x").is_ok();
    if !is_root {
        match Hearth::open(&path) {
            Err(e) => assert!(
                matches!(e.code(), "store.read_only" | "store.busy"),
                "{}",
                e.code()
            ),
            Ok(h) => {
                let e = dispatch(
                    &h,
                    &Actor {
                        staff_id: Some(hearth_core::ids::StaffId(1)),
                        origin: None,
                        ..Default::default()
                    },
                    "save_staff",
                    json!({ "name": "X", "role": "manager", "colour": "#123456", "login": "x", "temporary_password": "temporary1" }),
                )
                .expect_err("read-only");
                assert_eq!(e.code(), "store.read_only");
            }
        }
    }
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod back");
}

/// Books `person` on chair 1 with the dentist in race slot `i` (15 minutes each).
fn race_booking(
    h: &Hearth,
    manager: &Actor,
    base: i64,
    i: i64,
    person: &str,
) -> Result<(), String> {
    let s = base + i * 15 * 60_000;
    dispatch(h, manager, "create_booking", json!({
        "person_name": person, "someone_new": true, "type_id": 1, "resource_ids": [1, 3],
        "time": { "kind": "timed", "starts_at_ms": s, "ends_at_ms": s + 15 * 60_000 }, "override_rules": true }))
    .map(|_| ())
    .map_err(|e| e.code().to_owned())
}

const RACES: i64 = 1000;

#[test]
fn two_desks_on_threads_race_for_the_same_slot_a_thousand_times() {
    let desk = Desk::new(PracticeKind::Dental);
    let path = desk.dir.path().join("hearth.db");
    let base = desk.at("2026-11-24", 0, 0);
    let manager = desk.manager.clone();
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = ["Desk A", "Desk B"]
        .into_iter()
        .map(|who| {
            let (path, barrier, manager) = (path.clone(), barrier.clone(), manager.clone());
            std::thread::spawn(move || {
                // Each desk has its own connection, as two processes would.
                let h = Hearth::open(&path).expect("open");
                let mut wins = 0;
                for i in 0..RACES {
                    barrier.wait();
                    match race_booking(&h, &manager, base, i, who) {
                        Ok(()) => wins += 1,
                        Err(code) => assert_eq!(code, "booking.overlap"),
                    }
                }
                wins
            })
        })
        .collect();
    let wins: i64 = handles.into_iter().map(|h| h.join().expect("thread")).sum();
    assert_eq!(wins, RACES, "exactly one desk wins each race");
    assert_eq!(clashes(&path), (RACES, 0));
}

/// Entry point for the separate-process race below; does nothing unless
/// started by it (with HEARTH_RACE_DB set).
#[test]
fn race_child_process() {
    let (Ok(path), Ok(base), Ok(who)) = (
        std::env::var("HEARTH_RACE_DB"),
        std::env::var("HEARTH_RACE_BASE"),
        std::env::var("HEARTH_RACE_WHO"),
    ) else {
        return;
    };
    let base: i64 = base.parse().expect("base");
    let h = Hearth::open(&path).expect("open");
    let manager = Actor {
        staff_id: Some(hearth_core::ids::StaffId(1)),
        origin: None,
        ..Default::default()
    };
    let mut wins = 0;
    for i in 0..RACES {
        match race_booking(&h, &manager, base, i, &who) {
            Ok(()) => wins += 1,
            Err(code) => assert_eq!(code, "booking.overlap", "only overlap may refuse a race"),
        }
    }
    std::fs::write(format!("{path}.{who}.wins"), wins.to_string()).expect("write wins");
}

#[test]
fn two_desks_in_separate_processes_race_for_the_same_slots() {
    let desk = Desk::new(PracticeKind::Dental);
    let path = desk.dir.path().join("hearth.db");
    let base = desk.at("2026-11-25", 0, 0);
    let exe = std::env::current_exe().expect("test binary");
    let children: Vec<_> = ["A", "B"]
        .into_iter()
        .map(|who| {
            std::process::Command::new(&exe)
                .args([
                    "--exact",
                    "race_child_process",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("HEARTH_RACE_DB", &path)
                .env("HEARTH_RACE_BASE", base.to_string())
                .env("HEARTH_RACE_WHO", who)
                .spawn()
                .expect("spawn child")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().expect("wait").success(), "child process failed");
    }
    let wins: i64 = ["A", "B"]
        .iter()
        .map(|w| {
            std::fs::read_to_string(format!("{}.{w}.wins", path.display()))
                .expect("wins")
                .parse::<i64>()
                .expect("number")
        })
        .sum();
    assert_eq!(
        wins, RACES,
        "each slot won exactly once across both processes"
    );
    assert_eq!(clashes(&path), (RACES, 0));
}

#[test]
fn the_demo_practice_respects_the_same_rules_the_core_enforces() {
    for kind in [PracticeKind::Dental, PracticeKind::Hotel] {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("demo.db");
        let h = Hearth::open(&path).expect("open");
        let s = hearth_core::demo::generate(
            &h,
            &hearth_core::demo::DemoOptions {
                kind,
                years: 0,
                resources: None,
                seed: 3,
            },
        )
        .expect("demo");
        assert!(s.bookings > 100, "{kind:?}: {}", s.bookings);
        let (_, clash) = clashes(&path);
        assert_eq!(clash, 0, "{kind:?} demo overlaps");
        // S6 has someone to call in the demo: overdue, one with an open incident.
        let manager = Actor {
            staff_id: Some(hearth_core::ids::StaffId(1)),
            origin: None,
            ..Default::default()
        };
        let recall = dispatch(&h, &manager, "list_recall", json!({})).expect("recall");
        assert!(recall["overdue"].as_u64() >= Some(3), "{kind:?}: {recall}");
        assert!(
            recall["items"]
                .as_array()
                .is_some_and(|a| a.iter().any(|i| i["incidents"][0]["resolved"] == false)),
            "{kind:?}: an open incident on the list"
        );
        let e = hearth_core::demo::generate(
            &h,
            &hearth_core::demo::DemoOptions {
                kind,
                years: 0,
                resources: None,
                seed: 3,
            },
        )
        .expect_err("twice");
        assert_eq!(e.code(), "input.invalid");
    }
}

#[test]
fn a_file_locked_by_another_program_refuses_the_write_clearly_and_writes_nothing() {
    let desk = Desk::new(PracticeKind::Dental);
    let path = desk.dir.path().join("hearth.db");
    let other = hearth_core::store::keys::open_raw(&path).expect("open");
    other.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let e = desk
        .book("Ana Ruiz", "Chair 1", desk.at("2026-11-24", 9, 0), 30)
        .expect_err("locked");
    assert_eq!(e.code(), "store.busy");
    assert!(e.to_string().contains("Try again"), "{e}");
    other.execute_batch("ROLLBACK").expect("unlock");
    assert_eq!(desk.count_bookings(), 0);
    desk.book("Ana Ruiz", "Chair 1", desk.at("2026-11-24", 9, 0), 30)
        .expect("works once the lock is gone");
}

#[test]
fn a_read_cannot_write_and_runs_beside_an_open_write() {
    let desk = common::Desk::new(PracticeKind::Dental);
    // A read runs on a read-only connection: SQLite itself refuses a write through it.
    let e = desk
        .hearth
        .read(&desk.manager, |ctx| {
            ctx.tx
                .execute("INSERT INTO room_types (name) VALUES ('Sneaky')", [])
                .map_err(hearth_core::CoreError::from)
        })
        .expect_err("refused");
    assert_eq!(e.code(), "store.read_only");
    // While a write transaction is open (and not yet committed), a read still
    // answers at once, from the last commit.
    let (started, go_on) = (std::sync::Barrier::new(2), std::sync::Barrier::new(2));
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            desk.hearth.write(&desk.manager, "test_write", |ctx| {
                ctx.tx
                    .execute("INSERT INTO room_types (name) VALUES ('Pending')", [])?;
                started.wait();
                go_on.wait();
                Ok(())
            })
        });
        started.wait();
        let names: Vec<String> = desk
            .hearth
            .read(&desk.manager, |ctx| {
                let mut stmt = ctx.tx.prepare("SELECT name FROM room_types")?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .expect("a read beside the writer");
        assert!(
            !names.contains(&"Pending".to_owned()),
            "uncommitted work is not seen"
        );
        go_on.wait();
        writer.join().expect("writer").expect("write");
    });
}

#[test]
fn a_second_process_on_the_same_file_hears_the_first_ones_changes() {
    let desk = common::Desk::new(PracticeKind::Dental);
    // Another Hearth on the same file: its own connections, as another process has.
    let other = Hearth::open(desk.dir.path().join("hearth.db")).expect("second opener");
    other.follow_other_processes().expect("follow");
    let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
    let h = heard.clone();
    other.events.subscribe(move |b| {
        h.lock().expect("lock").push(b.clone());
    });
    let b = desk
        .book("Seen Elsewhere", "Chair 1", desk.at("2026-11-24", 9, 0), 30)
        .expect("book");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let got = heard.lock().expect("lock").clone();
        if let Some(batch) = got.iter().find(|x| {
            x.changes
                .iter()
                .any(|c| c.ids.contains(&b["id"].as_i64().unwrap_or(-1)))
        }) {
            assert!(batch.id > 0, "{batch:?}");
            break;
        }
        assert!(
            std::time::Instant::now() < until,
            "the other process never heard of the booking: {got:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Its own writes are published once, not again by the follower.
    heard.lock().expect("lock").clear();
    let manager = desk.manager.clone();
    dispatch(
        &other,
        &manager,
        "save_room_type",
        json!({ "name": "Recovery" }),
    )
    .expect("write");
    std::thread::sleep(hearth_core::store::change_log::FOLLOW_EVERY * 4);
    let got = heard.lock().expect("lock").clone();
    assert_eq!(got.len(), 1, "{got:?}");
}
