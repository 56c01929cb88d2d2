#!/usr/bin/env bash
# Installs what Hearth needs on a Debian/Ubuntu machine when it is missing:
# system packages (WebKitGTK for the window; Xvfb, Chromium and a D-Bus
# session, where the desktop test watches the notifications, poppler to
# read the printed day sheet, and faketime to run the tests at another hour
# (docs/testing.md), for tests),
# tauri-driver, and the UI's and tests' npm packages. Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev
  pkg-config build-essential file libxdo-dev patchelf
  xvfb xauth webkit2gtk-driver chromium fonts-dejavu-core curl
  dbus-daemon dbus-bin poppler-utils faketime sqlite3
)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

sudo_if_needed() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
# The API's schema test runs schemathesis from PyPI in a virtual environment.
if [ "${HEARTH_NEED_TEST_PACKAGES:-0}" = 1 ] && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3 python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing system packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is not installed. Install it from rustup (https://rustup.rs), open a new shell, and run this again." >&2
  exit 1
fi
for tool in fmt clippy; do
  if ! cargo "$tool" --version >/dev/null 2>&1; then
    say "Adding the Rust component for cargo $tool"
    rustup component add "$( [ "$tool" = fmt ] && echo rustfmt || echo clippy )" || {
      echo "cargo $tool is missing and could not be installed: run \`rustup component add rustfmt clippy\`." >&2
      exit 1
    }
  fi
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js $node_major is too old; Hearth's UI build needs Node.js 20 or newer." >&2
  exit 1
fi

if [ "${HEARTH_NEED_TAURI_DRIVER:-0}" = 1 ] && ! command -v tauri-driver >/dev/null 2>&1; then
  say "Installing tauri-driver (desktop end-to-end tests)"
  cargo install tauri-driver --locked --quiet
fi

npm_install() {
  local dir=$1
  [ -f "$root/$dir/package.json" ] || return 0
  if [ ! -d "$root/$dir/node_modules" ] || [ "$root/$dir/package-lock.json" -nt "$root/$dir/node_modules/.package-lock.json" ]; then
    say "Installing npm packages in $dir/"
    (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install ui
if [ "${HEARTH_NEED_TEST_PACKAGES:-0}" = 1 ]; then
  npm_install tests
  npm_install tests/desktop
  venv="${HEARTH_SCHEMATHESIS_VENV:-$root/target/schemathesis}"
  if [ ! -x "$venv/bin/st" ]; then
    say "Installing schemathesis (the API against its own document)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5"
  fi
  # An independent reader of the calendar feeds Hearth writes (tests/ics/read.py).
  if ! "$venv/bin/python" -c 'import icalendar' >/dev/null 2>&1; then
    say "Installing icalendar (reads Hearth's calendar feeds in the tests)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "icalendar==6.3.1"
  fi
fi
