//! A booking through the real transport beside other desks' long reads:
//! `hearth serve`'s router on loopback HTTP (on threads of its own, as in its
//! own process), a signed-in session, the 1-year demo dental practice.
//! Bookings one at a time alone, and while four other clients each read a
//! year of bookings back to back (`list_bookings`, received whole), in five
//! rounds taking turns. The booking's p50 and p99 both ways, and the p99 ratio
//! (goal ≤ 1.5). Bounded, not a test (1,500 bookings each way by default):
//!
//!     cargo bench -p hearth-server --bench beside_reads [-- BOOKINGS]
//!
//! Figures go in docs/performance.md ("A booking beside year-long reads,
//! through the transport").
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_core::demo::{self, DemoOptions};
use hearth_core::setup::practice::PracticeKind;
use hearth_core::Hearth;
use hearth_server::{router, AppState};
use serde_json::{json, Value};

const DAY: i64 = 86_400_000;
const READERS: usize = 4;
/// Turns of bookings alone and beside the readers.
const ROUNDS: usize = 5;

fn main() {
    let bookings = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1500);
    // The HTTP client's TLS needs a provider even on plain loopback HTTP.
    hearth_server::share::install_provider();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(bookings));
}

/// One desk: a client with its session cookie.
#[derive(Clone)]
struct Desk {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

impl Desk {
    async fn sign_in(base: &str) -> Desk {
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        let r = http
            .post(format!("{base}/api/sign-in"))
            .header("content-type", "application/json")
            .body(json!({ "login": "helen", "password": "demo" }).to_string())
            .send()
            .await
            .expect("sign in");
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("hearth_session="))
            .and_then(|v| v.split(';').next())
            .expect("session cookie")
            .to_owned();
        Desk {
            http,
            base: base.to_owned(),
            cookie,
        }
    }

    /// Sends command `name` with `args` in this desk's session.
    async fn send(&self, name: &str, args: Value) -> reqwest::Response {
        self.http
            .post(format!("{}/api/commands/{name}", self.base))
            .header("content-type", "application/json")
            .header("cookie", &self.cookie)
            .body(args.to_string())
            .send()
            .await
            .expect(name)
    }

    async fn call(&self, name: &str, args: Value) -> Value {
        let r = self.send(name, args).await;
        let ok = r.status().is_success();
        let body: Value = r.json().await.expect("json");
        assert!(ok, "{name}: {body}");
        body
    }

    /// A year of bookings, read whole by another desk. Its screen parses the
    /// answer on a computer of its own: here the bytes are only received (on
    /// this one machine, a parse here would be the other desks' work counted
    /// against the practice computer).
    async fn read_year(&self, args: Value) {
        let r = self.send("list_bookings", args).await;
        assert!(r.status().is_success(), "list_bookings: {}", r.status());
        let bytes = r.bytes().await.expect("answer");
        assert!(bytes.starts_with(b"[{"), "a year of bookings");
    }
}

/// `hearth serve`'s router on loopback, on a runtime of its own (its own threads, as in
/// its own process), so the clients' work here never holds the server's threads.
fn serve_apart(hearth: Arc<Hearth>) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
                .await
                .expect("bind");
            let base = format!("http://{}", listener.local_addr().expect("addr"));
            tx.send(base).expect("base");
            let app = router(AppState::new(hearth), None);
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
        })
    });
    rx.recv().expect("server started")
}

async fn run(bookings: usize) {
    let dir = tempfile::tempdir().expect("dir");
    let hearth = Arc::new(Hearth::open(dir.path().join("bench.db")).expect("open"));
    demo::generate(
        &hearth,
        &DemoOptions {
            kind: PracticeKind::Dental,
            years: 1,
            resources: Some(6),
            seed: 7,
        },
    )
    .expect("demo");
    let base = serve_apart(hearth.clone());

    let desk = Desk::sign_in(&base).await;
    let types = desk.call("list_appointment_types", json!({})).await;
    let resources = desk.call("list_resources", json!({})).await;
    let type_id = types
        .as_array()
        .and_then(|a| a.iter().find(|t| t["name"] == "Check-up"))
        .map(|t| t["id"].clone())
        .expect("type");
    let of_kind = |k: &str| {
        resources
            .as_array()
            .and_then(|a| a.iter().find(|r| r["kind"] == k))
            .map(|r| r["id"].clone())
            .expect("resource")
    };
    let (chair, provider) = (of_kind("chair"), of_kind("provider"));
    let now = hearth.clock.now_ms();
    let book = |first: i64, n: usize| {
        let desk = desk.clone();
        let (type_id, chair, provider) = (type_id.clone(), chair.clone(), provider.clone());
        async move {
            let mut times = Vec::with_capacity(n);
            for i in 0..n as i64 {
                let start = first + (i / 15) * DAY + 9 * 3_600_000 + (i % 15) * 1_800_000;
                let args = json!({
                    "person_name": format!("Bench {first} {i}"), "someone_new": true, "type_id": type_id,
                    "resource_ids": [chair, provider], "override_rules": true,
                    "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 1_800_000 },
                });
                let t = Instant::now();
                desk.call("create_booking", args).await;
                times.push(t.elapsed());
            }
            times
        }
    };

    // Four other desks, each reading the past year back to back while `reading` is on.
    let reading = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let in_flight = Arc::new(AtomicU64::new(0));
    let reads = Arc::new(AtomicU64::new(0));
    let mut readers = Vec::new();
    for _ in 0..READERS {
        let other = Desk::sign_in(&base).await;
        let (reading, stop, in_flight, reads) = (
            reading.clone(),
            stop.clone(),
            in_flight.clone(),
            reads.clone(),
        );
        readers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if !reading.load(Ordering::Relaxed) {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
                in_flight.fetch_add(1, Ordering::Relaxed);
                other
                    .read_year(json!({ "from_ms": now - 365 * DAY, "to_ms": now }))
                    .await;
                in_flight.fetch_sub(1, Ordering::Relaxed);
                reads.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }

    // Warm up (connections, caches); then rounds of bookings alone and beside the
    // readers, taking turns, so a drift in the machine's state falls on both alike.
    let _ = book(now + 3_000 * DAY, 100).await;
    let per_round = bookings.div_ceil(ROUNDS);
    let (mut alone, mut beside) = (Vec::new(), Vec::new());
    let mut beside_time = Duration::ZERO;
    let mut read_count = 0;
    for round in 0..ROUNDS as i64 {
        alone.extend(book(now + (4_000 + 100 * round) * DAY, per_round).await);
        reading.store(true, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let started = reads.load(Ordering::Relaxed);
        let t = Instant::now();
        beside.extend(book(now + (5_000 + 100 * round) * DAY, per_round).await);
        beside_time += t.elapsed();
        read_count += reads.load(Ordering::Relaxed) - started;
        // The readers finish the reads under way before the next round alone.
        reading.store(false, Ordering::Relaxed);
        while in_flight.load(Ordering::Relaxed) > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        let _ = r.await;
    }
    alone.sort();
    beside.sort();
    let elapsed = beside_time;

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pct = |v: &[Duration], p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "== a booking through the transport (HTTP, signed in), 1-year demo, {} each in {ROUNDS} rounds ==",
        alone.len()
    );
    println!(
        "alone:                      p50 {:.2} ms, p99 {:.2} ms",
        ms(pct(&alone, 0.5)),
        ms(pct(&alone, 0.99))
    );
    println!(
        "beside {READERS} year-long readers: p50 {:.2} ms, p99 {:.2} ms ({read_count} year reads meanwhile, {:.0} ms each on average)",
        ms(pct(&beside, 0.5)),
        ms(pct(&beside, 0.99)),
        ms(elapsed) * READERS as f64 / read_count.max(1) as f64
    );
    println!(
        "p99 ratio (beside / alone): {:.2} (goal ≤ 1.5)",
        ms(pct(&beside, 0.99)) / ms(pct(&alone, 0.99))
    );
}
