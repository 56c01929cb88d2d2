#!/usr/bin/env bash
# Installs what is missing, builds Hearth and opens the desktop app on the
# practice file at $HEARTH_DB (default: ~/.local/share/hearth/practice.db).
# When that file does not exist yet it starts as a demo dental practice.
# On a machine with no display it serves the same UI in a browser instead.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

bash scripts/deps.sh
say "Building the screens"
(cd ui && npm run build --silent)
say "Building Hearth"
cargo build --release -p hearth-server

db="${HEARTH_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/hearth/practice.db}"
mkdir -p "$(dirname "$db")"
if [ ! -f "$db" ]; then
  say "No practice yet: creating the demo dental practice in $db"
  ./target/release/hearth demo --db "$db" --kind "${HEARTH_DEMO_KIND:-dental}"
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  addr="${HEARTH_ADDR:-127.0.0.1:8787}"
  say "This computer has no display, so Hearth opens in a browser instead: http://$addr/"
  exec ./target/release/hearth serve --db "$db" --addr "$addr" --ui ui/dist
fi

cargo build --release -p hearth-desktop --features tauri/custom-protocol
say "Opening Hearth"
HEARTH_DB="$db" exec ./target/release/hearth-desktop
