#!/usr/bin/env bash
# e2e.sh — the web interface end to end: starts a real `aib serve` on 127.0.0.1 (random free
# port, temp SQLite store, the web/ folder, a small screening list), creates tokens for two
# nations (USA and GBR officers), runs tests/e2e/run.js in headless Chromium, keeps the
# screenshots under test-artifacts/e2e/ and stops the server. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
OUT=${AIB_E2E_OUT:-test-artifacts/e2e}
T=$(mktemp -d)
SRV_PID=
cleanup() { stop_server TERM; rm -rf "$T"; }
trap cleanup EXIT
. tests/http/lib.sh

NODE_MODULES=.deps/node/node_modules
if [ ! -x /usr/bin/chromium ] || [ ! -d "$NODE_MODULES/playwright-core" ]; then
    bad "e2e prerequisites: /usr/bin/chromium and $NODE_MODULES/playwright-core (run scripts/bootstrap)"
    echo "$pass passed, $fail failed"
    exit 1
fi

# A watch list in aib's JSON-lines list format (docs/screening.md): one company, one person.
cat > "$T/watch.jsonl" <<'JSONL'
# test watch list for the web interface
{"id": "hr1", "name": "Example Regional Bank", "schema": "Company", "aliases": ["Exbank"], "countries": ["IR"], "ids": ["REG-2020-5566"], "programs": "internal-high-risk"}
{"id": "p1", "name": "Ivan Petrovich Sidorov", "schema": "Person", "dob": "1970-02-03", "countries": ["RU"], "programs": "internal-watch"}
JSONL

STORE_ARGS=(--db "$T/aib.db")
# The registry's sample corpus (data/registry/sample), published on this USA node.
"$AIB" registry add --db "$T/aib.db" --node USA data/registry/sample/records.jsonl >/dev/null || bad "registry sample loads"
start_server web "${STORE_ARGS[@]}" --web web --screen-lists "$T/watch.jsonl" || { bad "server starts"; echo "$pass passed, $fail failed"; exit 1; }
ok "aib serve started on 127.0.0.1:$PORT"
req GET /index.html -; expect_eq "web/index.html served" "$code" 200
expect_in "index.html served as HTML" "Content-Type: text/html" "$hdrs"
req GET /app.js -; expect_in "app.js served as JavaScript" "Content-Type: text/javascript" "$hdrs"
req GET /lib/../../Makefile -; expect_eq "no path escape from web/" "$code" 404

A=$(token USA officer "Alice (USA)")
B=$(token GBR officer "Bob (GBR)")

rm -rf "$OUT"
mkdir -p "$OUT"
AIB_E2E_BASE="$BASE" AIB_E2E_TOKEN_A="$A" AIB_E2E_TOKEN_B="$B" AIB_E2E_OUT="$OUT" AIB_E2E_SCREEN=1 \
    NODE_PATH="$PWD/$NODE_MODULES" timeout 300 node tests/e2e/run.js > "$T/e2e.out" 2>&1
rc=$?
sed '$d' "$T/e2e.out"
last=$(tail -n 1 "$T/e2e.out")
if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
else
    echo "$last"
    bad "e2e script finished (exit $rc)"
fi
[ "$rc" -eq 0 ] || [ "$fail" -gt 0 ] || bad "e2e script exit status $rc"
n=$(find "$OUT" -name '*.png' | wc -l)
[ "$n" -ge 8 ] && ok "screenshots saved in $OUT ($n)" || bad "screenshots saved in $OUT ($n)"

stop_server TERM
expect_eq "server stopped cleanly" "$SRV_RC" 0
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
