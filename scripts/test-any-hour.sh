#!/usr/bin/env bash
# Runs the Rust, browser and desktop tests with the machine's clock moved by Debian's
# faketime to each instant given (UTC, "YYYY-MM-DD HH:MM:SS"), or to the four of
# docs/testing.md: a Sunday evening, a Tuesday at 07:00, a Wednesday at 23:59, and a
# minute before the clocks go forward in London. Builds first, on the real clock.
# Not part of ./scripts/test.sh (about ten minutes an instant); see docs/testing.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

HEARTH_NEED_TAURI_DRIVER=1 HEARTH_NEED_TEST_PACKAGES=1 bash scripts/deps.sh
HEARTH_KEY_DIR="$(mktemp -d)/keys"
export HEARTH_KEY_DIR
if [ $# -gt 0 ]; then
  instants=("$@")
else
  instants=('2026-12-06 21:45:00' '2026-12-08 07:00:00' '2026-12-09 23:59:00' '2027-03-28 00:59:00')
fi

say "Building on the real clock"
# The screens first: the desktop app embeds them when it is built.
(cd ui && npm run build)
cargo build -p hearth-server
cargo build -p hearth-desktop --features tauri/custom-protocol
cargo test -p hearth-core -p hearth-server --lib --tests --no-run

for at in "${instants[@]}"; do
  say "The clock at $at (UTC): Rust tests"
  # Without the doc-test step: rustdoc hangs under faketime (and Hearth has no doc tests).
  TZ=UTC faketime "$at" cargo test -p hearth-core -p hearth-server --lib --tests
  say "The clock at $at (UTC): browser tests"
  (cd tests && TZ=UTC faketime "$at" npm test)
  say "The clock at $at (UTC): desktop tests"
  (cd tests/desktop && TZ=UTC faketime "$at" dbus-run-session -- xvfb-run -a -s "-screen 0 1366x800x24" npm test)
done
say "Green at every instant: ${instants[*]}"
