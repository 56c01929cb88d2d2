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
