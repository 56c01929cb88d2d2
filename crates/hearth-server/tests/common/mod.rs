//! What the command-line tests share: running the `hearth` binary, and a
//! demo practice file to run it on.
#![allow(dead_code)]
use std::path::Path;
use std::process::Command;

use hearth_core::gate::{self, Caller};
use hearth_core::Hearth;

/// Runs `hearth ARGS…`: whether it succeeded, and everything it printed.
pub fn hearth(args: &[&str]) -> (bool, String) {
    run(Command::new(env!("CARGO_BIN_EXE_hearth")).args(args))
}

/// Runs `hearth ARGS…` on "a computer" whose keys are kept in `keys`.
pub fn hearth_on(keys: &Path, args: &[&str]) -> (bool, String) {
    run(Command::new(env!("CARGO_BIN_EXE_hearth"))
        .env("HEARTH_KEY_DIR", keys)
        .args(args))
}

fn run(command: &mut Command) -> (bool, String) {
    let out = command.output().expect("run hearth");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A demo practice of `kind` ("dental", "hotel") written to `db`; returns
/// the caller that made it, to sign in with.
pub fn demo_file(db: &Path, kind: &str) -> (Hearth, Caller) {
    let h = Hearth::open(db).expect("open");
    let caller = Caller {
        workstation: "Test".into(),
        workstation_id: None,
        ..Default::default()
    };
    gate::access(
        &h,
        &caller,
        "open_demo_practice",
        &format!(r#"{{"kind":"{kind}"}}"#),
    )
    .expect("demo");
    (h, caller)
}
