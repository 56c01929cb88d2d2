//! Sign-in, sessions, permissions and the audit trail, as the desk meets
//! them: through `gate`, with a clock the test moves.
mod common;

use common::{Desk, MANAGER_PASSWORD};
use hearth_core::access::{Permission, StaffRole};
use hearth_core::clock::FixedClock;
use hearth_core::gate::{self, AccessAnswer, Caller, TokenChange};
use hearth_core::setup::practice::PracticeKind;
use hearth_core::{audit, commands, Actor, CoreError, Hearth};
use serde_json::{json, Value};
use std::sync::Arc;

fn caller(token: Option<&str>) -> Caller {
    Caller {
        token: token.map(str::to_owned),
        workstation: "Front desk PC".into(),
        workstation_id: None,
        origin: None,
        background: false,
    }
}

fn sign_in(h: &Hearth, login: &str, password: &str) -> Result<AccessAnswer, CoreError> {
    gate::access(
        h,
        &caller(None),
        "sign_in",
        &json!({ "login": login, "password": password }).to_string(),
    )
}

fn token_of(a: &AccessAnswer) -> String {
    match &a.token {
        TokenChange::Set(t) => t.clone(),
        other => panic!("expected a new session, got {other:?}"),
    }
}

fn run(h: &Hearth, token: &str, name: &str, args: Value) -> Result<Value, CoreError> {
    gate::run(h, &caller(Some(token)), name, &args.to_string())
        .map(|raw| serde_json::from_str(raw.get()).expect("json"))
}

fn add_staff(desk: &Desk, name: &str, login: &str, role: &str) -> i64 {
    desk.ok(
        "save_staff",
        json!({ "name": name, "role": role, "colour": "#123456", "login": login, "temporary_password": "temporary-1" }),
    )["id"]
        .as_i64()
        .expect("id")
}

#[test]
fn a_manager_signs_in_and_a_wrong_password_says_nothing_about_the_login() {
    let desk = Desk::new(PracticeKind::Dental);
    let a = sign_in(&desk.hearth, "Helen ", MANAGER_PASSWORD).expect("signed in");
    let me = a.info.signed_in.as_ref().expect("who");
    assert_eq!(me.staff.login.as_deref(), Some("helen"));
    assert!(me.permissions.contains(&Permission::ViewActivity));
    let token = token_of(&a);
    assert_eq!(token.len(), 64, "256 bits, hex");
    run(&desk.hearth, &token, "list_staff", json!({})).expect("a command runs");

    let wrong = sign_in(&desk.hearth, "helen", "not-her-password").expect_err("wrong");
    let nobody = sign_in(&desk.hearth, "nobody", "not-her-password").expect_err("wrong");
    assert_eq!(wrong.code(), "auth.bad_credentials");
    assert_eq!(wrong.code(), nobody.code());
    assert_eq!(wrong.to_string(), nobody.to_string());

    // Only the token's hash is stored.
    let conn = hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
    let stored: String = conn
        .query_row("SELECT token_hash FROM sessions", [], |r| r.get(0))
        .expect("session row");
    assert_ne!(stored, token);
    let hash: String = conn
        .query_row(
            "SELECT password_hash FROM staff WHERE login = 'helen'",
            [],
            |r| r.get(0),
        )
        .expect("hash");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

#[test]
fn five_wrong_passwords_lock_a_login_for_five_minutes_and_the_trail_records_it() {
    let desk = Desk::new(PracticeKind::Dental);
    for _ in 0..4 {
        let e = sign_in(&desk.hearth, "helen", "guess-guess").expect_err("wrong");
        assert_eq!(e.code(), "auth.bad_credentials");
    }
    let e = sign_in(&desk.hearth, "helen", "guess-guess").expect_err("fifth");
    assert_eq!(e.code(), "auth.locked");
    // Even the right password waits out the lock.
    let e = sign_in(&desk.hearth, "helen", MANAGER_PASSWORD).expect_err("locked");
    assert_eq!(e.code(), "auth.locked");
    // An unknown login locks the same way, so locking tells nothing either.
    for _ in 0..5 {
        let _ = sign_in(&desk.hearth, "ghost", "guess-guess");
    }
    assert_eq!(
        sign_in(&desk.hearth, "ghost", "guess-guess")
            .expect_err("locked")
            .code(),
        "auth.locked"
    );
    desk.clock.advance_minutes(4);
    assert_eq!(
        sign_in(&desk.hearth, "helen", MANAGER_PASSWORD)
            .expect_err("still locked")
            .code(),
        "auth.locked"
    );
    desk.clock.advance_minutes(1);
    sign_in(&desk.hearth, "helen", MANAGER_PASSWORD).expect("the lock has run out");
    // The failures were forgotten with the success: four more do not lock.
    for _ in 0..4 {
        let _ = sign_in(&desk.hearth, "helen", "guess-guess");
    }
    sign_in(&desk.hearth, "helen", MANAGER_PASSWORD).expect("not locked again");

    let page = desk.ok("list_activity", json!({ "limit": 200 }));
    let outcomes: Vec<&str> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "sign_in")
        .filter_map(|e| e["outcome"].as_str())
        .collect();
    assert!(outcomes.contains(&"auth.locked"), "{outcomes:?}");
    assert!(outcomes.contains(&"auth.bad_credentials"));
    assert!(outcomes.contains(&"done"));
}

#[test]
fn a_booking_never_queues_for_its_session_check_behind_long_reads() {
    // Every read connection is held, as when four other desks each read a
    // year: the booking's session check has the door's own connection, so it
    // still books (it would wait for a read to end if the check queued).
    let desk = Desk::new(PracticeKind::Dental);
    let token = token_of(&sign_in(&desk.hearth, "helen", MANAGER_PASSWORD).expect("in"));
    let store = &desk.hearth.store;
    // Asked before the reads are held (these are reads too).
    let args = json!({ "person_name": "Ana Ruiz", "someone_new": true, "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": desk.at("2026-11-26", 10, 0),
                  "ends_at_ms": desk.at("2026-11-26", 10, 30) } });
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let release_rx = std::sync::Mutex::new(release_rx);
    std::thread::scope(|scope| {
        for _ in 0..store.max_readers() {
            let (held_tx, release_rx) = (held_tx.clone(), &release_rx);
            scope.spawn(move || {
                store.read(|_| {
                    let _ = held_tx.send(());
                    let _ = release_rx.lock().map(|r| r.recv());
                    Ok(())
                })
            });
        }
        for _ in 0..store.max_readers() {
            held_rx.recv().expect("a read holds its connection");
        }
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let (desk, token) = (&desk, &token);
        scope.spawn(move || {
            let booked = run(&desk.hearth, token, "create_booking", args);
            let _ = done_tx.send(booked.map(|b| b["id"].clone()));
        });
        // Not a speed limit: a booking stuck behind the held reads never comes.
        let booked = done_rx.recv_timeout(std::time::Duration::from_secs(60));
        // Let the reads end either way, so a failure is reported, not hung.
        for _ in 0..store.max_readers() {
            let _ = release_tx.send(());
        }
        let booked = booked.expect("booked while every read connection was held");
        assert!(booked.expect("booked").is_i64());
    });
}

#[test]
fn a_session_idle_past_the_practice_limit_expires_and_background_refetches_do_not_keep_it_alive() {
    let desk = Desk::new(PracticeKind::Dental);
    let token = token_of(&sign_in(&desk.hearth, "helen", MANAGER_PASSWORD).expect("in"));
    desk.clock.advance_minutes(9);
    run(&desk.hearth, &token, "list_staff", json!({})).expect("used within 10 minutes");
    desk.clock.advance_minutes(9);
    // A refetch after a change event is not the person using Hearth.
    let background = Caller {
        background: true,
        ..caller(Some(&token))
    };
    gate::run(&desk.hearth, &background, "list_staff", "{}").expect("still live");
    desk.clock.advance_minutes(2);
    let e = gate::run(&desk.hearth, &background, "list_staff", "{}").expect_err("idle");
    assert_eq!(e.code(), "auth.expired");
    assert!(e.to_string().contains("10 minutes"), "{e}");
    // Once expired it stays ended.
    let e = run(&desk.hearth, &token, "list_staff", json!({})).expect_err("ended");
    assert_eq!(e.code(), "auth.required");
    let info = gate::access(&desk.hearth, &caller(Some(&token)), "session", "").expect("info");
    assert!(info.info.signed_in.is_none());
}

#[test]
fn the_idle_limit_is_a_practice_setting() {
    let desk = Desk::new(PracticeKind::Hotel);
    let p = desk.ok("get_practice", json!({}))["practice"].clone();
    assert_eq!(p["idle_lock_minutes"], 10);
    let mut upd = json!({
        "expected_version": p["version"], "name": p["name"], "time_zone": p["time_zone"],
        "slot_minutes": p["slot_minutes"], "check_in_minute": p["check_in_minute"],
        "check_out_minute": p["check_out_minute"], "opening_hours": p["opening_hours"],
        "idle_lock_minutes": 0,
    });
    assert_eq!(
        desk.err("update_practice", upd.clone()).code(),
        "input.invalid"
    );
    upd["idle_lock_minutes"] = json!(3);
    desk.ok("update_practice", upd);
    let token = token_of(&sign_in(&desk.hearth, "helen", MANAGER_PASSWORD).expect("in"));
    desk.clock.advance_minutes(3);
    assert_eq!(
        run(&desk.hearth, &token, "list_staff", json!({}))
            .expect_err("idle")
            .code(),
        "auth.expired"
    );
}

#[test]
fn new_staff_change_their_temporary_password_first_and_a_reset_ends_their_sessions() {
    let desk = Desk::new(PracticeKind::Dental);
    let maria = add_staff(&desk, "Maria Santos", "maria", "front_desk");
    let a = sign_in(&desk.hearth, "maria", "temporary-1").expect("in");
    assert!(a.info.signed_in.as_ref().expect("who").must_change_password);
    let token = token_of(&a);
    let e = run(&desk.hearth, &token, "list_staff", json!({})).expect_err("change first");
    assert_eq!(e.code(), "auth.password_change");
    let e = run(
        &desk.hearth,
        &token,
        "change_password",
        json!({ "current_password": "temporary-1", "new_password": "short" }),
    )
    .expect_err("short");
    assert_eq!(e.code(), "input.invalid");
    run(
        &desk.hearth,
        &token,
        "change_password",
        json!({ "current_password": "temporary-1", "new_password": "maria-own-pw" }),
    )
    .expect("changed");
    run(&desk.hearth, &token, "list_staff", json!({})).expect("now she can work");

    desk.ok(
        "reset_staff_password",
        json!({ "id": maria, "temporary_password": "temporary-2" }),
    );
    assert_eq!(
        run(&desk.hearth, &token, "list_staff", json!({}))
            .expect_err("reset")
            .code(),
        "auth.required"
    );
    assert_eq!(
        sign_in(&desk.hearth, "maria", "maria-own-pw")
            .expect_err("old")
            .code(),
        "auth.bad_credentials"
    );
    let a = sign_in(&desk.hearth, "maria", "temporary-2").expect("new temporary");
    assert!(a.info.signed_in.expect("who").must_change_password);
}

#[test]
fn archiving_a_member_ends_their_sessions_at_once() {
    let desk = Desk::new(PracticeKind::Dental);
    let tom = add_staff(&desk, "Tom Reid", "tom", "front_desk");
    let t = token_of(&sign_in(&desk.hearth, "tom", "temporary-1").expect("in"));
    run(
        &desk.hearth,
        &t,
        "change_password",
        json!({ "current_password": "temporary-1", "new_password": "tom-own-pw" }),
    )
    .expect("changed");
    run(&desk.hearth, &t, "list_staff", json!({})).expect("works");
    desk.ok("archive_staff", json!({ "id": tom, "archived": true }));
    assert_eq!(
        run(&desk.hearth, &t, "list_staff", json!({}))
            .expect_err("archived")
            .code(),
        "auth.required"
    );
    assert_eq!(
        sign_in(&desk.hearth, "tom", "tom-own-pw")
            .expect_err("archived")
            .code(),
        "auth.bad_credentials"
    );
}

#[test]
fn every_command_names_a_permission_and_each_guarded_one_refuses_a_role_without_it() {
    let desk = Desk::new(PracticeKind::Hotel);
    let mut roles = vec![];
    for (role, login) in [
        (StaffRole::Housekeeping, "ines"),
        (StaffRole::FrontDesk, "maria"),
    ] {
        let id = add_staff(&desk, login, login, role.as_str());
        roles.push((role, Actor::staff(hearth_core::ids::StaffId(id))));
    }
    let mut refused = 0;
    for name in commands::NAMES {
        let p =
            commands::permission_of(name).unwrap_or_else(|| panic!("{name} names no permission"));
        let topics = commands::topics_of(name).unwrap_or_default();
        assert!(!topics.is_empty(), "{name} names no topic");
        assert!(
            topics
                .iter()
                .all(|t| hearth_core::events::topics::ALL.contains(t)),
            "{name}: {topics:?}"
        );
        for (role, actor) in &roles {
            if role.may(p) {
                continue;
            }
            // Refused before its request is even read: "{}" is enough.
            let e = commands::dispatch(&desk.hearth, actor, name, "{}").expect_err(name);
            assert_eq!(e.code(), "staff.forbidden", "{name} for {role:?}: {e}");
            refused += 1;
        }
    }
    assert!(refused >= 15, "only {refused} refusals checked");
    // A refusal of permission is in the trail (every refusal above is: a full page).
    let page = desk.ok("list_activity", json!({ "limit": 200 }));
    assert!(
        page["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["outcome"] == "staff.forbidden" && e["action"] == "create_booking"),
        "{page}"
    );
}

#[test]
fn no_command_runs_without_a_session() {
    let desk = Desk::new(PracticeKind::Dental);
    for name in commands::NAMES {
        let e = gate::run(&desk.hearth, &caller(None), name, "{}").expect_err(name);
        assert_eq!(e.code(), "auth.required", "{name}");
        let e = gate::run(&desk.hearth, &caller(Some("forged-token")), name, "{}").expect_err(name);
        assert_eq!(e.code(), "auth.required", "{name}");
    }
}

#[test]
fn sign_out_ends_the_session() {
    let desk = Desk::new(PracticeKind::Dental);
    let t = token_of(&sign_in(&desk.hearth, "helen", MANAGER_PASSWORD).expect("in"));
    let out = gate::access(&desk.hearth, &caller(Some(&t)), "sign_out", "").expect("out");
    assert_eq!(out.token, TokenChange::Clear);
    assert!(out.info.signed_in.is_none());
    assert_eq!(
        run(&desk.hearth, &t, "list_staff", json!({}))
            .expect_err("out")
            .code(),
        "auth.required"
    );
}

#[test]
fn a_file_from_before_sign_in_asks_a_manager_for_the_first_password() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1.db");
    let dir = tempfile::tempdir().expect("dir");
    // In a folder of its own: the backup made before the upgrade goes beside it, in the temp dir.
    let path = {
        let folder = dir.path().join("practice");
        std::fs::create_dir_all(&folder).expect("folder");
        folder.join("old.db")
    };
    std::fs::copy(&fixture, &path).expect("copy");
    let h = Hearth::open(&path).expect("opens");
    let info = gate::access(&h, &caller(None), "session", "")
        .expect("info")
        .info;
    assert!(info.signed_in.is_none());
    let managers = info.first_password_managers;
    assert_eq!(managers.len(), 1, "{managers:?}");
    assert_eq!(managers[0].role, StaffRole::Manager);
    // Nothing runs before then.
    assert_eq!(
        gate::run(&h, &caller(None), "list_bookings", "{}")
            .expect_err("no")
            .code(),
        "auth.required"
    );
    let args =
        json!({ "staff_id": managers[0].id, "login": "helen", "password": "first-password" });
    let too_short = json!({ "staff_id": managers[0].id, "login": "helen", "password": "short" });
    assert_eq!(
        gate::access(&h, &caller(None), "first_password", &too_short.to_string())
            .expect_err("short")
            .code(),
        "input.invalid"
    );
    let a = gate::access(&h, &caller(None), "first_password", &args.to_string()).expect("chosen");
    let t = token_of(&a);
    run(&h, &t, "list_staff", json!({})).expect("the manager is in");
    // Only once: after that, passwords come from a manager.
    let again =
        json!({ "staff_id": managers[0].id, "login": "helen2", "password": "another-password" });
    assert_eq!(
        gate::access(&h, &caller(None), "first_password", &again.to_string())
            .expect_err("once")
            .code(),
        "staff.forbidden"
    );
    let info = gate::access(&h, &caller(None), "session", "")
        .expect("info")
        .info;
    assert!(info.first_password_managers.is_empty());
    // The entries written before the chain existed were sealed into it.
    let verdict = h.store.read(|tx| audit::verify(tx)).expect("verify");
    assert!(verdict.is_whole(), "{verdict:?}");
}

#[test]
fn the_demo_says_its_password_and_every_member_signs_in_with_it() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = Arc::new(FixedClock::new(1_795_000_000_000));
    let h = Hearth::open_with_clock(dir.path().join("demo.db"), clock).expect("open");
    let a = gate::access(
        &h,
        &caller(None),
        "open_demo_practice",
        r#"{"kind":"hotel"}"#,
    )
    .expect("demo");
    assert!(
        a.info.signed_in.is_some(),
        "opening the demo signs the manager in"
    );
    let info = gate::access(&h, &caller(None), "session", "")
        .expect("info")
        .info;
    assert!(info.practice.as_ref().is_some_and(|p| p.demo));
    assert!(info.demo_logins.len() >= 4);
    assert!(info
        .demo_logins
        .iter()
        .any(|s| s.role == StaffRole::Housekeeping));
    for s in &info.demo_logins {
        sign_in(&h, s.login.as_deref().expect("login"), "demo").expect("demo password");
    }
}

#[test]
fn a_real_practice_does_not_list_its_logins() {
    let desk = Desk::new(PracticeKind::Dental);
    let info = gate::access(&desk.hearth, &caller(None), "session", "")
        .expect("info")
        .info;
    assert!(info.demo_logins.is_empty());
    assert!(info.first_password_managers.is_empty());
    let brief = info.practice.expect("practice");
    assert!(!brief.demo);
    // Before anyone signs in: the zone the sign-in screen prepares the calendar's dates in.
    let practice = desk
        .hearth
        .read(&Default::default(), hearth_core::setup::practice::load);
    assert_eq!(
        Some(brief.time_zone),
        practice.expect("read").map(|p| p.time_zone)
    );
}

fn chain_of(desk: &Desk) -> rusqlite::Connection {
    for i in 0..3 {
        desk.book(
            &format!("Person {i}"),
            "Chair 1",
            desk.at("2026-11-24", 9 + i, 0),
            30,
        )
        .expect("book");
    }
    hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open")
}

fn verdict(conn: &rusqlite::Connection) -> audit::Verdict {
    audit::verify(conn).expect("verify")
}

#[test]
fn the_audit_chain_catches_an_edited_a_deleted_and_an_inserted_entry() {
    // Whole.
    let desk = Desk::new(PracticeKind::Dental);
    let conn = chain_of(&desk);
    let v = verdict(&conn);
    assert!(v.is_whole(), "{v:?}");
    assert!(v.entries >= 4);
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM audit_log ORDER BY id")
        .expect("prep")
        .query_map([], |r| r.get(0))
        .expect("q")
        .collect::<Result<_, _>>()
        .expect("ids");

    // Edited: someone rewrites who did it.
    conn.execute("UPDATE audit_log SET staff_id = 99 WHERE id = ?1", [ids[2]])
        .expect("edit");
    assert_eq!(verdict(&conn).first_broken, Some(ids[2]));

    // Deleted from the middle: the next entry no longer follows.
    let desk = Desk::new(PracticeKind::Dental);
    let conn = chain_of(&desk);
    conn.execute("DELETE FROM audit_log WHERE id = ?1", [ids[1]])
        .expect("delete");
    assert_eq!(verdict(&conn).first_broken, Some(ids[2]));

    // Deleted from the end: the head remembers.
    let desk = Desk::new(PracticeKind::Dental);
    let conn = chain_of(&desk);
    let last = *ids.last().expect("last");
    conn.execute("DELETE FROM audit_log WHERE id = ?1", [last])
        .expect("delete");
    assert!(!verdict(&conn).is_whole());

    // Inserted between two entries, copying a neighbour's hashes.
    let desk = Desk::new(PracticeKind::Dental);
    let conn = chain_of(&desk);
    conn.execute("UPDATE audit_log SET id = id + 100 WHERE id > ?1", [ids[1]])
        .expect("make room");
    conn.execute(
        "INSERT INTO audit_log (id, at_ms, staff_id, action, entity, detail, outcome, entities, prev_hash, hash)
         SELECT ?1 + 1, at_ms, staff_id, 'cancel_booking', entity, detail, outcome, entities, hash, hash FROM audit_log WHERE id = ?1",
        [ids[1]],
    ).expect("insert");
    assert_eq!(verdict(&conn).first_broken, Some(ids[1] + 1));

    // The app checks on open and tells a manager.
    let h = Hearth::open(desk.dir.path().join("hearth.db")).expect("reopen");
    let t = token_of(&sign_in(&h, "helen", MANAGER_PASSWORD).expect("in"));
    let info = gate::access(&h, &caller(Some(&t)), "session", "")
        .expect("info")
        .info;
    let problem = info.signed_in.expect("who").audit_problem.expect("told");
    assert_eq!(problem.first_broken, Some(ids[1] + 1));
}

#[test]
fn every_write_is_in_the_trail_with_who_where_and_what_changed() {
    let desk = Desk::new(PracticeKind::Dental);
    let t = token_of(&sign_in(&desk.hearth, "helen", MANAGER_PASSWORD).expect("in"));
    let start = desk.at("2026-11-24", 10, 0);
    let b = run(
        &desk.hearth,
        &t,
        "create_booking",
        json!({
        "person_name": "Ana Ruiz", "type_id": desk.type_id("Check-up"),
        "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
        "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 1_800_000 } }),
    )
    .expect("booked");
    let page = run(
        &desk.hearth,
        &t,
        "list_activity",
        json!({ "booking_id": b["id"] }),
    )
    .expect("page");
    let entries = page["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{page}");
    let e = &entries[0];
    assert_eq!(e["action"], "create_booking");
    assert_eq!(e["outcome"], "done");
    assert_eq!(e["staff_name"], "Helen Park");
    assert_eq!(e["workstation"], "Front desk PC");
    assert!(
        e["entities"].as_array().is_some_and(|a| a
            .iter()
            .any(|c| c["topic"] == "booking.changed" && c["ids"][0] == b["id"])),
        "{e}"
    );
    // Filters and paging.
    let helen = desk.manager.staff_id.expect("id");
    let p1 = run(
        &desk.hearth,
        &t,
        "list_activity",
        json!({ "staff_id": helen, "limit": 1 }),
    )
    .expect("p1");
    let next = p1["next_before_id"].as_i64().expect("more pages");
    let p2 = run(
        &desk.hearth,
        &t,
        "list_activity",
        json!({ "staff_id": helen, "limit": 1, "before_id": next }),
    )
    .expect("p2");
    assert!(p2["entries"][0]["id"].as_i64() < p1["entries"][0]["id"].as_i64());
    let none = run(
        &desk.hearth,
        &t,
        "list_activity",
        json!({ "from": "2026-11-30", "to": "2026-11-30" }),
    )
    .expect("none");
    assert_eq!(none["entries"].as_array().map(Vec::len), Some(0));
    let today = run(
        &desk.hearth,
        &t,
        "list_activity",
        json!({ "from": "2026-11-23", "to": "2026-11-23" }),
    )
    .expect("today");
    assert!(!today["entries"].as_array().expect("entries").is_empty());
}
