//! Backups and restore: a backup is a consistent copy taken while the desk
//! books, checked before it counts; restoring puts back exactly the state at
//! the backup, keeps the current file aside, and refuses a damaged backup
//! without changing anything.
mod common;

use common::Desk;
use hearth_core::clock::Clock;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::store::backup;
use hearth_core::store::keys::{self, FileKind, KeyStore, PracticeKey};
use hearth_core::Hearth;

fn count_bookings(path: &std::path::Path) -> i64 {
    let conn = hearth_core::store::keys::open_raw(path).expect("open");
    conn.query_row("SELECT count(*) FROM bookings", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn a_backup_restored_is_exactly_the_practice_at_the_backup() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.book("Ana Backup", "Chair 1", desk.at("2026-11-24", 9, 0), 30)
        .expect("book");
    let db = desk.dir.path().join("hearth.db");
    let dir = desk.dir.path().join("backups");
    let key = desk.hearth.store.key().expect("the practice has a key");
    let taken = backup::create(&db, Some(&key), &dir, desk.clock.now_ms()).expect("backup");
    assert!(taken.verdict.ok, "{:?}", taken.verdict);
    assert!(taken.verdict.encrypted, "locked with the practice's key");
    assert_eq!(taken.verdict.tables["bookings"], 1);
    assert!(taken.verdict.audit_entries > 0);
    assert_eq!(taken.verdict.sha256.len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(
            mode(&taken.path),
            0o600,
            "only the practice's own user reads a backup"
        );
        assert_eq!(mode(&dir), 0o700, "nor lists the folder");
    }
    assert!(
        taken.path.starts_with(&dir)
            && !dir.starts_with(db.parent().expect("folder").join("hearth.db"))
    );
    // Booked while the backup's copy stays as it was.
    desk.book("Ben After", "Chair 2", desk.at("2026-11-24", 10, 0), 30)
        .expect("book");
    assert_eq!(count_bookings(&db), 2);
    let listed = backup::list(&dir).expect("list");
    assert_eq!(listed.len(), 1);

    // Restore (Hearth closed): the practice as it was; the later file kept aside.
    let Desk {
        hearth,
        dir: folder,
        ..
    } = desk;
    drop(hearth);
    let aside = folder.path().join("before-restore");
    let restored = backup::restore(
        &taken.path,
        &db,
        &aside,
        1_800_000_000_000,
        &KeyStore::for_this_computer(),
        None,
    )
    .expect("restore");
    let kept = restored.kept_aside.expect("the current file kept aside");
    assert_eq!(
        count_bookings(&kept),
        2,
        "the file as it was before the restore"
    );
    assert_eq!(count_bookings(&db), 1, "exactly the state at the backup");
    let h = Hearth::open(&db).expect("the restored file opens");
    assert!(
        h.audit_on_open().first_broken.is_none(),
        "its audit trail is whole"
    );
    let now = backup::verify(&db, &[key]).expect("verify");
    assert_eq!(
        now.tables, taken.verdict.tables,
        "every table as at the backup"
    );
}

#[test]
fn a_damaged_backup_fails_verify_and_is_never_restored() {
    let desk = Desk::new(PracticeKind::Hotel);
    let db = desk.dir.path().join("hearth.db");
    let dir = desk.dir.path().join("backups");
    let key = desk.hearth.store.key().expect("key");
    let taken = backup::create(&db, Some(&key), &dir, desk.clock.now_ms()).expect("backup");
    assert!(taken.verdict.ok);
    // One byte flipped in the second page (the first is the schema's): an
    // encrypted page that was changed fails its check.
    let mut bytes = std::fs::read(&taken.path).expect("read");
    bytes[4096 + 100] ^= 0x01;
    let bad = dir.join("hearth-damaged.db");
    std::fs::write(&bad, &bytes).expect("write");
    let v = backup::verify(&bad, std::slice::from_ref(&key)).expect("a verdict, not an error");
    assert!(!v.ok, "{v:?}");
    assert!(v.problem.is_some());
    // Not a Hearth file at all.
    let junk = dir.join("hearth-junk.db");
    std::fs::write(&junk, b"not a database at all, just words").expect("write");
    assert!(
        !backup::verify(&junk, std::slice::from_ref(&key))
            .expect("verdict")
            .ok
    );
    // Restoring it changes nothing.
    let before = std::fs::read(&db).expect("read");
    let e = backup::restore(
        &bad,
        &db,
        &dir.join("aside"),
        1,
        &KeyStore::for_this_computer(),
        None,
    )
    .expect_err("refused");
    assert_eq!(e.code(), "input.invalid");
    assert!(e.to_string().contains("Nothing was changed"), "{e}");
    assert_eq!(std::fs::read(&db).expect("read"), before);
    assert!(!dir.join("aside").exists(), "nothing kept aside either");
}

#[test]
fn backups_go_beside_the_practice_folder_never_inside_it() {
    let d = backup::default_dir(std::path::Path::new(
        "/home/desk/.local/share/hearth/practice.db",
    ));
    assert_eq!(
        d,
        std::path::PathBuf::from("/home/desk/.local/share/hearth-backups")
    );
    assert_eq!(
        backup::file_name(1_796_609_730_000),
        "hearth-20261207-021530.db"
    );
}

#[test]
fn a_year_of_hourly_backups_keeps_24_hourly_14_daily_8_weekly_12_monthly() {
    let hour = 3_600_000i64;
    let start = 1_765_000_000_000i64; // early December 2025
    let taken: Vec<i64> = (0..365 * 24).map(|i| start + i * hour).collect();
    let kept = backup::keep(&taken, backup::Retention::default());
    let newest = *taken.last().expect("newest");
    // The last 24 hours, every one.
    for i in 0..24 {
        assert!(kept.contains(&(newest - i * hour)), "hour {i} back");
    }
    let days: std::collections::BTreeSet<i64> = kept.iter().map(|t| t / 86_400_000).collect();
    assert!(days.len() >= 14, "{} days", days.len());
    let months: std::collections::BTreeSet<String> = kept
        .iter()
        .map(|t| {
            chrono::DateTime::from_timestamp_millis(*t)
                .expect("t")
                .format("%Y-%m")
                .to_string()
        })
        .collect();
    assert!(months.len() >= 12, "{months:?}");
    assert!(kept.len() <= 24 + 14 + 8 + 12, "{} kept", kept.len());
    assert!(kept.len() >= 24 + 12, "{} kept", kept.len());
}

#[test]
fn the_practice_computer_backs_up_hourly_and_prunes_but_never_its_newest_good_one() {
    let desk = Desk::new(PracticeKind::Dental);
    let db = desk.dir.path().join("hearth.db");
    let dir = desk.dir.path().join("auto");
    let r = backup::Retention {
        hourly: 3,
        daily: 1,
        weekly: 1,
        monthly: 1,
    };
    let t0 = desk.clock.now_ms();
    let key = desk.hearth.store.key();
    let first = backup::tick(&db, key.as_ref(), &dir, t0, 3_600_000, r).expect("tick");
    assert!(
        first.is_some_and(|b| b.verdict.ok),
        "the first turn backs up at once"
    );
    assert!(
        backup::tick(&db, key.as_ref(), &dir, t0 + 30 * 60_000, 3_600_000, r)
            .expect("tick")
            .is_none(),
        "not twice in an hour"
    );
    for h in 1..=6 {
        backup::tick(&db, key.as_ref(), &dir, t0 + h * 3_600_000, 3_600_000, r).expect("tick");
    }
    let left = backup::list(&dir).expect("list");
    assert_eq!(
        left.len(),
        3,
        "the last three hours (the day's, week's and month's newest among them)"
    );
    assert_eq!(backup::taken_at(&left[0].path), Some(t0 + 6 * 3_600_000));
    assert!(
        backup::recorded_good(&left[0].path),
        "each backup's verdict is kept beside it"
    );
    assert!(left.iter().all(|b| b.path.starts_with(&dir)));
}

/// Everything a stranger with the file sees: its bytes.
fn bytes_hold(path: &std::path::Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).expect("read");
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn the_practice_file_and_its_backups_are_unreadable_without_the_key() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.book(
        "Zofia Cipherwright",
        "Chair 1",
        desk.at("2026-11-24", 9, 0),
        30,
    )
    .expect("book");
    let db = desk.dir.path().join("hearth.db");
    let key = desk.hearth.store.key().expect("key");
    let taken = backup::create(
        &db,
        Some(&key),
        &desk.dir.path().join("b"),
        desk.clock.now_ms(),
    )
    .expect("backup");
    // Fold the log into the file, so every byte written is in it.
    keys::open_raw(&db)
        .expect("open")
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).expect("meta").permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "only Hearth's own user reads the practice file"
        );
    }
    for file in [&db, &taken.path] {
        assert_eq!(keys::file_kind(file), FileKind::Locked);
        assert!(
            !bytes_hold(file, "Cipherwright"),
            "{} holds a name in clear",
            file.display()
        );
        assert!(
            !bytes_hold(file, "SQLite format 3"),
            "no plain header either"
        );
        // Plain SQLite, no key: not a database.
        let plain = rusqlite::Connection::open(file).expect("opens lazily");
        assert!(plain
            .query_row("SELECT count(*) FROM people", [], |r| r.get::<_, i64>(0))
            .is_err());
    }
    // A wrong key opens neither.
    let other = PracticeKey::random().expect("key");
    assert!(keys::find(&taken.path, std::slice::from_ref(&other)).is_none());
    let v = backup::verify(&taken.path, &[other]).expect("verdict");
    assert!(
        !v.ok
            && v.problem
                .as_deref()
                .is_some_and(|p| p.contains("recovery key")),
        "{v:?}"
    );
    // The recovery key does.
    let typed = PracticeKey::from_recovery(&key.recovery()).expect("sheet");
    assert!(backup::verify(&taken.path, &[typed]).expect("verdict").ok);
}

#[test]
fn a_file_this_computer_has_no_key_for_is_refused_with_a_sentence() {
    let desk = Desk::new(PracticeKind::Hotel);
    let db = desk.dir.path().join("hearth.db");
    drop(desk.hearth);
    let elsewhere = tempfile::tempdir().expect("dir");
    let e = Hearth::open_keyed(
        &db,
        desk.clock.clone(),
        &KeyStore::at(elsewhere.path().join("keys")),
    )
    .err()
    .expect("refused");
    assert_eq!(e.code(), "store.key_missing");
    let said = e.to_string();
    assert!(said.starts_with("This practice file is locked with a key this computer does not have. Restore it with its recovery key"), "{said}");
    assert!(!said.contains("not a database"), "{said}");
}

#[test]
fn a_plain_file_is_encrypted_in_place_with_every_row_and_the_trail_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("hearth.db");
    let keys_dir = KeyStore::at(dir.path().join("keys"));
    let tz: chrono_tz::Tz = "Europe/London".parse().expect("tz");
    let clock = std::sync::Arc::new(hearth_core::clock::FixedClock::new(
        hearth_core::time::local_ms(tz, common::date("2026-11-23"), 8 * 60),
    ));
    {
        // A practice as a Hearth from before encryption left it.
        let h = Hearth::open_plain_with_clock(&db, clock.clone()).expect("plain");
        hearth_core::demo::generate(
            &h,
            &hearth_core::demo::DemoOptions {
                kind: PracticeKind::Dental,
                years: 0,
                resources: None,
                seed: 7,
            },
        )
        .expect("demo");
    }
    assert_eq!(keys::file_kind(&db), FileKind::Plain);
    let before = backup::verify(&db, &[]).expect("verdict");
    assert!(before.ok && !before.encrypted);
    // A crash left a half-made copy last time: it is cleared and the work redone.
    std::fs::write(dir.path().join("hearth.db.encrypting"), b"half a copy").expect("write");
    let h = Hearth::open_keyed(&db, clock, &keys_dir).expect("opens, encrypted");
    assert_eq!(keys::file_kind(&db), FileKind::Locked);
    assert!(!dir.path().join("hearth.db.encrypting").exists());
    assert!(
        h.audit_on_open().first_broken.is_none(),
        "the trail is whole"
    );
    let key = h.store.key().expect("key");
    assert_eq!(
        keys_dir.keys(),
        vec![key.clone()],
        "the new key kept on this computer"
    );
    drop(h);
    let after = backup::verify(&db, &[key]).expect("verdict");
    assert!(after.ok && after.encrypted, "{after:?}");
    let mut sealed = before.tables.clone();
    sealed.insert("audit_seal".into(), 1);
    assert_eq!(after.tables, sealed, "every table, every row, and the seal");
    assert_eq!(after.audit_entries, before.audit_entries);
    assert!(
        after.audit_head.is_some(),
        "the head is recorded with the backup"
    );
}

#[test]
fn a_missing_folder_turns_the_notice_red_and_the_others_still_get_the_backup() {
    let desk = Desk::new(PracticeKind::Dental);
    let usb = tempfile::tempdir().expect("usb");
    let usb_path = usb.path().to_path_buf();
    desk.ok(
        "add_backup_destination",
        serde_json::json!({ "folder": usb_path, "label": "USB stick" }),
    );
    let st = desk.ok("back_up_now", serde_json::json!({}));
    assert!(st["attention"].is_null(), "both folders have today's: {st}");
    // The stick is left at home.
    drop(usb);
    let st = desk.ok("get_backup_status", serde_json::json!({}));
    assert_eq!(st["destinations"][1]["present"], false);
    let said = st["attention"].as_str().expect("the manager is told");
    assert!(
        said.contains("USB stick") && said.contains("not there"),
        "{said}"
    );
    // The next backup still reaches this computer's folder.
    desk.clock.advance_minutes(120);
    let run = hearth_core::setup::backups::run(&desk.hearth, false).expect("run");
    assert!(run.taken.is_some_and(|b| b.verdict.ok));
    assert_eq!(run.missed.len(), 1);
    assert_eq!(run.missed[0].0, "USB stick");
    // A folder inside the practice's own is refused.
    let inside = desk.dir.path().join("inside");
    std::fs::create_dir_all(&inside).expect("dir");
    let e = desk.err(
        "add_backup_destination",
        serde_json::json!({ "folder": inside, "label": "Same disk" }),
    );
    assert!(e.to_string().contains("outside the practice"), "{e}");
    let _ = std::fs::remove_dir_all(backup::default_dir(&desk.dir.path().join("hearth.db")));
}

#[test]
fn restoring_while_the_desk_runs_puts_back_exactly_the_state_at_the_backup() {
    let desk = Desk::new(PracticeKind::Dental);
    desk.book("Ana Before", "Chair 1", desk.at("2026-11-24", 9, 0), 30)
        .expect("book");
    let st = desk.ok("back_up_now", serde_json::json!({}));
    let chosen = st["recent"][0]["path"]
        .as_str()
        .expect("a backup")
        .to_owned();
    let key: Vec<_> = desk.hearth.store.key().into_iter().collect();
    let at_backup = backup::verify(std::path::Path::new(&chosen), &key).expect("verdict");
    desk.book("Ben After", "Chair 2", desk.at("2026-11-24", 10, 0), 30)
        .expect("book");
    assert_eq!(desk.count_bookings(), 2);
    let e = desk.err(
        "restore_backup",
        serde_json::json!({ "path": chosen, "password": "wrong-password" }),
    );
    assert_eq!(e.code(), "input.invalid");
    assert_eq!(desk.count_bookings(), 2, "a wrong password changes nothing");
    let done = desk.ok(
        "restore_backup",
        serde_json::json!({ "path": chosen, "password": common::MANAGER_PASSWORD }),
    );
    assert_eq!(done["bookings"], 1);
    assert_eq!(desk.count_bookings(), 1, "exactly the state at the backup");
    let db = desk.dir.path().join("hearth.db");
    let now = backup::verify(&db, &key).expect("verdict");
    for (table, rows) in &at_backup.tables {
        // The trail, the change log and the sessions go on: the restore is recorded.
        if ["audit_log", "audit_head", "change_log", "sessions"].contains(&table.as_str()) {
            continue;
        }
        assert_eq!(now.tables.get(table), Some(rows), "{table}");
    }
    assert!(now.ok, "{now:?}");
    assert!(
        now.tables["audit_log"] > at_backup.tables["audit_log"],
        "the restore is in the trail"
    );
    // The head kept outside the file went back with the restore, then on.
    let anchor = desk.hearth.store.anchor().expect("kept head");
    let trail = desk
        .hearth
        .store
        .read(|tx| hearth_core::audit::chain::verify_against(tx, Some(&anchor)))
        .expect("verify");
    assert!(trail.is_whole() && trail.anchored, "{trail:?}");
    assert_eq!(
        Some(anchor.clone()),
        now.audit_head,
        "kept at the newest entry"
    );
    let reopened = hearth_core::Hearth::open(&db).expect("reopen");
    assert!(
        reopened.audit_on_open().is_whole(),
        "{:?}",
        reopened.audit_on_open()
    );
    let kept = done["kept_aside"].as_str().expect("kept aside");
    let aside = backup::verify(std::path::Path::new(kept), &key).expect("aside");
    assert_eq!(
        aside.tables["bookings"], 2,
        "the state before the restore is kept"
    );
    // Everyone signing in again is a transport's matter: tests/api.rs.
    let _ = std::fs::remove_dir_all(backup::default_dir(&db));
}

#[test]
fn guessing_the_password_for_the_recovery_key_locks_like_signing_in() {
    let desk = Desk::new(PracticeKind::Dental);
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes.push(
            desk.err(
                "show_recovery_key",
                serde_json::json!({ "password": "guess-guess" }),
            )
            .code()
            .to_owned(),
        );
    }
    assert_eq!(codes[..4], ["input.invalid"; 4]);
    assert_eq!(codes[4], "auth.locked", "the fifth wrong try locks");
    let right = serde_json::json!({ "password": common::MANAGER_PASSWORD });
    assert_eq!(
        desk.err("show_recovery_key", right.clone()).code(),
        "auth.locked",
        "even the right one, meanwhile"
    );
    assert_eq!(
        desk.err(
            "restore_backup",
            serde_json::json!({ "path": "x", "password": common::MANAGER_PASSWORD })
        )
        .code(),
        "auth.locked"
    );
    desk.clock.advance_minutes(6);
    let sheet = desk.ok("show_recovery_key", right);
    assert_eq!(sheet["recovery_key"].as_str().map(str::len), Some(69));
}
