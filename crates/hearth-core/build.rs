//! Embeds `migrations/*.sql` from the workspace root into the core crate.
//! Reruns when the folder or any file in it changes.
use std::{env, fs, path::PathBuf};

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("../../migrations");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<(u32, String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(&root).expect("migrations/ folder exists") {
        let path = entry.expect("readable migrations entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if !name.ends_with(".sql") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let version: u32 = name
            .split('_')
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("migration {name} must start with a number, like 0002_"));
        files.push((version, name, path.canonicalize().expect("canonical path")));
    }
    files.sort();
    for (i, (v, name, _)) in files.iter().enumerate() {
        assert_eq!(
            *v as usize,
            i + 1,
            "migrations must be numbered 1..N without gaps ({name})"
        );
    }
    let mut out = String::from("/// (version, file name, SQL), in order.\npub const MIGRATIONS: &[(u32, &str, &str)] = &[\n");
    for (v, name, path) in &files {
        out.push_str(&format!(
            "    ({v}, {name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("migrations.rs");
    fs::write(dest, out).expect("write migrations.rs");
}
