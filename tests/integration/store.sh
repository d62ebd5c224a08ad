#!/usr/bin/env bash
# store.sh — the store and case commands end to end, the same suite against both backends:
# SQLite (a temp file) and PostgreSQL (a throw-away cluster started here on 127.0.0.1 with
# Debian's postgresql binaries, a random free port, run as the postgres user when we are root,
# stopped at the end). Also runs the store and case unit tests against that PostgreSQL.
# Missing PostgreSQL binaries are a failure (scripts/bootstrap installs `postgresql`).
# Env: AIB (the aib binary), BUILD (for unit_tests; default: the directory of $AIB).
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
UNIT=${BUILD:-$(dirname "$AIB")}/unit_tests
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name"; fi; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/aib-store.XXXXXX")
PGBIN=""; PGDATA=""; PGUSER_RUN=()
cleanup() {
    if [ -n "$PGDATA" ] && [ -f "$PGDATA/postmaster.pid" ]; then
        "${PGUSER_RUN[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }

# suite NAME STORE-ARGS... — every check runs against the store the arguments name.
suite() {
    local n=$1; shift
    local S=("$@") out id rc
    check "$n: migrate" "$AIB" db migrate "${S[@]}"
    out=$("$AIB" db migrate "${S[@]}")
    [[ "$out" == *"1 -> 1"* ]] && ok "$n: migrate again is a no-op" || bad "$n: migrate again ($out)"

    out=$("$AIB" case create "${S[@]}" --as olivia --nation GBR --type export_licence --subtype DSP-5 \
          --title Sonar --released-to USA --fields '{"destination":"AUS","boxes":["AUKUS"]}')
    id=$(printf '%s' "$out" | json 'd["id"]' 2>/dev/null)
    [ "$(printf '%s' "$out" | json 'd["stage"]' 2>/dev/null)" = "defence-review" ] \
        && ok "$n: AUKUS box routes to defence review" || bad "$n: AUKUS routing ($out)"
    [ "$(printf '%s' "$out" | json '[t["policy"] for t in d["tags"] if t["kind"]=="route"][0]' 2>/dev/null)" \
        = "route-aukus-defence-review" ] && ok "$n: route records its policy" || bad "$n: route policy"

    out=$("$AIB" case create "${S[@]}" --nation USA --type export_licence --subtype DSP-5 --title X \
          --fields '{"destination":"IND","major_defense_equipment":true,"value_usd":20000000,"usml_items":["IV(a)(1)"]}')
    [[ "$out" == *'"congressional-notification"'* && "$out" == *'"excluded-technology"'* ]] \
        && ok "$n: congressional notification and ETL tags" || bad "$n: tags ($out)"

    out=$("$AIB" case create "${S[@]}" --json '{"type":"export_licence","subtype":"DSP-5","title":"x","colour":1}' 2>&1); rc=$?
    [ $rc -eq 2 ] && [[ "$out" == *colour* ]] && ok "$n: unknown field refused, named" || bad "$n: unknown field ($rc $out)"
    out=$("$AIB" case create "${S[@]}" --json '{"type":"export_licence","subtype":"DSP-5","title":"x","fields":{"destination":"AUS","value_usd":"many"}}' 2>&1); rc=$?
    [ $rc -eq 2 ] && [[ "$out" == *fields.value_usd* ]] && ok "$n: bad field kind names fields.value_usd" || bad "$n: bad kind ($out)"
    out=$("$AIB" case create "${S[@]}" --json '{"type":' 2>&1); rc=$?
    [ $rc -eq 2 ] && [[ "$out" == *malformed* ]] && ok "$n: malformed JSON refused" || bad "$n: malformed ($out)"

    out=$("$AIB" case transition "$id" "${S[@]}" --to executed 2>&1); rc=$?
    [ $rc -eq 2 ] && [[ "$out" == *"allowed:"* ]] && ok "$n: invalid transition refused" || bad "$n: invalid transition ($out)"
    out=$("$AIB" case transition "$id" "${S[@]}" --to ddtc-review --note "back to DDTC")
    [ "$(printf '%s' "$out" | json 'len(d["history"])')" = "3" ] && ok "$n: transition adds a stage visit" || bad "$n: transition"
    check "$n: comment" "$AIB" case comment "$id" "${S[@]}" --body "Need end-use statement"
    check "$n: attach by reference" "$AIB" case attach "$id" "${S[@]}" --name spec.pdf --ref https://files.example/spec.pdf
    out=$("$AIB" case get "$id" "${S[@]}")
    [ "$(printf '%s' "$out" | json 'len(d["comments"]) + len(d["attachments"])')" = "2" ] \
        && ok "$n: get shows comment and attachment" || bad "$n: get ($out)"
    out=$("$AIB" case get C-00000000000000000000 "${S[@]}" 2>&1); rc=$?
    [ $rc -eq 2 ] && ok "$n: unknown case is an error" || bad "$n: unknown case ($rc)"

    out=$("$AIB" case list "${S[@]}" --visible-to USA)
    [ "$(printf '%s' "$out" | json 'len(d["items"])')" = "2" ] && ok "$n: list visible to USA (own + released)" || bad "$n: visible USA ($out)"
    out=$("$AIB" case list "${S[@]}" --visible-to FRA)
    [ "$(printf '%s' "$out" | json 'len(d["items"])')" = "0" ] && ok "$n: nothing visible to FRA" || bad "$n: visible FRA"
    out=$("$AIB" case list "${S[@]}" --limit 1)
    local cur; cur=$(printf '%s' "$out" | json 'd["next_cursor"]')
    out=$("$AIB" case list "${S[@]}" --limit 1 --cursor "$cur")
    [ "$(printf '%s' "$out" | json 'd["items"][0]["id"]')" = "$id" ] && ok "$n: paging with a cursor" || bad "$n: paging"
    out=$("$AIB" case metrics "${S[@]}" --group-by type,stage)
    [ "$(printf '%s' "$out" | json 'sum(r["count"] for r in d["rows"])')" = "4" ] && ok "$n: metrics count stage visits" || bad "$n: metrics ($out)"

    out=$("$AIB" audit verify "${S[@]}"); rc=$?
    [ $rc -eq 0 ] && [[ "$out" == *"intact: 5 entries"* ]] && ok "$n: audit chain verifies" || bad "$n: audit verify ($out)"
    local head; head=$(printf '%s' "$out" | sed -E 's/.*head ([0-9a-f]{64}).*/\1/')
    check "$n: --expect-head matches" "$AIB" audit verify "${S[@]}" --expect-head "$head"

    check "$n: backup" "$AIB" db backup "${S[@]}" --out "$WORK/$n-backup.db"
    "$AIB" case create "${S[@]}" --nation USA --type fms_case --title Later --fields '{"destination":"POL"}' >/dev/null
    check "$n: restore" "$AIB" db restore "${S[@]}" --from "$WORK/$n-backup.db"
    out=$("$AIB" case list "${S[@]}")
    [ "$(printf '%s' "$out" | json 'len(d["items"])')" = "2" ] && ok "$n: restore brings back the backup's cases" || bad "$n: restore content"
    check "$n: audit verifies after restore" "$AIB" audit verify "${S[@]}"

    # An intruder edits the log behind the store's back: verify must fail (exit 1).
    if [ "$n" = sqlite ]; then
        sqlite3 "${S[1]}" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; UPDATE audit SET person=person||'!' WHERE seq=2;"
    else
        psql -q "${S[1]}" -c "ALTER TABLE audit DISABLE TRIGGER USER; UPDATE audit SET person=person||'!' WHERE seq=2;" >/dev/null
    fi
    out=$("$AIB" audit verify "${S[@]}"); rc=$?
    [ $rc -eq 1 ] && [[ "$out" == *"entry 2 was altered"* ]] && ok "$n: altered entry detected" || bad "$n: tamper ($rc $out)"
    if [ "$n" = sqlite ]; then
        sqlite3 "${S[1]}" "UPDATE audit SET person=rtrim(person,'!') WHERE seq=2; DELETE FROM audit WHERE seq=(SELECT max(seq) FROM audit);"
    else
        psql -q "${S[1]}" -c "UPDATE audit SET person=rtrim(person,'!') WHERE seq=2; DELETE FROM audit WHERE seq=(SELECT max(seq) FROM audit);" >/dev/null
    fi
    out=$("$AIB" audit verify "${S[@]}"); rc=$?
    [ $rc -eq 1 ] && [[ "$out" == *missing* ]] && ok "$n: missing last entry detected" || bad "$n: missing ($rc $out)"
    out=$("$AIB" db restore "${S[@]}" --from "$WORK/nonexistent.db" 2>&1); rc=$?
    [ $rc -ne 0 ] && ok "$n: restore from a missing file fails" || bad "$n: restore missing"
}

for c in db audit case; do
    "$AIB" $c --help | grep -q usage && ok "aib $c --help" || bad "aib $c --help"
done
suite sqlite --db "$WORK/store.db"

# ---- PostgreSQL: a throw-away cluster ----------------------------------------------------------
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    bad "postgres: no PostgreSQL server binaries (install Debian's postgresql; scripts/bootstrap does)"
else
    PGDATA="$WORK/pg/data"
    mkdir -p "$WORK/pg"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$WORK" "$WORK/pg"
        PGUSER_RUN=(runuser -u postgres --)
    fi
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if "${PGUSER_RUN[@]}" "$PGBIN/initdb" -D "$PGDATA" -A trust -U aib >"$WORK/pg/initdb.log" 2>&1 &&
       "${PGUSER_RUN[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/pg/server.log" -w \
           -o "-c listen_addresses=127.0.0.1 -p $PORT -k $WORK/pg -c fsync=on -c synchronous_commit=on" start >/dev/null 2>&1; then
        ok "postgres: throw-away cluster on 127.0.0.1:$PORT"
        CONN="host=127.0.0.1 port=$PORT user=aib dbname=postgres"
        psql -q "$CONN" -c "CREATE DATABASE aib_it" >/dev/null 2>&1
        suite postgres --pg "host=127.0.0.1 port=$PORT user=aib dbname=aib_it"
        if [ -x "$UNIT" ]; then
            psql -q "$CONN" -c "CREATE DATABASE aib_unit" >/dev/null 2>&1
            out=$(AIB_TEST_PG="host=127.0.0.1 port=$PORT user=aib dbname=aib_unit" "$UNIT" test_store 2>&1 | tail -n 1)
            [[ "$out" == *" 0 failed"* ]] && ok "postgres: store unit tests ($out)" || bad "postgres: store unit tests ($out)"
            out=$(AIB_TEST_PG="host=127.0.0.1 port=$PORT user=aib dbname=aib_unit" "$UNIT" test_cases 2>&1 | tail -n 1)
            [[ "$out" == *" 0 failed"* ]] && ok "postgres: case unit tests ($out)" || bad "postgres: case unit tests ($out)"
        else
            bad "postgres: unit test runner $UNIT not built"
        fi
    else
        bad "postgres: cluster did not start"; tail -n 5 "$WORK/pg/initdb.log" "$WORK/pg/server.log" 2>/dev/null
    fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
