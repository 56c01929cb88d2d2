//! The search box at 100,000 people: `search_people` through
//! `commands::dispatch` (JSON in and out), for names, prefixes, typos, phone
//! digits and dates of birth; `likely_people` as the booking dialog asks it
//! while a name is typed; and the possible-duplicates list over all of them.
//! Run with `cargo bench -p hearth-core --bench people`;
//! figures in docs/performance.md (goal: p99 under 2 ms for each keystroke).
use std::time::{Duration, Instant};

use hearth_core::commands::dispatch;
use hearth_core::gate::{self, Caller};
use hearth_core::ids::StaffId;
use hearth_core::people::records::{self, SavePerson};
use hearth_core::{Actor, Hearth};
use serde_json::json;

const PEOPLE: usize = 100_000;

const SYLLABLES: &[&str] = &[
    "ka", "ro", "mi", "an", "el", "to", "sa", "li", "ne", "va", "do", "ri", "mo", "na", "be", "la",
    "zo", "fi", "gu", "ha", "ju", "ke", "lu", "pa", "qui", "se", "ti", "vo", "wy", "xa", "ye",
    "zu",
];

fn word(rng: &mut fastrand::Rng, parts: usize) -> String {
    let mut w: String = (0..parts)
        .map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())])
        .collect();
    if let Some(first) = w.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    w
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let hearth = Hearth::open(dir.path().join("people.db")).expect("open");
    let caller = Caller {
        workstation: "bench".into(),
        workstation_id: None,
        ..Default::default()
    };
    gate::access(
        &hearth,
        &caller,
        "setup_practice",
        &json!({
        "kind": "hotel", "name": "Bench", "time_zone": "Europe/London", "manager_name": "M",
        "manager_login": "mm", "manager_password": "bench-password", "country": "GB" })
        .to_string(),
    )
    .expect("setup");
    let mut rng = fastrand::Rng::with_seed(42);
    let started = Instant::now();
    let mut samples = Vec::new();
    hearth
        .write(&Actor::staff(StaffId(1)), "bench_people", |ctx| {
            for i in 0..PEOPLE {
                let given = word(&mut rng, 2);
                let family = word(&mut rng, 3);
                let phone = format!("07{:03} {:06}", rng.u32(100..999), i);
                let dob = format!("19{:02}-{:02}-{:02}", rng.u32(30..99), rng.u32(1..13), rng.u32(1..29));
                if i % 500 == 0 {
                    samples.push((given.clone(), family.clone(), phone.clone(), dob.clone()));
                }
                records::save(
                    ctx,
                    serde_json::from_value::<SavePerson>(json!({
                        "given_name": given, "family_name": family, "phone": phone, "date_of_birth": dob
                    }))
                    .map_err(|e| hearth_core::CoreError::Storage(e.to_string()))?,
                )?;
            }
            Ok(())
        })
        .expect("people");
    println!(
        "{PEOPLE} people written in {:.1}s",
        started.elapsed().as_secs_f64()
    );

    let actor = Actor::staff(StaffId(1));
    let mut queries: Vec<(&str, String)> = Vec::new();
    for (given, family, phone, dob) in &samples {
        queries.push(("family name", family.clone()));
        queries.push(("prefix", family.chars().take(4).collect()));
        queries.push(("full name", format!("{given} {family}")));
        // One slip: the last letter of the family name changed.
        let mut typo: Vec<char> = family.chars().collect();
        if let Some(last) = typo.last_mut() {
            *last = if *last == 'a' { 'e' } else { 'a' };
        }
        queries.push(("typo", typo.into_iter().collect()));
        queries.push((
            "phone digits",
            phone.replace(' ', "").chars().skip(5).collect(),
        ));
        queries.push(("date of birth", dob.clone()));
    }
    // Warm up.
    for (_, q) in queries.iter().take(50) {
        dispatch(
            &hearth,
            &actor,
            "search_people",
            &json!({ "query": q }).to_string(),
        )
        .expect("search");
    }
    let mut by_kind: std::collections::BTreeMap<&str, Vec<Duration>> = Default::default();
    let mut all = Vec::new();
    let mut empty = 0;
    for (kind, q) in &queries {
        let args = json!({ "query": q }).to_string();
        let t = Instant::now();
        let raw = dispatch(&hearth, &actor, "search_people", &args).expect("search");
        let d = t.elapsed();
        if raw.get() == "[]" {
            empty += 1;
        }
        by_kind.entry(kind).or_default().push(d);
        all.push(d);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for (kind, mut v) in by_kind {
        v.sort();
        println!(
            "{kind:>14}: p50 {:.2} ms, p99 {:.2} ms ({} queries)",
            ms(percentile(&v, 0.5)),
            ms(percentile(&v, 0.99)),
            v.len()
        );
    }
    all.sort();
    println!(
        "{:>14}: p50 {:.2} ms, p99 {:.2} ms ({} queries, {empty} found nobody)",
        "all",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        all.len()
    );

    // Who a typed name could be, as the booking dialog asks (name, then name and phone).
    let mut likely = Vec::new();
    for (given, family, phone, _) in &samples {
        for args in [
            json!({ "name": format!("{given} {family}") }),
            json!({ "name": format!("{given} {family}"), "phone": phone }),
        ] {
            let args = args.to_string();
            let t = Instant::now();
            dispatch(&hearth, &actor, "likely_people", &args).expect("likely");
            likely.push(t.elapsed());
        }
    }
    likely.sort();
    println!(
        "{:>14}: p50 {:.2} ms, p99 {:.2} ms ({} asks)",
        "likely_people",
        ms(percentile(&likely, 0.5)),
        ms(percentile(&likely, 0.99)),
        likely.len()
    );
    // The possible-duplicates list over every record (run a few times, the median kept).
    let mut lists = Vec::new();
    let mut pairs = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let raw = dispatch(&hearth, &actor, "list_possible_duplicates", "{}").expect("pairs");
        lists.push(t.elapsed());
        pairs = serde_json::from_str::<serde_json::Value>(raw.get())
            .ok()
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(0);
    }
    lists.sort();
    println!(
        "{:>14}: median {:.0} ms over {PEOPLE} people ({pairs} pairs listed)",
        "duplicates",
        ms(lists[lists.len() / 2])
    );
}
