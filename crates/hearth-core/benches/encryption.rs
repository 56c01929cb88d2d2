//! What encryption and backups cost the desk, in one run, on the 10-year demo
//! dental practice (6 chairs, the calendar bench's practice).
//!
//! Run with `cargo bench -p hearth-core --bench encryption`. Goals (see
//! docs/performance.md): the encrypted file (SQLCipher) ≤ 1.15 × the same
//! file plain on the day view, the week view, a slot search and a booking's
//! p99; a booking's p99 while a backup runs ≤ 1.5 × alone.
//!
//! The practice is generated once, encrypted; its plain twin is an exact
//! export of it (`sqlcipher_export`), so both hold the same rows. Each
//! measurement alternates plain and encrypted rounds, so both see the same
//! machine.
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_core::clock::FixedClock;
use hearth_core::commands::dispatch;
use hearth_core::demo::{self, DemoOptions};
use hearth_core::setup::practice::PracticeKind;
use hearth_core::store::backup;
use hearth_core::store::keys::{self, KeyStore};
use hearth_core::{Actor, Hearth};
use serde_json::json;

mod latency;
use latency::{ms, percentile};

const DAY: i64 = 86_400_000;

/// Bookings timed alone, then while backups run back to back: enough for
/// several backups (about a second each), so one booking that meets a
/// backup's sync does not alone decide the p99.
const BESIDE_BACKUPS: usize = 3000;

/// Runs `f` `n` times; the sorted latencies.
fn times(n: usize, mut f: impl FnMut(usize)) -> Vec<Duration> {
    let mut out: Vec<Duration> = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    out.sort();
    out
}

struct Ids {
    type_id: i64,
    chair: i64,
    provider: i64,
    crown: i64,
}

fn ids(h: &Hearth, actor: &Actor) -> Ids {
    let get = |name: &str| -> serde_json::Value {
        serde_json::from_str(dispatch(h, actor, name, "{}").expect(name).get()).expect("json")
    };
    let types = get("list_appointment_types");
    let resources = get("list_resources");
    let ty = |n: &str| {
        types
            .as_array()
            .and_then(|a| a.iter().find(|t| t["name"] == n))
            .and_then(|t| t["id"].as_i64())
            .expect("type")
    };
    let res = |k: &str| {
        resources
            .as_array()
            .and_then(|a| a.iter().find(|r| r["kind"] == k))
            .and_then(|r| r["id"].as_i64())
            .expect("resource")
    };
    Ids {
        type_id: ty("Check-up"),
        crown: ty("Crown prep"),
        chair: res("chair"),
        provider: res("provider"),
    }
}

/// Books `n` appointments one at a time in free far-future slots from
/// `first`, each for someone new (typed at the desk).
fn book(h: &Hearth, actor: &Actor, ids: &Ids, first: i64, n: usize) -> Vec<Duration> {
    book_for(
        h,
        actor,
        ids,
        first,
        n,
        |i| json!({ "person_name": format!("Bench {first} {i}"), "someone_new": true }),
    )
}

/// The same, each for one of the practice's people (`people`, in turn): the
/// commoner booking, which writes no new person.
fn book_known(
    h: &Hearth,
    actor: &Actor,
    ids: &Ids,
    first: i64,
    n: usize,
    people: &[i64],
) -> Vec<Duration> {
    book_for(
        h,
        actor,
        ids,
        first,
        n,
        |i| json!({ "person_id": people[i as usize % people.len()] }),
    )
}

fn book_for(
    h: &Hearth,
    actor: &Actor,
    ids: &Ids,
    first: i64,
    n: usize,
    who: impl Fn(i64) -> serde_json::Value,
) -> Vec<Duration> {
    times(n, |i| {
        let i = i as i64;
        let start = first + (i / 15) * DAY + 9 * 3_600_000 + (i % 15) * 1_800_000;
        let mut args = json!({
            "type_id": ids.type_id,
            "resource_ids": [ids.chair, ids.provider], "override_rules": true,
            "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 1_800_000 },
        });
        if let (Some(a), serde_json::Value::Object(w)) = (args.as_object_mut(), who(i)) {
            a.extend(w);
        }
        dispatch(h, actor, "create_booking", &args.to_string()).expect("booked");
    })
}

fn line(what: &str, plain: &[Duration], locked: &[Duration]) {
    let (p50p, p99p) = (percentile(plain, 0.5), percentile(plain, 0.99));
    let (p50e, p99e) = (percentile(locked, 0.5), percentile(locked, 0.99));
    println!(
        "{what:<26} plain p50 {:>7.3} ms p99 {:>7.3} ms | encrypted p50 {:>7.3} ms p99 {:>7.3} ms | p50 ×{:.2} p99 ×{:.2}",
        ms(p50p),
        ms(p99p),
        ms(p50e),
        ms(p99e),
        ms(p50e) / ms(p50p),
        ms(p99e) / ms(p99p)
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys_dir = KeyStore::at(dir.path().join("keys"));
    let tz: chrono_tz::Tz = "Europe/London".parse().expect("zone");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let now = hearth_core::time::local_ms(tz, today, 7 * 60);
    let clock = Arc::new(FixedClock::new(now));
    let locked_path = dir.path().join("practice").join("hearth.db");
    std::fs::create_dir_all(locked_path.parent().expect("folder")).expect("folder");
    let plain_path = dir.path().join("plain.db");

    let started = Instant::now();
    let locked = Hearth::open_keyed(&locked_path, clock.clone(), &keys_dir).expect("open");
    let summary = demo::generate(
        &locked,
        &DemoOptions {
            kind: PracticeKind::Dental,
            years: 10,
            resources: Some(6),
            seed: 7,
        },
    )
    .expect("demo");
    println!(
        "== encryption bench: 10-year demo dental practice: {} bookings, {} resources, generated in {:.1}s ==",
        summary.bookings,
        summary.resources,
        started.elapsed().as_secs_f64()
    );
    // Two twins exported from the generated file, so both are laid out alike
    // (compact, freshly written): one plain, one locked with the practice's key.
    let twin_path = dir.path().join("twin").join("hearth.db");
    std::fs::create_dir_all(twin_path.parent().expect("folder")).expect("folder");
    {
        let key = locked.store.key().expect("key");
        let conn = rusqlite::Connection::open(&locked_path).expect("open");
        keys::apply(&conn, &key).expect("key");
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        let literal = key.sql_literal().to_string();
        for (path, k) in [(&plain_path, String::new()), (&twin_path, literal)] {
            conn.execute(
                "ATTACH DATABASE ?1 AS twin KEY ?2",
                rusqlite::params![path.to_string_lossy(), k],
            )
            .expect("attach");
            conn.query_row("SELECT sqlcipher_export('twin')", [], |_| Ok(()))
                .expect("export");
            conn.execute_batch(&format!(
                "PRAGMA twin.user_version = {v}; DETACH DATABASE twin;"
            ))
            .expect("version");
        }
    }
    // The plain twin has no key, so it cannot carry the trail sealed with
    // one: it starts a plain trail of its own (what a trail costs a booking
    // does not depend on its length).
    {
        let conn = rusqlite::Connection::open(&plain_path).expect("plain twin");
        conn.execute_batch(
            "DELETE FROM audit_seal; DELETE FROM audit_log; DELETE FROM audit_head;",
        )
        .expect("a plain trail");
    }
    drop(locked);
    let locked_path = twin_path;
    let locked = Hearth::open_keyed(&locked_path, clock.clone(), &keys_dir).expect("open twin");
    let plain = Hearth::open_plain_with_clock(&plain_path, clock.clone()).expect("plain");
    let size =
        |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len()) as f64 / 1_048_576.0;
    println!(
        "files: encrypted {:.1} MiB, plain {:.1} MiB",
        size(&locked_path),
        size(&plain_path)
    );
    let actor = Actor::staff(hearth_core::ids::StaffId(1));
    let ids = ids(&locked, &actor);
    let day_from = hearth_core::time::local_ms(tz, today, 0);
    let day = json!({ "from_ms": day_from, "to_ms": day_from + DAY }).to_string();
    let week_from = day_from - DAY;
    let week = json!({ "from_ms": week_from, "to_ms": week_from + 7 * DAY }).to_string();
    let slots =
        json!({ "type_id": ids.crown, "from_date": "2026-11-25", "within_days": 90, "count": 10 })
            .to_string();

    // Warm both: caches, statements, pages.
    for h in [&plain, &locked] {
        for _ in 0..20 {
            dispatch(h, &actor, "list_bookings", &week).expect("week");
            dispatch(h, &actor, "find_slots", &slots).expect("slots");
        }
        book(h, &actor, &ids, 1_900_000_000_000, 100);
    }

    println!("-- SQLCipher against plain SQLite, same rows, same run (goal ≤ 1.15×) --");
    let reads: [(&str, &str, usize); 3] = [
        ("day view (list_bookings)", &day, 400),
        ("week view (list_bookings)", &week, 300),
        ("slot search (find_slots)", &slots, 60),
    ];
    for (what, args, n) in reads {
        let name = if what.starts_with("slot") {
            "find_slots"
        } else {
            "list_bookings"
        };
        let (mut p, mut e) = (Vec::new(), Vec::new());
        for _ in 0..2 {
            p.extend(times(n / 2, |_| {
                dispatch(&plain, &actor, name, args).expect("read");
            }));
            e.extend(times(n / 2, |_| {
                dispatch(&locked, &actor, name, args).expect("read");
            }));
        }
        p.sort();
        e.sort();
        line(what, &p, &e);
    }
    let (mut p, mut e) = (Vec::new(), Vec::new());
    for round in 0..2i64 {
        let first = 1_925_424_000_000 + round * 200 * DAY;
        p.extend(book(&plain, &actor, &ids, first, 500));
        e.extend(book(&locked, &actor, &ids, first, 500));
    }
    p.sort();
    e.sort();
    line("a booking, someone new", &p, &e);
    // The same people in both twins (exported from one file).
    let people: Vec<i64> = plain
        .store
        .read(|tx| {
            let mut st = tx.prepare("SELECT id FROM people ORDER BY id LIMIT 2000")?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .expect("people");
    let (mut p, mut e) = (Vec::new(), Vec::new());
    for round in 0..2i64 {
        let first = 1_925_424_000_000 + (round + 2) * 200 * DAY;
        p.extend(book_known(&plain, &actor, &ids, first, 500, &people));
        e.extend(book_known(&locked, &actor, &ids, first, 500, &people));
    }
    p.sort();
    e.sort();
    line("a booking, someone known", &p, &e);

    println!("-- a backup of the encrypted 10-year practice --");
    let backups = dir.path().join("practice-backups");
    let key = locked.store.key();
    let t = Instant::now();
    let b = backup::create(&locked_path, key.as_ref(), &backups, now).expect("backup");
    let whole = t.elapsed();
    let t = Instant::now();
    let v = backup::verify(&b.path, &key.clone().into_iter().collect::<Vec<_>>()).expect("verify");
    let verify = t.elapsed();
    assert!(v.ok && v.encrypted, "{v:?}");
    println!(
        "backup: {:.1} MiB written, copied and verified in {:.0} ms (copy {:.0} ms, verify {:.0} ms)",
        b.verdict.size as f64 / 1_048_576.0,
        ms(whole),
        ms(whole.saturating_sub(verify)),
        ms(verify)
    );

    let alone = book(&locked, &actor, &ids, 1_990_000_000_000, BESIDE_BACKUPS);
    let stop = Arc::new(AtomicBool::new(false));
    let taken = Arc::new(AtomicU64::new(0));
    let runner = {
        let (stop, taken, path, key, backups) = (
            stop.clone(),
            taken.clone(),
            locked_path.clone(),
            key.clone(),
            backups.clone(),
        );
        std::thread::spawn(move || {
            let mut n = 0i64;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let b =
                    backup::create(&path, key.as_ref(), &backups, now + n * 1000).expect("backup");
                let _ = std::fs::remove_file(&b.path);
                taken.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    let during = book(&locked, &actor, &ids, 2_020_000_000_000, BESIDE_BACKUPS);
    stop.store(true, Ordering::Relaxed);
    runner.join().expect("backups");
    let n = taken.load(Ordering::Relaxed);
    println!(
        "a booking alone:              p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&alone, 0.5)),
        ms(percentile(&alone, 0.99))
    );
    println!(
        "a booking while backups run:  p50 {:.2} ms, p99 {:.2} ms ({n} backups taken meanwhile)",
        ms(percentile(&during, 0.5)),
        ms(percentile(&during, 0.99))
    );
    println!(
        "p99 ratio (during a backup / alone): {:.2} (goal ≤ 1.5)",
        ms(percentile(&during, 0.99)) / ms(percentile(&alone, 0.99))
    );
}
