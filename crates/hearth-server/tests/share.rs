//! Two desks, one calendar, over the practice network (here: loopback only).
//! The practice computer shares over TLS; a computer that has not paired
//! reaches nothing, not even sign-in; a wrong code is refused; a paired one
//! signs in, books and hears the other's booking within a second; a manager
//! withdraws it and it is refused at once; a computer pinned to one
//! practice's certificate refuses another's.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_core::gate::{self, pairing, Caller};
use hearth_core::Hearth;
use hearth_server::remote::{self, Remote, SseMessage};
use hearth_server::share;
use serde_json::{json, Value};

struct Host {
    hearth: Arc<Hearth>,
    base: String,
    fingerprint: String,
    _sharing: share::Sharing,
    _dir: tempfile::TempDir,
}

/// A set-up dental practice shared on 127.0.0.1 (a free port).
fn host() -> Host {
    let dir = tempfile::tempdir().expect("dir");
    let hearth = Arc::new(Hearth::open(dir.path().join("host.db")).expect("open"));
    let caller = Caller {
        workstation: "Front desk".into(),
        ..Default::default()
    };
    gate::access(
        &hearth,
        &caller,
        "setup_practice",
        &json!({ "kind": "dental", "name": "Smile Studio", "time_zone": "UTC", "manager_name": "Helen",
                 "manager_login": "helen", "manager_password": "helen-password" })
        .to_string(),
    )
    .expect("setup");
    share::identity(&hearth).expect("certificate");
    pairing::share_on(&hearth, "test", 8443).expect("shared");
    let sharing =
        share::start(hearth.clone(), SocketAddr::from(([127, 0, 0, 1], 0)), None).expect("sharing");
    Host {
        base: format!("https://{}", sharing.addr),
        fingerprint: sharing.fingerprint.clone(),
        hearth,
        _sharing: sharing,
        _dir: dir,
    }
}

impl Host {
    fn code(&self) -> String {
        let id = pairing::existing_identity(&self.hearth)
            .expect("read")
            .expect("identity");
        id.code_at(self.hearth.clock.now_ms()).0
    }

    async fn paired(&self, name: &str) -> Remote {
        let p = remote::pair(&self.base, &self.code(), name)
            .await
            .expect("paired");
        assert_eq!(
            p.fingerprint, self.fingerprint,
            "pins the practice's certificate"
        );
        assert_eq!(p.paired.workstation.name, name);
        Remote::new(p.base, p.fingerprint, p.credential).expect("client")
    }
}

async fn sign_in(r: &Remote, login: &str, password: &str) -> String {
    let a = r
        .post(
            "/api/sign-in",
            None,
            json!({ "login": login, "password": password }).to_string(),
            None,
            false,
        )
        .await
        .expect("signed in");
    let info: Value = serde_json::from_str(&a.body).expect("json");
    assert!(info["signed_in"].is_object(), "{info}");
    a.session.flatten().expect("a session token")
}

async fn run(r: &Remote, token: &str, name: &str, args: Value) -> Result<Value, String> {
    r.post(
        &format!("/api/commands/{name}"),
        Some(token),
        args.to_string(),
        None,
        false,
    )
    .await
    .map(|a| serde_json::from_str(&a.body).expect("json"))
    .map_err(|e| e.code)
}

fn ms(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .expect("instant")
        .timestamp_millis()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpaired_computer_reaches_nothing_and_a_wrong_code_is_refused() {
    let h = host();
    let stranger = Remote::new(
        h.base.clone(),
        h.fingerprint.clone(),
        "not-a-credential".into(),
    )
    .expect("client");
    for path in [
        "/api/access/session",
        "/api/sign-in",
        "/api/commands/list_staff",
    ] {
        let e = stranger
            .post(
                path,
                None,
                json!({ "login": "helen", "password": "helen-password" }).to_string(),
                None,
                false,
            )
            .await
            .err()
            .unwrap_or_else(|| panic!("{path} answered an unpaired computer"));
        assert_eq!(e.code, "workstation.unpaired", "{path}");
    }
    let e = stranger
        .follow("x", None, Duration::from_secs(3), || {}, |_| {})
        .await
        .expect_err("no events either");
    assert_eq!(e.code, "workstation.unpaired");

    let code = h.code();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let e = remote::pair(&h.base, wrong, "Operatory")
        .await
        .err()
        .expect("wrong code");
    assert_eq!(e.code, "workstation.bad_code");
    let e = remote::pair("127.0.0.1:1", &code, "Operatory")
        .await
        .err()
        .expect("nobody there");
    assert_eq!(e.code, remote::UNREACHABLE);
    assert!(e.message.contains("127.0.0.1:1"), "{}", e.message);

    // The right code pairs; the computer signs in under its own name.
    let op = h.paired("Operatory").await;
    let token = sign_in(&op, "helen", "helen-password").await;
    let me = op
        .post(
            "/api/access/session",
            Some(&token),
            String::new(),
            None,
            false,
        )
        .await
        .expect("session");
    let me: Value = serde_json::from_str(&me.body).expect("json");
    assert_eq!(me["signed_in"]["workstation"], "Operatory");
    let status = run(&op, &token, "get_sharing", json!({}))
        .await
        .expect("status");
    assert_eq!(status["fingerprint"], json!(h.fingerprint));
    assert_eq!(status["workstations"][0]["name"], "Operatory");
    assert_eq!(status["workstations"][0]["kind"], "desktop");
    let status = run(
        &op,
        &token,
        "set_sharing",
        json!({ "sharing": true, "port": 9443 }),
    )
    .await
    .expect("set");
    assert_eq!(
        (
            status["port"].clone(),
            status["code"].as_str().map(str::len)
        ),
        (json!(9443), Some(6))
    );
    let low = run(
        &op,
        &token,
        "set_sharing",
        json!({ "sharing": true, "port": 80 }),
    )
    .await;
    assert_eq!(low.err().as_deref(), Some("input.invalid"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_on_one_computer_reaches_the_other_within_a_second_and_a_withdrawn_one_is_cut_off(
) {
    let h = host();
    let desk = h.paired("Front desk").await;
    let op = h.paired("Operatory").await;
    let desk_token = sign_in(&desk, "helen", "helen-password").await;
    let op_token = sign_in(&op, "helen", "helen-password").await;

    // The operatory listens; the desk books.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<SseMessage>();
    let (opened_tx, opened_rx) = tokio::sync::oneshot::channel::<()>();
    let listener = {
        let op = op.clone();
        let token = op_token.clone();
        tokio::spawn(async move {
            let mut opened = Some(opened_tx);
            op.follow(
                &token,
                None,
                Duration::from_secs(3),
                move || {
                    if let Some(o) = opened.take() {
                        let _ = o.send(());
                    }
                },
                move |m| {
                    let _ = tx.send(m);
                },
            )
            .await
        })
    };
    opened_rx.await.expect("the stream opened");
    loop {
        let m = rx.recv().await.expect("hello");
        if m.event == "hello" {
            break;
        }
    }
    let started = Instant::now();
    let booked = run(&desk, &desk_token, "create_booking", json!({ "person_name": "Ana Ruiz", "type_id": 1, "resource_ids": [1, 3],
        "time": { "kind": "timed", "starts_at_ms": ms("2030-12-03T09:00:00Z"), "ends_at_ms": ms("2030-12-03T09:30:00Z") } }))
        .await
        .expect("booked");
    let seen = loop {
        let m = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("an event in time")
            .expect("stream open");
        if m.event == "hearth-changes" {
            break m;
        }
    };
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "took {took:?}");
    let batch: Value = serde_json::from_str(&seen.data).expect("batch");
    assert!(batch["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .any(|c| c["topic"] == "booking.changed" && c["ids"][0] == booked["id"]));
    // …and the operatory reads it.
    let day = run(
        &op,
        &op_token,
        "list_bookings",
        json!({ "from_ms": ms("2030-12-03T00:00:00Z"), "to_ms": ms("2030-12-04T00:00:00Z") }),
    )
    .await
    .expect("list");
    assert_eq!(day.as_array().map(Vec::len), Some(1), "{day}");

    // A manager withdraws the operatory: refused at once, its stream ends.
    let list = run(&desk, &desk_token, "get_sharing", json!({}))
        .await
        .expect("status");
    let op_id = list["workstations"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["name"] == "Operatory"))
        .map(|w| w["id"].clone())
        .expect("listed");
    run(
        &desk,
        &desk_token,
        "revoke_workstation",
        json!({ "id": op_id }),
    )
    .await
    .expect("revoked");
    let refused = run(&op, &op_token, "list_staff", json!({}))
        .await
        .expect_err("withdrawn");
    assert_eq!(refused, "workstation.unpaired");
    let ended = tokio::time::timeout(Duration::from_secs(4), listener)
        .await
        .expect("the stream ends within seconds")
        .expect("task");
    assert!(ended.is_err());
    // The desk carries on.
    run(&desk, &desk_token, "list_staff", json!({}))
        .await
        .expect("desk still in");
    // Paired again with a new code, the operatory starts signed out: its old session
    // ended with it.
    let again = h.paired("Operatory").await;
    let stale = run(&again, &op_token, "list_staff", json!({}))
        .await
        .expect_err("signed out");
    assert_eq!(stale, "auth.required");
    let fresh = sign_in(&again, "helen", "helen-password").await;
    run(&again, &fresh, "list_staff", json!({}))
        .await
        .expect("signed in again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_other_than_the_pinned_one_is_refused() {
    let ours = host();
    let other = host();
    assert_ne!(ours.fingerprint, other.fingerprint);
    let p = remote::pair(&ours.base, &ours.code(), "Operatory")
        .await
        .expect("paired");
    // Same credential and pin, but the address now answers with another certificate.
    let confused = Remote::new(
        other.base.clone(),
        p.fingerprint.clone(),
        p.credential.clone(),
    )
    .expect("client");
    let e = confused
        .post("/api/access/session", None, String::new(), None, false)
        .await
        .err()
        .expect("refused");
    assert_eq!(e.code, remote::WRONG_CERTIFICATE);
    assert!(
        e.message.contains("not the practice computer"),
        "{}",
        e.message
    );
    // The pinned one still works.
    let right = Remote::new(p.base, p.fingerprint, p.credential).expect("client");
    right
        .post("/api/access/session", None, String::new(), None, false)
        .await
        .expect("the pinned practice answers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_practice_computer_is_found_at_a_new_address_and_only_it() {
    let ours = host();
    let op = ours.paired("Operatory").await;
    // The practice computer now answers on another port (the network moved it).
    let moved = share::start(
        ours.hearth.clone(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
        None,
    )
    .expect("sharing again");
    let there = op.at(format!("https://{}", moved.addr)).expect("client");
    there
        .post("/api/access/session", None, String::new(), None, false)
        .await
        .expect("the same computer answers at its new address with the same credential");
    // Another practice's computer at an address: refused by the pinned certificate.
    let other = host();
    let e = op
        .at(other.base.clone())
        .expect("client")
        .post("/api/access/session", None, String::new(), None, false)
        .await
        .err()
        .expect("refused");
    assert_eq!(e.code, remote::WRONG_CERTIFICATE);
}
