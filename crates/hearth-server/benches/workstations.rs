//! Ten workstations on one shared practice (loopback TLS): each pairs, signs
//! in, listens to its live stream and books, one booking after another. For
//! every booking, how long until each of the other nine heard it: p50, p95,
//! p99 and the worst, in milliseconds. Bounded (`BOOKINGS` each), not a test:
//!
//!     cargo bench -p hearth-server --bench workstations [-- WORKSTATIONS BOOKINGS]
//!
//! Figures go in docs/performance.md.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hearth_core::demo::{self, DemoOptions};
use hearth_core::gate::pairing;
use hearth_core::setup::practice::PracticeKind;
use hearth_core::Hearth;
use hearth_server::remote::{self, Remote};
use hearth_server::share;
use serde_json::{json, Value};

type Heard = Arc<Mutex<HashMap<(usize, i64), Instant>>>;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let workstations = args.first().copied().unwrap_or(10);
    let bookings = args.get(1).copied().unwrap_or(30);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(workstations, bookings));
}

async fn run(workstations: usize, bookings: usize) {
    let dir = tempfile::tempdir().expect("dir");
    let hearth = Arc::new(Hearth::open(dir.path().join("bench.db")).expect("open"));
    demo::generate(
        &hearth,
        &DemoOptions {
            kind: PracticeKind::Dental,
            years: 0,
            resources: Some(6),
            seed: 7,
        },
    )
    .expect("demo");
    share::identity(&hearth).expect("certificate");
    pairing::share_on(&hearth, "bench", 8443).expect("share");
    let sharing =
        share::start(hearth.clone(), SocketAddr::from(([127, 0, 0, 1], 0)), None).expect("sharing");
    let base = format!("https://{}", sharing.addr);
    let code = || {
        pairing::existing_identity(&hearth)
            .expect("read")
            .expect("identity")
            .code_at(hearth.clock.now_ms())
            .0
    };

    // Pair and sign in every workstation; start listening.
    let heard: Heard = Arc::new(Mutex::new(HashMap::new()));
    let mut desks = Vec::new();
    for w in 0..workstations {
        let p = remote::pair(&base, &code(), &format!("Desk {w}"))
            .await
            .expect("paired");
        let r = Remote::new(p.base, p.fingerprint, p.credential).expect("client");
        let a = r
            .post(
                "/api/sign-in",
                None,
                json!({ "login": "helen", "password": "demo" }).to_string(),
                None,
                false,
            )
            .await
            .expect("signed in");
        let token = a.session.flatten().expect("token");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        {
            let r = r.clone();
            let token = token.clone();
            let heard = heard.clone();
            tokio::spawn(async move {
                let mut tx = Some(tx);
                let _ = r
                    .follow(
                        &token,
                        None,
                        Duration::from_secs(30),
                        || {},
                        move |m| {
                            if m.event == "hello" {
                                if let Some(t) = tx.take() {
                                    let _ = t.send(());
                                }
                            }
                            if m.event != "hearth-changes" {
                                return;
                            }
                            let at = Instant::now();
                            let Ok(batch) = serde_json::from_str::<Value>(&m.data) else {
                                return;
                            };
                            let mut heard = heard.lock().unwrap_or_else(|p| p.into_inner());
                            for c in batch["changes"].as_array().into_iter().flatten() {
                                if c["topic"] == "booking.changed" {
                                    for id in c["ids"].as_array().into_iter().flatten() {
                                        if let Some(id) = id.as_i64() {
                                            heard.entry((w, id)).or_insert(at);
                                        }
                                    }
                                }
                            }
                        },
                    )
                    .await;
            });
        }
        rx.await.expect("the stream opened");
        desks.push((r, token));
    }

    let resources: Value = call(
        &desks[0],
        "list_resources",
        json!({ "include_archived": false }),
    )
    .await;
    let chair = resources
        .as_array()
        .and_then(|a| a.iter().find(|r| r["kind"] == "chair"))
        .map(|r| r["id"].clone())
        .expect("a chair");
    let provider = resources
        .as_array()
        .and_then(|a| a.iter().find(|r| r["kind"] == "provider"))
        .map(|r| r["id"].clone())
        .expect("a provider");
    let types: Value = call(
        &desks[0],
        "list_appointment_types",
        json!({ "include_archived": false }),
    )
    .await;
    let type_id = types[0]["id"].clone();

    // Every workstation books at once, each its own days (no clash), one after another.
    let day_ms = 86_400_000_i64;
    let start_day = (hearth.clock.now_ms() / day_ms + 400) * day_ms;
    let sent: Arc<Mutex<Vec<(usize, i64, Instant)>>> = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (w, desk) in desks.iter().cloned().enumerate() {
        let sent = sent.clone();
        let (chair, provider, type_id) = (chair.clone(), provider.clone(), type_id.clone());
        tasks.push(tokio::spawn(async move {
            for k in 0..bookings {
                let day = start_day + i64::try_from(w * bookings + k).unwrap_or(0) * day_ms;
                let at = Instant::now();
                let b = call(&desk, "create_booking", json!({
                    "person_name": format!("Bench {w}-{k}"), "type_id": type_id, "resource_ids": [chair, provider],
                    "time": { "kind": "timed", "starts_at_ms": day + 10 * 3_600_000, "ends_at_ms": day + 10 * 3_600_000 + 1_800_000 },
                    "override_rules": true
                }))
                .await;
                let id = b["id"].as_i64().expect("booked");
                sent.lock().unwrap_or_else(|p| p.into_inner()).push((w, id, at));
            }
        }));
    }
    for t in tasks {
        t.await.expect("booker");
    }
    let writing = started.elapsed();
    // Let the last events land.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let heard = heard.lock().unwrap_or_else(|p| p.into_inner());
    let sent = sent.lock().unwrap_or_else(|p| p.into_inner());
    let mut latencies: Vec<f64> = Vec::new();
    let mut missing = 0;
    for (booker, id, at) in sent.iter() {
        for w in 0..workstations {
            if w == *booker {
                continue;
            }
            match heard.get(&(w, *id)) {
                Some(h) => latencies.push(h.duration_since(*at).as_secs_f64() * 1000.0),
                None => missing += 1,
            }
        }
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies.get(i).copied().unwrap_or(f64::NAN)
    };
    println!(
        "{workstations} workstations × {bookings} bookings = {} bookings in {:.1} s ({:.0} bookings/s), {} deliveries",
        sent.len(),
        writing.as_secs_f64(),
        sent.len() as f64 / writing.as_secs_f64(),
        latencies.len()
    );
    println!(
        "change visible on the other workstations (ms): p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}  missed {missing}",
        pct(0.5),
        pct(0.95),
        pct(0.99),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
    sharing.stop();
}

async fn call(desk: &(Remote, String), name: &str, args: Value) -> Value {
    let a = desk
        .0
        .post(
            &format!("/api/commands/{name}"),
            Some(&desk.1),
            args.to_string(),
            None,
            false,
        )
        .await
        .unwrap_or_else(|e| panic!("{name}: {} {}", e.code, e.message));
    serde_json::from_str(&a.body).expect("json")
}
