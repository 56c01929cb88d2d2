//! A booking's latency alone and beside four concurrent year-long reads, in
//! one run, on the 2-year demo dental practice (6 chairs).
//!
//! Run with `cargo bench -p hearth-core --bench concurrency`. The goal (see
//! docs/performance.md): p99 with readers ≤ 1.2 × p99 alone. Each booking is a
//! full `create_booking` through `commands::dispatch` (JSON in and out, the
//! rule check, the audit entry, the commit with `synchronous=FULL`); each read
//! is `list_bookings` over 365 days, as a report or a year view would ask.
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_core::commands::dispatch;
use hearth_core::demo::{self, DemoOptions};
use hearth_core::setup::practice::PracticeKind;
use hearth_core::{Actor, Hearth};
use serde_json::json;

mod latency;
use latency::{ms, percentile};

const BOOKINGS: usize = 1500;
const READERS: usize = 4;
const DAY: i64 = 86_400_000;

/// Books `BOOKINGS` appointments, one at a time, in free far-future slots
/// starting at `first`; returns each one's latency, sorted.
fn book_many(h: &Hearth, actor: &Actor, ids: (i64, i64, i64), first: i64) -> Vec<Duration> {
    let (type_id, chair, provider) = ids;
    let mut out = Vec::with_capacity(BOOKINGS);
    for i in 0..BOOKINGS as i64 {
        // Weekdays 09:00–16:30 UTC in half-hour steps, far ahead (no clash).
        let day = i / 15;
        let start = first + day * DAY + 9 * 3_600_000 + (i % 15) * 1_800_000;
        let args = json!({
            "person_name": format!("Bench {i}"), "type_id": type_id, "resource_ids": [chair, provider],
            "override_rules": true,
            "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 1_800_000 },
        })
        .to_string();
        let t = Instant::now();
        dispatch(h, actor, "create_booking", &args).expect("booked");
        out.push(t.elapsed());
    }
    out.sort();
    out
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let hearth = Arc::new(Hearth::open(&path).expect("open"));
    let started = Instant::now();
    let summary = demo::generate(
        &hearth,
        &DemoOptions {
            kind: PracticeKind::Dental,
            years: 2,
            resources: Some(6),
            seed: 11,
        },
    )
    .expect("demo");
    println!(
        "demo: {} bookings, {} resources, in {:.1}s",
        summary.bookings,
        summary.resources,
        started.elapsed().as_secs_f64()
    );
    let actor = Actor::staff(hearth_core::ids::StaffId(1));
    let types: serde_json::Value = serde_json::from_str(
        dispatch(&hearth, &actor, "list_appointment_types", "{}")
            .expect("types")
            .get(),
    )
    .expect("json");
    let resources: serde_json::Value = serde_json::from_str(
        dispatch(&hearth, &actor, "list_resources", "{}")
            .expect("resources")
            .get(),
    )
    .expect("json");
    let find = |kind: &str| {
        resources
            .as_array()
            .and_then(|a| a.iter().find(|r| r["kind"] == kind))
            .and_then(|r| r["id"].as_i64())
            .expect("resource")
    };
    let type_id = types
        .as_array()
        .and_then(|a| a.iter().find(|t| t["name"] == "Check-up"))
        .and_then(|t| t["id"].as_i64())
        .expect("Check-up");
    let ids = (type_id, find("chair"), find("provider"));
    // 2031-01-06 00:00 UTC and 2032-01-05: two disjoint far-future runs.
    let (first_a, first_b) = (1_925_424_000_000_i64, 1_957_046_400_000_i64);

    // Warm up the caches and statement caches.
    let _ = book_many(&hearth, &actor, ids, first_a - 400 * DAY);

    let alone = book_many(&hearth, &actor, ids, first_a);

    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicU64::new(0));
    let now = hearth.clock.now_ms();
    let year =
        json!({ "from_ms": now - 365 * DAY, "to_ms": now, "include_cancelled": false }).to_string();
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (h, stop, reads, year) =
                (hearth.clone(), stop.clone(), reads.clone(), year.clone());
            std::thread::spawn(move || {
                let actor = Actor::staff(hearth_core::ids::StaffId(1));
                while !stop.load(Ordering::Relaxed) {
                    dispatch(&h, &actor, "list_bookings", &year).expect("year read");
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Let the readers get going.
    std::thread::sleep(Duration::from_millis(300));
    let before = reads.load(Ordering::Relaxed);
    let t = Instant::now();
    let beside = book_many(&hearth, &actor, ids, first_b);
    let elapsed = t.elapsed();
    let during = reads.load(Ordering::Relaxed) - before;
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().expect("reader");
    }

    let (p50a, p99a) = (percentile(&alone, 0.5), percentile(&alone, 0.99));
    let (p50b, p99b) = (percentile(&beside, 0.5), percentile(&beside, 0.99));
    println!(
        "create_booking alone:            p50 {:.2} ms, p99 {:.2} ms ({BOOKINGS} bookings)",
        ms(p50a),
        ms(p99a)
    );
    println!(
        "create_booking beside {READERS} readers: p50 {:.2} ms, p99 {:.2} ms ({during} year-long reads meanwhile, {:.0}/s)",
        ms(p50b),
        ms(p99b),
        during as f64 / elapsed.as_secs_f64()
    );
    println!("p99 ratio (beside / alone): {:.2}", ms(p99b) / ms(p99a));
}
