//! What a flood of refused requests costs the desk: a booking's latency while
//! two threads send requests that are refused (not signed in; signed in as
//! housekeeping and not allowed to book), against the same bookings on a
//! quiet practice. The practice is the 2-year demo dental practice, encrypted.
//!
//! Run with `cargo bench -p hearth-core --bench floods`. Goal (see
//! docs/performance.md): a booking's p99 while 10,000 refused requests arrive
//! ≤ 1.5 × a quiet one. Also shown: two threads refused flat out, which on a
//! two-core machine is mostly a fight for the CPU, not for the writer.
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_core::clock::FixedClock;
use hearth_core::commands::dispatch;
use hearth_core::demo::{self, DemoOptions};
use hearth_core::gate::{self, Caller};
use hearth_core::setup::practice::PracticeKind;
use hearth_core::store::keys::KeyStore;
use hearth_core::{Actor, Hearth};
use serde_json::json;

mod latency;
use latency::{ms, percentile};

const DAY: i64 = 86_400_000;
const BOOKINGS: usize = 400;

fn first_of(h: &Hearth, actor: &Actor, list: &str, field: &str, value: &str) -> i64 {
    let v: serde_json::Value =
        serde_json::from_str(dispatch(h, actor, list, "{}").expect(list).get()).expect("json");
    v.as_array()
        .and_then(|a| a.iter().find(|x| x[field] == value))
        .and_then(|x| x["id"].as_i64())
        .expect(value)
}

/// Books `n` appointments one at a time from day `first`; sorted latencies.
fn book(h: &Hearth, actor: &Actor, ids: (i64, i64, i64), first: i64, n: usize) -> Vec<Duration> {
    let mut out: Vec<Duration> = (0..n as i64)
        .map(|i| {
            let start = first + (i / 15) * DAY + 9 * 3_600_000 + (i % 15) * 1_800_000;
            let args = json!({
                "person_name": format!("Bench {first} {i}"), "someone_new": true, "type_id": ids.0,
                "resource_ids": [ids.1, ids.2], "override_rules": true,
                "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 1_800_000 },
            })
            .to_string();
            let t = Instant::now();
            dispatch(h, actor, "create_booking", &args).expect("booked");
            t.elapsed()
        })
        .collect();
    out.sort();
    out
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = KeyStore::at(dir.path().join("keys"));
    let tz: chrono_tz::Tz = "Europe/London".parse().expect("zone");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let clock = Arc::new(FixedClock::new(hearth_core::time::local_ms(
        tz,
        today,
        7 * 60,
    )));
    let path = dir.path().join("practice").join("hearth.db");
    std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
    let h = Arc::new(Hearth::open_keyed(&path, clock, &keys).expect("open"));
    let summary = demo::generate(
        &h,
        &DemoOptions {
            kind: PracticeKind::Dental,
            years: 2,
            resources: Some(6),
            seed: 11,
        },
    )
    .expect("demo");
    println!(
        "== floods bench: 2-year demo dental practice, {} bookings; {BOOKINGS} bookings timed each way ==",
        summary.bookings
    );
    let manager = Actor::staff(hearth_core::ids::StaffId(1));
    let ids = (
        first_of(&h, &manager, "list_appointment_types", "name", "Check-up"),
        first_of(&h, &manager, "list_resources", "kind", "chair"),
        first_of(&h, &manager, "list_resources", "kind", "provider"),
    );
    let housekeeping = {
        let saved: serde_json::Value = serde_json::from_str(
            dispatch(&h, &manager, "save_staff", &json!({ "name": "Hana", "role": "housekeeping", "colour": "#123456", "login": "hana", "temporary_password": "temporary-1" }).to_string())
                .expect("staff")
                .get(),
        )
        .expect("json");
        Actor::staff(hearth_core::ids::StaffId(saved["id"].as_i64().expect("id")))
    };
    // Warm: caches, statements, pages.
    book(&h, &manager, ids, 1_900_000_000_000, 100);

    let quiet = book(&h, &manager, ids, 1_910_000_000_000, BOOKINGS);
    let quiet_total: Duration = quiet.iter().sum();

    // 10,000 refused requests, spread over as long as the quiet bookings took
    // (two senders, 100 bursts of 50 each), then as fast as two threads can
    // send them for as long as the bookings take.
    let flood = |first_day: i64, paced: bool| {
        let stop = Arc::new(AtomicBool::new(false));
        let refused = Arc::new(AtomicU64::new(0));
        let flooders: Vec<_> = (0..2)
            .map(|t| {
                let (h, stop, refused, housekeeping) =
                    (h.clone(), stop.clone(), refused.clone(), housekeeping.clone());
                std::thread::spawn(move || {
                    let stranger = Caller {
                        workstation: "Browser on Linux".into(),
                        ..Default::default()
                    };
                    let booking = json!({ "person_name": "X", "type_id": 1, "resource_ids": [1], "time": { "kind": "timed", "starts_at_ms": 0, "ends_at_ms": 1 } }).to_string();
                    for i in 0u64.. {
                        if (paced && i == 5_000) || (!paced && stop.load(Ordering::Relaxed)) {
                            break;
                        }
                        if paced && i % 50 == 0 {
                            std::thread::sleep(quiet_total / 100);
                        }
                        let e = if t == 0 {
                            gate::run(&h, &stranger, "list_staff", "{}").map(|_| ())
                        } else {
                            dispatch(&h, &housekeeping, "create_booking", &booking).map(|_| ())
                        };
                        assert!(e.is_err(), "a flood request was allowed");
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        let during = book(&h, &manager, ids, first_day, BOOKINGS);
        stop.store(true, Ordering::Relaxed);
        for f in flooders {
            f.join().expect("flooder");
        }
        (during, refused.load(Ordering::Relaxed))
    };
    let (q50, q99) = (percentile(&quiet, 0.5), percentile(&quiet, 0.99));
    println!(
        "booking (create_booking), quiet:            p50 {:>7.3} ms p99 {:>7.3} ms",
        ms(q50),
        ms(q99)
    );
    for (what, first_day, paced) in [
        ("10,000 refused, spread", 1_920_000_000_000, true),
        ("two threads flat out", 1_930_000_000_000, false),
    ] {
        let (during, n) = flood(first_day, paced);
        let (f50, f99) = (percentile(&during, 0.5), percentile(&during, 0.99));
        println!(
            "booking during {what:<22}: p50 {:>7.3} ms p99 {:>7.3} ms | p99 ×{:.2} | {n} refused",
            ms(f50),
            ms(f99),
            ms(f99) / ms(q99)
        );
    }
    let entries: i64 = h
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT count(*) FROM audit_log WHERE outcome IN ('auth.required', 'staff.forbidden')",
                [],
                |r| r.get(0),
            )?)
        })
        .expect("count");
    println!("audit entries left by every refused request above: {entries}");
}
