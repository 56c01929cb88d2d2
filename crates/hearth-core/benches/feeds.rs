//! A practitioner's calendar feed over a year: the 1-year demo dental
//! practice (6 chairs), its busiest provider's feed rendered as a phone's
//! calendar fetches it (the address looked up, a year of bookings read, the
//! iCalendar and its VTIMEZONE written). Goal (issue 24): under 100 ms.
//!
//! Run with `cargo bench -p hearth-core --bench feeds`; figures in
//! docs/performance.md.
use std::sync::Arc;
use std::time::Duration;

use criterion::Criterion;
use hearth_core::clock::FixedClock;
use hearth_core::commands::dispatch;
use hearth_core::demo::{self, DemoOptions};
use hearth_core::scheduling::feeds;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::time::local_ms;
use hearth_core::{Actor, Hearth};
use serde_json::json;

fn main() {
    let tz: chrono_tz::Tz = "Europe/London".parse().expect("zone");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let now = local_ms(tz, today, 7 * 60);
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(FixedClock::new(now));
    let hearth = Hearth::open_with_clock(dir.path().join("hearth.db"), clock.clone())
        .expect("open practice");
    let summary = demo::generate(
        &hearth,
        &DemoOptions {
            kind: PracticeKind::Dental,
            years: 1,
            resources: Some(6),
            seed: 7,
        },
    )
    .expect("demo");
    let actor = Actor {
        staff_id: Some(hearth_core::ids::StaffId(1)),
        ..Default::default()
    };
    let run = |name: &str, args: serde_json::Value| -> serde_json::Value {
        let raw = dispatch(&hearth, &actor, name, &args.to_string()).expect(name);
        serde_json::from_str(raw.get()).expect("json")
    };
    // The provider with the most bookings.
    let feeds_list = run("list_calendar_feeds", json!({}));
    let busiest = feeds_list
        .as_array()
        .expect("feeds")
        .iter()
        .max_by_key(|f| {
            let id = f["resource_id"].as_i64().unwrap_or(0);
            hearth
                .read(&actor, |ctx| {
                    Ok(ctx.tx.query_row(
                        "SELECT count(*) FROM booking_resources WHERE resource_id = ?1 AND live = 1",
                        [id],
                        |r| r.get::<_, i64>(0),
                    )?)
                })
                .unwrap_or(0)
        })
        .expect("a provider")
        .clone();
    let on = run(
        "set_calendar_feed",
        json!({ "resource_id": busiest["resource_id"], "on": true }),
    );
    let link = on["link"].as_str().expect("link");
    let token = link
        .trim_start_matches("/feeds/")
        .trim_end_matches(".ics")
        .to_owned();
    // "Now" 30 days into the generated year: the feed's window (30 days back,
    // 400 ahead) holds the whole year.
    clock.set(now - 335 * 86_400_000);
    let (_, text) = feeds::render(&hearth, &token).expect("render").expect("on");
    println!(
        "== feed bench: 1-year demo ({} bookings), {}'s feed: {} events, {:.0} KiB ==",
        summary.bookings,
        busiest["name"].as_str().unwrap_or(""),
        text.matches("BEGIN:VEVENT").count(),
        text.len() as f64 / 1024.0
    );
    let mut c = Criterion::default()
        .sample_size(30)
        .measurement_time(Duration::from_secs(8))
        .configure_from_args();
    c.bench_function("feed/provider_year", |b| {
        b.iter(|| feeds::render(&hearth, &token).expect("render"))
    });
    c.final_summary();
}
