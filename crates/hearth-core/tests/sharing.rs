//! Two desks, one calendar: the practice computer's certificate and pairing
//! code, pairing a computer, and a manager withdrawing it.
mod common;

use common::Desk;
use hearth_core::access::workstations::{WorkstationKind, CODE_PERIOD_MS, PAUSE_AFTER};
use hearth_core::gate::{self, pairing, Caller, TokenChange};
use hearth_core::setup::practice::PracticeKind;
use hearth_core::Actor;
use serde_json::json;

fn fake_cert() -> Result<(Vec<u8>, Vec<u8>), String> {
    Ok((b"certificate".to_vec(), b"key".to_vec()))
}

fn workstations(desk: &Desk) -> i64 {
    let conn = hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
    conn.query_row("SELECT count(*) FROM workstations", [], |r| r.get(0))
        .expect("count")
}

fn pair(desk: &Desk, code: &str, name: &str) -> Result<String, hearth_core::CoreError> {
    pairing::pair(
        &desk.hearth,
        "Browser on Linux",
        "192.168.1.40",
        WorkstationKind::Browser,
        &json!({ "code": code, "name": name }).to_string(),
    )
    .map(|(_, credential)| credential)
}

#[test]
fn a_computer_pairs_with_the_code_of_the_moment_and_a_manager_can_withdraw_it() {
    let desk = Desk::new(PracticeKind::Dental);
    // Not shared yet: no certificate, no code, and pairing is refused.
    let status = desk.ok("get_sharing", json!({}));
    assert_eq!(
        (status["sharing"].clone(), status["code"].clone()),
        (json!(false), json!(null))
    );
    assert_eq!(
        pair(&desk, "123456", "Operatory")
            .expect_err("not shared")
            .code(),
        "workstation.unpaired"
    );
    assert_eq!(
        desk.err("set_sharing", json!({ "sharing": true })).code(),
        "input.invalid"
    );

    // The practice computer makes its certificate once; it is kept.
    let first = pairing::share_identity(&desk.hearth, fake_cert).expect("identity");
    let again = pairing::share_identity(&desk.hearth, || Err("must not be made again".into()))
        .expect("kept");
    assert_eq!(first.fingerprint, again.fingerprint);
    let status = desk.ok("set_sharing", json!({ "sharing": true }));
    let code = status["code"]
        .as_str()
        .expect("a code while shared")
        .to_owned();
    assert_eq!(code.len(), 6);
    assert_eq!(status["fingerprint"], json!(first.fingerprint));
    assert_eq!(status["port"], json!(8443));

    // A wrong code is refused and writes no workstation.
    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_eq!(
        pair(&desk, wrong, "Operatory").expect_err("wrong").code(),
        "workstation.bad_code"
    );
    assert_eq!(workstations(&desk), 0);
    assert_eq!(
        pair(&desk, &code, "  ").expect_err("no name").code(),
        "input.invalid"
    );

    // The right one pairs; the credential stands for the computer.
    let credential = pair(
        &desk,
        &format!("{} {}", &code[..3], &code[3..]),
        "Operatory",
    )
    .expect("paired");
    assert_eq!(credential.len(), 64);
    let w = pairing::workstation(&desk.hearth, Some(&credential)).expect("known");
    assert_eq!(
        (w.name.as_str(), w.kind),
        ("Operatory", WorkstationKind::Browser)
    );
    assert_eq!(
        pairing::workstation(&desk.hearth, Some("not-a-credential"))
            .expect_err("unknown")
            .code(),
        "workstation.unpaired"
    );
    assert_eq!(
        pairing::workstation(&desk.hearth, None)
            .expect_err("none")
            .code(),
        "workstation.unpaired"
    );

    // Ten minutes later the code has changed; the old one no longer pairs.
    desk.clock.advance_minutes(2 * CODE_PERIOD_MS / 60_000);
    assert_ne!(desk.ok("get_sharing", json!({}))["code"], json!(code));
    assert_eq!(
        pair(&desk, &code, "Tablet").expect_err("old code").code(),
        "workstation.bad_code"
    );

    // Helen signs in at the operatory, and at the practice computer's own window.
    let sign_in_at = |workstation_id: Option<i64>| {
        let caller = Caller {
            workstation: "Operatory".into(),
            workstation_id,
            ..Default::default()
        };
        let answer = gate::access(
            &desk.hearth,
            &caller,
            "sign_in",
            &json!({ "login": "helen", "password": common::MANAGER_PASSWORD }).to_string(),
        )
        .expect("signed in");
        let TokenChange::Set(token) = answer.token else {
            panic!("no session");
        };
        Caller {
            token: Some(token),
            ..caller
        }
    };
    let at_operatory = sign_in_at(Some(w.id));
    let at_host = sign_in_at(None);
    gate::run(&desk.hearth, &at_operatory, "list_staff", "{}").expect("live");

    // Settings lists it with when it was last seen; a manager withdraws it, at once,
    // and the sessions opened from it end: paired again, it starts signed out.
    let list = desk.ok("get_sharing", json!({}))["workstations"].clone();
    assert_eq!(list[0]["name"], "Operatory");
    let revoked = desk.ok("revoke_workstation", json!({ "id": w.id }));
    assert!(revoked["revoked_at_ms"].is_number());
    assert_eq!(
        gate::run(&desk.hearth, &at_operatory, "list_staff", "{}")
            .expect_err("ended")
            .code(),
        "auth.required"
    );
    gate::run(&desk.hearth, &at_host, "list_staff", "{}").expect("the host's own window stays in");
    let refused = pairing::workstation(&desk.hearth, Some(&credential)).expect_err("withdrawn");
    assert_eq!(refused.code(), "workstation.unpaired");
    assert!(refused.to_string().contains("withdrew"), "{refused}");
    assert_eq!(
        desk.err("revoke_workstation", json!({ "id": w.id })).code(),
        "input.invalid"
    );

    // Only managers see the code or share the practice.
    let desk_staff = desk.ok("save_staff", json!({ "name": "Rita Desk", "role": "front_desk", "colour": "#123456", "login": "rita", "temporary_password": "temporary-1" }));
    let rita = Actor::staff(serde_json::from_value(desk_staff["id"].clone()).expect("id"));
    for name in ["get_sharing", "set_sharing", "revoke_workstation"] {
        let args = match name {
            "set_sharing" => json!({ "sharing": false }),
            "revoke_workstation" => json!({ "id": w.id }),
            _ => json!({}),
        };
        assert_eq!(
            desk.run(&rita, name, args).expect_err(name).code(),
            "staff.forbidden"
        );
    }
    // Stopping sharing hides the code and refuses pairing.
    let stopped = desk.ok("set_sharing", json!({ "sharing": false }));
    assert_eq!(stopped["code"], json!(null));
    let code_now = {
        desk.ok("set_sharing", json!({ "sharing": true }))["code"]
            .as_str()
            .expect("code")
            .to_owned()
    };
    desk.ok("set_sharing", json!({ "sharing": false }));
    assert_eq!(
        pair(&desk, &code_now, "Tablet")
            .expect_err("stopped")
            .code(),
        "workstation.unpaired"
    );
}

#[test]
fn too_many_wrong_codes_pause_pairing_even_for_the_right_one() {
    let desk = Desk::new(PracticeKind::Hotel);
    pairing::share_identity(&desk.hearth, fake_cert).expect("identity");
    let code = desk.ok("set_sharing", json!({ "sharing": true }))["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let wrong = if code == "999999" { "999998" } else { "999999" };
    for _ in 0..PAUSE_AFTER {
        assert_eq!(
            pair(&desk, wrong, "Tablet").expect_err("wrong").code(),
            "workstation.bad_code"
        );
    }
    let paused = pair(&desk, &code, "Tablet").expect_err("paused");
    assert_eq!(paused.code(), "workstation.locked");
    assert!(paused.to_string().contains("10 minutes"), "{paused}");
    assert_eq!(workstations(&desk), 0);
    // Ten minutes on, the code of that moment pairs.
    desk.clock.advance_minutes(10);
    let code = desk.ok("get_sharing", json!({}))["code"]
        .as_str()
        .expect("code")
        .to_owned();
    pair(&desk, &code, "Tablet").expect("paired after the pause");
    // The refusals are in the audit trail (those of a kind within a minute
    // as one entry and a count).
    let conn = hearth_core::store::keys::open_raw(desk.dir.path().join("hearth.db")).expect("open");
    let refusals: i64 = conn
        .query_row("SELECT sum(coalesce(json_extract(detail, '$.more'), 1)) FROM audit_log WHERE action = 'pair_workstation' AND outcome <> 'done'", [], |r| r.get(0))
        .expect("count");
    assert_eq!(refusals, PAUSE_AFTER + 1);
}
