# tests/http/lib.sh — helpers the HTTP integration tests source: start/stop an `aib serve` on a
# random free port of 127.0.0.1, one-call requests with curl, check counters, and a throw-away
# PostgreSQL cluster (initdb + pg_ctl in a temp dir, run as a non-root user, random port).
# Expects AIB (the binary) and T (a temp directory the caller removes).

pass=${pass:-0}
fail=${fail:-0}
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '     %s\n' "$2" | head -c 600 && echo; return 0; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got [$2], expected [$3]" "${4:-}"; fi; }
expect_in() { case "$3" in *"$2"*) ok "$1";; *) bad "$1: missing [$2]" "$3";; esac; }
expect_not_in() { case "$3" in *"$2"*) bad "$1: unexpected [$2]" "$3";; *) ok "$1";; esac; }

# free_port: prints a TCP port of 127.0.0.1 nobody listens on.
free_port() {
    local p i
    for i in $(seq 1 50); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    return 1
}

# start_server NAME ARGS...: starts `aib serve ARGS --listen 127.0.0.1:0`, waits for its port.
# Sets SRV_PID, PORT, BASE; stdout in $T/NAME.out, stderr (the request log) in $T/NAME.log.
start_server() {
    local name=$1 i
    shift
    rm -f "$T/$name.port"
    # shellcheck disable=SC2086 # SERVE_EXTRA: extra `aib serve` options, word-split on purpose
    "$AIB" serve "$@" ${SERVE_EXTRA:-} --listen "${LISTEN:-127.0.0.1:0}" --port-file "$T/$name.port" \
        >>"$T/$name.out" 2>>"$T/$name.log" &
    SRV_PID=$!
    for i in $(seq 1 200); do
        [ -s "$T/$name.port" ] && break
        kill -0 "$SRV_PID" 2>/dev/null || break
        sleep 0.05
    done
    if [ ! -s "$T/$name.port" ]; then
        echo "server $name did not start:"; tail -n 5 "$T/$name.out" "$T/$name.log"
        return 1
    fi
    PORT=$(cat "$T/$name.port")
    BASE="http://127.0.0.1:$PORT"
}

# stop_server [SIGNAL]: stops SRV_PID (default TERM) and waits; sets SRV_RC.
stop_server() {
    local sig=${1:-TERM} i
    [ -n "${SRV_PID:-}" ] || return 0
    kill "-$sig" "$SRV_PID" 2>/dev/null
    for i in $(seq 1 300); do
        kill -0 "$SRV_PID" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" 2>/dev/null; SRV_RC=$?
    SRV_PID=
}

# req METHOD PATH TOKEN [BODY [CONTENT_TYPE]]: sets $code, $body, $hdrs. TOKEN "-" sends none.
req() {
    local method=$1 path=$2 tok=$3 data=${4-} ct=${5:-application/json}
    local args=(-s -X "$method" -o "$T/body" -D "$T/hdrs" -w '%{http_code}' --max-time 30)
    [ "$tok" != "-" ] && args+=(-H "Authorization: Bearer $tok")
    if [ $# -ge 4 ]; then
        printf '%s' "$data" > "$T/req"
        args+=(-H "Content-Type: $ct" --data-binary "@$T/req")
    fi
    code=$(curl "${args[@]}" "$BASE$path") || code=000
    body=$(cat "$T/body" 2>/dev/null)
    hdrs=$(cat "$T/hdrs" 2>/dev/null)
}

# jget JSON EXPR: evaluates a JavaScript expression over the parsed JSON `j` with node.
jget() { node -e 'let j; try { j = JSON.parse(process.argv[1]); } catch (e) { console.log("<not json>"); process.exit(0); } const v = eval(process.argv[2]); console.log(typeof v === "object" ? JSON.stringify(v) : String(v));' "$1" "$2"; }

# token NATION ROLE [PERSON]: creates a token in the store given by STORE_ARGS and prints it.
token() { "$AIB" token create "${STORE_ARGS[@]}" --nation "$1" --role "$2" ${3:+--person "$3"}; }

# ---- PostgreSQL throw-away cluster ----------------------------------------------------------
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# as_pg CMD...: runs CMD as the cluster owner (postgres when we are root).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_available() { [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && { [ "$(id -u)" -ne 0 ] || id postgres >/dev/null 2>&1; }; }
# pg_start: sets PG_DIR, PG_PORT, PG_CONN.
pg_start() {
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aib-pg.XXXXXX")
    [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
    PG_PORT=$(free_port)
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U aib --no-sync >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
    PG_CONN="host=127.0.0.1 port=$PG_PORT user=aib dbname=postgres"
}
pg_stop() {
    [ -n "${PG_DIR:-}" ] || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$PG_DIR"
    PG_DIR=
}
