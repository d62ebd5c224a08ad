#!/usr/bin/env bash
# http.sh — the HTTP API end to end, on SQLite and (when PostgreSQL's initdb is installed) on a
# throw-away PostgreSQL cluster: public routes, token authentication, Cedar authorization by
# nation and role on every case route (an unreleased case of another nation answers 404 exactly
# like a missing one), list and metrics filtering, bad input with the field named and nothing
# written, the Cedar authorize endpoint, Prometheus counters, request logs, graceful shutdown
# and restart. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
T=$(mktemp -d)
SRV_PID=
cleanup() { stop_server KILL; pg_stop; rm -rf "$T"; }
trap cleanup EXIT
. tests/http/lib.sh

# ---- command line ---------------------------------------------------------------------------
out=$("$AIB" serve --help); expect_in "serve --help" "usage: aib serve" "$out"
out=$("$AIB" token --help); expect_in "token --help" "usage: aib token create" "$out"
"$AIB" serve --bogus >/dev/null 2>&1; expect_eq "serve unknown option exits 2" "$?" 2
"$AIB" serve --db a --pg b >/dev/null 2>&1; expect_eq "serve --db with --pg exits 2" "$?" 2
"$AIB" token create --db "$T/x.db" --nation usa --role officer >/dev/null 2>"$T/err"
expect_eq "token create lower-case nation exits 2" "$?" 2
expect_in "token error names the field" "nation" "$(cat "$T/err")"
"$AIB" token create --db "$T/x.db" --nation USA --role 'Bad Role' >/dev/null 2>"$T/err"
expect_eq "token create bad role exits 2" "$?" 2
"$AIB" token create --db "$T/x.db" --role officer >/dev/null 2>&1
expect_eq "token create without --nation exits 2" "$?" 2
tok=$("$AIB" token create --db "$T/x.db" --nation USA --role officer)
if [[ "$tok" =~ ^aib_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$ ]]; then ok "token shape aib_<id>_<secret>"; else bad "token shape" "$tok"; fi
if command -v sqlite3 >/dev/null; then
    secret=${tok:21}
    dump=$(sqlite3 "$T/x.db" .dump 2>/dev/null)
    expect_not_in "store keeps no token secret" "$secret" "$dump"
    expect_in "store keeps an Argon2id hash" '$argon2id$' "$dump"
fi

# A policy pack that does not validate is refused at start.
mkdir -p "$T/badpol"
cp policies/api/api.cedarschema "$T/badpol/"
printf 'permit(principal is Person, action, resource) when { principal.clearance == "TS" };\n' > "$T/badpol/p.cedar"
"$AIB" serve --db "$T/bad.db" --listen 127.0.0.1:0 --policies "$T/badpol" >/dev/null 2>"$T/err"
expect_eq "invalid API policy pack refused" "$?" 1
expect_in "refusal names file:line" "p.cedar:1" "$(cat "$T/err")"

suite() {
    local be=$1 admin usa usav gbr gbrv gbra aus unused A B G n0 n1 a0 a1 missing
    echo "== backend $be"
    start_server "$be" "${STORE_ARGS[@]}" || { bad "$be: server starts"; return; }
    ok "$be: server starts on port $PORT"
    admin=$(sed -n '2p' "$T/$be.out")
    [[ "$admin" == aib_* ]] && ok "$be: first start prints an admin token" || bad "$be: admin token printed" "$(cat "$T/$be.out")"
    usa=$(token USA officer "Alice (USA)"); usav=$(token USA viewer)
    gbr=$(token GBR officer "Bob (GBR)"); gbrv=$(token GBR viewer); gbra=$(token GBR admin)
    aus=$(token AUS reviewer "Carol (AUS)"); unused=$(token CAN officer)

    # -- public routes
    req GET /healthz -;              expect_eq "$be: /healthz without token" "$code" 200
    expect_in "$be: /healthz names the backend" "\"store\":\"$be\"" "$body"
    req GET /v1/openapi.json -;      expect_eq "$be: openapi without token" "$code" 200
    expect_eq "$be: openapi is OpenAPI 3" "$(jget "$body" 'j.openapi')" "3.0.3"
    req GET /metrics -;              expect_eq "$be: /metrics without token" "$code" 200

    # -- authentication
    req GET /v1/cases -;             expect_eq "$be: no token -> 401" "$code" 401
    expect_in "$be: 401 has WWW-Authenticate" "WWW-Authenticate: Bearer" "$hdrs"
    expect_eq "$be: 401 error names Authorization" "$(jget "$body" 'j.error.field')" "Authorization"
    req GET /v1/cases "nonsense";    expect_eq "$be: malformed token -> 401" "$code" 401
    req GET /v1/cases "aib_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    expect_eq "$be: unknown token -> 401" "$code" 401
    req GET /v1/cases "${usa:0:21}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    expect_eq "$be: wrong secret -> 401" "$code" 401
    "$AIB" token revoke "${STORE_ARGS[@]}" --id "${unused:4:16}" >/dev/null
    req GET /v1/cases "$unused";     expect_eq "$be: revoked token -> 401" "$code" 401
    req GET /v1/whoami "$gbr";       expect_eq "$be: whoami" "$(jget "$body" 'j.nation+"/"+j.role+"/"+j.person')" "GBR/officer/Bob (GBR)"

    # -- create
    req POST /v1/cases "$usa" '{"type":"export_licence","subtype":"DSP-5","title":"Night vision tubes","fields":{"destination":"GBR"}}'
    expect_eq "$be: create -> 201" "$code" 201 "$body"
    A=$(jget "$body" 'j.id')
    expect_eq "$be: 201 body is exactly {id}" "$(jget "$body" 'Object.keys(j).join()')" "id"
    expect_in "$be: 201 has Location" "Location: /v1/cases/$A" "$hdrs"
    req POST /v1/cases "$usa" '{"type":"export_licence","subtype":"DSP-5","title":"Radar modules","released_to":["AUS"],"fields":{"destination":"AUS"}}'
    expect_eq "$be: create released case -> 201" "$code" 201 "$body"
    B=$(jget "$body" 'j.id')
    req POST /v1/cases "$gbr" '{"type":"export_licence","subtype":"DSP-5","title":"GBR case","fields":{"destination":"AUS"}}'
    expect_eq "$be: GBR creates its own case" "$code" 201 "$body"
    G=$(jget "$body" 'j.id')
    req POST /v1/cases "$gbr" '{"type":"export_licence","title":"As USA","nation":"USA","fields":{"destination":"AUS"}}'
    expect_eq "$be: GBR cannot create a USA-owned case" "$code" 403
    req POST /v1/cases "$usav" '{"type":"export_licence","title":"viewer","fields":{"destination":"AUS"}}'
    expect_eq "$be: a viewer cannot create" "$code" 403
    req GET "/v1/cases/$A" "$usa"
    expect_eq "$be: owner reads the case" "$code" 200
    expect_eq "$be: case as created" "$(jget "$body" 'j.id+"|"+j.title+"|"+j.nation+"|"+j.stage')" "$A|Night vision tubes|USA|submitted"

    # -- another nation cannot see an unreleased case, by any route
    req GET "/v1/cases/C-00000000000000000000" "$gbr"; missing=$body
    expect_eq "$be: missing case -> 404" "$code" 404
    req GET "/v1/cases/$A" "$gbr"
    expect_eq "$be: GBR get USA case -> 404" "$code" 404
    expect_eq "$be: hidden answers exactly like missing" "$body" "$missing"
    req PATCH "/v1/cases/$A" "$gbr" '{"title":"x"}';                    expect_eq "$be: GBR update -> 404" "$code" 404
    req POST "/v1/cases/$A/transition" "$gbr" '{"to":"ddtc-review"}';   expect_eq "$be: GBR transition -> 404" "$code" 404
    req POST "/v1/cases/$A/comments" "$gbr" '{"body":"hi"}';            expect_eq "$be: GBR comment -> 404" "$code" 404
    req POST "/v1/cases/$A/attachments" "$gbr" '{"name":"a","ref":"https://x/y"}'; expect_eq "$be: GBR attach -> 404" "$code" 404
    req GET "/v1/cases/$A/audit" "$gbra";                               expect_eq "$be: GBR admin case audit -> 404" "$code" 404
    expect_eq "$be: hidden audit answers like missing" "$body" "$missing"
    req GET "/v1/cases" "$gbr"
    expect_eq "$be: GBR list -> 200" "$code" 200
    expect_eq "$be: GBR list shows only its own" "$(jget "$body" 'j.items.map(c=>c.id).sort().join()')" "$G"
    req GET "/v1/cases?nation=USA" "$gbra"
    expect_eq "$be: GBR list filtered to USA is empty" "$(jget "$body" 'j.items.length')" 0
    req GET "/v1/cases?limit=1000&open=true&type=export_licence" "$gbrv"
    expect_not_in "$be: GBR viewer list never names A" "$A" "$body"
    req GET "/v1/metrics?nation=USA" "$gbra"
    expect_eq "$be: GBR metrics drill-down into USA -> 200" "$code" 200
    expect_eq "$be: GBR metrics see no USA case" "$(jget "$body" 'j.rows.reduce((s,r)=>s+r.count,0)')" 0
    req GET "/v1/metrics?group_by=country" "$gbra"
    expect_not_in "$be: GBR metrics by country never show USA" '"USA"' "$body"
    req GET "/v1/audit" "$gbra";          expect_eq "$be: GBR admin global audit -> 403" "$code" 403
    req GET "/v1/audit/verify" "$gbra";   expect_eq "$be: GBR admin audit verify -> 403" "$code" 403
    req GET "/v1/audit" "$usa";           expect_eq "$be: USA officer global audit -> 403" "$code" 403

    # -- released to AUS: AUS reads and discusses, does not change
    req GET "/v1/cases/$B" "$aus";        expect_eq "$be: AUS reads the case released to it" "$code" 200
    req GET "/v1/cases/$A" "$aus";        expect_eq "$be: AUS cannot read the unreleased one" "$code" 404
    req GET "/v1/cases" "$aus"
    expect_eq "$be: AUS list shows just the released case" "$(jget "$body" 'j.items.map(c=>c.id).join()')" "$B"
    req POST "/v1/cases/$B/comments" "$aus" '{"body":"AUS end-use statement follows"}'
    expect_eq "$be: AUS reviewer comments -> 201" "$code" 201 "$body"
    expect_eq "$be: comment recorded with nation" "$(jget "$body" 'j.comments.map(c=>c.nation+":"+c.body).join()')" "AUS:AUS end-use statement follows"
    req POST "/v1/cases/$B/transition" "$aus" '{"to":"ddtc-review"}'
    expect_eq "$be: AUS cannot move a USA case -> 403" "$code" 403
    req GET "/v1/cases/$B/audit" "$aus"
    expect_eq "$be: AUS reads the released case's audit" "$code" 200
    expect_eq "$be: case audit lists only that case" "$(jget "$body" '[...new Set(j.items.map(e=>e.object))].join()')" "$B"
    req GET "/v1/metrics?group_by=country" "$aus"
    expect_eq "$be: AUS metrics count the released case" "$(jget "$body" 'j.rows.filter(r=>r.country=="USA").reduce((s,r)=>s+r.count,0) > 0')" true

    # -- bad input: 4xx naming the field, nothing written
    req GET "/v1/audit/verify" "$admin"; a0=$(jget "$body" 'j.entries')
    req GET "/v1/cases?limit=1000" "$admin"; n0=$(jget "$body" 'j.items.length')
    req POST /v1/cases "$usa" '{"type":"export_licence",'
    expect_eq "$be: malformed JSON -> 400" "$code" 400
    expect_eq "$be: malformed JSON names body" "$(jget "$body" 'j.error.field')" "body"
    req POST /v1/cases "$usa" '{"type":"export_licence","title":"t","fields":{"destination":"GBR"},"colour":"red"}'
    expect_eq "$be: unknown field -> 400" "$code" 400
    expect_eq "$be: unknown field named" "$(jget "$body" 'j.error.field')" "colour"
    req POST /v1/cases "$usa" '{"type":"export_licence","fields":{"destination":"GBR"}}'
    expect_eq "$be: missing title -> 400" "$code" 400
    expect_eq "$be: missing title named" "$(jget "$body" 'j.error.field')" "title"
    req POST /v1/cases "$usa" '{"type":"export_licence","subtype":"DSP-5","title":"t","fields":{"destination":"GBR","value_usd":"lots"}}'
    expect_eq "$be: wrong field type -> 400" "$code" 400
    expect_eq "$be: nested field named" "$(jget "$body" 'j.error.field')" "fields.value_usd"
    req POST /v1/cases "$usa" '{"type":"export_licence","title":"t","released_to":["GBR",7]}'
    expect_eq "$be: bad release entry named" "$(jget "$body" 'j.error.field')" "released_to[1]"
    req POST /v1/cases "$usa" '{"type":"no_such_type","title":"t"}'
    expect_eq "$be: unknown case type -> 400" "$code" 400
    head -c 1100000 /dev/zero | tr '\0' ' ' > "$T/big"
    code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $usa" -H 'Content-Type: application/json' --data-binary "@$T/big" "$BASE/v1/cases")
    expect_eq "$be: oversized body -> 413" "$code" 413
    expect_eq "$be: 413 names body" "$(jget "$(cat "$T/body")" 'j.error.field')" "body"
    req POST /v1/cases "$usa" 'type=x' 'application/x-www-form-urlencoded'
    expect_eq "$be: form body -> 415" "$code" 415
    req POST "/v1/cases/$A/transition" "$usa" '{"to":"approved-yesterday"}'
    expect_eq "$be: invalid transition -> 400" "$code" 400
    expect_eq "$be: invalid transition names to" "$(jget "$body" 'j.error.field')" "to"
    req POST "/v1/cases/$A/transition" "$usa" '{"to":"ddtc-review","colour":"red"}'
    expect_eq "$be: unknown transition field -> 400" "$code" 400
    req POST "/v1/cases/$A/attachments" "$usa" '{"name":"spec","ref":"https://docs.example/spec.pdf","sha256":"xyz"}'
    expect_eq "$be: bad sha256 -> 400" "$(jget "$body" 'j.error.field')" "sha256"
    req GET "/v1/cases?limit=0" "$usa";      expect_eq "$be: bad limit named" "$(jget "$body" 'j.error.field')" "query.limit"
    req GET "/v1/cases?colour=red" "$usa";   expect_eq "$be: unknown query parameter named" "$(jget "$body" 'j.error.field')" "query.colour"
    req GET "/v1/cases?cursor=zzz" "$usa";   expect_eq "$be: bad cursor -> 400" "$code" 400
    req GET "/v1/cases?limit=1000" "$admin"; n1=$(jget "$body" 'j.items.length')
    req GET "/v1/audit/verify" "$admin";     a1=$(jget "$body" 'j.entries')
    expect_eq "$be: rejected writes created no case" "$n1" "$n0"
    expect_eq "$be: rejected writes added no audit entry" "$a1" "$a0"

    # -- workflow through the API
    req POST "/v1/cases/$A/transition" "$usa" '{"to":"ddtc-review","note":"complete"}'
    expect_eq "$be: valid transition -> 200" "$code" 200 "$body"
    expect_eq "$be: stage moved" "$(jget "$body" 'j.stage')" "ddtc-review"
    expect_eq "$be: history recorded" "$(jget "$body" 'j.history.map(h=>h.stage).join()')" "submitted,ddtc-review"
    req POST "/v1/cases/$A/transition" "$usav" '{"to":"approved"}'
    expect_eq "$be: viewer cannot transition -> 403" "$code" 403
    req PATCH "/v1/cases/$A" "$usa" '{"released_to":["GBR"]}'
    expect_eq "$be: owner releases the case to GBR" "$code" 200 "$body"
    req GET "/v1/cases/$A" "$gbr";          expect_eq "$be: GBR now reads it" "$code" 200
    req POST "/v1/cases/$A/attachments" "$gbr" '{"name":"end-user cert","ref":"s3://gbr/euc.pdf","sha256":"'"$(printf '%064d' 0 | tr 0 a)"'"}'
    expect_eq "$be: GBR attaches a reference" "$code" 201 "$body"
    req GET "/v1/cases?tag=no-such-tag" "$usa"; expect_eq "$be: tag filter" "$(jget "$body" 'j.items.length')" 0
    req GET "/v1/cases?limit=1" "$usa"
    cur=$(jget "$body" 'j.next_cursor')
    req GET "/v1/cases?limit=1&cursor=$cur" "$usa"
    expect_eq "$be: paging with the cursor" "$code" 200
    req GET /v1/case-types "$gbrv";        expect_in "$be: case types" '"export_licence"' "$body"
    req GET "/v1/audit?limit=5" "$admin";   expect_eq "$be: operator admin reads audit" "$(jget "$body" 'j.items.length')" 5
    req GET /v1/audit/verify "$admin";      expect_eq "$be: audit chain verifies" "$(jget "$body" 'j.ok')" true

    # -- Cedar authorize endpoint
    local q='{"principal":{"type":"Person","id":"p"},"action":{"type":"Action","id":"case.read"},"resource":{"type":"Case","id":"c"},"entities":[{"uid":{"type":"Person","id":"p"},"attrs":{"nation":"GBR","role":"viewer"},"parents":[]},{"uid":{"type":"Case","id":"c"},"attrs":{"nation":"USA","released_to":["GBR"],"type":"t","stage":"s","closed":false},"parents":[]}]}'
    req POST /v1/cedar/authorize "$gbrv" "$q"
    expect_eq "$be: cedar authorize allow" "$(jget "$body" 'j.decision+":"+j.reason_ids.join()')" "allow:case-visible-to-owner-and-released"
    req POST /v1/cedar/authorize "$gbrv" "${q/\"GBR\"]/\"AUS\"]}"
    expect_eq "$be: cedar authorize deny" "$(jget "$body" 'j.decision')" "deny"
    req POST /v1/cedar/authorize "$gbrv" '{"principal":"nonsense"}'
    expect_eq "$be: cedar authorize bad request -> 400" "$code" 400
    req POST /v1/cedar/authorize "$gbrv" '{"policy_set":"secret","principal":{"type":"Person","id":"p"}}'
    expect_eq "$be: cedar authorize unknown set named" "$(jget "$body" 'j.error.field')" "policy_set"

    # -- routing, methods
    req DELETE /v1/cases "$usa";  expect_eq "$be: DELETE -> 405" "$code" 405
    expect_in "$be: 405 has Allow" "Allow: POST, GET" "$hdrs"
    req GET /v1/nothing "$usa";   expect_eq "$be: unknown route -> 404 JSON" "$(jget "$body" 'j.error.code')" "not_found"
    req POST /v1/screen "$usa" '{"name":"x"}'; expect_eq "$be: screen without lists -> 404" "$code" 404
    req GET /v1/registry/taxonomy "$usa"
    if [ "$be" = postgres ]; then expect_eq "$be: registry needs SQLite -> 503" "$code" 503
    else expect_eq "$be: registry taxonomy" "$code" 200; fi
    req GET "/v1/cases/C-1%2F..%2Fx" "$usa"; expect_eq "$be: malformed id -> 404" "$code" 404
    if [ -f web/index.html ]; then
        req GET / -;              expect_eq "$be: web pages served at /" "$code" 200
        expect_in "$be: index is HTML" "text/html" "$hdrs"
    fi
    code=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "$BASE/../Makefile")
    expect_eq "$be: no path traversal (..)" "$code" 404
    code=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "$BASE/%2e%2e/Makefile")
    expect_eq "$be: no path traversal (%2e%2e)" "$code" 404
    code=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $usa" "$BASE/v1/nothing/../cases")
    expect_eq "$be: API paths are not normalised" "$code" 404

    # -- observability
    req GET /metrics -
    expect_in "$be: prometheus counts creates" 'aib_http_requests_total{route="case.create",code="201"} 3' "$body"
    expect_in "$be: prometheus latency histogram" 'aib_http_request_duration_seconds_bucket{route="case.get",le="+Inf"}' "$body"
    line=$(grep '"route":"case.create"' "$T/$be.log" | grep '"status":201' | head -n 1)
    for k in time method path status ms nation; do expect_in "$be: request log has $k" "\"$k\":" "$line"; done
    expect_in "$be: log line names the nation" '"nation":"USA"' "$line"

    # -- graceful stop while writes are in flight, then restart
    for i in $(seq 1 20); do
        curl -s -o "$T/c$i" -w '%{http_code}' -H "Authorization: Bearer $usa" -H 'Content-Type: application/json' \
            --data-binary '{"type":"export_licence","title":"burst '"$i"'","fields":{"destination":"GBR"}}' "$BASE/v1/cases" > "$T/s$i" &
    done
    sleep 0.05
    stop_server TERM
    wait
    expect_eq "$be: SIGTERM exits 0" "$SRV_RC" 0
    expect_in "$be: stop logged" '"event":"stopped"' "$(cat "$T/$be.log")"
    start_server "$be-2" "${STORE_ARGS[@]}" || { bad "$be: restart"; return; }
    expect_eq "$be: no second admin token on restart" "$(grep -c '^aib_' "$T/$be-2.out")" 0
    local lost=0 acked=0
    for i in $(seq 1 20); do
        if [ "$(cat "$T/s$i")" = 201 ]; then
            acked=$((acked + 1))
            req GET "/v1/cases/$(jget "$(cat "$T/c$i")" 'j.id')" "$usa"
            [ "$code" = 200 ] || lost=$((lost + 1))
        fi
    done
    expect_eq "$be: every acknowledged create survives the stop ($acked acked)" "$lost" 0
    req GET "/v1/cases/$A" "$gbr"; expect_eq "$be: data survives restart" "$code" 200
    stop_server TERM
}

# Screening and determinations, the other capabilities served by the API (SQLite only).
extras() {
    local admin gbr
    printf '%s\n' '{"id":"hr1","name":"Example Bank","schema":"Company","aliases":["Exbank"],"countries":["IR"]}' \
        '{"id":"hr2","name":"Jane Roe","schema":"Person","dob":"1970-02-03"}' > "$T/list.jsonl"
    start_server extras --db "$T/extras.db" --screen-lists "$T/list.jsonl" || { bad "extras: server starts"; return; }
    admin=$(sed -n '2p' "$T/extras.out")
    STORE_ARGS=(--db "$T/extras.db"); gbr=$(token GBR viewer)
    req POST /v1/screen "$gbr" '{"name":"Example Bank Ltd","schema":"Company"}'
    expect_eq "screen: 200" "$code" 200 "$body"
    expect_in "screen: the listed bank is a hit" 'Example Bank' "$body"
    req POST /v1/screen "$gbr" '{"schema":"Company"}'
    expect_eq "screen: missing name named" "$(jget "$body" 'j.error.field')" "name"
    req POST /v1/screen "$gbr" '{"name":"x","threshold":7}'
    expect_eq "screen: bad threshold named" "$(jget "$body" 'j.error.field')" "threshold"
    req POST /v1/screen "$gbr" '{"name":"x","nickname":"y"}'
    expect_eq "screen: unknown field named" "$(jget "$body" 'j.error.field')" "nickname"
    req POST /v1/screen - '{"name":"x"}'
    expect_eq "screen: needs a token" "$code" 401
    # batch: {"queries":[...]} answers {"results":[single answers in order]} plus lists once
    local single
    req POST /v1/screen "$gbr" '{"name":"Jane Roe","schema":"Person"}'
    single=$(jget "$body" 'Object.keys(j).join(",")+"|"+j.result_id')
    expect_eq "screen: single answer shape unchanged" "${single%%|*}" "result_id,matcher,threshold,query,lists,candidates,hits"
    req POST /v1/screen "$gbr" '{"queries":[{"name":"Example Bank Ltd","schema":"Company"},{"name":"Nobody Atall"},{"name":"Jane Roe","schema":"Person"}]}'
    expect_eq "screen batch: 200" "$code" 200 "$body"
    expect_eq "screen batch: three results in order" "$(jget "$body" 'j.count+":"+j.results.map(x=>x.query.name).join("|")')" "3:Example Bank Ltd|Nobody Atall|Jane Roe"
    expect_eq "screen batch: the listed bank is a match" "$(jget "$body" 'j.results[0].hits.some(h=>h.match&&h.entry.endsWith("hr1"))')" true
    expect_eq "screen batch: the unlisted name matches nothing" "$(jget "$body" 'j.results[1].hits.filter(h=>h.match).length')" 0
    expect_eq "screen batch: a result has the single shape" "$(jget "$body" 'Object.keys(j.results[2]).join(",")+"|"+j.results[2].result_id')" "$single"
    expect_eq "screen batch: matcher and list hashes stated once" "$(jget "$body" 'j.matcher+":"+j.lists.length+":"+(j.lists[0].sha256===j.results[0].lists[0].sha256)')" "aib-screen-match/1.0:1:true"
    req POST /v1/screen "$gbr" '{"queries":[{"name":"a"},{"name":"b"},{"name":"c"},{"schema":"Person"}]}'
    expect_eq "screen batch: missing name named with its index" "$code:$(jget "$body" 'j.error.field')" "400:queries[3].name"
    req POST /v1/screen "$gbr" '{"queries":[{"name":"a","threshold":7}]}'
    expect_eq "screen batch: bad threshold named" "$(jget "$body" 'j.error.field')" "queries[0].threshold"
    req POST /v1/screen "$gbr" '{"queries":[{"name":"a"},{"name":"b","nickname":"y"}]}'
    expect_eq "screen batch: unknown item field named" "$code:$(jget "$body" 'j.error.code+":"+j.error.field')" "400:unknown_field:queries[1].nickname"
    req POST /v1/screen "$gbr" '{"queries":[{"name":"a"},"b"]}'
    expect_eq "screen batch: non-object item named" "$(jget "$body" 'j.error.field')" "queries[1]"
    req POST /v1/screen "$gbr" '{"queries":[{"name":"a","country":"Atlantis"}]}'
    expect_eq "screen batch: unknown country named" "$(jget "$body" 'j.error.field')" "queries[0].country"
    req POST /v1/screen "$gbr" '{"queries":[{"name":"a"}],"colour":1}'
    expect_eq "screen batch: unknown top-level field named" "$(jget "$body" 'j.error.field')" "colour"
    req POST /v1/screen "$gbr" '{"name":"a","queries":[{"name":"a"}]}'
    expect_eq "screen batch: mixing name and queries refused" "$code:$(jget "$body" 'j.error.field')" "400:name"
    req POST /v1/screen "$gbr" '{"queries":[]}'
    expect_eq "screen batch: empty batch refused" "$code:$(jget "$body" 'j.error.field')" "400:queries"
    req POST /v1/screen "$gbr" '{"queries":{"name":"a"}}'
    expect_eq "screen batch: queries must be an array" "$code:$(jget "$body" 'j.error.field')" "400:queries"
    req POST /v1/screen "$gbr" "{\"queries\":[$(for i in $(seq 1001); do printf '{"name":"n%d"},' "$i"; done | sed 's/,$//')]}"
    case "$code" in 400|413) ok "screen batch: 1001 queries refused ($code)";; *) bad "screen batch: 1001 queries refused: got $code";; esac
    req POST /v1/screen "$gbr" "{\"queries\":[$(for i in $(seq 1000); do printf '{"name":"Example Bank %d"},' "$i"; done | sed 's/,$//')]}"
    expect_eq "screen batch: 1000 queries answered" "$code:$(node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(j.count+":"+j.results.length+":"+j.results[999].query.name)' "$T/body")" "200:1000:1000:Example Bank 1000"
    req POST /v1/screen - '{"queries":[{"name":"x"}]}'
    expect_eq "screen batch: needs a token" "$code" 401
    req POST /v1/determine "$gbr" '{"date":"2023-06-01","item":{"usml":"VIII(h)"},"transfer":{"kind":"export","to":"SWE","end_use":"defense_service"},"regime":"both"}'
    if [ "$code" = 503 ]; then
        echo "(determination packs unavailable: $(jget "$body" 'j.error.message'))"
    else
        expect_eq "determine: 200" "$code" 200 "$body"
        expect_eq "determine: both regimes answered" "$(jget "$body" 'j.regime+":"+typeof j.current.outcome+":"+typeof j.proposed.outcome')" "both:string:string"
        req POST /v1/determine "$gbr" '{"date":"2023-06-01","colour":1}'
        expect_eq "determine: unknown field named" "$(jget "$body" 'j.error.field')" "colour"
        req POST /v1/determine "$gbr" '{"date":"2023-13-01","item":{"usml":"VIII(h)"},"transfer":{"kind":"export","to":"SWE"}}'
        expect_eq "determine: bad date named" "$(jget "$body" 'j.error.field')" "date"
        req POST "/v1/determine?trace=maybe" "$gbr" '{}'
        expect_eq "determine: bad trace named" "$(jget "$body" 'j.error.field')" "query.trace"
    fi
    stop_server TERM
}

# The innovation registry and the reference routes (SQLite: the registry keeps its tables in the
# store's file). Nation A (JPN, GBR) tokens must never get a record releasable only to nation B
# (USA) through search, get, dupes or match; hidden and absent records answer alike.
registry() {
    local usa usav gbr jpn ids lbls b1 b2 shared
    "$AIB" registry add --db "$T/reg.db" --node USA data/registry/sample/records.jsonl >/dev/null \
        || { bad "registry: sample corpus loads"; return; }
    start_server reg --db "$T/reg.db" || { bad "registry: server starts"; return; }
    STORE_ARGS=(--db "$T/reg.db")
    usa=$(token USA officer "Ann (USA)"); usav=$(token USA viewer)
    gbr=$(token GBR officer "Bob (GBR)"); jpn=$(token JPN viewer "Kei (JPN)")
    req GET /v1/registry/taxonomy "$jpn"
    if [ "$code" = 503 ]; then
        echo "(registry unavailable: $(jget "$body" 'j.error.message'))"; stop_server TERM; return
    fi
    expect_eq "registry: taxonomy 200" "$code" 200
    expect_in "registry: taxonomy lists quantum" '"quantum"' "$body"
    req GET /v1/registry/records - ; expect_eq "registry: needs a token" "$code" 401
    # search: JPN sees only its own and UNCLASSIFIED records, never the FVEY/NOFORN/NATO ones
    req GET "/v1/registry/records?limit=1000" "$jpn"; expect_eq "registry: JPN search 200" "$code" 200
    ids=$(jget "$body" 'j.hits.map(h=>h.record.id).join(" ")')
    lbls=$(jget "$body" 'j.hits.filter(h=>h.record.nation!=="JPN"&&h.record.label!=="UNCLASSIFIED").length')
    expect_eq "registry: every record JPN gets is its own or UNCLASSIFIED" "$lbls" 0 "$ids"
    for id in USA-P-0001 USA-P-0002 USA-P-0003 USA-P-0004 CAN-P-0401 AUS-C-0201 GBR-D-0101 GBR-P-0102; do
        expect_not_in "registry: JPN search never returns $id" " $id " " $ids "
    done
    expect_eq "registry: count is the releasable count" "$(jget "$body" 'j.count')" "$(echo $ids | wc -w)"
    req GET "/v1/registry/records?q=radar&limit=100" "$gbr"
    expect_not_in "registry: GBR search hides USA NOFORN USA-P-0004" "USA-P-0004" "$body"
    req GET "/v1/registry/records?q=radar&limit=100" "$usav"
    expect_in "registry: USA search shows its own USA-P-0004" "USA-P-0004" "$body"
    req GET "/v1/registry/records?q=quantum&limit=100" "$gbr"
    expect_in "registry: GBR sees CUI REL TO FVEY USA-P-0001" "USA-P-0001" "$body"
    req GET "/v1/registry/records?q=quantum&limit=100" "$jpn"
    expect_not_in "registry: JPN does not see CUI REL TO FVEY USA-P-0001" "USA-P-0001" "$body"
    req GET "/v1/registry/records?type=facility" "$jpn"
    expect_eq "registry: type facet" "$(jget "$body" 'j.count')" 2
    req GET "/v1/registry/records?type=spaceship" "$jpn"
    expect_eq "registry: bad type named" "$(jget "$body" 'j.error.field')" "query.type"
    req GET "/v1/registry/records?colour=red" "$jpn"
    expect_eq "registry: unknown parameter named" "$(jget "$body" 'j.error.field')" "query.colour"
    # get: not releasable answers exactly like absent
    req GET /v1/registry/records/USA-P-0004 "$usav"; expect_eq "registry: USA gets USA-P-0004" "$code" 200
    expect_eq "registry: record keeps its label" "$(jget "$body" 'j.record.label')" "CUI//SP-EXPT//NOFORN"
    req GET /v1/registry/records/USA-P-0004 "$gbr"; expect_eq "registry: GBR get NOFORN -> 404" "$code" 404; b1=$body
    req GET /v1/registry/records/NO-SUCH-0 "$gbr"; b2=$body
    expect_eq "registry: hidden and absent records answer alike" "$b1" "$b2"
    req GET /v1/registry/records/USA-P-0001 "$jpn"; expect_eq "registry: JPN get FVEY record -> 404" "$code" 404
    # dupes
    req GET /v1/registry/dupes "$gbr"
    expect_in "registry: dupes finds the US/UK navigation pair for GBR" "USA-P-0001" "$body"
    req GET /v1/registry/dupes "$jpn"
    expect_not_in "registry: dupes never shows JPN the FVEY record" "USA-P-0001" "$body"
    req GET "/v1/registry/dupes?id=USA-P-0001" "$jpn"; expect_eq "registry: dupes of a hidden record -> 404" "$code" 404
    req GET "/v1/registry/dupes?threshold=2" "$jpn"
    expect_eq "registry: bad threshold named" "$(jget "$body" 'j.error.field')" "query.threshold"
    # match
    req GET /v1/registry/challenges/USA-X-0001/matches "$jpn"; expect_eq "registry: JPN match 200" "$code" 200
    expect_not_in "registry: match never shows JPN USA-P-0001" "USA-P-0001" "$body"
    expect_not_in "registry: match never shows JPN AUS-C-0201" "AUS-C-0201" "$body"
    req GET /v1/registry/challenges/USA-X-0001/matches "$gbr"
    expect_in "registry: match finds the navigation project for GBR" "USA-P-0001" "$body"
    # publish
    req POST /v1/registry/records "$usa" '{"id":"USA-X-0900","type":"challenge","nation":"USA","label":"CUI//NOFORN","title":"Hidden demand signal for undersea navigation","summary":"Quantum navigation for undersea vehicles without GPS.","areas":["quantum.pnt"],"details":{"sponsor":"Program office","deadline":"2027-01-31"}}'
    expect_eq "registry: officer publishes -> 201" "$code" 201 "$body"
    expect_in "registry: Location names the record" "/v1/registry/records/USA-X-0900" "$hdrs"
    req POST /v1/registry/records "$usa" '{"id":"USA-X-0900","type":"challenge","nation":"USA","label":"CUI//NOFORN","title":"t","summary":"s","areas":["quantum.pnt"],"details":{"sponsor":"x","deadline":"2027-01-31"}}'
    expect_eq "registry: same id again -> 409" "$code" 409
    req GET /v1/registry/challenges/USA-X-0900/matches "$gbr"; expect_eq "registry: match on a hidden challenge -> 404" "$code" 404
    req GET "/v1/registry/records?q=hidden" "$gbr"; expect_eq "registry: new NOFORN record not found by GBR" "$(jget "$body" 'j.count')" 0
    req GET "/v1/registry/records?q=hidden" "$usav"; expect_eq "registry: new record found by USA" "$(jget "$body" 'j.count')" 1
    req POST /v1/registry/records "$usav" '{"id":"USA-P-0901","type":"project","nation":"USA","label":"UNCLASSIFIED","title":"t","summary":"s","areas":["quantum"]}'
    expect_eq "registry: viewer may not publish -> 403" "$code" 403
    req POST /v1/registry/records "$gbr" '{"id":"USA-P-0902","type":"project","nation":"USA","label":"UNCLASSIFIED","title":"t","summary":"s","areas":["quantum"]}'
    expect_eq "registry: publishing for another nation -> 400" "$code" 400
    req POST /v1/registry/records "$usa" '{"id":"USA-P-0903","type":"project","nation":"USA","label":"UNCLASSIFIED","title":"t","summary":"s","areas":["warp-drive"]}'
    expect_eq "registry: unknown area refused" "$code" 400 "$body"
    # eligibility and look-ups
    req GET /v1/eligibility/POL "$jpn"; expect_eq "eligibility: 200" "$code" 200 "$body"
    expect_eq "eligibility: names the country" "$(jget "$body" 'j.country')" "POL"
    expect_eq "eligibility: tiers with criteria" "$(jget "$body" 'j.tiers.length>0 && j.tiers.every(t=>Array.isArray(t.criteria) && typeof t.met==="boolean")')" "true"
    req GET "/v1/eligibility/POL?date=2023-02-30" "$jpn"; expect_eq "eligibility: bad date named" "$(jget "$body" 'j.error.field')" "query.date"
    req GET /v1/eligibility/XXX "$jpn"; expect_eq "eligibility: unknown country -> 404" "$code" 404
    req GET /v1/lookup/countries "$jpn"; expect_in "lookup: countries list Poland" '"alpha3":"POL"' "$body"
    req GET "/v1/lookup/groups?date=2023-05-01" "$jpn"
    expect_eq "lookup: Finland in NATO on 2023-05-01" "$(jget "$body" 'j.items.find(g=>g.id==="NATO").members.includes("FIN")')" "true"
    req GET "/v1/lookup/groups?date=2023-03-01" "$jpn"
    expect_eq "lookup: Finland not in NATO on 2023-03-01" "$(jget "$body" 'j.items.find(g=>g.id==="NATO").members.includes("FIN")')" "false"
    req GET /v1/lookup/usml "$jpn"; expect_eq "lookup: 21 USML categories" "$(jget "$body" 'j.count')" 21
    req GET "/v1/lookup/eccn?q=3a001" "$jpn"; expect_eq "lookup: ECCN by code" "$(jget "$body" 'j.items[0].eccn')" "3A001"
    req GET "/v1/lookup/eccn?q=spray%20cooling" "$jpn"; expect_in "lookup: ECCN by heading words" '"3A003"' "$body"
    req GET "/v1/lookup/eccn?limit=0" "$jpn"; expect_eq "lookup: bad limit named" "$(jget "$body" 'j.error.field')" "query.limit"
    req GET /v1/lookup/usml -; expect_eq "lookup: needs a token" "$code" 401
    # screening is on by default when the shared lists are there
    shared=${AIB_SHARED_DATA:-../shared/data}
    if [ -f "$shared/sanctions-lists.tar.gz" ]; then
        req POST /v1/screen "$jpn" '{"name":"Example"}'
        expect_eq "screen: enabled by default from the shared lists" "$code" 200 "$body"
    fi
    stop_server TERM
}

STORE_ARGS=(--db "$T/sqlite.db")
# The suite checks a server without screening lists.
SERVE_EXTRA="--screen-lists none"
suite sqlite
SERVE_EXTRA=
extras
registry
if pg_available && pg_start; then
    STORE_ARGS=(--pg "$PG_CONN")
    SERVE_EXTRA="--screen-lists none" suite postgres
    pg_stop
else
    echo "(PostgreSQL not available: postgres backend skipped)"
fi

echo "http: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
