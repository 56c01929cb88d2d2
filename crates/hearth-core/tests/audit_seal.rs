//! A trail that can't be rewritten quietly: someone with the practice file
//! (and its key) cuts the trail short, empties it, or rebuilds it — with the
//! published algorithm, or with the seal itself — and the check names each.
mod common;

use common::Desk;
use hearth_core::audit::{self, chain::Anchor};
use hearth_core::setup::practice::PracticeKind;
use hearth_core::store::keys;
use hearth_core::Hearth;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// A practice with a few bookings in its trail, and a raw connection to its
/// file opened with the key (as an insider with the key file would).
fn practice() -> (Desk, Connection) {
    let desk = Desk::new(PracticeKind::Dental);
    for i in 0..4 {
        desk.book(
            &format!("Person {i}"),
            "Chair 1",
            desk.at("2026-11-24", 8 + i, 0),
            30,
        )
        .expect("book");
    }
    let conn = keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
    (desk, conn)
}

fn anchor(desk: &Desk) -> Anchor {
    desk.hearth
        .store
        .anchor()
        .expect("the head is kept beside the key")
}

fn checked(conn: &Connection, desk: &Desk) -> audit::Verdict {
    audit::chain::verify_against(conn, Some(&anchor(desk))).expect("verify")
}

fn ids(conn: &Connection) -> Vec<i64> {
    conn.prepare("SELECT id FROM audit_log ORDER BY id")
        .expect("prep")
        .query_map([], |r| r.get(0))
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("ids")
}

/// Recomputes every hash and the head, as an attacker would after an edit:
/// with the published SHA-256, or with the practice's own seal.
fn rebuild(conn: &Connection, with_seal: bool) {
    let mut prev = "0000000000000000000000000000000000000000000000000000000000000000".to_owned();
    let mut last = 0;
    for id in ids(conn) {
        let canonical: String = conn
            .query_row(
                "SELECT json_array(id, at_ms, staff_id, session_id, workstation, action, command, entity, entity_id, outcome, entities, detail, ?2) FROM audit_log WHERE id = ?1",
                rusqlite::params![id, prev],
                |r| r.get(0),
            )
            .expect("canonical");
        let hash: String = if with_seal {
            conn.query_row("SELECT hearth_audit_seal(?1)", [&canonical], |r| r.get(0))
                .expect("seal")
        } else {
            hex::encode(Sha256::digest(canonical.as_bytes()))
        };
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
            rusqlite::params![id, prev, hash],
        )
        .expect("rewrite");
        prev = hash;
        last = id;
    }
    conn.execute(
        "UPDATE audit_head SET entry_id = ?1, hash = ?2 WHERE id = 1",
        rusqlite::params![last, prev],
    )
    .expect("head");
}

#[test]
fn a_whole_trail_is_sealed_and_matches_its_head_kept_outside_the_file() {
    let (desk, conn) = practice();
    let v = checked(&conn, &desk);
    assert!(v.is_whole(), "{v:?}");
    assert!(v.sealed && v.anchored, "{v:?}");
    let head = anchor(&desk);
    assert_eq!(head.entry, *ids(&conn).last().expect("entries"));
    // The head is kept beside the key file, readable by its owner only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = keys::KeyStore::for_this_computer().dir().join(format!(
            "{}.anchor",
            desk.hearth.store.key().expect("key").id()
        ));
        let mode = std::fs::metadata(&path)
            .expect("anchor file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The seal's key lives with the practice key; the file itself is locked.
    assert_eq!(
        keys::file_kind(&desk.dir.path().join("hearth.db")),
        keys::FileKind::Locked,
        "the file is encrypted"
    );
}

#[test]
fn a_trail_cut_short_is_named_even_when_its_head_is_moved_back() {
    let (desk, conn) = practice();
    let all = ids(&conn);
    let keep = all[all.len() - 3];
    let keep_hash: String = conn
        .query_row("SELECT hash FROM audit_log WHERE id = ?1", [keep], |r| {
            r.get(0)
        })
        .expect("hash");
    conn.execute("DELETE FROM audit_log WHERE id > ?1", [keep])
        .expect("cut");
    conn.execute(
        "UPDATE audit_head SET entry_id = ?1, hash = ?2 WHERE id = 1",
        rusqlite::params![keep, keep_hash],
    )
    .expect("move the head back");
    // The chain alone sees nothing wrong: every earlier head is a head.
    assert!(audit::verify(&conn).expect("verify").is_whole());
    // Against the head kept outside the file, it is named.
    let v = checked(&conn, &desk);
    assert_eq!(v.first_broken, Some(keep + 1), "{v:?}");
    assert!(
        v.problem
            .as_deref()
            .is_some_and(|p| p.contains("cut short")),
        "{v:?}"
    );
    // And Hearth says so when it opens the file.
    drop(conn);
    let h = Hearth::open(desk.dir.path().join("hearth.db")).expect("reopen");
    let on_open = h.audit_on_open();
    assert_eq!(on_open.first_broken, Some(keep + 1), "{on_open:?}");
}

#[test]
fn an_emptied_trail_is_named() {
    let (desk, conn) = practice();
    conn.execute_batch("DELETE FROM audit_log; DELETE FROM audit_head;")
        .expect("empty");
    assert!(
        audit::verify(&conn).expect("verify").is_whole(),
        "alone it looks new"
    );
    let v = checked(&conn, &desk);
    assert!(!v.is_whole());
    assert!(
        v.problem.as_deref().is_some_and(|p| p.contains("emptied")),
        "{v:?}"
    );
}

#[test]
fn a_trail_rebuilt_with_the_published_algorithm_is_named() {
    let (_desk, conn) = practice();
    let all = ids(&conn);
    conn.execute(
        "UPDATE audit_log SET staff_id = NULL WHERE id = ?1",
        [all[2]],
    )
    .expect("edit");
    rebuild(&conn, false);
    let v = audit::verify(&conn).expect("verify");
    assert_eq!(v.first_broken, Some(all[0]), "{v:?}");
    assert!(
        v.problem
            .as_deref()
            .is_some_and(|p| p.contains("rebuilt without the practice's key")),
        "{v:?}"
    );
    // Removing the seal's record as well does not help.
    conn.execute("DELETE FROM audit_seal", []).expect("unseal");
    let v = audit::verify(&conn).expect("verify");
    assert_eq!(v.first_broken, Some(all[0]), "{v:?}");
    assert!(
        v.problem
            .as_deref()
            .is_some_and(|p| p.contains("not sealed")),
        "{v:?}"
    );
}

#[test]
fn a_trail_rebuilt_with_the_key_itself_is_named_by_the_head_kept_outside() {
    let (desk, conn) = practice();
    let all = ids(&conn);
    conn.execute(
        "UPDATE audit_log SET action = 'sign_in' WHERE id = ?1",
        [all[2]],
    )
    .expect("edit");
    rebuild(&conn, true);
    // The seal fits (the insider had the key) ...
    assert!(audit::verify(&conn).expect("verify").is_whole());
    // ... but the newest entry is no longer the one kept outside the file.
    let v = checked(&conn, &desk);
    assert_eq!(v.first_broken, Some(*all.last().expect("last")), "{v:?}");
    assert!(
        v.problem.as_deref().is_some_and(|p| p.contains("rebuilt")),
        "{v:?}"
    );
}

#[test]
fn a_trail_from_another_practice_key_is_named() {
    let (_desk, conn) = practice();
    // The seal record names another key: the file was swapped.
    conn.execute("UPDATE audit_seal SET key_id = 'ffffffffffffffff'", [])
        .expect("swap");
    let v = audit::verify(&conn).expect("verify");
    assert!(
        v.problem
            .as_deref()
            .is_some_and(|p| p.contains("another practice's key")),
        "{v:?}"
    );
}

#[test]
fn a_plain_copy_of_a_sealed_trail_is_named_not_passed() {
    let (desk, conn) = practice();
    let copy = desk.dir.path().join("plain-copy.db");
    conn.execute(
        "ATTACH DATABASE ?1 AS plain KEY ''",
        [copy.to_string_lossy()],
    )
    .expect("attach");
    conn.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
        .expect("export");
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    conn.execute_batch(&format!(
        "PRAGMA plain.user_version = {v}; DETACH DATABASE plain;"
    ))
    .expect("version");
    let plain = Connection::open(&copy).expect("plain");
    let verdict = audit::verify(&plain).expect("verify");
    assert!(!verdict.is_whole());
    assert!(
        verdict
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("plain copy of a sealed trail")),
        "{verdict:?}"
    );
}
