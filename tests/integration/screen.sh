#!/usr/bin/env bash
# tests/integration/screen.sh — `aib screen` end to end: list loading (tarball and directory,
# hashes), query (text, JSON, transliterated, evidence, errors), pairs, batch, ownership,
# decisions log, malformed lists. Uses $AIB (default build/aib) and $AIB_SHARED_DATA.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
DATA=${AIB_SHARED_DATA:-$(cd .. && pwd)/shared/data}
export AIB_SHARED_DATA=$DATA
TAR="$DATA/sanctions-lists.tar.gz"
W=$(mktemp -d "${TMPDIR:-/tmp}/aib-screen-it.XXXXXX")
trap 'rm -rf "$W"' EXIT
pass=0; fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect NAME WANT_EXIT PATTERN CMD...: runs CMD, checks exit status and that output matches PATTERN
expect() {
    local name=$1 want=$2 pat=$3; shift 3
    local out rc
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" != "$want" ]; then bad "$name: exit $rc, wanted $want"; printf '%s\n' "$out" | head -n 5; return; fi
    if [ -n "$pat" ] && ! printf '%s\n' "$out" | grep -Eq -- "$pat"; then
        bad "$name: output does not match /$pat/"; printf '%s\n' "$out" | head -n 5; return
    fi
    ok
}

[ -f "$TAR" ] || { echo "missing $TAR"; echo "0 passed, 1 failed"; exit 1; }

# help everywhere
expect help 0 "query NAME" "$AIB" screen --help
for c in query batch pairs ownership decide lists; do expect "help-$c" 0 "usage: aib screen $c" "$AIB" screen $c --help; done
expect unknown-command 2 "unknown command" "$AIB" screen frobnicate

# lists: default location, hashes, tarball and directory agree
expect lists 0 "ofac-sdn +[0-9]+ entries +sha256 [0-9a-f]{64}" "$AIB" screen lists
"$AIB" screen lists --json > "$W/l1.json" 2>&1
mkdir -p "$W/x" && tar xzf "$TAR" -C "$W/x"
dir=$(find "$W/x" -name sdn.csv -printf '%h\n' | head -n 1)
"$AIB" screen lists --json --lists "$dir" > "$W/l2.json" 2>&1
h1=$(grep -o '"sha256":"[0-9a-f]*"' "$W/l1.json" | sort | tr -d '\n')
h2=$(grep -o '"sha256":"[0-9a-f]*"' "$W/l2.json" | sort | tr -d '\n')
if [ -n "$h1" ] && [ "$h1" = "$h2" ]; then ok; else bad "tarball and directory hashes differ"; fi
sdnhash=$(cat "$dir/sdn.csv" <(printf '\0') "$dir/alt.csv" <(printf '\0') "$dir/add.csv" <(printf '\0') "$dir/sdn_comments.csv" | sha256sum | cut -d' ' -f1)
if grep -q "\"name\":\"ofac-sdn\",\"source\":\"[^\"]*\",\"sha256\":\"$sdnhash\"" "$W/l1.json"; then ok; else bad "ofac-sdn hash is not the SHA-256 of its files"; fi

# query
expect query-exact 1 "MATCH +ofac-sdn:306" "$AIB" screen query "BANCO NACIONAL DE CUBA"
expect query-json 1 '"result_id":"[0-9a-f]{16}","matcher":"aib-screen-match/[0-9.]+","threshold":0.5000' \
    "$AIB" screen query "Banco Nacional de Cuba" --json
expect query-json-hashes 1 '"sha256":"[0-9a-f]{64}"' "$AIB" screen query "Banco Nacional de Cuba" --json
expect query-cyrillic 1 "ofac-cons:9647" "$AIB" screen query "Махмуд Аль-Захар" --schema Person
expect query-reordered 1 "ofac-cons:9647" "$AIB" screen query "Zahar Mahmoud Khaled"
expect query-typo 1 "MATCH" "$AIB" screen query "Banko Nacional de Kuba" --schema Company
expect query-explain 1 "alignment: banco~banco" "$AIB" screen query "Banco Nacional de Cuba"
expect query-evidence 1 "country: PS listed" "$AIB" screen query "Mahmoud Zahar" --country PS --dob 1945
expect query-nomatch 0 "0 hits" "$AIB" screen query "Qwertyuiop Zxcvbnmasdf"
expect query-bad-country 2 "unknown country" "$AIB" screen query "X" --country Atlantis
expect query-bad-schema 2 "unknown schema" "$AIB" screen query "X" --schema Planet
expect query-no-name 2 "give one NAME" "$AIB" screen query
expect query-bad-threshold 2 "threshold" "$AIB" screen query "X" --threshold 7

# custom list (aib JSON lines) and a decisive identifier
printf '{"id":"hr1","name":"Example Regional Bank","schema":"Company","countries":["IR"],"ids":["REG-2020-5566"]}\n' > "$W/highrisk.jsonl"
expect custom-list 1 "highrisk:hr1" "$AIB" screen query "Exampel Regional Bank" --lists "$W/highrisk.jsonl"
expect custom-id 1 "id=decisive" "$AIB" screen query "Totally Different" --id "reg 2020 5566" --lists "$W/highrisk.jsonl"

# malformed lists name the file and line
mkdir -p "$W/broken"
printf '1,"A",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \nabc,"B",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n' > "$W/broken/sdn.csv"
expect broken-ofac 2 "sdn.csv:2" "$AIB" screen query "A" --lists "$W/broken"
printf '{"name":"ok"}\n{"name":\n' > "$W/broken.jsonl"
expect broken-jsonl 2 "broken.jsonl:2" "$AIB" screen query "A" --lists "$W/broken.jsonl"
expect missing-lists 2 "cannot open" "$AIB" screen query "A" --lists "$W/nope"

# pairs: pure pairwise, rows kept, two columns added
cat > "$W/pairs.csv" <<'CSV'
id,schema,name1,name2,note
1,Person,"ZAHHAR, Mahmoud Khaled",Mahmoud Khaled Zahhar,reordered
2,Company,Siemens AG,Siemens Aktiengesellschaft,"legal, form"
3,Person,Vladimir Putin,Владимир Путин,script
4,Person,Vladimir Putin,Ivan Petrov,different
CSV
"$AIB" screen pairs --in "$W/pairs.csv" > "$W/pairs-out.csv" 2>&1; rc=$?
[ $rc -eq 0 ] && ok || bad "pairs exit $rc"
head -n 1 "$W/pairs-out.csv" | grep -qx 'id,schema,name1,name2,note,score,match' && ok || bad "pairs header"
grep -q '^2,Company,Siemens AG,Siemens Aktiengesellschaft,"legal, form",[01]\.[0-9]*,true$' "$W/pairs-out.csv" && ok || bad "pairs legal form row"
grep -q '^4,Person,Vladimir Putin,Ivan Petrov,different,0\.[0-9]*,false$' "$W/pairs-out.csv" && ok || bad "pairs negative row"
[ "$(grep -c ',true$' "$W/pairs-out.csv")" = 3 ] && ok || bad "pairs: 3 matches expected"
expect pairs-stdin 0 "score,match" sh -c "cat '$W/pairs.csv' | '$AIB' screen pairs --in -"
printf 'schema,a,b\nPerson,x,y\n' > "$W/badpairs.csv"
expect pairs-bad-header 2 "name1 and name2" "$AIB" screen pairs --in "$W/badpairs.csv"

# batch
printf 'name,country,ref\nBANCO NACIONAL DE CUBA,CU,r1\nQwertyuiop Zxcvbnmasdf,,r2\n"ZAHAR, Mahmoud",PS,r3\n' > "$W/batch.csv"
"$AIB" screen batch --in "$W/batch.csv" --out "$W/batch-out.csv" 2> "$W/batch.err"; rc=$?
[ $rc -eq 1 ] && ok || bad "batch exit $rc (1 = some match)"
head -n 1 "$W/batch-out.csv" | grep -qx 'name,country,ref,result_id,match,score,entry,list,matched_name,hits' && ok || bad "batch header"
[ "$(wc -l < "$W/batch-out.csv")" = 4 ] && ok || bad "batch rows"
grep -q '^BANCO NACIONAL DE CUBA,CU,r1,[0-9a-f]\{16\},true,' "$W/batch-out.csv" && ok || bad "batch match row"
grep -q '^Qwertyuiop Zxcvbnmasdf,,r2,[0-9a-f]\{16\},false,' "$W/batch-out.csv" && ok || bad "batch no-match row"
grep -q '3 names in' "$W/batch.err" && ! grep -q '\[=' "$W/batch.err" && ok || bad "batch: summary without a progress bar off a terminal"

# ownership
cat > "$W/graph.json" <<'JSON'
{"entities": [{"id": "A", "name": "Listed Person", "listed": true}, {"id": "B", "listed": true},
              {"id": "X"}, {"id": "Y"}, {"id": "Z"}],
 "edges": [{"owner": "A", "asset": "X", "percent": 25}, {"owner": "B", "asset": "X", "percent": 25},
           {"owner": "X", "asset": "Y", "percent": 60, "from": "2019-01-01"},
           {"owner": "A", "asset": "Z", "type": "control"}]}
JSON
expect own-blocked 1 "Y: blocked_50" "$AIB" screen ownership --graph "$W/graph.json" --entity Y
expect own-chain 1 "held 25% by A \(listed\)" "$AIB" screen ownership --graph "$W/graph.json" --entity Y
expect own-json 1 '"status":"blocked_50","blocked_percent":50' "$AIB" screen ownership --graph "$W/graph.json" --entity X --json
expect own-control 0 "control alone does not block" "$AIB" screen ownership --graph "$W/graph.json" --entity Z
expect own-past 0 "Y: not_blocked" "$AIB" screen ownership --graph "$W/graph.json" --entity Y --as-of 2018-06-01
printf '{"entities":[{"id":"A"}],"edges":[{"owner":"A","asset":"Q"}]}' > "$W/badgraph.json"
expect own-bad 2 "badgraph.json.*edges\[0\].asset" "$AIB" screen ownership --graph "$W/badgraph.json" --entity A
expect own-missing 2 "required" "$AIB" screen ownership --graph "$W/graph.json"

# decisions
rid=$("$AIB" screen query "BANCO NACIONAL DE CUBA" --json | grep -o '"result_id":"[0-9a-f]*"' | cut -d'"' -f4)
expect decide 0 "recorded" "$AIB" screen decide --log "$W/decisions.jsonl" --result-id "$rid" --decision escalated \
    --note "exact name, same country" --entry ofac-sdn:306
expect decide-2 0 "recorded" "$AIB" screen decide --log "$W/decisions.jsonl" --result-id "$rid" --decision cleared --note "reviewed"
[ "$(wc -l < "$W/decisions.jsonl")" = 2 ] && grep -q "\"result_id\":\"$rid\",\"decision\":\"escalated\",\"entry\":\"ofac-sdn:306\"" "$W/decisions.jsonl" \
    && ok || bad "decisions log content"
expect decide-bad 2 "cleared. or .escalated" "$AIB" screen decide --log "$W/d.jsonl" --result-id "$rid" --decision maybe --note x
expect decide-bad-id 2 "16" "$AIB" screen decide --log "$W/d.jsonl" --result-id nothex --decision cleared --note x

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
