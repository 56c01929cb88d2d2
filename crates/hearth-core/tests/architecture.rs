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

/// Every `.rs` file under `src` (relative to this crate): its path relative
/// to `src/` and its text.
fn rust_files_in(src: &std::path::Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read src").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p
                    .strip_prefix(src)
                    .expect("under src")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&p).expect("read file");
                out.push((rel, text));
            }
        }
    }
    out
}

/// The core's `.rs` files, with `#[cfg(test)]` blocks left out.
fn rust_files() -> Vec<(String, String)> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    rust_files_in(&src)
        .into_iter()
        .map(|(rel, text)| {
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
            (rel, code)
        })
        .collect()
}

/// A crate's module graph, read with `syn` (the parser the Rust ecosystem's
/// macros use): every source file as a module path (`scheduling::bookings`),
/// with the module paths its non-test code names, absolute — from `use`
/// trees, grouped and nested ones included (`use crate::a::{b, c::{d}}`), and
/// from paths written inline (`crate::a::f()`, `super::b::T`).
mod graph {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;
    use syn::visit::Visit;

    pub type Graph = BTreeMap<String, BTreeSet<String>>;

    /// The module path of a file (`scheduling/bookings.rs`, `scheduling/mod.rs`).
    fn module_of(rel: &str) -> Vec<String> {
        let mut parts: Vec<String> = rel
            .trim_end_matches(".rs")
            .split('/')
            .map(str::to_owned)
            .collect();
        if parts
            .last()
            .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
        {
            parts.pop();
        }
        parts
    }

    fn is_test_only(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| {
            a.path().is_ident("cfg")
                && a.parse_args::<syn::Meta>()
                    .is_ok_and(|m| m.path().is_ident("test"))
        })
    }

    /// Collects the paths one file names, absolute.
    struct Names<'a> {
        here: &'a [String],
        out: BTreeSet<String>,
    }

    impl Names<'_> {
        /// Makes `segments` absolute (`crate`, `self`, `super`), or drops it
        /// (a path into another crate, or a local name).
        fn add(&mut self, segments: &[String]) {
            let Some(first) = segments.first() else {
                return;
            };
            let mut base: Vec<String> = match first.as_str() {
                "crate" => Vec::new(),
                "self" | "super" => self.here.to_vec(),
                _ => return,
            };
            let mut rest = &segments[1..];
            if first == "super" {
                base.pop();
            }
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().filter(|s| *s != "self").cloned());
            if !base.is_empty() {
                self.out.insert(base.join("::"));
            }
        }

        fn walk_use(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
            match tree {
                syn::UseTree::Path(p) => {
                    prefix.push(p.ident.to_string());
                    self.walk_use(prefix, &p.tree);
                    prefix.pop();
                }
                syn::UseTree::Name(n) => {
                    prefix.push(n.ident.to_string());
                    self.add(&prefix.clone());
                    prefix.pop();
                }
                syn::UseTree::Rename(r) => {
                    prefix.push(r.ident.to_string());
                    self.add(&prefix.clone());
                    prefix.pop();
                }
                syn::UseTree::Glob(_) => self.add(&prefix.clone()),
                syn::UseTree::Group(g) => {
                    for t in &g.items {
                        self.walk_use(prefix, t);
                    }
                }
            }
        }
    }

    impl<'ast> Visit<'ast> for Names<'_> {
        fn visit_item(&mut self, i: &'ast syn::Item) {
            let attrs = match i {
                syn::Item::Mod(m) => &m.attrs,
                syn::Item::Fn(f) => &f.attrs,
                syn::Item::Use(u) => &u.attrs,
                syn::Item::Impl(m) => &m.attrs,
                _ => return syn::visit::visit_item(self, i),
            };
            if !is_test_only(attrs) {
                syn::visit::visit_item(self, i);
            }
        }

        fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
            self.walk_use(&mut Vec::new(), &u.tree);
        }

        fn visit_path(&mut self, p: &'ast syn::Path) {
            let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
            self.add(&segments);
            syn::visit::visit_path(self, p);
        }

        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            // A macro's body is tokens, not syntax: its paths are read from
            // the tokens (`crate :: a :: b`), its strings and docs are not.
            let mut found = Vec::new();
            paths_in(m.tokens.clone(), &mut found);
            for p in found {
                self.add(&p);
            }
            syn::visit::visit_macro(self, m);
        }
    }

    /// The `a::b::c` paths among `tokens`, groups included.
    fn paths_in(tokens: proc_macro2::TokenStream, out: &mut Vec<Vec<String>>) {
        use proc_macro2::TokenTree;
        let mut current: Vec<String> = Vec::new();
        let mut colons = 0;
        for tt in tokens {
            match tt {
                TokenTree::Ident(i) => {
                    if colons != 2 && !current.is_empty() {
                        out.push(std::mem::take(&mut current));
                    }
                    current.push(i.to_string());
                    colons = 0;
                }
                TokenTree::Punct(p) if p.as_char() == ':' => colons += 1,
                TokenTree::Group(g) => {
                    out.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
                    colons = 0;
                    paths_in(g.stream(), out);
                }
                _ => {
                    out.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
                    colons = 0;
                }
            }
        }
        out.extend((!current.is_empty()).then_some(current));
    }

    /// The graph of the crate whose sources are under `src`.
    pub fn of(src: &Path) -> Graph {
        let mut out = Graph::new();
        for (rel, text) in super::rust_files_in(src) {
            let here = module_of(&rel);
            let file = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", src.join(&rel).display()));
            let mut names = Names {
                here: &here,
                out: BTreeSet::new(),
            };
            names.visit_file(&file);
            out.insert(here.join("::"), names.out);
        }
        out
    }

    /// The module a path lands in: its longest prefix that is a file.
    pub fn resolve(path: &str, known: &Graph) -> Option<String> {
        let parts: Vec<&str> = path.split("::").collect();
        (1..=parts.len())
            .rev()
            .map(|n| parts[..n].join("::"))
            .find(|p| known.contains_key(p))
    }

    /// A circle among the modules of `g`, written `a → b → a`; none if there
    /// is none. A module naming its own parent (which declares it) is no edge.
    pub fn circle(g: &Graph) -> Option<String> {
        let edges: BTreeMap<&String, Vec<String>> = g
            .iter()
            .map(|(m, uses)| {
                let to = uses
                    .iter()
                    .filter_map(|u| resolve(u, g))
                    .filter(|t| t != m && !m.starts_with(&format!("{t}::")) && !t.is_empty())
                    .collect();
                (m, to)
            })
            .collect();
        // Depth-first search for a back edge; report the cycle it closes.
        fn visit<'a>(
            m: &'a String,
            edges: &'a BTreeMap<&'a String, Vec<String>>,
            path: &mut Vec<&'a String>,
            done: &mut BTreeSet<&'a String>,
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
        let mut done = BTreeSet::new();
        edges
            .keys()
            .find_map(|m| visit(m, &edges, &mut Vec::new(), &mut done))
    }
}

/// The core's module graph.
fn modules() -> graph::Graph {
    graph::of(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// Another crate of this workspace, by its folder from the workspace root.
fn crate_modules(dir: &str) -> graph::Graph {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    graph::of(&root.join(dir).join("src"))
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
fn no_module_circles_in_any_crate() {
    let mut found = Vec::new();
    for (name, g) in [
        ("hearth-core", modules()),
        ("hearth-server", crate_modules("crates/hearth-server")),
        ("the desktop shell", crate_modules("src-tauri")),
    ] {
        assert!(g.len() > 3, "{name}: too few modules read: {:?}", g.keys());
        if let Some(c) = graph::circle(&g) {
            found.push(format!("{name}: {c}"));
        }
    }
    assert!(found.is_empty(), "module circles:\n{}", found.join("\n"));
}

#[test]
fn a_circle_through_grouped_and_nested_imports_is_seen() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/circle/src");
    let g = graph::of(&fixture);
    assert!(
        g["booking::dialog"]
            .iter()
            .any(|u| graph::resolve(u, &g).as_deref() == Some("rooms::search")),
        "a nested group is read: {:?}",
        g["booking::dialog"]
    );
    let c = graph::circle(&g).expect("the planted circle is found");
    for m in ["booking::dialog", "rooms::search"] {
        assert!(c.contains(m), "{c}");
    }
    // The same files with the one grouped import that closes it taken out.
    let mut untied = g.clone();
    if let Some(uses) = untied.get_mut("rooms::search") {
        uses.retain(|u| !u.starts_with("booking"));
    }
    assert_eq!(graph::circle(&untied), None);
}

/// Which module owns each table: only it writes the table (a file, or a
/// folder ending in `/`: any file in it). (Reads may join
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
    ("bookings", "scheduling/bookings/"),
    ("booking_resources", "scheduling/bookings/"),
    ("status_changes", "scheduling/bookings/"),
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
                    Some((_, owner))
                        if *owner == rel || (owner.ends_with('/') && rel.starts_with(owner)) => {}
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
