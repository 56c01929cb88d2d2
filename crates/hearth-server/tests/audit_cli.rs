//! `hearth audit verify --db PATH`: 0 on a whole chain; non-zero, naming the
//! first broken entry, after a row is edited behind the app's back.
mod common;

use hearth_core::gate;
use serde_json::json;

fn verify(db: &std::path::Path) -> (bool, String) {
    common::hearth(&["audit", "verify", "--db", &db.to_string_lossy()])
}

#[test]
fn audit_verify_passes_a_whole_chain_and_names_an_edited_entry() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("practice.db");
    {
        let (h, caller) = common::demo_file(&db, "dental");
        gate::access(
            &h,
            &caller,
            "sign_in",
            &json!({ "login": "maria", "password": "demo" }).to_string(),
        )
        .expect("sign in");
    }
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
