#!/usr/bin/env bash
# The API against its own document. Schemathesis (from PyPI) reads the OpenAPI
# document `hearth serve` publishes and sends requests made from it — valid
# ones, which must be accepted, and invalid ones, which must be refused — to a
# demo practice on loopback, signed in as its manager. It checks that no
# request makes a server error, that every status and answer is one the
# document states, and that nothing the document calls invalid is accepted.
#
# Bounded: a fixed seed and a fixed number of examples per command, so the run
# takes about fifteen seconds and is the same each time. Longer:
# `HEARTH_API_EXAMPLES=200 ./scripts/test-api-schema.sh`.
#
# Not sent: what would end the run's own session or reach beyond this
# computer (sign-out, archiving staff, a password reset, sharing on the
# network, restores, backups to disk). Rules no schema can state (a booking's
# end after its start, a hotel-only command in a dental practice, two
# different records to merge) are listed with their reason in
# tests/api/allowed-refusals.txt; any other refusal of a valid request fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

venv="${HEARTH_SCHEMATHESIS_VENV:-$root/target/schemathesis}"
[ -x "$venv/bin/st" ] || HEARTH_NEED_TEST_PACKAGES=1 bash scripts/deps.sh

bin="${CARGO_TARGET_DIR:-$root/target}/debug/hearth"
[ -x "$bin" ] || cargo build -p hearth-server
work="$(mktemp -d)"
# The full report stays in $HEARTH_API_OUT when it is set (for reading a failure).
out="${HEARTH_API_OUT:-$work}"
export HEARTH_KEY_DIR="${HEARTH_KEY_DIR:-$work/keys}"
# The practice's clock, never the machine's: Monday 7 Dec 2026, 09:00 UTC.
clock=1796634000000
"$bin" demo --db "$work/practice.db" --kind dental --clock-starts-at "$clock" >/dev/null
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bin" serve --db "$work/practice.db" --addr "127.0.0.1:$port" --clock-starts-at "$clock" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

cookie="$(python3 "$root/tests/api/sign_in.py" "http://127.0.0.1:$port" helen demo)"

# Run from the run's own folder: schemathesis keeps a cache of earlier
# failures in the current folder, and each run starts from none.
cd "$work"
"$venv/bin/st" run "http://127.0.0.1:$port/api/openapi.json" \
  --header "Cookie: hearth_session=$cookie" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,positive_data_acceptance \
  --phases examples,coverage,fuzzing \
  --max-examples "${HEARTH_API_EXAMPLES:-15}" \
  --seed 20261207 \
  --workers 1 \
  --exclude-path /api/sign-out \
  --exclude-path-regex '/(archive_staff|reset_staff_password|save_staff|change_password|set_sharing|revoke_workstation|restore_backup|back_up_now|add_backup_destination|show_recovery_key)$' \
  --report junit --report-junit-path "$work/junit.xml" \
  "$@" >"$out/run.txt" 2>&1 || true

python3 "$root/tests/api/verdict.py" "$out/run.txt" "$root/tests/api/allowed-refusals.txt"
