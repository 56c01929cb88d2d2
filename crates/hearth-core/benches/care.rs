//! The arrival card and the task board on a busy hotel: three years of the
//! demo hotel (40 rooms), with a remembered incident and an anniversary on
//! many of its regulars so the card has something to gather.
//! `get_arrival_card` for bookings across the years and `list_tasks` for a
//! role's day, through `commands::dispatch` (JSON in and out). Run with
//! `cargo bench -p hearth-core --bench care`; figures in docs/performance.md.
use std::time::{Duration, Instant};

use hearth_core::commands::dispatch;
use hearth_core::demo::{self, DemoOptions};
use hearth_core::ids::StaffId;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::{Actor, Hearth};
use serde_json::{json, Value};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn call(h: &Hearth, actor: &Actor, name: &str, args: Value) -> Value {
    let raw = dispatch(h, actor, name, &args.to_string()).expect(name);
    serde_json::from_str(raw.get()).expect("json")
}

fn report(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:>16}: p50 {:.2} ms, p99 {:.2} ms ({} calls)",
        ms(percentile(&v, 0.5)),
        ms(percentile(&v, 0.99)),
        v.len()
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let hearth = Hearth::open(dir.path().join("care.db")).expect("open");
    let started = Instant::now();
    let summary = demo::generate(
        &hearth,
        &DemoOptions {
            kind: PracticeKind::Hotel,
            years: 3,
            resources: Some(40),
            seed: 11,
        },
    )
    .expect("demo");
    let manager = Actor::staff(StaffId(1));
    // Give a few hundred regulars an anniversary and an incident remembered
    // from their first stay, through the commands a desk would use.
    let conn = hearth_core::store::keys::open_raw(dir.path().join("care.db")).expect("open");
    let regulars: Vec<(i64, i64)> = conn
        .prepare(
            "SELECT person_id, min(id) FROM bookings WHERE status = 'checked_out' GROUP BY person_id
              HAVING count(*) > 2 ORDER BY person_id LIMIT 300",
        )
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    for (i, (person, first)) in regulars.iter().enumerate() {
        call(
            &hearth,
            &manager,
            "add_important_date",
            json!({ "person_id": person, "kind": "anniversary", "month": 1 + i % 12, "day": 1 + i % 28, "year": 2010 }),
        );
        let incident = call(
            &hearth,
            &manager,
            "log_incident",
            json!({ "booking_id": first, "what": "Weak shower", "category": "maintenance", "severity": "moderate", "task_for": "housekeeping" }),
        );
        call(
            &hearth,
            &manager,
            "update_incident",
            json!({ "id": incident["id"], "expected_version": incident["version"], "resolution": "Fixed", "resolved": true,
                    "remember": true, "gesture": "Welcome note" }),
        );
    }
    println!(
        "{} bookings, {} regulars with a remembered incident, written in {:.1}s",
        summary.bookings,
        regulars.len(),
        started.elapsed().as_secs_f64()
    );

    let bookings: Vec<i64> = conn
        .prepare("SELECT id FROM bookings WHERE person_id IN (SELECT person_id FROM incidents) ORDER BY id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let mut cards = Vec::new();
    for id in bookings.iter().step_by((bookings.len() / 1000).max(1)) {
        let args = json!({ "booking_id": id }).to_string();
        let t = Instant::now();
        dispatch(&hearth, &manager, "get_arrival_card", &args).expect("card");
        cards.push(t.elapsed());
    }
    report("get_arrival_card", cards);

    let now = chrono::Utc::now().timestamp_millis();
    let mut boards = Vec::new();
    for day in -200..200i64 {
        let from = now + day * 86_400_000;
        let args = json!({ "role": "housekeeping", "from_ms": from, "to_ms": from + 86_400_000, "include_closed": true }).to_string();
        let t = Instant::now();
        dispatch(&hearth, &manager, "list_tasks", &args).expect("board");
        boards.push(t.elapsed());
    }
    report("list_tasks (day)", boards);
}
