//! The HTTP API as a second desk or a browser sees it: every command over
//! `POST /api/commands/{name}`, bad input answered with a 4xx and a stable
//! code (and nothing written), change events over SSE, and the OpenAPI
//! document listing every command.
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_core::commands::NAMES;
use hearth_core::Hearth;
use reqwest::blocking::Client;
use serde_json::{json, Value};

struct Server {
    addr: SocketAddr,
    hearth: Arc<Hearth>,
    /// Keeps the session cookie, as a browser does.
    client: Client,
    _dir: tempfile::TempDir,
}

fn client() -> Client {
    hearth_server::share::install_provider();
    Client::builder()
        .timeout(Duration::from_secs(10))
        .cookie_store(true)
        .build()
        .expect("client")
}

impl Server {
    fn start() -> Server {
        Server::serve(false)
    }

    /// A practice served on loopback whose clock stands at `now_ms`.
    fn start_at(now_ms: i64) -> Server {
        Server::serve_with(false, Some(now_ms))
    }

    /// A practice served on loopback; `shared`: as it is to the practice's
    /// other computers (paired ones only).
    fn serve(shared: bool) -> Server {
        Server::serve_with(shared, None)
    }

    fn serve_with(shared: bool, now_ms: Option<i64>) -> Server {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("api.db");
        let hearth = Arc::new(match now_ms {
            Some(ms) => {
                Hearth::open_with_clock(path, Arc::new(hearth_core::clock::FixedClock::new(ms)))
                    .expect("open")
            }
            None => Hearth::open(path).expect("open"),
        });
        let served = hearth.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                tx.send(listener.local_addr().expect("addr"))
                    .expect("send addr");
                let state = if shared {
                    hearth_server::AppState::shared(served)
                } else {
                    hearth_server::AppState::new(served)
                };
                let app = hearth_server::router(state, None);
                // As the real servers do: routes see the device's address.
                axum::serve(
                    listener,
                    app.into_make_service_with_connect_info::<SocketAddr>(),
                )
                .await
                .expect("serve");
            });
        });
        let addr = rx.recv().expect("server address");
        Server {
            addr,
            hearth,
            client: client(),
            _dir: dir,
        }
    }

    /// A second browser on the same practice, not signed in.
    fn another_browser(&self) -> Server {
        Server {
            addr: self.addr,
            hearth: self.hearth.clone(),
            client: client(),
            _dir: tempfile::tempdir().expect("dir"),
        }
    }

    /// `POST /api/access/{step}`: the steps around a session.
    fn access(&self, step: &str, body: Value) -> (u16, Value) {
        let resp = self
            .client
            .post(format!("http://{}/api/access/{step}", self.addr))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().unwrap_or(Value::Null))
    }

    fn sign_in(&self, login: &str, password: &str) -> Value {
        let resp = self
            .client
            .post(format!("http://{}/api/sign-in", self.addr))
            .header("content-type", "application/json")
            .body(json!({ "login": login, "password": password }).to_string())
            .send()
            .expect("sign in");
        assert_eq!(resp.status().as_u16(), 200, "sign in as {login}");
        resp.json().expect("session")
    }

    fn sign_out(&self) {
        let resp = self
            .client
            .post(format!("http://{}/api/sign-out", self.addr))
            .header("content-type", "application/json")
            .send()
            .expect("out");
        assert_eq!(resp.status().as_u16(), 200);
    }

    fn post_raw(&self, name: &str, body: impl Into<reqwest::blocking::Body>) -> (u16, Value) {
        let resp = self
            .client
            .post(format!("http://{}/api/commands/{name}", self.addr))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().unwrap_or(Value::Null))
    }

    fn post(&self, name: &str, body: Value) -> (u16, Value) {
        self.post_raw(name, body.to_string())
    }

    /// `GET` a path of the server, as a phone's calendar does (no cookie).
    fn fetch(&self, path: &str) -> (u16, String) {
        let resp = client()
            .get(format!("http://{}{path}", self.addr))
            .send()
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.text().unwrap_or_default())
    }

    /// The live change stream, as a screen opens it.
    fn events(&self) -> reqwest::blocking::Response {
        self.client
            .get(format!("http://{}/api/events", self.addr))
            .timeout(Duration::from_secs(30))
            .send()
            .expect("events")
    }

    fn ok(&self, name: &str, body: Value) -> Value {
        let (status, v) = self.post(name, body);
        assert_eq!(status, 200, "{name}: {v}");
        v
    }

    /// A refusal: a 4xx whose body carries `code` and a message.
    fn refused(&self, name: &str, body: Value, code: &str) -> Value {
        let (status, v) = self.post(name, body);
        assert!(
            (400..500).contains(&status),
            "{name}: expected 4xx, got {status} {v}"
        );
        assert_eq!(v["code"], code, "{name}: {v}");
        assert!(
            v["message"].as_str().is_some_and(|m| m.len() > 10),
            "{name}: a readable message: {v}"
        );
        v
    }

    fn count(&self, name: &str, body: Value) -> usize {
        self.ok(name, body).as_array().map(Vec::len).unwrap_or(0)
    }
}

fn ms(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .expect("instant")
        .timestamp_millis()
}

fn setup(s: &Server, zone: &str) -> Value {
    let (status, info) = s.access(
        "setup_practice",
        json!({ "kind": "dental", "name": "Smile Studio", "time_zone": zone, "manager_name": "Helen",
                "manager_login": "helen", "manager_password": "helen-password" }),
    );
    assert_eq!(status, 200, "{info}");
    info
}

/// A dental practice whose first manager is signed in on `s`'s client.
fn dental() -> Server {
    let s = Server::start();
    setup(&s, "UTC");
    s
}

#[test]
fn every_command_works_over_http() {
    let mut used: Vec<&str> = Vec::new();
    // Exercised without `call` (counted, or checked, another way).
    let mut also: Vec<&str> = Vec::new();
    let s = Server::start();
    let mut call = |s: &Server, name: &'static str, body: Value| {
        used.push(name);
        s.ok(name, body)
    };
    let (_, info) = s.access("session", json!({}));
    assert_eq!(info["practice"], Value::Null);
    let info = setup(&s, "Europe/Lisbon");
    assert_eq!(info["signed_in"]["staff"]["login"], "helen");
    let p = call(&s, "get_practice", json!({}))["practice"].clone();
    let mut upd = p.clone();
    if let Some(o) = upd.as_object_mut() {
        o.remove("kind");
        o.remove("version");
        o.remove("demo");
        o.insert("expected_version".into(), p["version"].clone());
        o.insert("name".into(), json!("Smile Studio Lisbon"));
    }
    assert_eq!(
        call(&s, "update_practice", upd)["name"],
        "Smile Studio Lisbon"
    );
    let staff = call(
        &s,
        "save_staff",
        json!({ "name": "Maria", "role": "front_desk", "colour": "#db2777", "login": "maria", "temporary_password": "temporary-1" }),
    );
    call(
        &s,
        "reset_staff_password",
        json!({ "id": staff["id"], "temporary_password": "temporary-2" }),
    );
    call(
        &s,
        "change_password",
        json!({ "current_password": "helen-password", "new_password": "helen-password-2" }),
    );
    call(
        &s,
        "archive_staff",
        json!({ "id": staff["id"], "archived": true }),
    );
    assert!(call(&s, "list_staff", json!({}))
        .as_array()
        .is_some_and(|a| a.iter().all(|x| x["name"] != "Maria")));
    let chair = call(
        &s,
        "save_resource",
        json!({ "kind": "chair", "name": "Chair 3", "colour": "#0ea5e9" }),
    );
    call(
        &s,
        "archive_resource",
        json!({ "id": chair["id"], "archived": true }),
    );
    let resources = call(&s, "list_resources", json!({}));
    let id_of = |name: &str| {
        resources
            .as_array()
            .and_then(|a| a.iter().find(|r| r["name"] == name))
            .map(|r| r["id"].clone())
            .expect("resource")
    };
    // A provider's own hours; public holidays need the practice's country (none here).
    let rota = call(
        &s,
        "set_rota",
        json!({ "resource_id": id_of("Dentist"), "shifts": [{ "weekday": 0, "start": 540, "end": 720 }] }),
    );
    assert_eq!(rota["shifts"][0]["start"], 540);
    assert!(call(&s, "list_rotas", json!({}))
        .as_array()
        .is_some_and(|a| a.iter().any(|r| r["shifts"] == rota["shifts"])));
    call(
        &s,
        "set_rota",
        json!({ "resource_id": id_of("Dentist"), "shifts": [] }),
    );
    for name in ["list_public_holidays", "close_public_holidays"] {
        s.refused(name, json!({ "year": 2026 }), "input.invalid");
        also.push(name);
    }
    let rt = call(&s, "save_room_type", json!({ "name": "Recovery room" }));
    assert!(call(&s, "list_room_types", json!({}))
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x["id"] == rt["id"])));
    let t = call(
        &s,
        "save_appointment_type",
        json!({ "name": "Whitening", "duration_minutes": 60, "colour": "#eab308", "needs_chair": true, "needs_provider": true }),
    );
    assert!(call(&s, "list_appointment_types", json!({}))
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x["id"] == t["id"])));
    let block = call(
        &s,
        "add_block",
        json!({ "resource_id": id_of("Chair 1"), "starts_at_ms": ms("2026-12-01T08:00:00Z"), "ends_at_ms": ms("2026-12-01T09:00:00Z"), "reason": "Service" }),
    );
    call(
        &s,
        "add_closed_days",
        json!({ "from": "2026-12-25", "to": "2026-12-26", "reason": "Christmas" }),
    );
    assert_eq!(
        s.count(
            "list_blocks",
            json!({ "from_ms": ms("2026-12-01T00:00:00Z"), "to_ms": ms("2026-12-31T00:00:00Z") })
        ),
        2
    );
    call(&s, "remove_block", json!({ "id": block["id"] }));
    let slots = call(
        &s,
        "find_slots",
        json!({ "type_id": t["id"], "from_date": "2030-12-02", "within_days": 7, "count": 2 }),
    );
    let slot = &slots[0];
    let b = call(
        &s,
        "create_booking",
        json!({ "person_name": "Ana Ruiz", "person_phone": "555 0101", "type_id": t["id"], "resource_ids": slot["resource_ids"],
        "time": { "kind": "timed", "starts_at_ms": slot["starts_at_ms"], "ends_at_ms": slot["ends_at_ms"] } }),
    );
    assert_eq!(
        call(&s, "get_booking", json!({ "id": b["id"] }))["person_name"],
        "Ana Ruiz"
    );
    let ana_booking = b["id"].clone();
    let b = call(
        &s,
        "update_booking",
        json!({ "id": b["id"], "expected_version": b["version"], "notes": "Sensitive teeth" }),
    );
    let occasions = call(
        &s,
        "add_occasion",
        json!({ "booking_id": b["id"], "kind": "nervous_patient", "text": "First visit in years" }),
    );
    assert_eq!(occasions[0]["kind"], "nervous_patient");
    call(&s, "dismiss_occasion", json!({ "id": occasions[0]["id"] }));
    let b = call(
        &s,
        "set_booking_status",
        json!({ "id": b["id"], "expected_version": b["version"], "status": "confirmed" }),
    );
    let b = call(
        &s,
        "cancel_booking",
        json!({ "id": b["id"], "expected_version": b["version"], "reason": "Moved away" }),
    );
    assert_eq!(b["status"], "cancelled");
    assert_eq!(s.count("list_bookings", json!({ "from_ms": ms("2030-12-01T00:00:00Z"), "to_ms": ms("2030-12-10T00:00:00Z"), "include_cancelled": true })), 1);
    let page = call(&s, "list_activity", json!({ "booking_id": b["id"] }));
    assert_eq!(page["entries"][0]["action"], "cancel_booking");
    // People: the booking made Ana Ruiz's record; find her, open her page, edit her.
    let found = call(&s, "search_people", json!({ "query": "ana ruiz" }));
    let ana = found[0]["id"].clone();
    assert_eq!(found[0]["phone"], "555 0101");
    let page = call(&s, "open_person", json!({ "id": ana }));
    assert_eq!(page["cancellations"], 1);
    assert_eq!(
        call(&s, "get_person", json!({ "id": ana }))["person"]["id"],
        ana
    );
    // Who has looked at her record: this session, through search and her page.
    let looks = call(&s, "list_person_looks", json!({ "person_id": ana }));
    let screens: Vec<&str> = looks
        .as_array()
        .expect("looks")
        .iter()
        .filter_map(|l| l["through"].as_str())
        .collect();
    assert!(
        screens.contains(&"search") && screens.contains(&"person page"),
        "{looks}"
    );
    let saved = call(
        &s,
        "save_person",
        json!({ "id": ana, "given_name": "Ana", "family_name": "Ruiz", "email": "ana@example.com" }),
    );
    assert_eq!(saved["email"], "ana@example.com");
    let alerts = call(
        &s,
        "add_person_alert",
        json!({ "person_id": ana, "kind": "allergy", "severity": "critical", "text": "Latex" }),
    );
    assert_eq!(alerts[0]["text"], "Latex");
    let left = call(&s, "remove_person_alert", json!({ "id": alerts[0]["id"] }));
    assert_eq!(left.as_array().map(Vec::len), Some(0));
    // A handoff to myself asking for a follow-up: proposed, seen, booked; another declined.
    let me = info["signed_in"]["staff"]["id"].clone();
    let provider = slot["resource_ids"]
        .as_array()
        .and_then(|r| r.iter().find(|id| **id != slot["resource_ids"][0]))
        .cloned()
        .unwrap_or(Value::Null);
    let cap = call(
        &s,
        "follow_up_capacity",
        json!({ "request": { "type_id": t["id"], "window": { "about_weeks": 3, "give_days": 3 } } }),
    );
    assert!(cap["fitting"].as_u64().is_some_and(|n| n > 0), "{cap}");
    let h = call(
        &s,
        "send_handoff",
        json!({ "to_staff": me, "person_id": ana, "body": "Check-up in three weeks", "priority": "urgent", "action": "follow_up",
                "follow_up": { "type_id": t["id"], "provider_id": provider, "window": { "about_weeks": 3, "give_days": 3 } } }),
    );
    assert_eq!(call(&s, "count_handoffs", json!({}))["urgent_unseen"], 1);
    assert_eq!(call(&s, "list_handoffs", json!({}))[0]["id"], h["id"]);
    let h = call(&s, "mark_handoff_seen", json!({ "id": h["id"] }));
    let p = call(&s, "propose_follow_up", json!({ "handoff_id": h["id"] }));
    let first = &p["slots"][0];
    let done = call(
        &s,
        "book_follow_up",
        json!({ "handoff_id": h["id"], "expected_version": h["version"], "starts_at_ms": first["starts_at_ms"],
                "ends_at_ms": first["ends_at_ms"], "resource_ids": first["resource_ids"] }),
    );
    assert_eq!(done["status"], "done");
    let back = call(
        &s,
        "take_back_follow_up",
        json!({ "handoff_id": h["id"], "expected_version": done["version"] }),
    );
    assert_eq!(back["status"], "seen");
    let other = call(
        &s,
        "send_handoff",
        json!({ "to_staff": me, "body": "Call the lab", "priority": "normal", "action": "call_back" }),
    );
    let declined = call(
        &s,
        "close_handoff",
        json!({ "id": other["id"], "expected_version": other["version"], "status": "declined", "outcome": "The lab called us" }),
    );
    assert_eq!(declined["status"], "declined");
    // The waitlist: on, offered freed time, booked from it; another taken off.
    let entry = call(
        &s,
        "add_to_waitlist",
        json!({ "person_id": ana, "request": { "type_id": t["id"], "window": { "about_weeks": 4, "give_days": 3 } } }),
    );
    assert_eq!(call(&s, "list_waitlist", json!({}))[0]["id"], entry["id"]);
    let free = call(
        &s,
        "find_slots",
        json!({ "type_id": t["id"], "from_date": entry["window"]["from"], "within_days": 7, "count": 1 }),
    );
    let fits = call(
        &s,
        "waitlist_for_freed",
        json!({ "starts_at_ms": free[0]["starts_at_ms"], "ends_at_ms": free[0]["ends_at_ms"], "resource_ids": free[0]["resource_ids"] }),
    );
    assert_eq!(fits[0]["entry"]["id"], entry["id"]);
    let booked = call(
        &s,
        "book_from_waitlist",
        json!({ "id": entry["id"], "starts_at_ms": fits[0]["slot"]["starts_at_ms"], "ends_at_ms": fits[0]["slot"]["ends_at_ms"],
                "resource_ids": fits[0]["slot"]["resource_ids"] }),
    );
    assert_eq!(booked["person_id"], ana);
    let again = call(
        &s,
        "add_to_waitlist",
        json!({ "person_id": ana, "request": { "type_id": t["id"], "window": { "about_weeks": 6 } }, "notes": "Any morning" }),
    );
    let left = call(
        &s,
        "remove_from_waitlist",
        json!({ "id": again["id"], "reason": "Booked elsewhere" }),
    );
    assert_eq!(left, json!([]));
    // The waiting room (nobody has arrived) and a visit's timeline.
    assert_eq!(call(&s, "list_waiting", json!({}))["waiting"], json!([]));
    let timeline = call(&s, "booking_timeline", json!({ "booking_id": b["id"] }));
    assert_eq!(timeline["steps"][0]["status"], "booked");
    // The day sheet of the day booked above.
    let sheet = call(&s, "get_day_sheet", json!({ "date": "2026-11-24" }));
    assert!(sheet["sections"].is_array(), "{sheet}");
    // What is free before Book is pressed.
    let free = call(
        &s,
        "resource_availability",
        json!({ "time": { "kind": "timed", "starts_at_ms": b["starts_at_ms"], "ends_at_ms": b["ends_at_ms"] } }),
    );
    assert!(
        free.as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(|r| r["free"].is_boolean())),
        "{free}"
    );
    // A cancellation undone at once.
    let gone = call(
        &s,
        "create_booking",
        json!({ "person_name": "Undo Test", "type_id": t["id"], "resource_ids": b["resource_ids"],
                "time": { "kind": "timed", "starts_at_ms": b["ends_at_ms"], "ends_at_ms": b["ends_at_ms"].as_i64().map(|e| e + 1_800_000) } }),
    );
    let gone = call(
        &s,
        "cancel_booking",
        json!({ "id": gone["id"], "expected_version": gone["version"], "reason": "Wrong one" }),
    );
    let back = call(
        &s,
        "restore_booking",
        json!({ "id": gone["id"], "expected_version": gone["version"] }),
    );
    assert_eq!(back["status"], "booked");
    // My day: the manager is no column on the calendar.
    assert_eq!(call(&s, "get_my_day", json!({}))["providers"], json!([]));
    // Recall: nobody has been yet; a call is kept all the same.
    assert_eq!(call(&s, "list_recall", json!({}))["items"], json!([]));
    let called = call(
        &s,
        "note_recall_contact",
        json!({ "person_id": ana, "outcome": "left_message", "note": "Voicemail" }),
    );
    assert_eq!(called["outcome"], "left_message");
    also.push("list_bookings");
    also.push("list_blocks");

    // The hotel-only commands, on the demo.
    let h = Server::start();
    let (status, demo) = h.access("open_demo_practice", json!({ "kind": "hotel" }));
    assert_eq!(status, 200, "{demo}");
    assert_eq!(demo["practice"]["demo"], true);
    assert!(
        h.count(
            "find_free_rooms",
            json!({ "arrival": "2031-01-10", "departure": "2031-01-12" })
        ) > 0
    );
    also.push("find_free_rooms");
    // Room status: a room marked dirty shows on the board.
    let board = call(&h, "list_room_status", json!({}));
    let first_room = board["rooms"][0]["resource_id"].clone();
    let marked = call(
        &h,
        "set_room_status",
        json!({ "resource_id": first_room, "status": "dirty" }),
    );
    assert_eq!(marked["status"], "dirty");
    // What the hotel remembers and prepares for a guest.
    let rooms = call(
        &h,
        "find_free_rooms",
        json!({ "arrival": "2031-03-10", "departure": "2031-03-13" }),
    );
    let stay_type = call(&h, "list_appointment_types", json!({}))[0]["id"].clone();
    let guest = call(
        &h,
        "save_person",
        json!({ "given_name": "Efua", "family_name": "Mensah", "preferences": "High floor", "tags": ["regular"] }),
    );
    assert_eq!(guest["tags"], json!(["regular"]));
    let dates = call(
        &h,
        "add_important_date",
        json!({ "person_id": guest["id"], "kind": "anniversary", "month": 3, "day": 11, "year": 2021, "label": "wedding anniversary" }),
    );
    let book = |arrival: &str, departure: &str| {
        h.ok(
            "create_booking",
            json!({ "person_id": guest["id"], "type_id": stay_type, "resource_ids": [rooms[0]["id"]],
                    "time": { "kind": "nights", "arrival": arrival, "departure": departure } }),
        )
    };
    let first = book("2031-03-10", "2031-03-13");
    assert_eq!(first["occasions"][0]["text"], "10th wedding anniversary");
    call(&h, "remove_important_date", json!({ "id": dates[0]["id"] }));
    let notes = call(
        &h,
        "add_person_note",
        json!({ "person_id": guest["id"], "body": "Prefers a late check-out" }),
    );
    assert_eq!(notes[0]["author_name"], "Helen Park");
    call(&h, "remove_person_note", json!({ "id": notes[0]["id"] }));
    let incident = call(
        &h,
        "log_incident",
        json!({ "booking_id": first["id"], "what": "Noisy air conditioning", "category": "maintenance", "severity": "minor", "task_for": "housekeeping" }),
    );
    let incident = call(
        &h,
        "update_incident",
        json!({ "id": incident["id"], "expected_version": incident["version"], "resolution": "Fan replaced", "resolved": true,
                "remember": true, "gesture": "A quiet room" }),
    );
    assert_eq!(
        call(&h, "list_incidents", json!({ "person_id": guest["id"] }))[0]["id"],
        incident["id"]
    );
    let second = book("2031-04-10", "2031-04-12");
    let card = call(
        &h,
        "get_arrival_card",
        json!({ "booking_id": second["id"] }),
    );
    assert!(card["remembered"][0]["summary"]
        .as_str()
        .is_some_and(|s| s.starts_with("Last stay: Noisy air conditioning")));
    call(
        &h,
        "record_gesture",
        json!({ "incident_id": incident["id"], "booking_id": second["id"], "what": "Quiet room on the top floor" }),
    );
    let task = call(
        &h,
        "add_task",
        json!({ "title": "Extra towels", "booking_id": second["id"], "role": "housekeeping",
                "relative": { "anchor": "start", "offset_minutes": -60 } }),
    );
    let open = call(&h, "list_tasks", json!({ "booking_id": second["id"] }));
    assert!(open
        .as_array()
        .is_some_and(|t| t.iter().any(|t| t["id"] == task["id"])));
    let done = call(
        &h,
        "close_task",
        json!({ "id": task["id"], "expected_version": task["version"], "status": "done" }),
    );
    assert_eq!(done["status"], "done");
    // Household, duplicates and privacy.
    let twin = call(
        &h,
        "save_person",
        json!({ "given_name": "Efua", "family_name": "Mensah-Boateng", "phone": "+233 24 123 4567" }),
    );
    assert_eq!(twin["phone"], "+233 24 123 4567");
    let partner = call(
        &h,
        "save_person",
        json!({ "given_name": "Kwame", "family_name": "Mensah" }),
    );
    let linked = call(
        &h,
        "link_people",
        json!({ "person_id": guest["id"], "other_id": partner["id"], "relation": "partner" }),
    );
    call(
        &h,
        "unlink_people",
        json!({ "person_id": guest["id"], "id": linked[0]["id"] }),
    );
    let kept = call(
        &h,
        "merge_people",
        json!({ "survivor_id": guest["id"], "merged_id": twin["id"] }),
    );
    assert_eq!(kept["id"], guest["id"]);
    // One record per person: who a typed name could be, the pairs, kept apart.
    let likely = call(&h, "likely_people", json!({ "name": "Kwame Mensah" }));
    assert!(likely
        .as_array()
        .is_some_and(|a| a.iter().any(|p| p["id"] == partner["id"])));
    h.refused(
        "save_person",
        json!({ "given_name": "Kwame", "family_name": "Mensah" }),
        "person.maybe_known",
    );
    let namesake = call(
        &h,
        "save_person",
        json!({ "given_name": "Kwame", "family_name": "Mensah", "someone_new": true }),
    );
    let pairs = call(&h, "list_possible_duplicates", json!({}));
    assert!(pairs.as_array().is_some_and(|a| a
        .iter()
        .any(|p| p["merge"]["id"] == namesake["id"] || p["keep"]["id"] == namesake["id"])));
    let left = call(
        &h,
        "keep_people_apart",
        json!({ "person_id": partner["id"], "other_id": namesake["id"] }),
    );
    assert!(left.as_array().is_some_and(|a| a
        .iter()
        .all(|p| p["merge"]["id"] != namesake["id"] && p["keep"]["id"] != namesake["id"])));
    let doc = call(&h, "export_person", json!({ "id": guest["id"] }));
    assert_eq!(doc["person"]["family_name"], "Mensah");
    call(
        &h,
        "archive_person",
        json!({ "id": partner["id"], "archived": true }),
    );
    let erased = call(
        &h,
        "erase_person",
        json!({ "id": partner["id"], "reason": "Asked in person" }),
    );
    assert_eq!(erased["bookings_kept"], 0);
    let rules = call(&h, "list_task_rules", json!({}));
    let r = &rules[0];
    let saved = call(
        &h,
        "save_task_rule",
        json!({ "id": r["id"], "expected_version": r["version"], "trigger": r["trigger"], "occasion_kind": r["occasion_kind"],
                "role": r["role"], "title": r["title"], "anchor": "start", "offset_minutes": -90 }),
    );
    assert_eq!(saved["offset_minutes"], -90);

    // Sharing: over plain loopback HTTP the practice is not shared.
    // No backup beside this test's practice yet: the manager is told.
    let backups = call(&h, "get_backup_status", json!({}));
    assert_eq!(backups["stale"], true, "{backups}");
    let sharing = call(&h, "get_sharing", json!({}));
    assert_eq!(sharing["sharing"], false);
    // Switching it on and withdrawing a computer happen over TLS with paired
    // computers: tests/share.rs.
    also.push("set_sharing");
    also.push("revoke_workstation");

    // Moving in: a file handed over in two parts, judged, imported, listed, undone.
    let csv = "Name,Phone\nIrma Import,07700 900777\n";
    let (a, b) = csv.as_bytes().split_at(10);
    let up = call(
        &s,
        "add_import_part",
        json!({ "name": "people.csv", "part": data_encoding::BASE64.encode(a) }),
    );
    let up = call(
        &s,
        "add_import_part",
        json!({ "upload_id": up["id"], "name": "people.csv", "part": data_encoding::BASE64.encode(b), "last": true }),
    );
    let preview = call(
        &s,
        "preview_import_people",
        json!({ "upload_id": up["id"] }),
    );
    assert_eq!(preview["ready"], 1, "{preview}");
    let done = call(&s, "import_people", json!({ "upload_id": up["id"] }));
    assert_eq!(done["import"]["added"], 1, "{done}");
    let listed = call(&s, "list_imports", json!({}));
    assert_eq!(listed[0]["id"], done["import"]["id"]);
    let out = call(&s, "export_people", json!({}));
    assert!(
        out["text"].as_str().is_some_and(|t| t.contains("Irma")),
        "{out}"
    );
    let undone = call(&s, "undo_import", json!({ "id": done["import"]["id"] }));
    assert_eq!(undone["removed"], 1, "{undone}");
    // Coming bookings: judged by the desk's rules, booked, undone.
    let csv = "Date,Time,Length,Chair,Provider,Type,Name\n2027-03-03,10:00,30,Chair 1,Dentist,Check-up,Iris Import\n";
    let up = call(
        &s,
        "add_import_part",
        json!({ "name": "appointments.csv", "part": data_encoding::BASE64.encode(csv.as_bytes()), "last": true }),
    );
    let preview = call(
        &s,
        "preview_import_bookings",
        json!({ "upload_id": up["id"], "book_anyway_rows": [2] }),
    );
    assert_eq!(preview["new_people"], 1, "{preview}");
    let done = call(
        &s,
        "import_bookings",
        json!({ "upload_id": up["id"], "book_anyway_rows": [2] }),
    );
    assert_eq!(done["import"]["added"], 1, "{done}");
    let undone = call(&s, "undo_import", json!({ "id": done["import"]["id"] }));
    assert_eq!(undone["removed"], 2, "{undone}");
    let card = call(&s, "get_person_vcard", json!({ "id": ana }));
    assert!(
        card["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("BEGIN:VCARD")),
        "{card}"
    );
    // Calendars: a provider's feed at its secret address, withdrawn; a booking's .ics.
    let feeds = call(&s, "list_calendar_feeds", json!({}));
    let on = call(
        &s,
        "set_calendar_feed",
        json!({ "resource_id": feeds[0]["resource_id"], "on": true }),
    );
    let link = on["link"].as_str().expect("a secret address").to_owned();
    let (status, text) = s.fetch(&link);
    assert_eq!(status, 200, "{text}");
    assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
    call(
        &s,
        "set_calendar_feed",
        json!({ "resource_id": feeds[0]["resource_id"], "on": false }),
    );
    assert_eq!(s.fetch(&link).0, 404, "withdrawn");
    let ics = call(&s, "get_booking_ics", json!({ "id": ana_booking }));
    assert!(
        ics["text"]
            .as_str()
            .is_some_and(|t| t.contains("BEGIN:VEVENT")),
        "{ics}"
    );
    // Moving out: a sheet of bookings, and the whole practice.
    let sheet = call(
        &s,
        "export_sheet",
        json!({ "sheet": "bookings", "include_cancelled": true }),
    );
    assert!(
        sheet["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Booking ID,")),
        "{sheet}"
    );
    let archive = call(&s, "export_practice", json!({}));
    assert!(
        archive["file_name"]
            .as_str()
            .is_some_and(|n| n.ends_with(".zip")),
        "{}",
        archive["file_name"]
    );

    // Backups: a folder of the manager's too, one now to both, the schedule,
    // the recovery sheet (password again), then a restore that signs everyone out.
    let usb = tempfile::tempdir().expect("usb");
    let st = call(
        &s,
        "add_backup_destination",
        json!({ "folder": usb.path(), "label": "USB stick" }),
    );
    assert_eq!(st["destinations"].as_array().map(Vec::len), Some(2), "{st}");
    let st = call(&s, "back_up_now", json!({}));
    assert_eq!(st["stale"], false, "{st}");
    assert!(st["attention"].is_null(), "{st}");
    assert!(
        st["destinations"][1]["newest_good_ms"].is_i64(),
        "the USB stick has it too: {st}"
    );
    let st = call(
        &s,
        "set_backup_schedule",
        json!({ "every_minutes": 30, "retention": { "hourly": 24, "daily": 14, "weekly": 8, "monthly": 12 } }),
    );
    assert_eq!(st["every_minutes"], 30);
    s.refused(
        "show_recovery_key",
        json!({ "password": "not-my-password" }),
        "input.invalid",
    );
    let sheet = call(
        &s,
        "show_recovery_key",
        json!({ "password": "helen-password-2" }),
    );
    assert_eq!(
        sheet["recovery_key"].as_str().map(str::len),
        Some(69),
        "{sheet}"
    );
    let st = call(&s, "confirm_recovery_sheet", json!({}));
    assert!(st["recovery_sheet_at_ms"].is_i64());
    let st = call(
        &s,
        "remove_backup_destination",
        json!({ "id": st["destinations"][1]["id"] }),
    );
    assert_eq!(st["destinations"].as_array().map(Vec::len), Some(1));
    let chosen = st["recent"][0]["path"].clone();
    let done = call(
        &s,
        "restore_backup",
        json!({ "path": chosen, "password": "helen-password-2" }),
    );
    assert!(done["kept_aside"].is_string(), "{done}");
    let (status, v) = s.post("get_practice", json!({}));
    assert_eq!(
        (status, v["code"].as_str()),
        (401, Some("auth.required")),
        "signed out: {v}"
    );
    s.sign_in("helen", "helen-password-2");
    let _ = std::fs::remove_dir_all(hearth_core::store::backup::default_dir(
        s.hearth.store.path(),
    ));

    used.extend(also);
    let missing: Vec<&&str> = NAMES.iter().filter(|n| !used.contains(n)).collect();
    assert!(
        missing.is_empty(),
        "commands not exercised over HTTP: {missing:?}"
    );
}

#[test]
fn bad_input_gets_a_4xx_with_a_code_and_nothing_is_written() {
    let s = dental();
    let resources = s.ok("list_resources", json!({}));
    let ids: Vec<Value> = resources
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["name"] == "Chair 1" || r["name"] == "Dentist")
        .map(|r| r["id"].clone())
        .collect();
    let good = json!({ "person_name": "Ana", "type_id": 1, "resource_ids": ids,
        "time": { "kind": "timed", "starts_at_ms": ms("2030-12-03T09:00:00Z"), "ends_at_ms": ms("2030-12-03T09:30:00Z") } });
    let with = |path: &str, v: Value| {
        let mut b = good.clone();
        let mut cur = &mut b;
        let parts: Vec<&str> = path.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            cur = &mut cur[*p];
        }
        cur[parts[parts.len() - 1]] = v;
        b
    };
    let without = |key: &str| {
        let mut b = good.clone();
        b.as_object_mut().map(|o| o.remove(key));
        b
    };
    s.refused(
        "create_booking",
        with("type_id", json!("one")),
        "input.invalid",
    );
    s.refused(
        "create_booking",
        with("time.starts_at_ms", json!("nine o'clock")),
        "input.invalid",
    );
    s.refused("create_booking", without("person_name"), "input.invalid");
    s.refused("create_booking", without("time"), "input.invalid");
    s.refused("create_booking", with("type_id", json!(999)), "not_found");
    s.refused(
        "create_booking",
        with("resource_ids", json!([999, 3])),
        "not_found",
    );
    s.refused(
        "create_booking",
        with("time.ends_at_ms", json!(ms("2030-12-03T08:00:00Z"))),
        "input.invalid",
    );
    s.refused(
        "create_booking",
        with("person_name", json!("x".repeat(1_000_000))),
        "input.invalid",
    );
    s.refused(
        "create_booking",
        with("notes", json!("n".repeat(1_000_000))),
        "input.invalid",
    );
    s.refused(
        "create_booking",
        with("surprise", json!(true)),
        "input.invalid",
    );
    s.refused("get_booking", json!({ "id": 424242 }), "not_found");
    s.refused(
        "list_bookings",
        json!({ "from_ms": 10, "to_ms": 5 }),
        "input.invalid",
    );
    s.refused(
        "add_block",
        json!({ "starts_at_ms": 10, "ends_at_ms": 5, "reason": "x" }),
        "input.invalid",
    );
    s.refused(
        "save_staff",
        json!({ "name": "", "role": "manager", "colour": "#123456" }),
        "input.invalid",
    );
    s.refused(
        "save_staff",
        json!({ "name": "Bo", "role": "wizard", "colour": "#123456" }),
        "input.invalid",
    );
    s.refused("no_such_command", json!({}), "command.unknown");
    let p = s.ok("get_practice", json!({}))["practice"].clone();
    s.refused("update_practice", json!({ "expected_version": p["version"], "name": "X", "time_zone": "Mars/Olympus_Mons", "slot_minutes": 15,
        "check_in_minute": 900, "check_out_minute": 660, "opening_hours": [] }), "input.invalid");
    let (status, v) = s.post_raw("create_booking", "{ not json");
    assert_eq!((status, v["code"].as_str()), (400, Some("input.not_json")));
    let fresh = Server::start();
    let (status, v) = fresh.access(
        "setup_practice",
        json!({ "kind": "dental", "name": "X", "time_zone": "Nowhere/City", "manager_name": "Y", "manager_login": "yy", "manager_password": "password-1" }),
    );
    assert_eq!((status, v["code"].as_str()), (400, Some("input.invalid")));
    let (status, v) = fresh.access(
        "setup_practice",
        json!({ "kind": "dental", "name": "X", "time_zone": "UTC", "manager_name": "Y", "manager_login": "yy", "manager_password": "short" }),
    );
    assert_eq!(
        (status, v["details"]["field"].as_str()),
        (400, Some("manager_password"))
    );
    assert_eq!(
        fresh.access("session", json!({})).1["practice"],
        Value::Null,
        "nothing written by the refused setup"
    );
    // Nothing was written by any of the refusals.
    assert_eq!(s.count("list_bookings", json!({ "from_ms": ms("2030-01-01T00:00:00Z"), "to_ms": ms("2030-12-31T00:00:00Z"), "include_cancelled": true })), 0);
    assert_eq!(
        s.count("list_staff", json!({ "include_archived": true })),
        2
    );
    // And the good request still works: the refusals were about the input.
    s.ok("create_booking", good.clone());
    let clash = s.refused("create_booking", good, "booking.overlap");
    assert!(
        clash["message"]
            .as_str()
            .is_some_and(|m| m.contains("Chair 1 is booked")),
        "{clash}"
    );
    assert!(
        clash["details"]["conflicting_booking_id"].is_number(),
        "{clash}"
    );
}

/// Every refusal is an error body with a stable code and a sentence naming
/// the field — too large, not JSON, duplicate keys, unknown nested fields,
/// wrong types, missing fields, out-of-range instants — and the same client
/// goes on working afterwards.
#[test]
fn every_refusal_is_an_error_body_that_names_the_field() {
    let s = dental();
    let id = |name: &str| {
        s.ok("list_resources", json!({}))
            .as_array()
            .and_then(|a| a.iter().find(|r| r["name"] == name))
            .map(|r| r["id"].clone())
            .unwrap_or(Value::Null)
    };
    let good = format!(
        r#"{{"person_name":"Ana","type_id":1,"resource_ids":[{},{}],"time":{{"kind":"timed","starts_at_ms":1922432400000,"ends_at_ms":1922434200000}}}}"#,
        id("Chair 1"),
        id("Dentist")
    );
    let good = good.as_str();
    let refused = |body: String, status: u16, code: &str| -> Value {
        let (got, v) = s.post_raw("create_booking", body.clone());
        assert_eq!(
            got,
            status,
            "{v} for {}",
            body.chars().take(200).collect::<String>()
        );
        assert_eq!(v["code"], code, "{v}");
        assert!(
            v["message"].as_str().is_some_and(|m| m.ends_with('.')),
            "a sentence: {v}"
        );
        v
    };
    // Too large: a 413 with an error body, not plain text.
    let huge = good.replace(
        r#""person_name":"Ana""#,
        &format!(r#""person_name":"Ana","notes":"{}""#, "n".repeat(2_000_000)),
    );
    refused(huge, 413, "input.too_large");
    refused("nine o'clock".into(), 400, "input.not_json");
    refused(format!("{good} trailing"), 400, "input.not_json");
    // Duplicate keys, at the top and inside `time`.
    let v = refused(
        good.replace(r#""type_id":1"#, r#""type_id":1,"type_id":2"#),
        400,
        "input.invalid",
    );
    assert_eq!(
        v["details"],
        json!({ "field": "type_id", "problem": "duplicate" })
    );
    assert_eq!(
        v["message"],
        "The appointment type is given twice. Give it once."
    );
    let v = refused(
        good.replace(r#""kind":"timed""#, r#""kind":"timed","kind":"nights""#),
        400,
        "input.invalid",
    );
    assert_eq!(v["details"]["field"], "time.kind");
    // Unknown fields inside the tagged time object.
    let v = refused(
        good.replace(r#""kind":"timed""#, r#""kind":"timed","room":12"#),
        400,
        "input.invalid",
    );
    assert_eq!(
        v["details"],
        json!({ "field": "time.room", "problem": "unknown" })
    );
    // Missing and wrong-typed fields are named in words, not the parser's.
    let v = refused(good.replace(r#""type_id":1,"#, ""), 400, "input.invalid");
    assert_eq!(v["message"], "The appointment type is missing.");
    let v = refused(
        good.replace("1922434200000", r#""half past""#),
        400,
        "input.invalid",
    );
    assert_eq!(v["message"], "The end time should be a whole number.");
    // The extremes of a 64-bit integer are refused before any arithmetic.
    let v = refused(
        good.replace("1922432400000", "-9223372036854775808")
            .replace("1922434200000", "9223372036854775807"),
        400,
        "input.invalid",
    );
    assert_eq!(v["details"]["problem"], "out_of_range");
    let (status, v) = s.post(
        "list_bookings",
        json!({ "from_ms": i64::MIN, "to_ms": i64::MAX }),
    );
    assert_eq!((status, v["code"].as_str()), (400, Some("input.invalid")));
    // Nothing was written, and the same client still books.
    assert_eq!(
        s.count(
            "list_bookings",
            json!({ "from_ms": ms("2030-12-01T00:00:00Z"), "to_ms": ms("2030-12-31T00:00:00Z") })
        ),
        0
    );
    let (status, v) = s.post_raw("create_booking", good.to_owned());
    assert_eq!(status, 200, "{v}");
}

#[test]
fn a_booking_on_one_desk_reaches_another_desks_event_stream_within_a_second() {
    let s = dental();
    let resp = s.events();
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    let mut lines = BufReader::new(resp).lines();
    // Wait for the greeting so the subscription is live before writing.
    for line in lines.by_ref() {
        if line.expect("line").starts_with("event: hello") {
            break;
        }
    }
    let started = Instant::now();
    let booked = s.ok("create_booking", json!({ "person_name": "Ana", "type_id": 1, "resource_ids": [1, 3],
        "time": { "kind": "timed", "starts_at_ms": ms("2030-12-03T09:00:00Z"), "ends_at_ms": ms("2030-12-03T09:30:00Z") } }));
    let mut saw = None;
    let mut event = String::new();
    for line in lines {
        let line = line.expect("line");
        if let Some(e) = line.strip_prefix("event: ") {
            event = e.to_owned();
        } else if let Some(d) = line.strip_prefix("data: ") {
            if event == "hearth-changes" {
                saw = Some(serde_json::from_str::<Value>(d).expect("batch json"));
                break;
            }
        }
    }
    let batch = saw.expect("a change event");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    let booking = batch["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["topic"] == "booking.changed"))
        .expect("the booking's change");
    assert_eq!(booking["ids"][0], booked["id"]);
}

/// A browser's EventSource drops an event without a data line (and every comment), so
/// the heartbeat a screen judges the line by must carry data, once a second.
#[test]
fn the_streams_heartbeat_is_an_event_a_browser_delivers_every_second() {
    let s = dental();
    let resp = s.events();
    let started = Instant::now();
    let (mut event, mut data) = (None::<String>, None::<String>);
    let mut ticks = Vec::new();
    for line in BufReader::new(resp).lines() {
        let line = line.expect("line");
        if line.is_empty() {
            // The end of one event: what a browser would dispatch.
            if event.as_deref() == Some(hearth_core::events::TICK_EVENT_NAME) {
                ticks.push((started.elapsed(), data.clone()));
            }
            (event, data) = (None, None);
            if ticks.len() == 3 {
                break;
            }
        } else if let Some(e) = line.strip_prefix("event:") {
            event = Some(e.trim_start().to_owned());
        } else if let Some(d) = line.strip_prefix("data:") {
            data = Some(d.trim_start().to_owned());
        }
    }
    assert_eq!(ticks.len(), 3);
    for (at, data) in &ticks {
        assert!(
            data.is_some(),
            "a tick without data at {at:?}: a browser never sees it"
        );
    }
    assert!(
        ticks[2].0 < Duration::from_secs(4),
        "three ticks took {:?}",
        ticks[2].0
    );
}

#[test]
fn the_openapi_document_describes_every_command() {
    let s = Server::start();
    let doc: Value = s
        .client
        .get(format!("http://{}/api/openapi.json", s.addr))
        .send()
        .expect("get")
        .json()
        .expect("json");
    for name in NAMES {
        let op = &doc["paths"][format!("/api/commands/{name}")]["post"];
        assert!(op.is_object(), "{name} missing from OpenAPI");
        assert!(
            op["requestBody"]["content"]["application/json"]["schema"].is_object(),
            "{name} request schema"
        );
        // What the server enforces is stated: a body, and every status.
        assert_eq!(op["requestBody"]["required"], true, "{name}");
        for status in [
            "200", "400", "401", "403", "404", "409", "413", "415", "429", "500",
        ] {
            assert!(op["responses"][status].is_object(), "{name} {status}");
        }
    }
    // Text carries no hidden characters, one line but for notes; a required
    // name shows something; a field the command does not know is refused.
    let save = &doc["paths"]["/api/commands/save_resource"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    let name = save["properties"]["name"]["pattern"]
        .as_str()
        .expect("a name's pattern");
    assert!(
        name.contains("\\u0000") && name.contains("\\n") && name.contains("\\s"),
        "{name}"
    );
    assert_eq!(save["additionalProperties"], false);
    let note = &doc["paths"]["/api/commands/add_person_note"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"]["properties"]["body"]["pattern"];
    assert!(
        !note.as_str().expect("a note's pattern").contains("\\n"),
        "notes keep line breaks"
    );
    let slots = &doc["paths"]["/api/commands/find_slots"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"]["properties"];
    assert_eq!(slots["within_days"]["maximum"], 366);
    assert_eq!(slots["count"]["maximum"], 200);
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(
        doc["components"]["schemas"]["BookingTime"].is_object()
            || doc.to_string().contains("nights")
    );
}

#[test]
fn no_command_runs_without_a_session() {
    let s = dental();
    let stranger = s.another_browser();
    for name in NAMES {
        let (status, v) = stranger.post(name, json!({}));
        assert_eq!(
            (status, v["code"].as_str()),
            (401, Some("auth.required")),
            "{name}"
        );
    }
    // Nor the event stream.
    let resp = stranger
        .client
        .get(format!("http://{}/api/events", s.addr))
        .send()
        .expect("events");
    assert_eq!(resp.status().as_u16(), 401);
}

#[test]
fn the_session_cookie_is_http_only_and_same_site_strict() {
    let s = dental();
    let resp = s
        .another_browser()
        .client
        .post(format!("http://{}/api/sign-in", s.addr))
        .header("content-type", "application/json")
        .body(r#"{"login":"helen","password":"helen-password"}"#)
        .send()
        .expect("sign in");
    let cookie = resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(cookie.starts_with("hearth_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let body: Value = resp.json().expect("json");
    assert!(
        !body.to_string().contains(
            cookie
                .trim_start_matches("hearth_session=")
                .split(';')
                .next()
                .unwrap_or("x")
        ),
        "the token is never in the body"
    );
    let (status, v) = s.another_browser().post("list_staff", json!({}));
    assert_eq!((status, v["code"].as_str()), (401, Some("auth.required")));
    // A wrong password: 401, and it never says whether the login exists.
    let b = s.another_browser();
    let wrong = b
        .client
        .post(format!("http://{}/api/sign-in", s.addr))
        .header("content-type", "application/json")
        .body(r#"{"login":"helen","password":"nope-nope"}"#)
        .send()
        .expect("send");
    assert_eq!(wrong.status().as_u16(), 401);
    let wrong: Value = wrong.json().expect("json");
    let ghost: Value = b
        .client
        .post(format!("http://{}/api/sign-in", s.addr))
        .header("content-type", "application/json")
        .body(r#"{"login":"ghost","password":"nope-nope"}"#)
        .send()
        .expect("send")
        .json()
        .expect("json");
    assert_eq!(wrong, ghost);
}

#[test]
fn a_forged_actor_header_changes_nothing() {
    let s = dental();
    s.ok("save_staff", json!({ "name": "Rita", "role": "housekeeping", "colour": "#123456", "login": "rita", "temporary_password": "temporary-1" }));
    let manager_id = s
        .ok("list_staff", json!({}))
        .as_array()
        .and_then(|a| a.iter().find(|x| x["login"] == "helen"))
        .map(|x| x["id"].clone())
        .expect("helen");
    // Without a session the header is no key.
    let stranger = s.another_browser();
    let resp = stranger
        .client
        .post(format!("http://{}/api/commands/list_staff", s.addr))
        .header("content-type", "application/json")
        .header("x-hearth-actor", manager_id.to_string())
        .body("{}")
        .send()
        .expect("send");
    assert_eq!(resp.status().as_u16(), 401);
    // Signed in as housekeeping, claiming to be the manager, still housekeeping.
    let rita = s.another_browser();
    rita.sign_in("rita", "temporary-1");
    rita.ok(
        "change_password",
        json!({ "current_password": "temporary-1", "new_password": "rita-own-pw" }),
    );
    let resp = rita.client.post(format!("http://{}/api/commands/save_staff", s.addr))
        .header("content-type", "application/json")
        .header("x-hearth-actor", manager_id.to_string())
        .body(json!({ "name": "Rita", "role": "manager", "colour": "#123456", "login": "rita2", "temporary_password": "temporary-1" }).to_string())
        .send().expect("send");
    assert_eq!(resp.status().as_u16(), 403);
    let v: Value = resp.json().expect("json");
    assert_eq!(v["code"], "staff.forbidden");
    assert_eq!(s.count("list_staff", json!({})), 3, "nothing was added");
}

/// In a shared practice, the computer a request comes from is the one its
/// credential proves, never one a header names: the trail says which it was,
/// and withdrawing another computer leaves its sessions alone.
/// A dental practice shared with the network (paired computers only), set up
/// at its own desk; nobody is signed in on the test's client.
fn shared_dental() -> Server {
    let s = Server::serve(true);
    hearth_core::gate::access(
        &s.hearth,
        &hearth_core::gate::Caller::default(),
        "setup_practice",
        &json!({ "kind": "dental", "name": "Smile Studio", "time_zone": "UTC", "manager_name": "Helen",
                 "manager_login": "helen", "manager_password": "helen-password" })
        .to_string(),
    )
    .expect("setup");
    hearth_server::share::identity(&s.hearth).expect("certificate");
    hearth_core::gate::pairing::share_on(&s.hearth, "test", 8443).expect("shared");
    s
}

#[test]
fn a_paired_computer_cannot_pass_for_another() {
    use hearth_core::access::workstations::WorkstationKind;
    use hearth_core::gate::pairing;
    let s = shared_dental();
    let h = &s.hearth;
    let pair = |name: &str| {
        let code = pairing::existing_identity(h)
            .expect("read")
            .expect("identity")
            .code_at(h.clock.now_ms())
            .0;
        pairing::pair(
            h,
            "test",
            "127.0.0.1",
            WorkstationKind::Desktop,
            &json!({ "code": code, "name": name }).to_string(),
        )
        .expect("paired")
    };
    let (_, operatory) = pair("Operatory");
    let (tablet, _) = pair("Housekeeping tablet");
    let tablet_id = tablet.workstation.id;

    // The operatory signs in claiming, by name and by id, to be the tablet.
    let plain = Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let resp = plain
        .post(format!("http://{}/api/sign-in", s.addr))
        .header("content-type", "application/json")
        .header("x-hearth-workstation", &operatory)
        .header("x-hearth-paired-as", "Housekeeping tablet")
        .header("x-hearth-paired-id", tablet_id.to_string())
        .body(json!({ "login": "helen", "password": "helen-password" }).to_string())
        .send()
        .expect("sign in");
    assert_eq!(resp.status().as_u16(), 200);
    let session = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("hearth_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
        .expect("a session cookie");
    let info: Value = resp.json().expect("json");
    assert_eq!(info["signed_in"]["workstation"], "Operatory", "{info}");
    let run = |name: &str, body: Value| {
        let resp = plain
            .post(format!("http://{}/api/commands/{name}", s.addr))
            .header("content-type", "application/json")
            .header("x-hearth-workstation", &operatory)
            .header("x-hearth-paired-id", tablet_id.to_string())
            .header("cookie", format!("hearth_session={session}"))
            .body(body.to_string())
            .send()
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.json::<Value>().unwrap_or(Value::Null))
    };
    // Withdrawing the tablet ends the tablet's sessions, not the operatory's.
    let (status, v) = run("revoke_workstation", json!({ "id": tablet_id }));
    assert_eq!(status, 200, "{v}");
    let (status, v) = run("list_staff", json!({}));
    assert_eq!(status, 200, "still signed in: {v}");
}

#[test]
fn a_cross_origin_post_is_refused() {
    let s = dental();
    for (header, value) in [
        ("origin", "http://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let resp = s
            .client
            .post(format!("http://{}/api/commands/list_staff", s.addr))
            .header("content-type", "application/json")
            .header(header, value)
            .body("{}")
            .send()
            .expect("send");
        assert_eq!(resp.status().as_u16(), 403, "{header}");
        let v: Value = resp.json().expect("json");
        assert_eq!(v["code"], "auth.cross_origin");
        let resp = s
            .client
            .post(format!("http://{}/api/sign-out", s.addr))
            .header("content-type", "application/json")
            .header(header, value)
            .send()
            .expect("send");
        assert_eq!(resp.status().as_u16(), 403, "sign-out from {header}");
    }
    // Our own origin is fine.
    let resp = s
        .client
        .post(format!("http://{}/api/commands/list_staff", s.addr))
        .header("content-type", "application/json")
        .header("origin", format!("http://{}", s.addr))
        .header("sec-fetch-site", "same-origin")
        .body("{}")
        .send()
        .expect("send");
    assert_eq!(resp.status().as_u16(), 200);
}

#[test]
fn sign_out_ends_the_session_and_archiving_ends_a_members() {
    let s = dental();
    let maria = s.ok("save_staff", json!({ "name": "Maria", "role": "front_desk", "colour": "#123456", "login": "maria", "temporary_password": "temporary-1" }));
    let m = s.another_browser();
    let info = m.sign_in("maria", "temporary-1");
    assert_eq!(info["signed_in"]["must_change_password"], true);
    let (status, v) = m.post("list_staff", json!({}));
    assert_eq!(
        (status, v["code"].as_str()),
        (401, Some("auth.password_change"))
    );
    m.ok(
        "change_password",
        json!({ "current_password": "temporary-1", "new_password": "maria-own-pw" }),
    );
    m.ok("list_staff", json!({}));
    s.ok(
        "archive_staff",
        json!({ "id": maria["id"], "archived": true }),
    );
    let (status, v) = m.post("list_staff", json!({}));
    assert_eq!((status, v["code"].as_str()), (401, Some("auth.required")));

    let session: Value = s
        .client
        .get(format!("http://{}/api/session", s.addr))
        .send()
        .expect("get")
        .json()
        .expect("json");
    assert_eq!(session["signed_in"]["staff"]["login"], "helen");
    assert!(session["signed_in"]["permissions"]
        .as_array()
        .is_some_and(|p| p.iter().any(|x| x == "view_activity")));
    s.sign_out();
    let (status, _) = s.post("list_staff", json!({}));
    assert_eq!(status, 401);
}

/// Reads SSE events (`(event, id, data)`) from a stream until `n` change batches came.
fn read_changes(
    resp: reqwest::blocking::Response,
    n: usize,
) -> (Option<String>, Vec<(Option<String>, Value)>) {
    let mut hello_id = None;
    let mut out = Vec::new();
    let (mut event, mut id) = (String::new(), None);
    for line in BufReader::new(resp).lines() {
        let line = line.expect("line");
        if let Some(e) = line.strip_prefix("event: ") {
            event = e.to_owned();
        } else if let Some(i) = line.strip_prefix("id:") {
            id = Some(i.trim_start().to_owned());
        } else if let Some(d) = line.strip_prefix("data: ") {
            if event == "hello" {
                hello_id = id.take();
            } else if event == "hearth-changes" {
                out.push((id.take(), serde_json::from_str(d).expect("batch")));
                if out.len() == n {
                    break;
                }
            }
        } else if line.is_empty() {
            event.clear();
            id = None;
        }
        if n == 0 && hello_id.is_some() {
            break;
        }
    }
    (hello_id, out)
}

#[test]
fn a_screen_that_reconnects_gets_what_it_missed_from_last_event_id() {
    let s = dental();
    let events = || {
        s.client
            .get(format!("http://{}/api/events", s.addr))
            .timeout(Duration::from_secs(20))
    };
    // Connect, note where the stream started, and go away.
    let (hello, _) = read_changes(events().send().expect("events"), 0);
    let last = hello.expect("the greeting carries an id");
    // Two bookings are made while this screen is away.
    let mut made = Vec::new();
    for (i, hh) in ["09", "10"].iter().enumerate() {
        let b = s.ok("create_booking", json!({ "person_name": format!("Missed {i}"), "type_id": 1, "resource_ids": [1, 3],
            "time": { "kind": "timed", "starts_at_ms": ms(&format!("2030-12-04T{hh}:00:00Z")), "ends_at_ms": ms(&format!("2030-12-04T{hh}:30:00Z")) } }));
        made.push(b["id"].clone());
    }
    // Back, saying where it left off: both batches come first, in order, with their ids.
    let resp = events()
        .header("last-event-id", &last)
        .send()
        .expect("events");
    let (_, got) = read_changes(resp, 2);
    assert_eq!(got[0].1["changes"][0]["ids"][0], made[0]);
    assert_eq!(got[1].1["changes"][0]["ids"][0], made[1]);
    let (a, b): (i64, i64) = (
        got[0]
            .0
            .as_deref()
            .and_then(|i| i.parse().ok())
            .expect("id"),
        got[1]
            .0
            .as_deref()
            .and_then(|i| i.parse().ok())
            .expect("id"),
    );
    assert!(
        last.parse::<i64>().expect("id") < a && a < b,
        "{last} {a} {b}"
    );
    // `?after=` does the same for a stream the page opens itself.
    let resp = s
        .client
        .get(format!("http://{}/api/events?after={a}", s.addr))
        .timeout(Duration::from_secs(20))
        .send()
        .expect("events");
    let (_, got) = read_changes(resp, 1);
    assert_eq!(got[0].1["changes"][0]["ids"][0], made[1]);
}

#[test]
fn a_page_rebinding_its_name_to_this_computer_gets_nothing() {
    let s = dental();
    let port = s.addr.port();
    let get_as = |host: &str, path: &str| {
        s.client
            .get(format!("http://{}{path}", s.addr))
            .header("host", host)
            .send()
            .expect("send")
    };
    // A web page at attacker.example whose name now points at 127.0.0.1: the
    // browser sends its own name as the Host.
    for host in [
        format!("attacker.example:{port}"),
        format!("localhost.attacker.example:{port}"),
    ] {
        for path in ["/api/session", "/api/health", "/api/openapi.json", "/"] {
            let resp = get_as(&host, path);
            assert_eq!(resp.status().as_u16(), 403, "{host}{path}");
            let text = resp.text().expect("text");
            assert!(text.contains("auth.cross_origin"), "{text}");
            assert!(!text.contains("Helen") && !text.contains("helen"), "{text}");
        }
        let resp = s
            .client
            .post(format!("http://{}/api/sign-in", s.addr))
            .header("host", &host)
            .header("content-type", "application/json")
            .body(json!({ "login": "helen", "password": "helen-password" }).to_string())
            .send()
            .expect("send");
        assert_eq!(resp.status().as_u16(), 403);
    }
    // Its own names answer.
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let resp = get_as(&host, "/api/session");
        assert_eq!(resp.status().as_u16(), 200, "{host}");
    }
}

#[test]
fn a_change_must_be_json_and_every_answer_carries_protective_headers() {
    let s = dental();
    let before = s.ok("list_resources", json!({}));
    for content_type in [
        None,
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut req = s
            .client
            .post(format!("http://{}/api/commands/save_resource", s.addr))
            .body(json!({ "kind": "chair", "name": "Chair Z", "colour": "#123456" }).to_string());
        if let Some(t) = content_type {
            req = req.header("content-type", t);
        }
        let resp = req.send().expect("send");
        assert_eq!(resp.status().as_u16(), 415, "{content_type:?}");
        let v: Value = resp.json().expect("json");
        assert_eq!(v["code"], "input.content_type");
        assert!(v["message"]
            .as_str()
            .is_some_and(|m| m.contains("nothing was saved")));
    }
    assert_eq!(
        s.ok("list_resources", json!({})),
        before,
        "nothing was written"
    );
    for resp in [
        s.client
            .get(format!("http://{}/api/session", s.addr))
            .send()
            .expect("session"),
        s.client
            .get(format!("http://{}/api/health", s.addr))
            .send()
            .expect("health"),
        s.client
            .post(format!("http://{}/api/commands/list_staff", s.addr))
            .body("{}")
            .send()
            .expect("refused"),
    ] {
        let h = resp.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert_eq!(
            h.get("x-content-type-options").map(|v| v.as_bytes()),
            Some(&b"nosniff"[..])
        );
        assert_eq!(
            h.get("referrer-policy").map(|v| v.as_bytes()),
            Some(&b"no-referrer"[..])
        );
        assert_eq!(
            h.get("x-frame-options").map(|v| v.as_bytes()),
            Some(&b"DENY"[..])
        );
    }
}

#[test]
fn the_change_stream_ends_when_its_session_does() {
    let s = dental();
    let stream = s.events();
    assert_eq!(stream.status().as_u16(), 200);
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Reads until the server closes the stream.
        let lines = BufReader::new(stream).lines().map_while(Result::ok).count();
        let _ = done_tx.send(lines);
    });
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        done_rx.try_recv().is_err(),
        "the stream is open while signed in"
    );
    s.sign_out();
    done_rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the stream ended within seconds of signing out");
}

#[test]
fn a_device_guessing_pairing_codes_over_http_pauses_itself_not_the_real_tablet() {
    use hearth_core::access::workstations::PAUSE_AFTER;
    use hearth_core::gate::pairing;
    // Two devices on the network, as two loopback addresses.
    let s = shared_dental();
    let h = &s.hearth;
    let code = || {
        pairing::existing_identity(h)
            .expect("read")
            .expect("identity")
            .code_at(h.clock.now_ms())
            .0
    };
    let from = |ip: [u8; 4]| {
        Client::builder()
            .timeout(Duration::from_secs(20))
            .local_address(std::net::IpAddr::from(ip))
            .build()
            .expect("client")
    };
    let pair = |client: &Client, code: &str| -> String {
        let resp = client
            .post(format!("http://{}/api/pair", s.addr))
            .header("content-type", "application/json")
            .body(json!({ "code": code, "name": "Tablet" }).to_string())
            .send()
            .expect("pair");
        let v: Value = resp.json().unwrap_or(Value::Null);
        v["code"].as_str().unwrap_or("paired").to_owned()
    };
    let right = code();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    // Forty wrong guesses sent at once from one device.
    let guesser = from([127, 0, 0, 9]);
    let answers: Vec<String> = std::thread::scope(|sc| {
        let handles: Vec<_> = (0..40)
            .map(|_| sc.spawn(|| pair(&guesser, wrong)))
            .collect();
        handles
            .into_iter()
            .map(|t| t.join().expect("guess"))
            .collect()
    });
    let checked = answers
        .iter()
        .filter(|a| *a == "workstation.bad_code")
        .count();
    let paused = answers
        .iter()
        .filter(|a| *a == "workstation.locked")
        .count();
    assert_eq!(
        (checked, paused),
        (
            usize::try_from(PAUSE_AFTER).expect("small"),
            40 - usize::try_from(PAUSE_AFTER).expect("small")
        ),
        "{answers:?}"
    );
    // The guesser is paused even with the right code; the real tablet is not.
    assert_eq!(pair(&guesser, &right), "workstation.locked");
    assert_eq!(pair(&from([127, 0, 0, 20]), &right), "paired");
    // That code is spent: the next computer needs the next one.
    assert_eq!(pair(&from([127, 0, 0, 21]), &right), "workstation.bad_code");
    assert_eq!(pair(&from([127, 0, 0, 21]), &code()), "paired");
}

/// The feed and a booking's `.ics` as an independent reader sees them
/// (Python's `icalendar`, tests/ics/read.py, installed by scripts/deps.sh).
fn read_ics(text: &str) -> Value {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The test packages' virtual environment, where scripts/deps.sh puts it.
    let python = std::env::var("HEARTH_ICS_PYTHON")
        .map(std::path::PathBuf::from)
        .or_else(|_| {
            std::env::var("HEARTH_SCHEMATHESIS_VENV")
                .map(|v| std::path::PathBuf::from(v).join("bin/python"))
        })
        .unwrap_or_else(|_| root.join("target/schemathesis/bin/python"));
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("feed.ics");
    std::fs::write(&file, text).expect("write");
    let out = std::process::Command::new(&python)
        .arg(root.join("tests/ics/read.py"))
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{} can't run ({e}): run scripts/deps.sh with HEARTH_NEED_TEST_PACKAGES=1",
                python.display()
            )
        });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn a_practitioners_calendar_feed_across_the_change_of_clocks_then_withdrawn() {
    // Monday 1 March 2027, 08:00 in London; the clocks go forward on 28 March.
    let s = Server::start_at(ms("2027-03-01T08:00:00Z"));
    setup(&s, "Europe/London");
    let res = s.ok("list_resources", json!({}));
    let id = |n: &str| {
        res.as_array()
            .and_then(|a| a.iter().find(|r| r["name"] == n))
            .map(|r| r["id"].clone())
            .expect("resource")
    };
    let types = s.ok("list_appointment_types", json!({}));
    let checkup = types[0]["id"].clone();
    let book = |who: &str, phone: &str, chair: &str, start: &str, end: &str| {
        s.ok(
            "create_booking",
            json!({ "person_name": who, "person_phone": phone, "someone_new": true, "type_id": checkup,
                    "resource_ids": [id(chair), id("Dentist")],
                    "time": { "kind": "timed", "starts_at_ms": ms(start), "ends_at_ms": ms(end) } }),
        )
    };
    // 09:00 in London before the change (GMT) and after it (BST).
    let before = book(
        "Ann Smith",
        "07700 900123",
        "Chair 1",
        "2027-03-26T09:00:00Z",
        "2027-03-26T09:30:00Z",
    );
    let after = book(
        "Bob Jones",
        "07700 900456",
        "Chair 2",
        "2027-03-29T08:00:00Z",
        "2027-03-29T08:30:00Z",
    );
    let on = s.ok(
        "set_calendar_feed",
        json!({ "resource_id": id("Dentist"), "on": true }),
    );
    let link = on["link"].as_str().expect("link").to_owned();
    assert!(
        link.starts_with("/feeds/") && link.ends_with(".ics") && link.len() > 50,
        "{link}"
    );
    assert_eq!(on["feed"]["on"], true);
    let (status, text) = s.fetch(&link);
    assert_eq!(status, 200);
    assert!(
        text.contains("DTSTART;TZID=Europe/London:20270326T090000"),
        "{text}"
    );
    assert!(
        text.contains("DTSTART;TZID=Europe/London:20270329T090000"),
        "{text}"
    );
    // Initials only: no name, no phone, reach nothing else.
    for secret in ["Ann", "Smith", "Bob", "Jones", "07700"] {
        assert!(!text.contains(secret), "{secret} in the feed: {text}");
    }
    let read = read_ics(&text);
    assert_eq!(read["zones"], json!(["Europe/London"]));
    let events = read["events"].as_array().expect("events");
    assert_eq!(events.len(), 2);
    let at = |b: &Value| {
        events
            .iter()
            .find(|e| {
                e["uid"]
                    .as_str()
                    .is_some_and(|u| u.starts_with(&format!("booking-{}@", b["id"])))
            })
            .cloned()
            .expect("the booking's event")
    };
    assert_eq!(
        at(&before)["start"],
        json!({ "ms": ms("2027-03-26T09:00:00Z"), "tzid": "Europe/London" })
    );
    assert_eq!(
        at(&after)["start"],
        json!({ "ms": ms("2027-03-29T08:00:00Z"), "tzid": "Europe/London" })
    );
    assert_eq!(at(&after)["end"]["ms"], ms("2027-03-29T08:30:00Z"));
    assert!(
        at(&before)["summary"]
            .as_str()
            .is_some_and(|t| t.ends_with("— A. S.")),
        "{}",
        at(&before)["summary"]
    );
    assert_eq!(at(&before)["location"], "Dentist (Chair 1)");

    // The booking's .ics for Bob, read the same way.
    let ics = s.ok("get_booking_ics", json!({ "id": after["id"] }));
    let one = read_ics(ics["text"].as_str().expect("ics"));
    assert_eq!(one["events"][0]["start"]["ms"], ms("2027-03-29T08:00:00Z"));
    assert!(one["events"][0]["summary"]
        .as_str()
        .is_some_and(|t| t.ends_with("at Smile Studio")));

    // A wrong address, a guessed one, and the address after a new one is made: 404.
    assert_eq!(
        s.fetch("/feeds/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.ics")
            .0,
        404
    );
    assert_eq!(s.fetch("/feeds/..%2f..%2fapi%2fsession.ics").0, 404);
    let renewed = s.ok(
        "set_calendar_feed",
        json!({ "resource_id": id("Dentist"), "on": true, "new_link": true }),
    );
    assert_eq!(s.fetch(&link).0, 404, "the old address stops");
    let link = renewed["link"].as_str().expect("new link").to_owned();
    assert_eq!(s.fetch(&link).0, 200);
    s.ok(
        "set_calendar_feed",
        json!({ "resource_id": id("Dentist"), "on": false }),
    );
    assert_eq!(s.fetch(&link).0, 404, "withdrawn");
    // A chair has no feed.
    let (status, e) = s.post(
        "set_calendar_feed",
        json!({ "resource_id": id("Chair 1"), "on": true }),
    );
    assert_eq!(status, 400, "{e}");
}
