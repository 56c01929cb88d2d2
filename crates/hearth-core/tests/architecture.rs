//! Architecture invariants that a test can hold: the core stays free of any
//! desktop or HTTP crate, so its tests build in seconds and both transports
//! stay thin.
#[test]
fn hearth_core_depends_on_no_desktop_or_http_crate() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "hearth-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        tree.contains("rusqlite"),
        "cargo tree output looks wrong:\n{tree}"
    );
    let forbidden = [
        "tauri", "wry", "axum", "hyper", "reqwest", "tokio", "tower", "actix", "warp",
    ];
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(
            !forbidden
                .iter()
                .any(|f| name == *f || name.starts_with(&format!("{f}-"))),
            "hearth-core must not depend on {name}"
        );
    }
}

/// The core's layers, lowest first. A module may use its own layer's and lower
/// layers' modules, never a higher one: values and pure rules at the bottom,
/// then storage, who is acting, the command context, the domains (setup below
/// scheduling), what reads across them, the registry, and the door.
const LAYERS: &[&[&str]] = &[
    &[
        "error",
        "clock",
        "ids",
        "instant",
        "kind",
        "intervals",
        "time",
        "events",
        "audit",
        "text",
    ],
    &["request", "store"],
    &["access"],
    &["app"],
    &["setup", "people"],
    &["scheduling", "care", "moving"],
    &["activity", "demo"],
    &["commands"],
    &["gate", "bindings"],
];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

/// Every `.rs` file under `src/`: its path relative to `src/` and its text,
/// with `#[cfg(test)]` blocks left out.
fn rust_files() -> Vec<(String, String)> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read src").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p
                    .strip_prefix(&src)
                    .expect("under src")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&p).expect("read file");
                let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
                out.push((rel, code));
            }
        }
    }
    out
}

/// Every source file as a module path (`setup::practice`), with the `crate::`
/// paths its non-test code names (comments left out).
fn modules() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut out = std::collections::BTreeMap::new();
    for (rel, code) in rust_files() {
        let mut parts: Vec<String> = rel
            .trim_end_matches(".rs")
            .split('/')
            .map(str::to_owned)
            .collect();
        if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
            parts.pop();
        }
        let mut uses = std::collections::BTreeSet::new();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            let mut rest = line;
            while let Some(i) = rest.find("crate::") {
                rest = &rest[i + 7..];
                let path: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                uses.insert(path.trim_end_matches(':').to_owned());
            }
        }
        out.insert(parts.join("::"), uses);
    }
    out
}

/// The module a `crate::` path lands in: its longest prefix that is a file.
fn resolve(
    path: &str,
    known: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|p| known.contains_key(p))
}

#[test]
fn no_module_uses_a_higher_layer() {
    let mods = modules();
    let mut wrong = Vec::new();
    for (m, uses) in &mods {
        if m.is_empty() {
            continue;
        }
        let top = m.split("::").next().unwrap_or("");
        let Some(own) = layer_of(top) else {
            wrong.push(format!("{m} is in no layer: add it to LAYERS"));
            continue;
        };
        for u in uses {
            let target = u.split("::").next().unwrap_or("");
            if let Some(l) = layer_of(target) {
                if l > own {
                    wrong.push(format!("{m} (layer {own}) uses crate::{u} (layer {l})"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_module_circles() {
    let mods = modules();
    let edges: std::collections::BTreeMap<&String, Vec<String>> = mods
        .iter()
        .map(|(m, uses)| {
            let to = uses
                .iter()
                .filter_map(|u| resolve(u, &mods))
                .filter(|t| t != m && !m.starts_with(&format!("{t}::")))
                .collect();
            (m, to)
        })
        .collect();
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit<'a>(
        m: &'a String,
        edges: &'a std::collections::BTreeMap<&'a String, Vec<String>>,
        path: &mut Vec<&'a String>,
        done: &mut std::collections::BTreeSet<&'a String>,
    ) -> Option<String> {
        if let Some(i) = path.iter().position(|p| *p == m) {
            let cycle: Vec<&str> = path[i..]
                .iter()
                .map(|s| s.as_str())
                .chain([m.as_str()])
                .collect();
            return Some(cycle.join(" → "));
        }
        if done.contains(m) {
            return None;
        }
        path.push(m);
        for t in edges.get(m).into_iter().flatten() {
            if let Some((k, _)) = edges.get_key_value(t) {
                if let Some(c) = visit(k, edges, path, done) {
                    return Some(c);
                }
            }
        }
        path.pop();
        done.insert(m);
        None
    }
    let mut done = std::collections::BTreeSet::new();
    for m in edges.keys() {
        let found = visit(m, &edges, &mut Vec::new(), &mut done);
        assert!(
            found.is_none(),
            "a module circle: {}",
            found.unwrap_or_default()
        );
    }
}

/// Which module owns each table: only it writes the table. (Reads may join
/// across tables where a query needs it, e.g. the overlap check and slot
/// search read `booking_resources` directly.)
const TABLE_OWNERS: &[(&str, &str)] = &[
    ("practice", "setup/practice.rs"),
    ("opening_hours", "setup/practice.rs"),
    ("opening_breaks", "setup/practice.rs"),
    ("staff", "setup/staff.rs"),
    ("resources", "setup/resources.rs"),
    ("room_types", "setup/resources.rs"),
    ("appointment_types", "setup/appointment_types.rs"),
    ("blocks", "setup/blocks.rs"),
    ("bookings", "scheduling/bookings.rs"),
    ("booking_resources", "scheduling/bookings.rs"),
    ("status_changes", "scheduling/bookings.rs"),
    ("sessions", "access/sessions.rs"),
    ("sign_in_failures", "access/sessions.rs"),
    ("audit_log", "audit/chain.rs"),
    ("audit_head", "audit/chain.rs"),
    ("audit_seal", "audit/chain.rs"),
    ("person_looks", "audit/looks.rs"),
    ("change_log", "store/change_log.rs"),
    ("people", "people/records.rs"),
    // The search index is kept in step with `people` by its triggers; only
    // its options and compaction are written from Rust.
    ("people_search", "people/records.rs"),
    ("person_alerts", "people/alerts.rs"),
    ("booking_occasions", "scheduling/occasions.rs"),
    ("person_dates", "people/dates.rs"),
    ("person_notes", "people/notes.rs"),
    ("task_rules", "setup/task_rules.rs"),
    ("tasks", "care/tasks.rs"),
    ("incidents", "care/incidents.rs"),
    ("incident_gestures", "care/incidents.rs"),
    ("person_links", "people/links.rs"),
    ("person_merges", "people/records.rs"),
    ("people_distinct", "people/duplicates.rs"),
    ("resource_hours", "setup/rota.rs"),
    ("backup_destinations", "setup/backups.rs"),
    ("backup_settings", "setup/backups.rs"),
    ("handoffs", "care/handoffs.rs"),
    ("waitlist", "care/waitlist.rs"),
    ("recall_contacts", "care/recall.rs"),
    ("room_states", "scheduling/room_status.rs"),
    ("share_identity", "access/workstations.rs"),
    ("workstations", "access/workstations.rs"),
    ("pairing_failures", "access/workstations.rs"),
    ("import_uploads", "moving/uploads.rs"),
    ("import_upload_parts", "moving/uploads.rs"),
    ("imports", "moving/imports.rs"),
    ("import_changes", "moving/imports.rs"),
    ("import_name_maps", "moving/bookings.rs"),
    ("calendar_feeds", "scheduling/feeds.rs"),
];

#[test]
fn each_table_is_written_only_by_its_module() {
    let mut wrong = Vec::new();
    let mut seen_tables = std::collections::BTreeSet::new();
    for (rel, code) in rust_files() {
        for verb in ["INSERT INTO ", "UPDATE ", "DELETE FROM "] {
            for (i, _) in code.match_indices(verb) {
                let table: String = code[i + verb.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if table.is_empty() {
                    continue;
                }
                seen_tables.insert(table.clone());
                match TABLE_OWNERS.iter().find(|(t, _)| *t == table) {
                    Some((_, owner)) if *owner == rel => {}
                    Some((_, owner)) => {
                        wrong.push(format!("{rel} writes {table}, which {owner} owns"))
                    }
                    None => wrong.push(format!(
                        "{rel} writes {table}, which has no owner in TABLE_OWNERS"
                    )),
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "writes outside their table's module:\n{}",
        wrong.join("\n")
    );
    assert!(
        seen_tables.len() >= 10,
        "the scan found too few tables: {seen_tables:?}"
    );
}
