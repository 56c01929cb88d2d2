//! Calendar benchmarks on the 10-year demo dental practice (6 chairs).
//!
//! Run with `cargo bench -p hearth-core --bench calendar`. It is a bench target
//! (`harness = false`), so `cargo test` never runs it.
//!
//! Each view is timed three ways in the same run:
//! - `command_json`: `commands::dispatch` with JSON in and out, as a transport calls it;
//! - `core`: the typed core function inside `Hearth::read`;
//! - `bare_sql`: the same SQL written by hand with rusqlite on a second connection to
//!   the same file, materialized into a `Vec`, as the floor to compare against.
//!
//! The `diag_*` groups that follow time the diagnostic variants used in
//! docs/performance.md: alternative SQL on the bare connection, extra indexes on
//! scratch copies of the file, the fixed costs of a read and the JSON step.
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use chrono_tz::Tz;
use criterion::Criterion;
use hearth_core::clock::FixedClock;
use hearth_core::commands::dispatch;
use hearth_core::demo::{self, DemoOptions};
use hearth_core::instant::{Instant as At, LocalDate};
use hearth_core::scheduling::bookings::{self, ListBookings};
use hearth_core::scheduling::slots::{self, FindSlots};
use hearth_core::setup::appointment_types::{self, ListAppointmentTypes};
use hearth_core::setup::practice::PracticeKind;
use hearth_core::setup::resources::{self, ListResources, ResourceKind};
use hearth_core::time::local_ms;
use hearth_core::{Actor, Hearth};
use rusqlite::{params, Connection, OpenFlags};
use serde_json::json;

/// An instant from the benchmark's own (in-range) milliseconds.
fn at(ms: i64) -> At {
    At::new(ms).expect("an instant in range")
}

/// The command's SELECT list and joins, copied from `scheduling/bookings/read.rs`.
const LIST_SQL: &str = "SELECT b.id, b.person_name, b.person_phone, b.type_id, t.name, t.colour, b.starts_at_ms, b.ends_at_ms,
        b.arrival_date, b.departure_date, b.status, b.notes,
        (SELECT group_concat(resource_id) FROM booking_resources WHERE booking_id = b.id),
        b.cancel_reason, b.override_by IS NOT NULL, b.version, b.updated_at_ms, s.name
   FROM bookings b JOIN appointment_types t ON t.id = b.type_id LEFT JOIN staff s ON s.id = b.updated_by
  WHERE b.ends_at_ms > ?1 AND b.starts_at_ms < ?2 AND (b.live = 1 OR ?3) ORDER BY b.starts_at_ms, b.id";

/// The list query as `scheduling/bookings/read.rs` runs it now: the `ends_at_ms`
/// scan bounded above by the longest dental booking (12 h).
const LIST_SQL_BOUNDED: &str = "SELECT b.id, b.person_name, b.person_phone, b.type_id, t.name, t.colour, b.starts_at_ms, b.ends_at_ms,
        b.arrival_date, b.departure_date, b.status, b.notes,
        (SELECT group_concat(resource_id) FROM booking_resources WHERE booking_id = b.id),
        b.cancel_reason, b.override_by IS NOT NULL, b.version, b.updated_at_ms, s.name
   FROM bookings b JOIN appointment_types t ON t.id = b.type_id LEFT JOIN staff s ON s.id = b.updated_by
  WHERE b.ends_at_ms > ?1 AND b.ends_at_ms < ?2 + 43200000 AND b.starts_at_ms < ?2 AND (b.live = 1 OR ?3)
  ORDER BY b.starts_at_ms, b.id";

/// The busy-interval read of `scheduling/slots.rs` as it runs now: one bounded
/// index range per candidate resource.
const BUSY_SQL_PER_RESOURCE: &str = "SELECT resource_id, starts_at_ms, ends_at_ms FROM booking_resources
          WHERE resource_id = ?3 AND live = 1 AND ends_at_ms > ?1 AND ends_at_ms < ?2 + 43200000 AND starts_at_ms < ?2";

fn bare_busy_per_resource(
    conn: &Connection,
    ids: &[i64],
    from: i64,
    to: i64,
) -> Vec<(i64, i64, i64)> {
    let mut stmt = conn
        .prepare_cached(BUSY_SQL_PER_RESOURCE)
        .expect("prepare busy");
    let mut out = Vec::new();
    for id in ids {
        let rows = stmt
            .query_map(params![from, to, id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("query busy");
        for r in rows {
            out.push(r.expect("row"));
        }
    }
    out
}

/// The busy-interval read of `scheduling/slots.rs` before it was bounded per
/// resource (kept for the diagnostics that found the problem).
const BUSY_SQL: &str = "SELECT resource_id, starts_at_ms, ends_at_ms FROM booking_resources
          WHERE live = 1 AND ends_at_ms > ?1 AND starts_at_ms < ?2";

/// One row of the list query, as plain values.
#[allow(dead_code)]
struct Row {
    id: i64,
    person_name: String,
    person_phone: String,
    type_id: i64,
    type_name: String,
    colour: String,
    starts_at_ms: i64,
    ends_at_ms: i64,
    arrival_date: Option<String>,
    departure_date: Option<String>,
    status: String,
    notes: String,
    resource_ids: Option<String>,
    cancel_reason: Option<String>,
    overridden: bool,
    version: i64,
    updated_at_ms: i64,
    updated_by_name: Option<String>,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        person_name: r.get(1)?,
        person_phone: r.get(2)?,
        type_id: r.get(3)?,
        type_name: r.get(4)?,
        colour: r.get(5)?,
        starts_at_ms: r.get(6)?,
        ends_at_ms: r.get(7)?,
        arrival_date: r.get(8)?,
        departure_date: r.get(9)?,
        status: r.get(10)?,
        notes: r.get(11)?,
        resource_ids: r.get(12)?,
        cancel_reason: r.get(13)?,
        overridden: r.get(14)?,
        version: r.get(15)?,
        updated_at_ms: r.get(16)?,
        updated_by_name: r.get(17)?,
    })
}

/// The bare list query with any SQL text of the same shape.
fn bare_list(conn: &Connection, sql: &str, from: i64, to: i64) -> Vec<Row> {
    let mut stmt = conn.prepare_cached(sql).expect("prepare list");
    let rows = stmt
        .query_map(params![from, to, false], row)
        .expect("query list");
    rows.collect::<Result<_, _>>().expect("rows")
}

fn bare_busy(conn: &Connection, sql: &str, from: i64, to: i64) -> Vec<(i64, i64, i64)> {
    let mut stmt = conn.prepare_cached(sql).expect("prepare busy");
    let rows = stmt
        .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query busy");
    rows.collect::<Result<_, _>>().expect("rows")
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("bench date")
}

fn plan(conn: &Connection, sql: &str) -> String {
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("explain");
    let n = stmt.parameter_count();
    let args: Vec<i64> = vec![0; n];
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))
        .expect("explain rows");
    rows.map(|r| format!("    {}", r.expect("plan row")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A bare connection to the practice file, unlocked with this computer's key.
fn open_bare(path: &Path) -> Connection {
    let conn = hearth_core::store::keys::open_raw_with(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("open bare connection");
    conn.busy_timeout(Duration::from_secs(5)).expect("timeout");
    conn
}

fn main() {
    let tz: Tz = "Europe/London".parse().expect("zone");
    // Tuesday 24 Nov 2026, 07:00 local: a busy Tuesday, before opening.
    let today = date("2026-11-24");
    let now = local_ms(tz, today, 7 * 60);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hearth.db");
    let hearth =
        Hearth::open_with_clock(&path, Arc::new(FixedClock::new(now))).expect("open practice");

    let t0 = Instant::now();
    let summary = demo::generate(
        &hearth,
        &DemoOptions {
            kind: PracticeKind::Dental,
            years: 10,
            resources: Some(6),
            seed: 7,
        },
    )
    .expect("generate demo");
    let gen_time = t0.elapsed();

    let bare = open_bare(&path);
    // Fold the generator's write-ahead log into the main file so both connections
    // read the same B-trees without a large WAL to consult.
    bare.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    let count = |sql: &str| -> i64 { bare.query_row(sql, [], |r| r.get(0)).expect("count") };
    let pages: i64 = count("PRAGMA page_count");
    let page_size: i64 = count("PRAGMA page_size");
    println!("== Hearth calendar bench: 10-year demo dental practice, 6 chairs, seed 7 ==");
    println!(
        "generated {} bookings ({} resources) in {:.2?}",
        summary.bookings, summary.resources, gen_time
    );
    println!(
        "rows: bookings {}, live bookings {}, booking_resources {}, status_changes {}, blocks {}; file {:.1} MiB",
        count("SELECT COUNT(*) FROM bookings"),
        count("SELECT COUNT(*) FROM bookings WHERE live = 1"),
        count("SELECT COUNT(*) FROM booking_resources"),
        count("SELECT COUNT(*) FROM status_changes"),
        count("SELECT COUNT(*) FROM blocks"),
        (pages * page_size) as f64 / 1_048_576.0
    );

    let actor = Actor {
        staff_id: Some(hearth_core::ids::StaffId(1)),
        origin: None,
        ..Default::default()
    };
    let (crown, providers) = hearth
        .read(&actor, |ctx| {
            let t = appointment_types::list(ctx, ListAppointmentTypes::default())?
                .into_iter()
                .find(|t| t.name == "Crown prep")
                .expect("Crown prep type");
            let p: Vec<_> = resources::list(ctx, ListResources::default())?
                .into_iter()
                .filter(|r| r.kind == ResourceKind::Provider)
                .collect();
            Ok((t, p))
        })
        .expect("lookups");
    let provider = providers.first().expect("a provider").clone();

    let day = (local_ms(tz, today, 0), local_ms(tz, date("2026-11-25"), 0));
    // The same Tuesday five years back: the calendar scrolled into history.
    let past_day = (
        local_ms(tz, date("2021-11-23"), 0),
        local_ms(tz, date("2021-11-24"), 0),
    );
    let week = (
        local_ms(tz, date("2026-11-23"), 0),
        local_ms(tz, date("2026-11-30"), 0),
    );
    let slots_from = date("2026-11-25");
    let slots_window = (
        local_ms(tz, slots_from, 0),
        local_ms(tz, date("2027-02-23"), 0),
    );
    let find = |provider_id: Option<hearth_core::ids::ResourceId>| FindSlots {
        type_id: crown.id,
        provider_id,
        chair_id: None,
        from_date: LocalDate::new(slots_from).expect("a date in range"),
        within_days: 90,
        count: 10,
        duration_minutes: None,
        part: None,
    };

    // Sanity: the core and the bare queries read the same rows.
    for (name, (from, to)) in [("day", day), ("past day", past_day), ("week", week)] {
        let core = hearth
            .read(&actor, |ctx| {
                bookings::list(
                    ctx,
                    ListBookings {
                        from_ms: at(from),
                        to_ms: at(to),
                        include_cancelled: false,
                    },
                )
            })
            .expect("list");
        let raw = bare_list(&bare, LIST_SQL_BOUNDED, from, to);
        assert_eq!(
            core.iter().map(|b| i64::from(b.id)).collect::<Vec<_>>(),
            raw.iter().map(|r| r.id).collect::<Vec<_>>(),
            "{name}: core and bare SQL disagree"
        );
        let json = dispatch(
            &hearth,
            &actor,
            "list_bookings",
            &json!({ "from_ms": from, "to_ms": to }).to_string(),
        )
        .expect("dispatch");
        println!(
            "{name} view: {} bookings, {} bytes of JSON",
            core.len(),
            json.get().len()
        );
    }
    for (name, pid) in [("any provider", None), ("one provider", Some(provider.id))] {
        let found = hearth
            .read(&actor, |ctx| slots::find(ctx, find(pid)))
            .expect("find slots");
        println!(
            "find_slots ({name}): {} slots, first {:?}, last {:?}",
            found.len(),
            found.first().map(|s| &s.label),
            found.last().map(|s| &s.label)
        );
    }
    println!(
        "busy intervals in the 90-day window: {} rows",
        bare_busy(&bare, BUSY_SQL, slots_window.0, slots_window.1).len()
    );
    println!(
        "query plan, list_bookings:\n{}",
        plan(&bare, LIST_SQL_BOUNDED)
    );
    println!(
        "query plan, find_slots busy read:\n{}",
        plan(&bare, BUSY_SQL)
    );

    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    for (group, (from, to)) in [
        ("day_view", day),
        ("day_view_past", past_day),
        ("week_view", week),
    ] {
        let mut g = c.benchmark_group(group);
        // The request as a transport hands it over: JSON text.
        let args = json!({ "from_ms": from, "to_ms": to }).to_string();
        g.bench_function("command_json", |b| {
            b.iter(|| {
                black_box(dispatch(&hearth, &actor, "list_bookings", &args).expect("dispatch"))
            })
        });
        g.bench_function("core", |b| {
            b.iter(|| {
                black_box(
                    hearth
                        .read(&actor, |ctx| {
                            bookings::list(
                                ctx,
                                ListBookings {
                                    from_ms: at(from),
                                    to_ms: at(to),
                                    include_cancelled: false,
                                },
                            )
                        })
                        .expect("list"),
                )
            })
        });
        g.bench_function("bare_sql", |b| {
            b.iter(|| black_box(bare_list(&bare, LIST_SQL_BOUNDED, from, to)))
        });
        g.finish();
    }

    for (group, pid) in [
        ("find_slots", None),
        ("find_slots_provider", Some(provider.id)),
    ] {
        let mut g = c.benchmark_group(group);
        let args = serde_json::to_string(&find(pid)).expect("request json");
        g.bench_function("command_json", |b| {
            b.iter(|| black_box(dispatch(&hearth, &actor, "find_slots", &args).expect("dispatch")))
        });
        g.bench_function("core", |b| {
            b.iter(|| {
                black_box(
                    hearth
                        .read(&actor, |ctx| slots::find(ctx, find(pid)))
                        .expect("find"),
                )
            })
        });
        // The chairs and the provider(s) the command considers.
        let ids: Vec<i64> = hearth
            .read(&actor, |ctx| resources::list(ctx, ListResources::default()))
            .expect("resources")
            .into_iter()
            .filter(|r| {
                r.kind == ResourceKind::Chair
                    || (r.kind == ResourceKind::Provider && pid.is_none_or(|p| p == r.id))
            })
            .map(|r| i64::from(r.id))
            .collect();
        g.bench_function("bare_sql", |b| {
            b.iter(|| {
                black_box(bare_busy_per_resource(
                    &bare,
                    &ids,
                    slots_window.0,
                    slots_window.1,
                ))
            })
        });
        g.finish();
    }

    // Diagnostics: the variants behind the findings in docs/performance.md.
    {
        let listed = hearth
            .read(&actor, |ctx| resources::list(ctx, ListResources::default()))
            .expect("resources");
        // find_slots reads chairs and providers; with a provider, only that one.
        let every: Vec<i64> = listed.iter().map(|r| i64::from(r.id)).collect();
        let chairs_and_one: Vec<i64> = listed
            .iter()
            .filter(|r| r.kind != ResourceKind::Provider || r.id == provider.id)
            .map(|r| i64::from(r.id))
            .collect();
        diagnostics(
            &mut c,
            &hearth,
            &actor,
            &bare,
            &path,
            &[
                ("day_view", day),
                ("day_view_past", past_day),
                ("week_view", week),
            ],
            slots_window,
            &[
                ("find_slots", every, find(None)),
                (
                    "find_slots_provider",
                    chairs_and_one,
                    find(Some(provider.id)),
                ),
            ],
        );
    }

    c.final_summary();
    println!(
        "demo generation (10 years, 6 chairs): {} bookings in {:.2?}",
        summary.bookings, gen_time
    );
}

/// A copy of the practice file (`VACUUM INTO`), changed by `sql`, opened bare.
fn scratch_copy(bare: &Connection, dir: &Path, name: &str, sql: &str) -> Connection {
    let path = dir.join(name);
    bare.execute("VACUUM INTO ?1", [path.to_string_lossy()])
        .expect("vacuum into");
    let conn = open_bare(&path);
    conn.execute_batch(sql).expect("scratch change");
    conn
}

/// Alternative SQL, an extra index and the JSON step timed on their own.
#[allow(clippy::too_many_arguments)]
fn diagnostics(
    c: &mut Criterion,
    hearth: &Hearth,
    actor: &Actor,
    bare: &Connection,
    path: &Path,
    views: &[(&str, (i64, i64))],
    slots_window: (i64, i64),
    wanted: &[(&str, Vec<i64>, FindSlots)],
) {
    let dir = path.parent().expect("temp dir");
    // Same SQL with the correlated group_concat replaced by NULL.
    let no_subquery = LIST_SQL.replace(
        "(SELECT group_concat(resource_id) FROM booking_resources WHERE booking_id = b.id)",
        "NULL",
    );
    // Bound the index range from above: an appointment lasts at most 12 hours
    // (`resolve_time`), so a booking overlapping [from, to) ends before to + 12 h.
    let end_bound = LIST_SQL.replace(
        "WHERE b.ends_at_ms > ?1 AND",
        "WHERE b.ends_at_ms > ?1 AND b.ends_at_ms <= ?2 + 43200000 AND",
    );
    // Range on the start instead, with an index on starts_at_ms (also gives the ORDER BY).
    let start_bound = LIST_SQL.replace(
        "WHERE b.ends_at_ms > ?1 AND b.starts_at_ms < ?2",
        "WHERE b.starts_at_ms > ?1 - 43200000 AND b.starts_at_ms < ?2 AND b.ends_at_ms > ?1",
    );
    let by_start = scratch_copy(
        bare,
        dir,
        "by_start.db",
        "CREATE INDEX bookings_by_start ON bookings(starts_at_ms); ANALYZE;",
    );
    let by_end_start = scratch_copy(
        bare,
        dir,
        "by_end_start.db",
        "DROP INDEX bookings_by_end; CREATE INDEX bookings_by_end_start ON bookings(ends_at_ms, starts_at_ms);",
    );
    println!("diag plan, end bound:\n{}", plan(bare, &end_bound));
    println!(
        "diag plan, start bound + bookings_by_start:\n{}",
        plan(&by_start, &start_bound)
    );
    println!(
        "diag plan, (ends_at_ms, starts_at_ms) index:\n{}",
        plan(&by_end_start, LIST_SQL)
    );

    for &(view, (from, to)) in views {
        let mut g = c.benchmark_group(format!("diag_{view}"));
        g.bench_function("bare_sql", |b| {
            b.iter(|| black_box(bare_list(bare, LIST_SQL, from, to)))
        });
        g.bench_function("bare_no_subquery", |b| {
            b.iter(|| black_box(bare_list(bare, &no_subquery, from, to)))
        });
        g.bench_function("bare_end_bound_12h", |b| {
            b.iter(|| black_box(bare_list(bare, &end_bound, from, to)))
        });
        g.bench_function("bare_start_bound_12h_by_start_index", |b| {
            b.iter(|| black_box(bare_list(&by_start, &start_bound, from, to)))
        });
        g.bench_function("bare_end_start_index", |b| {
            b.iter(|| black_box(bare_list(&by_end_start, LIST_SQL, from, to)))
        });
        g.finish();
    }

    // The fixed costs around a read: the transaction and the practice lookup.
    let mut g = c.benchmark_group("diag_fixed");
    g.bench_function("empty_read", |b| {
        b.iter(|| hearth.read(actor, |_| Ok(())).expect("read"))
    });
    g.bench_function("practice_require", |b| {
        b.iter(|| {
            black_box(
                hearth
                    .read(actor, hearth_core::setup::practice::require)
                    .expect("practice"),
            )
        })
    });
    let week = views
        .iter()
        .find(|v| v.0 == "week_view")
        .expect("week view")
        .1;
    let list = hearth
        .read(actor, |ctx| {
            bookings::list(
                ctx,
                ListBookings {
                    from_ms: at(week.0),
                    to_ms: at(week.1),
                    include_cancelled: false,
                },
            )
        })
        .expect("list");
    g.bench_function("week_to_value", |b| {
        b.iter(|| black_box(serde_json::to_value(&list).expect("json")))
    });
    g.bench_function("week_to_string", |b| {
        b.iter(|| black_box(serde_json::to_string(&list).expect("json")))
    });
    let value = serde_json::to_value(&list).expect("json");
    g.bench_function("week_value_to_string", |b| {
        b.iter(|| black_box(value.to_string()))
    });
    g.finish();

    // The busy read restricted to the candidate resources, through the partial index.
    let per_resource = format!("{BUSY_SQL} AND resource_id = ?3");
    println!(
        "diag plan, busy read per resource:\n{}",
        plan(bare, &per_resource)
    );
    // The core's find_slots on a copy whose booking_resources holds only the rows
    // that overlap the window: what the command costs once its read is indexed.
    let trimmed = dir.join("trimmed.db");
    bare.execute("VACUUM INTO ?1", [trimmed.to_string_lossy()])
        .expect("vacuum into");
    open_bare(&trimmed)
        .execute(
            "DELETE FROM booking_resources WHERE NOT (ends_at_ms > ?1 AND starts_at_ms < ?2)",
            params![slots_window.0, slots_window.1],
        )
        .expect("trim");
    let clock = Arc::new(FixedClock::new(hearth.clock.now_ms()));
    let trimmed = Hearth::open_with_clock(&trimmed, clock).expect("open trimmed copy");
    for (name, ids, req) in wanted {
        let in_list = format!(
            "{BUSY_SQL} AND resource_id IN ({})",
            ids.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",")
        );
        println!(
            "diag plan, busy read IN list ({name}):\n{}",
            plan(bare, &in_list)
        );
        let mut g = c.benchmark_group(format!("diag_{name}"));
        let full = hearth
            .read(actor, |ctx| slots::find(ctx, req.clone()))
            .expect("find");
        let small = trimmed
            .read(actor, |ctx| slots::find(ctx, req.clone()))
            .expect("find on trimmed copy");
        assert_eq!(full, small, "the trimmed copy must give the same slots");
        g.bench_function("core_on_trimmed_copy", |b| {
            b.iter(|| {
                black_box(
                    trimmed
                        .read(actor, |ctx| slots::find(ctx, req.clone()))
                        .expect("find"),
                )
            })
        });
        g.bench_function("bare_busy_in_list", |b| {
            b.iter(|| black_box(bare_busy(bare, &in_list, slots_window.0, slots_window.1)))
        });
        g.bench_function("bare_busy_per_resource", |b| {
            b.iter(|| {
                let mut stmt = bare.prepare_cached(&per_resource).expect("prepare");
                let mut out: Vec<(i64, i64, i64)> = Vec::new();
                for id in ids {
                    let rows = stmt
                        .query_map(params![slots_window.0, slots_window.1, id], |r| {
                            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                        })
                        .expect("query");
                    for r in rows {
                        out.push(r.expect("row"));
                    }
                }
                black_box(out)
            })
        });
        g.finish();
    }
}
