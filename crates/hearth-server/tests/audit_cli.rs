//! `hearth audit verify --db PATH`: 0 on a whole chain; non-zero, naming the
//! first broken entry, after a row is edited behind the app's back.
mod common;

use hearth_core::gate;
use serde_json::json;

fn verify(db: &std::path::Path) -> (bool, String) {
    common::hearth(&["audit", "verify", "--db", &db.to_string_lossy()])
}

/// A demo practice at `db`, with `times` sign-ins in its trail.
fn practice_with_sign_ins(db: &std::path::Path, times: usize) {
    let (h, caller) = common::demo_file(db, "dental");
    for _ in 0..times {
        gate::access(
            &h,
            &caller,
            "sign_in",
            &json!({ "login": "maria", "password": "demo" }).to_string(),
        )
        .expect("sign in");
    }
}

#[test]
fn audit_verify_passes_a_whole_chain_and_names_an_edited_entry() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("practice.db");
    practice_with_sign_ins(&db, 1);
    let (ok, text) = verify(&db);
    assert!(ok, "{text}");
    assert!(text.contains("whole"), "{text}");

    let conn = hearth_core::store::keys::open_raw(&db).expect("open");
    conn.execute(
        "UPDATE audit_log SET workstation = 'Elsewhere' WHERE id = 2",
        [],
    )
    .expect("tamper");
    drop(conn);
    let (ok, text) = verify(&db);
    assert!(!ok, "{text}");
    assert!(text.contains("broken at entry 2"), "{text}");
}

/// The newest entries removed and the head moved back, then every entry
/// removed: the chain alone would pass both; the head this computer kept
/// outside the file names them, with a non-zero exit.
#[test]
fn audit_verify_names_a_trail_cut_short_and_an_emptied_one() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("practice.db");
    practice_with_sign_ins(&db, 3);
    let (ok, text) = verify(&db);
    assert!(ok, "{text}");
    assert!(text.contains("matches the copy of its head"), "{text}");

    let conn = hearth_core::store::keys::open_raw(&db).expect("open");
    let last: i64 = conn
        .query_row("SELECT max(id) FROM audit_log", [], |r| r.get(0))
        .expect("last");
    conn.execute_batch(&format!(
        "DELETE FROM audit_log WHERE id > {keep};
         UPDATE audit_head SET entry_id = {keep}, hash = (SELECT hash FROM audit_log WHERE id = {keep});",
        keep = last - 2
    ))
    .expect("cut short");
    let (ok, text) = verify(&db);
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!("broken at entry {}", last - 1)),
        "{text}"
    );
    assert!(text.contains("cut short"), "{text}");

    conn.execute_batch("DELETE FROM audit_log; DELETE FROM audit_head;")
        .expect("empty");
    let (ok, text) = verify(&db);
    assert!(!ok, "{text}");
    assert!(text.contains("emptied"), "{text}");
}

/// An entry edited and the whole chain recomputed with the practice's own
/// seal (an insider with the key file): the seal fits, the kept head does not.
#[test]
fn audit_verify_names_a_trail_recomputed_after_an_edit() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("practice.db");
    practice_with_sign_ins(&db, 1);
    let conn = hearth_core::store::keys::open_raw(&db).expect("open");
    conn.execute(
        "UPDATE audit_log SET workstation = 'Elsewhere' WHERE id = 2",
        [],
    )
    .expect("tamper");
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM audit_log ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("ids");
    let mut prev = "0".repeat(64);
    for id in &ids {
        let hash: String = conn
            .query_row(
                "SELECT hearth_audit_seal(json_array(id, at_ms, staff_id, session_id, workstation, action, command, entity, entity_id, outcome, entities, detail, ?2)) FROM audit_log WHERE id = ?1",
                rusqlite::params![id, prev],
                |r| r.get(0),
            )
            .expect("seal");
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
            rusqlite::params![id, prev, hash],
        )
        .expect("rewrite");
        prev = hash;
    }
    conn.execute("UPDATE audit_head SET hash = ?1 WHERE id = 1", [&prev])
        .expect("head");
    let (ok, text) = verify(&db);
    assert!(!ok, "{text}");
    assert!(text.contains("rebuilt"), "{text}");
}
