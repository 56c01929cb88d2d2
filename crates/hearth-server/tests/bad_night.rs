//! Scenario S9, the bad night: the practice computer's disk dies; on a new
//! computer (no key, no practice) the manager restores the newest backup from
//! the USB stick with the recovery key from the sheet, and the practice is as
//! it was at that backup, its audit trail whole. Whoever finds the stick
//! reads nothing from it.
mod common;

use std::path::Path;

use common::hearth_on;

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn holds(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).expect("read");
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn the_bad_night_a_practice_restored_on_a_new_computer_with_its_recovery_key() {
    let root = tempfile::tempdir().expect("dir");
    // The practice computer: its own keys, its practice folder, a USB stick.
    let old_keys = root.path().join("old-computer-keys");
    let old_folder = root.path().join("old").join("hearth");
    std::fs::create_dir_all(&old_folder).expect("folder");
    let old_db = old_folder.join("practice.db");
    let usb = root.path().join("usb-stick");
    std::fs::create_dir_all(&usb).expect("usb");
    let (ok, text) = hearth_on(
        &old_keys,
        &["demo", "--db", &s(&old_db), "--kind", "dental"],
    );
    assert!(ok, "{text}");
    let (ok, text) = hearth_on(
        &old_keys,
        &["backup", "create", "--db", &s(&old_db), "--to", &s(&usb)],
    );
    assert!(ok, "{text}");
    let (ok, sheet) = hearth_on(&old_keys, &["backup", "recovery-key", "--db", &s(&old_db)]);
    assert!(ok, "{sheet}");
    let recovery = sheet.trim().to_owned();
    assert_eq!(recovery.len(), 69, "{recovery}");
    let backup = std::fs::read_dir(&usb)
        .expect("usb")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "db"))
        .expect("the backup on the stick");
    // What the backup holds, read on the practice computer (which has the key).
    let (ok, text) = hearth_on(&old_keys, &["backup", "verify", &s(&backup)]);
    assert!(ok && text.contains("a good backup"), "{text}");
    let someone: String = {
        let key = hearth_core::store::keys::KeyStore::at(&old_keys).keys();
        let conn = rusqlite::Connection::open(&backup).expect("open");
        hearth_core::store::keys::apply(&conn, &key[0]).expect("key");
        conn.query_row(
            "SELECT family_name FROM people ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a person")
    };

    // 4. Whoever finds the stick: plain sqlite3 reads nothing, nor do the bytes.
    let found = std::process::Command::new("sqlite3")
        .arg(&backup)
        .arg("SELECT count(*) FROM people;")
        .output()
        .expect("sqlite3 is installed with the test packages");
    assert!(!found.status.success(), "plain sqlite3 opened the backup");
    assert!(
        String::from_utf8_lossy(&found.stderr).contains("not a database"),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    assert!(!holds(&backup, &someone), "a name in clear on the stick");
    assert!(
        !holds(&old_db, &someone),
        "a name in clear in the practice file"
    );

    // 2. The disk dies. A new computer: no key, no practice.
    std::fs::remove_dir_all(root.path().join("old")).expect("the disk dies");
    std::fs::remove_dir_all(&old_keys).expect("and the key with it");
    let new_keys = root.path().join("new-computer-keys");
    let new_folder = root.path().join("new").join("hearth");
    std::fs::create_dir_all(&new_folder).expect("folder");
    let new_db = new_folder.join("practice.db");
    let (ok, text) = hearth_on(&new_keys, &["backup", "verify", &s(&backup)]);
    assert!(
        !ok && text.contains("recovery key"),
        "without the key: {text}"
    );
    // One character wrong: refused with a sentence, nothing written.
    let mut typo: Vec<char> = recovery.chars().collect();
    typo[5] = if typo[5] == '7' { '8' } else { '7' };
    let typo: String = typo.into_iter().collect();
    let (ok, text) = hearth_on(
        &new_keys,
        &[
            "backup",
            "restore",
            &s(&backup),
            "--db",
            &s(&new_db),
            "--recovery-key",
            &typo,
        ],
    );
    assert!(!ok && text.contains("mistake"), "{text}");
    assert!(!new_db.exists(), "nothing written");
    let (ok, text) = hearth_on(
        &new_keys,
        &[
            "backup",
            "restore",
            &s(&backup),
            "--db",
            &s(&new_db),
            "--recovery-key",
            &recovery,
        ],
    );
    assert!(ok, "{text}");

    // 3. The practice as it was at the backup, every table, the trail whole.
    let (ok, text) = hearth_on(&new_keys, &["audit", "verify", "--db", &s(&new_db)]);
    assert!(ok && text.contains("whole"), "{text}");
    // The backup's record carried the trail's head to the new computer.
    assert!(text.contains("matches the copy of its head"), "{text}");
    let key = hearth_core::store::keys::KeyStore::at(&new_keys).keys();
    assert_eq!(
        key.len(),
        1,
        "the recovery key is now kept on the new computer"
    );
    let at_backup = hearth_core::store::backup::verify(&backup, &key).expect("verdict");
    let now = hearth_core::store::backup::verify(&new_db, &key).expect("verdict");
    assert!(now.ok && now.encrypted, "{now:?}");
    assert_eq!(now.tables, at_backup.tables, "every table as at the backup");
    assert!(at_backup.tables["bookings"] > 100, "{:?}", at_backup.tables);
    // And it opens as the desk opens it, on the new computer's key.
    let (ok, text) = hearth_on(&new_keys, &["backup", "create", "--db", &s(&new_db)]);
    assert!(ok, "{text}");
}
