//! Attacks on the core, made the way an attacker makes them: guesses sent all
//! at once rather than one by one, a guessing device beside the practice's
//! real tablet, and text built to hide or deceive. Each test failed before
//! the defence it names existed.
mod common;

use std::collections::BTreeMap;

use common::{Desk, MANAGER_PASSWORD};
use hearth_core::access::sessions::LOCK_AFTER;
use hearth_core::access::workstations::{WorkstationKind, PAUSE_AFTER};
use hearth_core::gate::{self, pairing, Caller};
use hearth_core::setup::practice::PracticeKind;
use hearth_core::CoreError;
use serde_json::{json, Value};

/// Runs `attempt` from `n` threads released together; the codes they got, counted.
fn burst(
    n: usize,
    attempt: impl Fn(usize) -> Result<(), CoreError> + Sync,
) -> BTreeMap<String, usize> {
    let start = std::sync::Barrier::new(n);
    let codes = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for i in 0..n {
            let (start, codes, attempt) = (&start, &codes, &attempt);
            s.spawn(move || {
                start.wait();
                let code = match attempt(i) {
                    Ok(()) => "ok".to_owned(),
                    Err(e) => e.code().to_owned(),
                };
                *codes
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .entry(code)
                    .or_insert(0) += 1;
            });
        }
    });
    codes.into_inner().unwrap_or_else(|p| p.into_inner())
}

fn sign_in(desk: &Desk, login: &str, password: &str) -> Result<(), CoreError> {
    let caller = Caller {
        workstation: "Browser on Linux".into(),
        ..Default::default()
    };
    let args = json!({ "login": login, "password": password }).to_string();
    gate::access(&desk.hearth, &caller, "sign_in", &args).map(|_| ())
}

fn count(codes: &BTreeMap<String, usize>, code: &str) -> usize {
    codes.get(code).copied().unwrap_or(0)
}

#[test]
fn a_burst_of_password_guesses_gets_five_checks_like_guesses_one_by_one() {
    let desk = Desk::new(PracticeKind::Dental);
    let codes = burst(48, |i| sign_in(&desk, "helen", &format!("guess-{i}-guess")));
    // Four wrong answers, then the fifth try locks: every other guess is
    // refused before its password is looked at.
    let checked = usize::try_from(LOCK_AFTER).expect("small") - 1;
    assert_eq!(count(&codes, "auth.bad_credentials"), checked, "{codes:?}");
    assert_eq!(count(&codes, "auth.locked"), 48 - checked, "{codes:?}");
    // The right password after the limit waits out the lock like any other.
    let e = sign_in(&desk, "helen", MANAGER_PASSWORD).expect_err("locked");
    assert_eq!(e.code(), "auth.locked");
    desk.clock.advance_minutes(5);
    sign_in(&desk, "helen", MANAGER_PASSWORD).expect("the lock has run out");
}

#[test]
fn a_burst_of_wrong_current_passwords_locks_like_sign_in() {
    let desk = Desk::new(PracticeKind::Dental);
    let change = |current: &str| {
        desk.run(
            &desk.manager,
            "change_password",
            json!({ "current_password": current, "new_password": "a-brand-new-password" }),
        )
        .map(|_| ())
    };
    let codes = burst(32, |i| change(&format!("guess-{i}-guess")));
    let checked = usize::try_from(LOCK_AFTER).expect("small") - 1;
    assert_eq!(count(&codes, "input.invalid"), checked, "{codes:?}");
    assert_eq!(count(&codes, "auth.locked"), 32 - checked, "{codes:?}");
    // Locked for signing in too: it is one password.
    assert_eq!(
        change(MANAGER_PASSWORD).expect_err("locked").code(),
        "auth.locked"
    );
    assert_eq!(
        sign_in(&desk, "helen", MANAGER_PASSWORD)
            .expect_err("locked")
            .code(),
        "auth.locked"
    );
    desk.clock.advance_minutes(5);
    change(MANAGER_PASSWORD).expect("changed once the wait is over");
    sign_in(&desk, "helen", "a-brand-new-password").expect("the new password works");
}

fn pair(desk: &Desk, source: &str, code: &str) -> Result<String, CoreError> {
    pairing::pair(
        &desk.hearth,
        "Browser on Linux",
        source,
        WorkstationKind::Browser,
        &json!({ "code": code, "name": "Tablet" }).to_string(),
    )
    .map(|(_, credential)| credential)
}

fn code_now(desk: &Desk) -> String {
    desk.ok("get_sharing", json!({}))["code"]
        .as_str()
        .expect("a code while shared")
        .to_owned()
}

fn shared(desk: &Desk) {
    pairing::share_identity(&desk.hearth, || Ok((b"cert".to_vec(), b"key".to_vec())))
        .expect("identity");
    desk.ok("set_sharing", json!({ "sharing": true }));
}

#[test]
fn a_guessing_device_pauses_itself_not_the_practices_real_tablet() {
    let desk = Desk::new(PracticeKind::Dental);
    shared(&desk);
    let right = code_now(&desk);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let codes = burst(40, |_| pair(&desk, "192.168.1.66", wrong).map(|_| ()));
    let checked = usize::try_from(PAUSE_AFTER).expect("small");
    assert_eq!(count(&codes, "workstation.bad_code"), checked, "{codes:?}");
    assert_eq!(
        count(&codes, "workstation.locked"),
        40 - checked,
        "{codes:?}"
    );
    // The guesser has the right code now: still paused.
    assert_eq!(
        pair(&desk, "192.168.1.66", &right)
            .expect_err("paused")
            .code(),
        "workstation.locked"
    );
    // A new IPv6 address in the same network is the same device.
    for ip in ["fd00:1:2:3::66", "fd00:1:2:3::67"] {
        let _ = pair(&desk, ip, wrong);
    }
    let many: Vec<String> = (0..12)
        .map(|i| format!("fd00:1:2:3::{:x}", 100 + i))
        .collect();
    for ip in &many {
        let _ = pair(&desk, ip, wrong);
    }
    assert_eq!(
        pair(&desk, "fd00:1:2:3::999", &right)
            .expect_err("paused")
            .code(),
        "workstation.locked"
    );
    // The real tablet, elsewhere on the network, pairs with the code on screen.
    pair(&desk, "192.168.1.20", &right).expect("the real tablet pairs");
    // That code paired one computer: a new one is on screen, the old one pairs nothing.
    let next = code_now(&desk);
    assert_ne!(next, right);
    assert_eq!(
        pair(&desk, "192.168.1.21", &right)
            .expect_err("used")
            .code(),
        "workstation.bad_code"
    );
    pair(&desk, "192.168.1.21", &next).expect("the next computer pairs with the next code");
}

#[test]
fn two_devices_racing_with_one_code_pair_one() {
    let desk = Desk::new(PracticeKind::Dental);
    shared(&desk);
    let right = code_now(&desk);
    let codes = burst(8, |i| {
        pair(&desk, &format!("192.168.1.{}", 30 + i), &right).map(|_| ())
    });
    assert_eq!(count(&codes, "ok"), 1, "{codes:?}");
    assert_eq!(count(&codes, "workstation.bad_code"), 7, "{codes:?}");
}

fn person(given: &str) -> Value {
    json!({
        "given_name": given, "family_name": "Lee", "phone": "", "email": "",
    })
}

#[test]
fn hidden_and_deceiving_characters_are_refused_with_a_sentence_and_nothing_is_written() {
    let desk = Desk::new(PracticeKind::Dental);
    let before = desk.ok("search_people", json!({ "query": "Lee" }));
    for (given, problem) in [
        ("Ann\u{0}ie", "a hidden control character"),
        ("Ann\u{1b}[31mie", "a hidden control character"),
        ("\u{202e}eilnnA", "turns text backwards"),
        ("Ann\u{2067}ie", "turns text backwards"),
    ] {
        let e = desk.err("save_person", person(given));
        assert_eq!(e.code(), "input.invalid", "{given:?}");
        let body = e.body();
        assert_eq!(body.details["field"], "given_name", "{given:?}");
        assert_eq!(body.details["problem"], "hidden_character");
        assert!(e.to_string().contains(problem), "{e}");
        assert!(e.to_string().starts_with("The first name contains"), "{e}");
    }
    for (given, sentence) in [
        ("\u{200b}\u{200d}\u{2060}", "only invisible characters"),
        ("\u{3164}", "only invisible characters"),
        ("Ann\nie", "must be on one line"),
    ] {
        let e = desk.err("save_person", person(given));
        assert_eq!(e.code(), "input.invalid");
        assert!(e.to_string().contains(sentence), "{given:?}: {e}");
    }
    assert_eq!(desk.ok("search_people", json!({ "query": "Lee" })), before);
    // A name typed with a combining accent is kept as one character (NFC):
    // searching either way finds it.
    let p = desk.ok("save_person", person("Jose\u{301}"));
    assert_eq!(p["given_name"], "Jos\u{e9}");
    for q in [
        "Jos\u{e9}",
        "Jose\u{301}",
        "Jos\u{e9}\u{0}",
        "\u{202e}Jos\u{e9}",
        "\u{200b}Jose",
    ] {
        let found = desk.ok("search_people", json!({ "query": q }));
        let names: Vec<&str> = found
            .as_array()
            .expect("matches")
            .iter()
            .filter_map(|m| m["full_name"].as_str())
            .collect();
        assert!(
            names.iter().any(|n| n.contains("Jos\u{e9}")),
            "{q:?}: {names:?}"
        );
    }
    // Notes keep their lines.
    let n = desk.ok(
        "add_person_note",
        json!({ "person_id": p["id"], "body": "Called twice.\nPrefers texts." }),
    );
    assert_eq!(n[0]["body"], "Called twice.\nPrefers texts.");
}

#[test]
fn a_password_typed_into_the_login_box_is_not_copied_into_the_trail() {
    let desk = Desk::new(PracticeKind::Dental);
    let _ = sign_in(&desk, "My Secret Horse 42!", "whatever");
    let _ = sign_in(&desk, "nobody", "whatever");
    let page = desk.ok("list_activity", json!({ "limit": 50 }));
    let trail = page.to_string();
    assert!(!trail.contains("horse"), "{trail}");
    assert!(!trail.contains("Horse"));
    assert!(trail.contains("(not a possible login)"));
    // A login that could be one is kept: it names who was guessed at.
    assert!(trail.contains("nobody"));
}

/// Every byte of the practice's files on disk (the file, its log), lowercased.
fn raw_bytes(desk: &Desk) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        let path = desk.dir.path().join(format!("hearth.db{suffix}"));
        if let Ok(bytes) = std::fs::read(&path) {
            all.extend(bytes.to_ascii_lowercase());
        }
    }
    all
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.to_ascii_lowercase();
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn an_erased_person_leaves_no_trace_in_the_files_raw_bytes() {
    // A file without encryption, so its bytes can be read as someone with
    // the key would read them.
    let desk = Desk::plain(PracticeKind::Dental);
    let secrets = [
        "Zebulon",
        "Quixotic",
        "zq.private@example.com",
        "17 Quince Lane",
        "Xylophone allergy",
        "Nervous about needles Zz",
        "Called from the Yarrow office",
    ];
    let p = desk.ok(
        "save_person",
        json!({ "given_name": "Zebulon", "family_name": "Quixotic", "phone": "07700 900123",
                "email": "zq.private@example.com", "address": "17 Quince Lane" }),
    );
    // Edited a few times: older versions of the row are in the log and free space too.
    for i in 0..3 {
        let now = desk.ok("get_person", json!({ "id": p["id"] }))["person"].clone();
        desk.ok(
            "save_person",
            json!({ "id": p["id"], "expected_version": now["version"], "given_name": "Zebulon",
                    "family_name": "Quixotic", "phone": "07700 900123", "email": "zq.private@example.com",
                    "address": "17 Quince Lane", "language": format!("Lang{i}") }),
        );
    }
    desk.ok(
        "add_person_alert",
        json!({ "person_id": p["id"], "kind": "allergy", "severity": "critical", "text": "Xylophone allergy" }),
    );
    desk.ok(
        "add_person_note",
        json!({ "person_id": p["id"], "body": "Called from the Yarrow office" }),
    );
    let start = desk.at("2026-11-26", 11, 0);
    let b = desk.ok(
        "create_booking",
        json!({ "person_id": p["id"], "type_id": desk.type_id("Check-up"),
                "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
                "notes": "Nervous about needles Zz",
                "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 30 * 60_000 } }),
    );
    assert!(b["id"].is_i64());
    let before = raw_bytes(&desk);
    for s in secrets {
        assert!(
            holds(&before, s),
            "the test's data is in the file before: {s}"
        );
    }

    desk.ok(
        "erase_person",
        json!({ "id": p["id"], "reason": "Asked by letter" }),
    );
    let after = raw_bytes(&desk);
    let left: Vec<&str> = secrets
        .iter()
        .copied()
        .filter(|s| holds(&after, s))
        .collect();
    assert!(
        left.is_empty(),
        "still in the file's bytes after erasure: {left:?}"
    );
    // The search index's trigrams of the name are gone too, from its pages
    // as well as its answers.
    let left: Vec<&str> = ["zeb", "ebu", "bul", "uix", "ixo", "xot"]
        .into_iter()
        .filter(|t| holds(&after, t))
        .collect();
    assert!(left.is_empty(), "the search index still holds {left:?}");
    for trigram in ["zeb", "bul", "uix", "xot"] {
        let found = desk.ok("search_people", json!({ "query": trigram }));
        assert_eq!(found, json!([]), "{trigram}");
    }
}

#[cfg(unix)]
#[test]
fn the_practice_file_and_its_log_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let desk = Desk::new(PracticeKind::Dental);
    desk.ok("save_person", json!({ "given_name": "Ann" }));
    for suffix in ["", "-wal", "-shm"] {
        let path = desk.dir.path().join(format!("hearth.db{suffix}"));
        let mode = std::fs::metadata(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{suffix}: {mode:o}");
    }
}

#[test]
fn a_flood_of_refused_requests_is_one_entry_with_a_count_not_ten_thousand_writes() {
    let desk = Desk::new(PracticeKind::Dental);
    let stranger = Caller {
        workstation: "Browser on Linux".into(),
        ..Default::default()
    };
    let refused = |desk: &Desk| {
        gate::run(&desk.hearth, &stranger, "list_staff", "{}")
            .map(|_| ())
            .expect_err("not signed in")
            .code()
            .to_owned()
    };
    let trail = |desk: &Desk| -> (i64, i64) {
        let conn =
            hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
        conn.query_row(
            "SELECT count(*), coalesce(sum(coalesce(json_extract(detail, '$.more'), 1)), 0)
               FROM audit_log WHERE outcome = 'auth.required'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("trail")
    };
    let codes = burst(8, |_| {
        for _ in 0..1_250 {
            assert_eq!(refused(&desk), "auth.required");
        }
        Ok(())
    });
    assert_eq!(count(&codes, "ok"), 8);
    // One entry in the trail for the ten thousand, so far.
    assert_eq!(trail(&desk), (1, 1));
    // Within the minute a write leaves the count to grow; once the minute is
    // over, the next write of any kind brings it in.
    desk.ok("save_person", json!({ "given_name": "Ann" }));
    assert_eq!(trail(&desk), (1, 1));
    desk.clock.advance_minutes(1);
    desk.ok("save_person", json!({ "given_name": "Bea" }));
    assert_eq!(trail(&desk), (2, 10_000));
    // A new minute's first refusal is written at once.
    refused(&desk);
    assert_eq!(trail(&desk), (3, 10_001));
}
