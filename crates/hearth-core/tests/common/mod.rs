//! Shared test setup: a fresh practice file with a fixed clock.
#![allow(dead_code)]
use std::sync::Arc;

use chrono::NaiveDate;
use hearth_core::clock::FixedClock;
use hearth_core::commands::dispatch_value as dispatch;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::time::local_ms;
use hearth_core::{Actor, CoreError, Hearth};
use serde_json::{json, Value};

/// The test practice's first manager's password.
pub const MANAGER_PASSWORD: &str = "helen-password";

pub struct Desk {
    pub hearth: Hearth,
    pub clock: Arc<FixedClock>,
    pub dir: tempfile::TempDir,
    pub manager: Actor,
    pub tz: chrono_tz::Tz,
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

impl Desk {
    /// A practice of `kind` in Europe/London, "now" Monday 23 Nov 2026 07:00 local.
    pub fn new(kind: PracticeKind) -> Desk {
        Desk::make(kind, false)
    }

    /// The same on a file that is not encrypted: for reading its raw bytes.
    pub fn plain(kind: PracticeKind) -> Desk {
        Desk::make(kind, true)
    }

    fn make(kind: PracticeKind, plain: bool) -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        let tz: chrono_tz::Tz = "Europe/London".parse().expect("zone");
        let clock = Arc::new(FixedClock::new(local_ms(tz, date("2026-11-23"), 7 * 60)));
        let path = dir.path().join("hearth.db");
        let hearth = if plain {
            Hearth::open_plain_with_clock(path, clock.clone())
        } else {
            Hearth::open_with_clock(path, clock.clone())
        }
        .expect("open");
        let mut desk = Desk {
            hearth,
            clock,
            dir,
            manager: Actor::default(),
            tz,
        };
        let caller = hearth_core::gate::Caller {
            workstation: "Test desk".into(),
            workstation_id: None,
            ..Default::default()
        };
        let args = json!({
            "kind": kind, "name": "Test Practice", "time_zone": "Europe/London",
            "manager_name": "Helen Park", "manager_login": "helen", "manager_password": MANAGER_PASSWORD
        });
        let done =
            hearth_core::gate::access(&desk.hearth, &caller, "setup_practice", &args.to_string())
                .expect("setup");
        let id = done.info.signed_in.expect("signed in").staff.id;
        desk.manager = Actor::staff(id);
        desk
    }

    /// `update_practice` with one field changed, as the manager.
    pub fn update_practice(&self, field: &str, value: Value) -> Result<Value, CoreError> {
        let p = self.ok("get_practice", json!({}))["practice"].clone();
        let mut upd = p.clone();
        if let Some(o) = upd.as_object_mut() {
            for k in ["kind", "version", "demo"] {
                o.remove(k);
            }
            o.insert("expected_version".into(), p["version"].clone());
            o.insert(field.into(), value);
        }
        self.run(&self.manager, "update_practice", upd)
    }

    pub fn run(&self, actor: &Actor, name: &str, args: Value) -> Result<Value, CoreError> {
        dispatch(&self.hearth, actor, name, args)
    }

    pub fn ok(&self, name: &str, args: Value) -> Value {
        match self.run(&self.manager, name, args) {
            Ok(v) => v,
            Err(e) => panic!("{name} failed: {} {e}", e.code()),
        }
    }

    pub fn err(&self, name: &str, args: Value) -> CoreError {
        match self.run(&self.manager, name, args) {
            Ok(v) => panic!("{name} should have been refused, got {v}"),
            Err(e) => e,
        }
    }

    /// Local time on a date, as epoch ms.
    pub fn at(&self, day: &str, hh: u32, mm: u32) -> i64 {
        local_ms(self.tz, date(day), hh * 60 + mm)
    }

    pub fn resource(&self, name: &str) -> i64 {
        let all = self.ok("list_resources", json!({}));
        all.as_array()
            .and_then(|a| a.iter().find(|r| r["name"] == name))
            .and_then(|r| r["id"].as_i64())
            .unwrap_or_else(|| panic!("no resource {name}"))
    }

    pub fn type_id(&self, name: &str) -> i64 {
        let all = self.ok("list_appointment_types", json!({}));
        all.as_array()
            .and_then(|a| a.iter().find(|r| r["name"] == name))
            .and_then(|r| r["id"].as_i64())
            .unwrap_or_else(|| panic!("no type {name}"))
    }

    /// Books `person` for a check-up on `chair` with the dentist.
    pub fn book(
        &self,
        person: &str,
        chair: &str,
        start: i64,
        minutes: i64,
    ) -> Result<Value, CoreError> {
        self.run(&self.manager, "create_booking", json!({
            "person_name": person,
            "type_id": self.type_id("Check-up"),
            "resource_ids": [self.resource(chair), self.resource("Dentist")],
            "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + minutes * 60_000 },
        }))
    }

    pub fn count_bookings(&self) -> i64 {
        let conn =
            hearth_core::store::keys::open_raw(self.dir.path().join("hearth.db")).expect("open");
        conn.query_row("SELECT COUNT(*) FROM bookings", [], |r| r.get(0))
            .expect("count")
    }
}

/// (live bookings, pairs of live bookings that overlap on a resource) in the file at `path`.
pub fn clashes(path: &std::path::Path) -> (i64, i64) {
    let conn = hearth_core::store::keys::open_raw(path).expect("open");
    let live: i64 = conn
        .query_row("SELECT COUNT(*) FROM bookings WHERE live = 1", [], |r| {
            r.get(0)
        })
        .expect("count");
    let clash: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM booking_resources a JOIN booking_resources b
               ON a.resource_id = b.resource_id AND a.booking_id < b.booking_id
              WHERE a.live = 1 AND b.live = 1 AND a.starts_at_ms < b.ends_at_ms AND b.starts_at_ms < a.ends_at_ms",
            [],
            |r| r.get(0),
        )
        .expect("clashes");
    (live, clash)
}

/// Every read command's name and the permission it needs.
pub fn reads() -> Vec<(&'static str, hearth_core::access::Permission)> {
    struct Reads(Vec<(&'static str, hearth_core::access::Permission)>);
    impl hearth_core::commands::CommandVisitor for Reads {
        fn command<Req, Res>(
            &mut self,
            name: &'static str,
            write: bool,
            permission: hearth_core::access::Permission,
            _topics: &'static [&'static str],
            _doc: &'static str,
        ) where
            Req: ts_rs::TS + utoipa::ToSchema + 'static,
            Res: ts_rs::TS + utoipa::ToSchema + 'static,
        {
            if !write {
                self.0.push((name, permission));
            }
        }
    }
    let mut r = Reads(Vec::new());
    hearth_core::commands::visit(&mut r);
    r.0
}

/// A record's `id` in an answer.
pub fn id(v: &Value) -> i64 {
    v["id"].as_i64().expect("id")
}

/// A new member of staff with a login, as the manager adds them.
pub fn member(desk: &Desk, name: &str, login: &str, role: &str) -> Actor {
    let s = desk.ok(
        "save_staff",
        json!({ "name": name, "role": role, "colour": "#123456", "login": login, "temporary_password": "temporary-1" }),
    );
    Actor::staff(hearth_core::ids::StaffId(id(&s)))
}
