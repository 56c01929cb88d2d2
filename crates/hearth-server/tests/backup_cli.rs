//! `hearth backup create | list | verify | restore` on a demo practice, as the
//! README's table has them: a backup beside the practice folder, checked;
//! verify exits 0 only for a good one; restore puts it back.
mod common;

use common::hearth;

#[test]
fn a_demo_practice_is_backed_up_listed_checked_and_restored_from_the_command_line() {
    let root = tempfile::tempdir().expect("dir");
    let folder = root.path().join("hearth");
    std::fs::create_dir_all(&folder).expect("folder");
    let db = folder.join("practice.db");
    drop(common::demo_file(&db, "hotel"));
    let db_s = db.to_string_lossy().into_owned();
    let (ok, text) = hearth(&["backup", "create", "--db", &db_s]);
    assert!(ok, "{text}");
    assert!(text.contains("backed up and checked"), "{text}");
    let backups = root.path().join("hearth-backups");
    let (ok, listed) = hearth(&["backup", "list", "--db", &db_s]);
    assert!(ok && listed.contains("hearth-backups"), "{listed}");
    let file = std::fs::read_dir(&backups)
        .expect("the backup folder, beside the practice's")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "db"))
        .expect("a backup");
    let file_s = file.to_string_lossy().into_owned();
    let (ok, text) = hearth(&["backup", "verify", &file_s]);
    assert!(ok && text.contains("a good backup"), "{text}");

    // A damaged copy: verify exits non-zero and says why; restore refuses it.
    let mut bytes = std::fs::read(&file).expect("read");
    bytes.truncate(bytes.len() / 2);
    let bad = backups.join("hearth-cut-short.db");
    std::fs::write(&bad, &bytes).expect("write");
    let bad_s = bad.to_string_lossy().into_owned();
    let (ok, text) = hearth(&["backup", "verify", &bad_s]);
    assert!(!ok && text.contains("is not a good backup"), "{text}");
    let (ok, text) = hearth(&["backup", "restore", &bad_s, "--db", &db_s]);
    assert!(!ok && text.contains("Nothing was changed"), "{text}");

    // The good one restores, keeping the current file aside.
    let (ok, text) = hearth(&["backup", "restore", &file_s, "--db", &db_s]);
    assert!(ok && text.contains("restored from"), "{text}");
    assert!(text.contains("kept at"), "{text}");
    let (ok, text) = hearth(&["audit", "verify", "--db", &db_s]);
    assert!(ok, "{text}");
}
