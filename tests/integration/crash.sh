#!/usr/bin/env bash
# crash.sh — durability of acknowledged writes: client loops create cases through the API while
# the server is killed with SIGKILL at random moments and restarted on the same store. Afterwards
# every case acknowledged with 201 must be present and the audit chain must verify. Runs on
# SQLite and on a throw-away PostgreSQL cluster (127.0.0.1, random port, non-root owner).
# CRASH_ROUNDS (default 6) kills per backend; CRASH_CLIENTS (default 4) concurrent writers
# (tests/http/crash_client.js).
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
ROUNDS=${CRASH_ROUNDS:-6}
CLIENTS=${CRASH_CLIENTS:-4}
T=$(mktemp -d)
SRV_PID=
CLIENT_PIDS=()
cleanup() {
    local p
    for p in "${CLIENT_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    stop_server KILL; pg_stop; rm -rf "$T"
}
trap cleanup EXIT
. tests/http/lib.sh

run_backend() {
    local be=$1 admin usa round p total=0 kills=0
    echo "== backend $be"
    rm -f "$T/acked" "$T/stop"
    CPORT=$(free_port)
    LISTEN="127.0.0.1:$CPORT"
    start_server "$be" "${STORE_ARGS[@]}" || { bad "$be: server starts"; return; }
    admin=$(sed -n '2p' "$T/$be.out")
    usa=$(token USA officer)
    : > "$T/acked"
    node tests/http/crash_client.js "$CPORT" "$usa" "$T/acked" "$T/stop" "$CLIENTS" > "$T/client.out" &
    CLIENT_PIDS=($!)
    for round in $(seq 1 "$ROUNDS"); do
        # A random moment: 1.0 .. 3.0 s of writes (the first request after a start pays for the
        # Argon2id token check), then SIGKILL mid-stream.
        sleep "$((1 + RANDOM % 2)).$((RANDOM % 10))$((RANDOM % 10))"
        kill -KILL "$SRV_PID" 2>/dev/null && kills=$((kills + 1))
        wait "$SRV_PID" 2>/dev/null
        SRV_PID=
        sleep "0.0$((RANDOM % 10))"
        start_server "$be" "${STORE_ARGS[@]}" || { bad "$be: restart after kill $round"; break; }
    done
    sleep 0.5
    touch "$T/stop"
    for p in "${CLIENT_PIDS[@]}"; do wait "$p"; done
    CLIENT_PIDS=()
    # One more SIGKILL with nothing in flight, then a clean restart for the checks.
    kill -KILL "$SRV_PID"; wait "$SRV_PID" 2>/dev/null; SRV_PID=
    start_server "$be" "${STORE_ARGS[@]}" || { bad "$be: final restart"; return; }
    expect_eq "$be: server killed $ROUNDS times" "$kills" "$ROUNDS"
    echo "     client: $(cat "$T/client.out")"
    total=$(wc -l < "$T/acked")
    if [ "$total" -gt 0 ]; then ok "$be: $total creates acknowledged with 201 across the kills"; else bad "$be: some creates acknowledged"; fi
    node tests/http/check_acked.js "$PORT" "$usa" "$T/acked" > "$T/check.out"
    expect_eq "$be: every acknowledged case is present" "$(jget "$(cat "$T/check.out")" 'j.checked+":"+j.missing.length')" "$total:0" "$(cat "$T/check.out")"
    expect_eq "$be: acknowledged ids are unique" "$(sort -u "$T/acked" | wc -l)" "$total"
    req GET /v1/audit/verify "$admin"
    expect_eq "$be: audit chain verifies after the kills" "$(jget "$body" 'j.ok')" true "$body"
    expect_eq "$be: audit has an entry per write" "$(jget "$body" 'j.entries >= '"$total")" true
    stop_server TERM
    expect_eq "$be: clean stop" "$SRV_RC" 0
}

STORE_ARGS=(--db "$T/crash.db")
run_backend sqlite
if "$AIB" audit --help >/dev/null 2>&1; then
    "$AIB" audit verify --db "$T/crash.db" >/dev/null 2>&1
    expect_eq "sqlite: aib audit verify on the file" "$?" 0
fi
if pg_available && pg_start; then
    STORE_ARGS=(--pg "$PG_CONN")
    run_backend postgres
    pg_stop
else
    echo "(PostgreSQL not available: postgres backend skipped)"
fi

echo "crash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
