#!/usr/bin/env bash
# Builds the installable package: target/hearth_<version>_amd64.deb, holding the
# desktop app (`hearth-desktop`, in the desktop menu as "Hearth"), the `hearth`
# command (the same program: `hearth serve --share` for a practice computer without
# a desktop) and the screens it serves to browsers (/usr/share/hearth/ui).
# Install it with `sudo apt install ./target/hearth_*.deb`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

bash scripts/deps.sh
[ -d ui/node_modules ] || (cd ui && npm ci)
say "Building the screens"
(cd ui && npm run build --silent)
say "Building the desktop app and its .deb"
(cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb)
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
built="$(ls -t target/release/bundle/deb/*.deb | head -1)"
out="target/hearth_${version}_amd64.deb"
# Repacked with xz: the same files, a third smaller than the bundler's gzip.
work="$(mktemp -d)"
dpkg-deb -R "$built" "$work/pkg"
dpkg-deb -Zxz -z9 --root-owner-group -b "$work/pkg" "$out" >/dev/null
rm -rf "$work"
size=$(stat -c %s "$out")
say "$out: $((size / 1024)) KiB"
if [ "$size" -ge $((10 * 1024 * 1024)) ]; then
  echo "the package is over 10 MB" >&2
  exit 1
fi
