//! `hearth audit verify --db PATH`: 0 on a whole chain; non-zero, naming the
//! first broken entry, after a row is edited behind the app's back.
use std::process::Command;

use hearth_core::gate::{self, Caller};
use hearth_core::Hearth;
use serde_json::json;

fn verify(db: &std::path::Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["audit", "verify", "--db"])
        .arg(db)
        .output()
        .expect("run hearth");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn audit_verify_passes_a_whole_chain_and_names_an_edited_entry() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("practice.db");
    {
        let h = Hearth::open(&db).expect("open");
        let caller = Caller {
            workstation: "Test".into(),
            workstation_id: None,
            ..Default::default()
        };
        gate::access(&h, &caller, "open_demo_practice", r#"{"kind":"dental"}"#).expect("demo");
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

    let conn = rusqlite::Connection::open(&db).expect("open");
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
