#!/usr/bin/env bash
# Builds the .deb (scripts/package.sh: under 10 MB or it fails), installs it on this
# machine as a person would (`apt install ./hearth_*.deb`), and opens the app its
# desktop-menu entry starts to its first screen under Xvfb.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

bash scripts/package.sh
deb="$(ls -t target/hearth_*_amd64.deb | head -1)"
say "Installing $deb"
$SUDO apt-get install -y --no-install-recommends --reinstall "./$deb"
command -v hearth >/dev/null
hearth --help >/dev/null
say "The installed hearth command shares a practice (loopback here) with the screens"
tmp="$(mktemp -d)"
hearth demo --db "$tmp/practice.db" >/dev/null
say "The installed hearth keeps the practice locked: plain sqlite3 reads nothing from it"
if head -c 15 "$tmp/practice.db" | grep -q 'SQLite format 3'; then
  echo "the practice file is not encrypted" >&2
  exit 1
fi
if sqlite3 "$tmp/practice.db" 'SELECT count(*) FROM people;' >/dev/null 2>&1; then
  echo "plain sqlite3 read the practice file" >&2
  exit 1
fi
port=$((20000 + RANDOM % 20000))
hearth serve --db "$tmp/practice.db" --share --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
served=$!
trap 'kill $served 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do
  curl -ksf "https://127.0.0.1:$port/api/health" >/dev/null && break
  sleep 0.2
done
curl -ksf "https://127.0.0.1:$port/" | grep -q '<div id="app">'
[ "$(curl -ks -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/api/session")" = 401 ]
hearth share-code --db "$tmp/practice.db" | grep -Eq '^[0-9]{3} [0-9]{3}'
kill $served

entry="$(dpkg -L hearth | grep '/usr/share/applications/.*\.desktop$' | head -1)"
[ -n "$entry" ] || { echo "no desktop menu entry was installed" >&2; exit 1; }
grep -q '^Categories=.*Office' "$entry"
exe="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$entry" | head -1)"
app="$(command -v "$exe")"
say "Opening the installed $app (the menu entry's Exec)"
[ -d tests/desktop/node_modules ] || (cd tests/desktop && npm ci)
(cd tests/desktop && HEARTH_APP="$app" dbus-run-session -- xvfb-run -a -s "-screen 0 1366x800x24" node --test installed.mjs)
