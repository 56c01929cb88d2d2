//! The fuzz harness over `dispatch`: random sequences of bookings, moves,
//! cancellations, status changes, clock moves and slot searches across DST
//! days, mixed with requests for every command generated from its OpenAPI
//! schema — well-formed, or broken on purpose (extreme numbers, wrong types,
//! unknown fields at any depth, repeated keys, truncated text, oversized
//! bodies, unknown commands). After every step:
//!
//! - nothing panicked, and every error carries a known code; input refusals
//!   are sentences, not the parser's words;
//! - a refused command, and any read, wrote nothing (a fingerprint of every table);
//! - no two live bookings overlap on a resource — by an independent SQL
//!   self-join, not the core's own check;
//! - every booking a step touched is found by the list query of its day;
//! - every slot the search offers is distinct and books without an override;
//! - no text kept in the file hides a control or direction-override
//!   character, and all of it is NFC (requests carry such text on purpose).
//!
//! `cargo test -p hearth-core --test fuzz` runs a bounded pass (part of the
//! test command). A long run:
//! `HEARTH_FUZZ_SECONDS=3600 cargo test --release -p hearth-core --test fuzz -- --nocapture`
//! (see docs/fuzzing.md).
mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant as Clock};

use chrono::NaiveDate;
use chrono_tz::Tz;
use common::clashes;
use hearth_core::clock::{Clock as _, FixedClock};
use hearth_core::commands::{self, CommandVisitor};
use hearth_core::error::CODES;
use hearth_core::request::MAX_REQUEST_BYTES;
use hearth_core::time::{local_date, local_ms};
use hearth_core::{Actor, Hearth};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};
use utoipa::openapi::{RefOr, Schema};

// ------------------------------------------------------------ the commands' schemas

struct Registry {
    commands: Vec<(&'static str, bool, Value)>,
    components: BTreeMap<String, Value>,
}

impl CommandVisitor for Registry {
    fn command<Req, Res>(
        &mut self,
        name: &'static str,
        write: bool,
        _permission: hearth_core::access::Permission,
        _topics: &'static [&'static str],
        _doc: &'static str,
    ) where
        Req: ts_rs::TS + utoipa::ToSchema + 'static,
        Res: ts_rs::TS + utoipa::ToSchema + 'static,
    {
        let mut deps: Vec<(String, RefOr<Schema>)> = Vec::new();
        Req::schemas(&mut deps);
        for (n, s) in deps {
            self.components
                .insert(n, serde_json::to_value(s).unwrap_or(Value::Null));
        }
        let schema = serde_json::to_value(Req::schema()).unwrap_or(Value::Null);
        self.commands.push((name, write, schema));
    }
}

fn registry() -> Registry {
    let mut r = Registry {
        commands: vec![],
        components: BTreeMap::new(),
    };
    commands::visit(&mut r);
    r
}

// ------------------------------------------------------------ a generator driven by the schema

struct Gen<'a> {
    rng: fastrand::Rng,
    reg: &'a Registry,
    now_ms: i64,
    tz: Tz,
}

const NAMES: &[&str] = &[
    "Ana Ruiz",
    "Zoë O'Brien",
    "李小龍",
    "",
    "  ",
    "A",
    "Mr and Mrs Okafor",
];
/// Text built to hide or deceive: NUL, escape sequences, direction
/// overrides and isolates, invisible-only, a decomposed accent, a line break.
const HIDDEN: &[&str] = &[
    "Ann\u{0}Lee",
    "\u{1b}[2JAnn",
    "\u{202e}eeL nnA",
    "Ann\u{2066}Lee\u{2069}",
    "\u{200b}\u{200d}\u{2060}",
    "\u{3164}",
    "Jose\u{301} Garci\u{301}a",
    "Ann\nLee",
    "Ann\u{85}Lee",
];

const ZONES: &[&str] = &[
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "UTC",
    "Mars/Base",
    "",
];

impl Gen<'_> {
    fn resolve<'s>(&'s self, s: &'s Value) -> &'s Value {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.rsplit('/').next().unwrap_or_default();
                self.reg.components.get(name).unwrap_or(&Value::Null)
            }
            None => s,
        }
    }

    fn date_near(&mut self) -> String {
        let day = local_date(self.tz, self.now_ms);
        let d = day + chrono::Duration::days(self.rng.i64(-5..20));
        d.to_string()
    }

    fn instant_near(&mut self) -> i64 {
        let grid = 5 * 60_000;
        let off = self.rng.i64(-3 * 86_400_000..14 * 86_400_000);
        (self.now_ms + off) / grid * grid
    }

    fn value(&mut self, schema: &Value, name: &str, depth: u32) -> Value {
        let s = self.resolve(schema).clone();
        if depth > 6 {
            return Value::Null;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(options) = s.get(key).and_then(Value::as_array) {
                if options.is_empty() {
                    return Value::Null;
                }
                let pick = self.rng.usize(..options.len());
                return self.value(&options[pick], name, depth + 1);
            }
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            if let Some(first) = all.first() {
                return self.value(first, name, depth + 1);
            }
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            if !values.is_empty() {
                return values[self.rng.usize(..values.len())].clone();
            }
        }
        let types: Vec<String> = match s.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            _ if s.get("properties").is_some() => vec!["object".into()],
            _ => vec!["null".into()],
        };
        let non_null: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
        if non_null.is_empty() || (types.len() > non_null.len() && self.rng.u8(..5) == 0) {
            return Value::Null;
        }
        let t = non_null[self.rng.usize(..non_null.len())].as_str();
        match t {
            "object" => {
                let mut out = Map::new();
                let required: Vec<&str> = s
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                if let Some(props) = s.get("properties").and_then(Value::as_object) {
                    for (k, v) in props {
                        if required.contains(&k.as_str()) || self.rng.bool() {
                            let v = self.value(v, k, depth + 1);
                            out.insert(k.clone(), v);
                        }
                    }
                }
                Value::Object(out)
            }
            "array" => {
                let items = s.get("items").cloned().unwrap_or(Value::Null);
                let n = if name == "resource_ids" {
                    self.rng.usize(1..4)
                } else {
                    self.rng.usize(0..4)
                };
                Value::Array(
                    (0..n)
                        .map(|_| self.value(&items, name, depth + 1))
                        .collect(),
                )
            }
            "boolean" => Value::Bool(self.rng.bool()),
            "number" => json!(self.rng.f64() * 1000.0),
            "integer" => self.integer(name, &s),
            "string" => self.string(name, &s),
            _ => Value::Null,
        }
    }

    fn integer(&mut self, name: &str, s: &Value) -> Value {
        let v: i64 = if name.ends_with("_ms") {
            self.instant_near()
        } else if name.ends_with("_minute")
            || name == "opens"
            || name == "closes"
            || name == "start"
            || name == "end"
        {
            self.rng.i64(0..1441) / 15 * 15
        } else if name == "id" || name.ends_with("_id") || name == "resource_ids" {
            self.rng.i64(-1..14)
        } else if name == "expected_version" {
            self.rng.i64(0..6)
        } else if name == "weekday" {
            self.rng.i64(0..8)
        } else if name == "slot_minutes" {
            [5, 10, 15, 7][self.rng.usize(..4)]
        } else {
            self.rng.i64(0..60)
        };
        let min = s.get("minimum").and_then(Value::as_f64);
        let max = s.get("maximum").and_then(Value::as_f64);
        let v = match (min, max) {
            (Some(lo), _) if (v as f64) < lo => lo as i64,
            (_, Some(hi)) if (v as f64) > hi => hi as i64,
            _ => v,
        };
        json!(v)
    }

    fn string(&mut self, name: &str, s: &Value) -> Value {
        if s.get("format").and_then(Value::as_str) == Some("date") {
            return json!(self.date_near());
        }
        let text = match name {
            "time_zone" => ZONES[self.rng.usize(..ZONES.len())].to_owned(),
            "colour" => ["#2563eb", "#zzzzzz", "red"][self.rng.usize(..3)].to_owned(),
            _ if self.rng.u8(..6) == 0 => HIDDEN[self.rng.usize(..HIDDEN.len())].to_owned(),
            _ => NAMES[self.rng.usize(..NAMES.len())].to_owned(),
        };
        json!(text)
    }
}

// ------------------------------------------------------------ breaking a request on purpose

#[derive(Debug, Clone, Copy, PartialEq)]
enum Break {
    Nothing,
    ExtremeLeaf,
    UnknownField,
    DropField,
    DuplicateKey,
    Truncate,
    TooLarge,
    UnknownCommand,
    WrongTop,
}

const BREAKS: [Break; 9] = [
    Break::Nothing,
    Break::ExtremeLeaf,
    Break::UnknownField,
    Break::DropField,
    Break::DuplicateKey,
    Break::Truncate,
    Break::TooLarge,
    Break::UnknownCommand,
    Break::WrongTop,
];

/// Paths (object keys / array indexes) to every node of `v`.
fn nodes(v: &Value, path: Vec<Value>, out: &mut Vec<(Vec<Value>, bool)>) {
    let is_object = v.is_object();
    out.push((path.clone(), is_object));
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                let mut p = path.clone();
                p.push(json!(k));
                nodes(c, p, out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                let mut p = path.clone();
                p.push(json!(i));
                nodes(c, p, out);
            }
        }
        _ => {}
    }
}

fn at<'v>(v: &'v mut Value, path: &[Value]) -> Option<&'v mut Value> {
    let mut cur = v;
    for seg in path {
        cur = match seg {
            Value::String(k) => cur.get_mut(k.as_str())?,
            Value::Number(i) => cur.get_mut(usize::try_from(i.as_u64()?).ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn extreme(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..12) {
        0 => json!(i64::MIN),
        1 => json!(i64::MAX),
        2 => json!(u64::MAX),
        3 => json!(-1),
        4 => json!(1e300),
        5 => json!(0.5),
        6 => json!(""),
        7 => json!("x".repeat(20_000)),
        8 => Value::Null,
        9 => json!([]),
        10 => json!({}),
        _ => json!("\u{0}💥\u{202e}"),
    }
}

/// The request text for `req` broken by `how`; the command name may change too.
fn broken(
    rng: &mut fastrand::Rng,
    name: &str,
    mut req: Value,
    how: Break,
) -> (String, String, Option<&'static str>) {
    let mut all = Vec::new();
    nodes(&req, vec![], &mut all);
    let mut objects: Vec<Vec<Value>> = all
        .iter()
        .filter(|(_, o)| *o)
        .map(|(p, _)| p.clone())
        .collect();
    let name = name.to_owned();
    match how {
        Break::Nothing => (name, req.to_string(), None),
        Break::ExtremeLeaf => {
            let (path, _) = all[rng.usize(..all.len())].clone();
            if let Some(slot) = at(&mut req, &path) {
                *slot = extreme(rng);
            }
            (name, req.to_string(), None)
        }
        Break::UnknownField => {
            let path = objects.swap_remove(rng.usize(..objects.len()));
            if let Some(Value::Object(m)) = at(&mut req, &path) {
                m.insert("surprise_field".into(), json!(1));
            }
            (name, req.to_string(), Some("input.invalid"))
        }
        Break::DropField => {
            let path = objects.swap_remove(rng.usize(..objects.len()));
            if let Some(Value::Object(m)) = at(&mut req, &path) {
                let keys: Vec<String> = m.keys().cloned().collect();
                if !keys.is_empty() {
                    m.remove(&keys[rng.usize(..keys.len())]);
                }
            }
            (name, req.to_string(), None)
        }
        Break::DuplicateKey => {
            // Repeat the first key of a non-empty object, textually.
            let with_keys: Vec<Vec<Value>> = objects
                .into_iter()
                .filter(|p| {
                    let mut probe = req.clone();
                    at(&mut probe, p)
                        .and_then(|v| v.as_object().map(|m| !m.is_empty()))
                        .unwrap_or(false)
                })
                .collect();
            if with_keys.is_empty() {
                return (name, "{\"a\":1,\"a\":2}".into(), Some("input.invalid"));
            }
            let path = with_keys[rng.usize(..with_keys.len())].clone();
            let marker = "\"__dup_marker__\":0";
            if let Some(Value::Object(m)) = at(&mut req, &path) {
                m.insert("__dup_marker__".into(), json!(0));
            }
            let mut probe = req.clone();
            let first = at(&mut probe, &path)
                .and_then(|v| {
                    v.as_object().and_then(|m| {
                        m.iter()
                            .find(|(k, _)| *k != "__dup_marker__")
                            .map(|(k, v)| format!("{}:{}", json!(k), v))
                    })
                })
                .unwrap_or_default();
            (
                name,
                req.to_string().replacen(marker, &first, 1),
                Some("input.invalid"),
            )
        }
        Break::Truncate => {
            let text = req.to_string();
            let cut = rng.usize(..text.len().max(1));
            let cut = (0..=cut)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            let t = format!("{}{{", &text[..cut]);
            (name, t, Some("input.not_json"))
        }
        Break::TooLarge => {
            let t = format!("{{\"pad\":\"{}\"}}", "p".repeat(MAX_REQUEST_BYTES));
            (name, t, Some("input.too_large"))
        }
        Break::UnknownCommand => (
            format!("{name}_v2"),
            req.to_string(),
            Some("command.unknown"),
        ),
        Break::WrongTop => {
            let t = ["[]", "\"booking\"", "42", "true"][rng.usize(..4)].to_owned();
            (name, t, Some("input.invalid"))
        }
    }
}

// ------------------------------------------------------------ the practice under test

/// Zones and a DST transition in each, near which the clock starts.
const DST_DAYS: &[(&str, &str)] = &[
    ("America/New_York", "2026-03-08"),
    ("America/New_York", "2026-11-01"),
    ("Europe/London", "2026-03-29"),
    ("Europe/London", "2026-10-25"),
    ("Australia/Lord_Howe", "2026-10-04"),
    ("Pacific/Auckland", "2026-04-05"),
];

struct Practice {
    hearth: Hearth,
    clock: Arc<FixedClock>,
    dir: tempfile::TempDir,
    manager: Actor,
    tz: Tz,
    hotel: bool,
    chairs: Vec<i64>,
    providers: Vec<i64>,
    rooms: Vec<i64>,
    types: Vec<i64>,
    bookings: Vec<i64>,
    dst_day: NaiveDate,
}

impl Practice {
    fn new(hotel: bool, zone: usize, start_offset_h: i64) -> Practice {
        let (zone, day) = DST_DAYS[zone % DST_DAYS.len()];
        let tz: Tz = zone.parse().expect("zone");
        let dst_day = NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("day");
        let now = local_ms(tz, dst_day, 0) + start_offset_h * 3_600_000;
        let clock = Arc::new(FixedClock::new(now));
        let dir = tempfile::tempdir().expect("dir");
        let hearth =
            Hearth::open_with_clock(dir.path().join("fuzz.db"), clock.clone()).expect("open");
        let args = json!({
            "kind": if hotel { "hotel" } else { "dental" }, "name": "Fuzz", "time_zone": zone, "manager_name": "M",
            "manager_login": "mm", "manager_password": "fuzz-password",
            // Open around the clock every day so DST hours are bookable.
            "opening_hours": (0..7).map(|w| json!({ "weekday": w, "opens": 0, "closes": 1440 })).collect::<Vec<_>>(),
        });
        let done = hearth_core::gate::access(
            &hearth,
            &Default::default(),
            "setup_practice",
            &args.to_string(),
        )
        .expect("setup");
        let manager = Actor {
            staff_id: done.info.signed_in.map(|s| s.staff.id),
            origin: None,
            ..Default::default()
        };
        let mut p = Practice {
            hearth,
            clock,
            dir,
            manager,
            tz,
            hotel,
            chairs: vec![],
            providers: vec![],
            rooms: vec![],
            types: vec![],
            bookings: vec![],
            dst_day,
        };
        let resources = p.ok("list_resources", json!({}));
        for r in resources.as_array().into_iter().flatten() {
            let id = r["id"].as_i64().unwrap_or(0);
            match r["kind"].as_str() {
                Some("chair") => p.chairs.push(id),
                Some("provider") => p.providers.push(id),
                Some("room") => p.rooms.push(id),
                _ => {}
            }
        }
        p.types = p
            .ok("list_appointment_types", json!({}))
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["id"].as_i64())
            .collect();
        p
    }

    fn ok(&self, name: &str, args: Value) -> Value {
        commands::dispatch_value(&self.hearth, &self.manager, name, args).unwrap_or(Value::Null)
    }

    fn run_text(&self, name: &str, text: &str) -> Result<Value, hearth_core::CoreError> {
        let raw = commands::dispatch(&self.hearth, &self.manager, name, text)?;
        Ok(serde_json::from_str(raw.get()).unwrap_or(Value::Null))
    }

    /// Every table's row count plus the columns a write changes (a look at a
    /// booking before changing it is recorded, and is not a write).
    fn fingerprint(&self) -> String {
        let conn =
            hearth_core::store::keys::open_raw(self.dir.path().join("fuzz.db")).expect("open");
        conn.query_row(
            "SELECT (SELECT count(*) || ':' || ifnull(sum(version), 0) || ':' || ifnull(sum(live), 0) || ':' || ifnull(sum(starts_at_ms % 1000003), 0) FROM bookings)
              || '|' || (SELECT count(*) || ':' || ifnull(sum(live), 0) || ':' || ifnull(sum(resource_id), 0) FROM booking_resources)
              || '|' || (SELECT count(*) FROM audit_log WHERE action <> 'looked') || '|' || (SELECT count(*) FROM status_changes)
              || '|' || (SELECT count(*) || ':' || ifnull(sum(removed), 0) FROM blocks)
              || '|' || (SELECT count(*) || ':' || ifnull(sum(archived), 0) FROM staff)
              || '|' || (SELECT count(*) || ':' || ifnull(sum(archived), 0) FROM resources)
              || '|' || (SELECT count(*) FROM appointment_types) || '|' || (SELECT count(*) FROM room_types)
              || '|' || (SELECT version FROM practice) || '|' || (SELECT count(*) FROM opening_hours) || '|' || (SELECT count(*) FROM opening_breaks)",
            [],
            |r| r.get(0),
        )
        .expect("fingerprint")
    }

    /// No text kept anywhere in the file holds a control character (but tab
    /// and line breaks) or a direction override, and all of it is NFC.
    fn check_stored_text(&self) -> Result<(), TestCaseError> {
        use unicode_normalization::UnicodeNormalization;
        let conn =
            hearth_core::store::keys::open_raw(self.dir.path().join("fuzz.db")).expect("open");
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'people_search%'")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .expect("tables");
        for t in tables {
            let mut st = conn
                .prepare(&format!("SELECT * FROM \"{t}\""))
                .expect("select");
            let n = st.column_count();
            let mut rows = st.query([]).expect("rows");
            while let Some(row) = rows.next().expect("row") {
                for i in 0..n {
                    if let Ok(rusqlite::types::ValueRef::Text(b)) = row.get_ref(i) {
                        let text = String::from_utf8_lossy(b);
                        let bad = text.chars().find(|&c| {
                            (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
                        });
                        prop_assert!(bad.is_none(), "{}: {:?} holds {:?}", t, text, bad);
                        prop_assert!(text.nfc().eq(text.chars()), "{}: {:?} is not NFC", t, text);
                    }
                }
            }
        }
        Ok(())
    }

    /// The booking is listed by the list query of its first and last local day.
    fn check_listed(&self, id: i64) -> Result<(), TestCaseError> {
        let b = self.ok("get_booking", json!({ "id": id }));
        if b.is_null() || b["status"] == "cancelled" || b["status"] == "no_show" {
            return Ok(());
        }
        let (s, e) = (
            b["starts_at_ms"].as_i64().unwrap_or(0),
            b["ends_at_ms"].as_i64().unwrap_or(0),
        );
        for ms in [s, e - 1] {
            let day = local_date(self.tz, ms);
            let list = self.ok("list_bookings", json!({ "from_ms": local_ms(self.tz, day, 0), "to_ms": local_ms(self.tz, day, 1440) }));
            let found = list
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x["id"] == id));
            prop_assert!(
                found,
                "booking {} ({}–{}) is missing from the list of {}",
                id,
                s,
                e,
                day
            );
        }
        Ok(())
    }
}

// ------------------------------------------------------------ the steps

#[derive(Debug, Clone)]
enum Step {
    Book {
        day: i8,
        minute: u16,
        minutes: u16,
        chair: u8,
        provider: u8,
        type_pick: u8,
        nights: u8,
        override_rules: bool,
    },
    Move {
        pick: u8,
        day: i8,
        minute: u16,
        minutes: u16,
        chair: u8,
        nights: u8,
        override_rules: bool,
    },
    Cancel {
        pick: u8,
    },
    Status {
        pick: u8,
        status: u8,
    },
    Advance {
        minutes: u16,
    },
    Slots {
        day: i8,
        within: u8,
    },
    Any {
        command: u8,
        seed: u64,
        how: u8,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (-3i8..10, 0u16..1440, 5u16..240, any::<u8>(), any::<u8>(), any::<u8>(), 1u8..5, any::<bool>()).prop_map(
            |(day, minute, minutes, chair, provider, type_pick, nights, override_rules)| Step::Book { day, minute, minutes, chair, provider, type_pick, nights, override_rules }),
        2 => (any::<u8>(), -3i8..10, 0u16..1440, 5u16..240, any::<u8>(), 1u8..5, any::<bool>()).prop_map(
            |(pick, day, minute, minutes, chair, nights, override_rules)| Step::Move { pick, day, minute, minutes, chair, nights, override_rules }),
        1 => any::<u8>().prop_map(|pick| Step::Cancel { pick }),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(pick, status)| Step::Status { pick, status }),
        1 => (0u16..3000).prop_map(|minutes| Step::Advance { minutes }),
        1 => (-1i8..6, 1u8..4).prop_map(|(day, within)| Step::Slots { day, within }),
        4 => (any::<u8>(), any::<u64>(), any::<u8>()).prop_map(|(command, seed, how)| Step::Any { command, seed, how }),
    ]
}

const STATUSES: [&str; 9] = [
    "booked",
    "confirmed",
    "arrived",
    "in_treatment",
    "checked_in",
    "completed",
    "checked_out",
    "cancelled",
    "no_show",
];

fn check_error(e: &hearth_core::CoreError) -> Result<(), TestCaseError> {
    let code = e.code();
    prop_assert!(CODES.contains(&code), "unknown code {}", code);
    let msg = e.to_string();
    prop_assert!(!msg.trim().is_empty(), "empty message for {}", code);
    if code.starts_with("input.") {
        prop_assert!(
            !msg.contains('`') && !msg.contains(" at line "),
            "parser words in {:?}",
            msg
        );
    }
    Ok(())
}

fn run_case(
    reg: &Registry,
    hotel: bool,
    zone: usize,
    start_h: i64,
    steps: &[Step],
) -> Result<(), TestCaseError> {
    let mut p = Practice::new(hotel, zone, start_h);
    let db = p.dir.path().join("fuzz.db");
    for st in steps {
        let before = p.fingerprint();
        let pick = |p: &Practice, i: u8| {
            (!p.bookings.is_empty()).then(|| p.bookings[usize::from(i) % p.bookings.len()])
        };
        let day = |p: &Practice, d: i8| p.dst_day + chrono::Duration::days(i64::from(d));
        let time_of = |p: &Practice, d: i8, minute: u16, minutes: u16, nights: u8| {
            let date = day(p, d);
            if p.hotel {
                json!({ "kind": "nights", "arrival": date.to_string(), "departure": (date + chrono::Duration::days(i64::from(nights))).to_string() })
            } else {
                let s = local_ms(p.tz, date, u32::from(minute / 5 * 5));
                json!({ "kind": "timed", "starts_at_ms": s, "ends_at_ms": s + i64::from(minutes) * 60_000 })
            }
        };
        let resources = |p: &Practice, chair: u8, provider: u8| -> Vec<i64> {
            if p.hotel {
                vec![p.rooms[usize::from(chair) % p.rooms.len()]]
            } else {
                vec![
                    p.chairs[usize::from(chair) % p.chairs.len()],
                    p.providers[usize::from(provider) % p.providers.len()],
                ]
            }
        };
        let (name, text, expect, write): (String, String, Option<&str>, bool) = match st {
            Step::Book {
                day: d,
                minute,
                minutes,
                chair,
                provider,
                type_pick,
                nights,
                override_rules,
            } => {
                // One booking in four carries text built to hide or deceive.
                let (who, notes) = if *provider % 4 == 0 {
                    let i = usize::from(*type_pick) % HIDDEN.len();
                    (HIDDEN[i], HIDDEN[(i + 1) % HIDDEN.len()])
                } else {
                    ("Fuzz Person", "")
                };
                let req = json!({ "person_name": who, "notes": notes, "type_id": p.types[usize::from(*type_pick) % p.types.len()],
                    "resource_ids": resources(&p, *chair, *provider), "time": time_of(&p, *d, *minute, *minutes, *nights), "override_rules": override_rules });
                ("create_booking".into(), req.to_string(), None, true)
            }
            Step::Move {
                pick: i,
                day: d,
                minute,
                minutes,
                chair,
                nights,
                override_rules,
            } => {
                let Some(id) = pick(&p, *i) else { continue };
                let b = p.ok("get_booking", json!({ "id": id }));
                let ids = b["resource_ids"].as_array().cloned().unwrap_or_default();
                let mut ids: Vec<i64> = ids.iter().filter_map(Value::as_i64).collect();
                // Swap the chair or room, keep the provider.
                if let Some(first) = ids
                    .iter_mut()
                    .find(|r| p.chairs.contains(r) || p.rooms.contains(r))
                {
                    *first = resources(&p, *chair, 0)[0];
                }
                let req = json!({ "id": id, "expected_version": b["version"], "resource_ids": ids,
                    "time": time_of(&p, *d, *minute, *minutes, *nights), "override_rules": override_rules });
                ("update_booking".into(), req.to_string(), None, true)
            }
            Step::Cancel { pick: i } => {
                let Some(id) = pick(&p, *i) else { continue };
                let b = p.ok("get_booking", json!({ "id": id }));
                (
                    "cancel_booking".into(),
                    json!({ "id": id, "expected_version": b["version"], "reason": "fuzz" })
                        .to_string(),
                    None,
                    true,
                )
            }
            Step::Status { pick: i, status } => {
                let Some(id) = pick(&p, *i) else { continue };
                let b = p.ok("get_booking", json!({ "id": id }));
                let to = STATUSES[usize::from(*status) % STATUSES.len()];
                // What the core offered now must be accepted now.
                let offered = b["next_statuses"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|s| s == to));
                let r = p.run_text(
                    "set_booking_status",
                    &json!({ "id": id, "expected_version": b["version"], "status": to })
                        .to_string(),
                );
                // Restoring a no-show is offered, and re-checks the slot: someone
                // may have taken it meanwhile. Nothing else offered may be refused.
                let restoring = b["status"] == "no_show";
                let retaken = restoring
                    && r.as_ref()
                        .err()
                        .is_some_and(|e| e.code() == "booking.overlap");
                if offered && !retaken {
                    prop_assert!(
                        r.is_ok(),
                        "{} was offered for booking {} but refused: {:?}",
                        to,
                        id,
                        r.err().map(|e| e.to_string())
                    );
                } else {
                    prop_assert!(
                        r.is_err(),
                        "{} was not offered for booking {} but accepted",
                        to,
                        id
                    );
                }
                if let Err(e) = &r {
                    check_error(e)?;
                    prop_assert_eq!(
                        &before,
                        &p.fingerprint(),
                        "a refused status change wrote something"
                    );
                }
                p.check_listed(id)?;
                prop_assert_eq!(clashes(&db).1, 0);
                continue;
            }
            Step::Advance { minutes } => {
                p.clock.advance_minutes(i64::from(*minutes));
                continue;
            }
            Step::Slots { day: d, within } => {
                if p.hotel {
                    let date = day(&p, *d);
                    let free = p.ok("find_free_rooms", json!({ "arrival": date.to_string(), "departure": (date + chrono::Duration::days(i64::from(*within))).to_string() }));
                    let today = local_date(p.tz, p.clock.now_ms());
                    if let (Some(room), true) =
                        (free.as_array().and_then(|a| a.first()), date >= today)
                    {
                        // A guest of their own: one guest in two rooms is a rule of its own (stays.rs).
                        let guest = format!("Free Room {}", p.bookings.len());
                        let r = p.run_text("create_booking", &json!({ "person_name": guest, "type_id": p.types[0], "resource_ids": [room["id"]],
                            "time": { "kind": "nights", "arrival": date.to_string(), "departure": (date + chrono::Duration::days(i64::from(*within))).to_string() } }).to_string());
                        prop_assert!(
                            r.is_ok(),
                            "a room offered as free was refused: {:?}",
                            r.err().map(|e| e.to_string())
                        );
                        if let Ok(b) = r {
                            p.bookings.push(b["id"].as_i64().unwrap_or(0));
                        }
                    }
                } else {
                    let slots = p.ok("find_slots", json!({ "type_id": p.types[0], "from_date": day(&p, *d).to_string(), "within_days": within, "count": 200 }));
                    let starts: Vec<i64> = slots
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|s| s["starts_at_ms"].as_i64())
                        .collect();
                    let mut distinct = starts.clone();
                    distinct.sort_unstable();
                    distinct.dedup();
                    prop_assert_eq!(
                        distinct.len(),
                        starts.len(),
                        "slot search offered the same instant twice"
                    );
                    prop_assert!(
                        starts.iter().all(|&s| s >= p.clock.now_ms()),
                        "a slot in the past was offered"
                    );
                    if let Some(first) = slots.as_array().and_then(|a| a.first()) {
                        let r = p.run_text("create_booking", &json!({ "person_name": "Slot Taker", "someone_new": true, "type_id": p.types[0], "resource_ids": first["resource_ids"],
                            "time": { "kind": "timed", "starts_at_ms": first["starts_at_ms"], "ends_at_ms": first["ends_at_ms"] } }).to_string());
                        prop_assert!(
                            r.is_ok(),
                            "an offered slot was refused: {:?}",
                            r.err().map(|e| e.to_string())
                        );
                        if let Ok(b) = r {
                            p.bookings.push(b["id"].as_i64().unwrap_or(0));
                        }
                    }
                }
                prop_assert_eq!(clashes(&db).1, 0);
                continue;
            }
            Step::Any { command, seed, how } => {
                let (cmd, write, schema) =
                    reg.commands[usize::from(*command) % reg.commands.len()].clone();
                let mut g = Gen {
                    rng: fastrand::Rng::with_seed(*seed),
                    reg,
                    now_ms: p.clock.now_ms(),
                    tz: p.tz,
                };
                let req = g.value(&schema, "", 0);
                let how = BREAKS[usize::from(*how) % BREAKS.len()];
                let (name, text, expect) = broken(&mut g.rng, cmd, req, how);
                (name, text, expect, write)
            }
        };
        let result = p.run_text(&name, &text);
        match (&result, expect) {
            (Err(e), _) => {
                check_error(e)?;
                if let Some(code) = expect {
                    prop_assert_eq!(
                        e.code(),
                        code,
                        "{} {}",
                        name,
                        text.chars().take(300).collect::<String>()
                    );
                }
                prop_assert_eq!(
                    &before,
                    &p.fingerprint(),
                    "refused {} wrote something: {}",
                    name,
                    e
                );
            }
            (Ok(v), Some(code)) => {
                prop_assert!(
                    false,
                    "{} should have been refused with {}: {} -> {}",
                    name,
                    code,
                    text.chars().take(300).collect::<String>(),
                    v
                );
            }
            (Ok(v), None) => {
                if write {
                    p.check_stored_text()?;
                }
                if !write {
                    prop_assert_eq!(
                        &before,
                        &p.fingerprint(),
                        "the read {} wrote something",
                        name
                    );
                }
                if name.ends_with("_booking") || name == "set_booking_status" {
                    if let Some(id) = v["id"].as_i64() {
                        if !p.bookings.contains(&id) {
                            p.bookings.push(id);
                        }
                        p.check_listed(id)?;
                    }
                }
            }
        }
        prop_assert_eq!(
            clashes(&db).1,
            0,
            "two live bookings overlap after {}",
            name
        );
    }
    for id in p.bookings.clone() {
        p.check_listed(id)?;
    }
    Ok(())
}

fn strategy() -> impl Strategy<Value = (bool, usize, i64, Vec<Step>)> {
    (
        any::<bool>(),
        0usize..DST_DAYS.len(),
        -72i64..48,
        proptest::collection::vec(step(), 1..40),
    )
}

/// A bounded pass in the test command; `HEARTH_FUZZ_SECONDS` makes it a long run.
#[test]
fn dispatch_holds_its_invariants_whatever_it_is_sent() {
    let reg = registry();
    assert!(reg.commands.len() >= 20, "every command is visited");
    let seconds: u64 = std::env::var("HEARTH_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let cases: u32 = std::env::var("HEARTH_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let deadline = Clock::now() + Duration::from_secs(seconds);
    let mut rounds = 0u64;
    loop {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&strategy(), |(hotel, zone, start_h, steps)| {
            run_case(&reg, hotel, zone, start_h, &steps)
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        rounds += 1;
        if Clock::now() >= deadline {
            break;
        }
    }
    if seconds > 0 {
        println!("fuzz: {rounds} rounds of {cases} cases, no finding");
    }
}
