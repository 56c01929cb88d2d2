#!/usr/bin/env bash
# Runs every test Hearth has, installing what is missing first:
#   1. Rust: core unit/property/store tests and HTTP API tests
#   2. UI: type check and unit tests, then a production build
#   3. the HTTP API against its OpenAPI document (schemathesis, bounded), then
#      browser end-to-end: Playwright driving Debian's Chromium against `hearth serve`
#   4. desktop end-to-end: the real window under Xvfb via tauri-driver + WebKitWebDriver
#   5. the package: the .deb built (under 10 MB), installed with apt, its app opened
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

HEARTH_NEED_TAURI_DRIVER=1 HEARTH_NEED_TEST_PACKAGES=1 bash scripts/deps.sh

# The practice keys the tests make are kept in a folder of the run's own,
# never in this computer's own key folder (~/.config/hearth/keys).
HEARTH_KEY_DIR="$(mktemp -d)/keys"
export HEARTH_KEY_DIR

say "Rust formatting, lints and tests (hearth-core, hearth-server)"
cargo fmt --all -- --check
# Every target, benchmarks and the desktop shell included: no warning lands.
cargo clippy --all-targets --quiet -- -D warnings
cargo test -p hearth-core -p hearth-server

say "UI checks, unit tests and build"
(cd ui && npm run check && npm test && npm run build)

cargo build -p hearth-server
say "The API against its own document (schemathesis)"
bash scripts/test-api-schema.sh

say "Browser end-to-end tests"
(cd tests && npm test)

if [ -f tests/desktop/package.json ]; then
  say "Desktop end-to-end tests"
  cargo build -p hearth-desktop --features tauri/custom-protocol
  # A session bus of its own: the test watches the system notification the window sends.
  (cd tests/desktop && dbus-run-session -- xvfb-run -a -s "-screen 0 1366x800x24" npm test)
fi
say "The package: build the .deb, install it, open the installed app"
bash scripts/package-test.sh
say "All tests passed."
