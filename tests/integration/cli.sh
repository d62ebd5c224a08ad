#!/usr/bin/env bash
# cli.sh — exercises every `aib cedar` command and option on examples/cedar and on files made
# here: help texts, exit codes, authorize (single, inline, JSON lines, stdin, --explain,
# --exit-code), check-parse errors with file:line:col, conformance on a directory and a .tar.gz,
# and bad input (missing files, malformed lines, unknown options). Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
EX=examples/cedar
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '     %s\n' "$2" | head -n 8; }
# run CMD...: sets $out, $err, $rc
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; out=$(cat "$T/out"); err=$(cat "$T/err"); }
# expect_rc NAME CODE: checks the last run's exit code
expect_rc() { if [ "$rc" -eq "$2" ]; then ok "$1 (exit $2)"; else bad "$1: exit $rc, expected $2" "$out $err"; fi; }
# expect_in NAME TEXT HAYSTACK
expect_in() { case "$3" in *"$2"*) ok "$1";; *) bad "$1: missing [$2]" "$3";; esac; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got [$2], expected [$3]"; fi; }

P=(--policies "$EX/release.cedar" --schema "$EX/release.cedarschema" --entities "$EX/entities.json")

# ---- help and usage -----------------------------------------------------------------------
run "$AIB" --help;                        expect_rc "aib --help" 0; expect_in "aib help lists cedar" "cedar" "$out"
run "$AIB" cedar --help;                  expect_rc "aib cedar --help" 0
for c in authorize check-parse validate conformance; do
    expect_in "cedar help lists $c" "$c" "$out"
done
for c in authorize check-parse conformance; do
    run "$AIB" cedar $c --help;           expect_rc "aib cedar $c --help" 0
    expect_in "$c --help shows usage" "usage: aib cedar $c" "$out"
done
run "$AIB" cedar;                         expect_rc "aib cedar without command" 2
run "$AIB" cedar frobnicate;              expect_rc "unknown cedar command" 2
expect_in "unknown command named" "frobnicate" "$err"
run "$AIB" cedar authorize --bogus x "${P[@]}"; expect_rc "authorize unknown option" 2
expect_in "unknown option prints usage" "usage: aib cedar authorize" "$err"
expect_in "unknown option is named" "--bogus" "$err"
run "$AIB" cedar authorize --entities "$EX/entities.json" --request-json "$EX/request.json"
expect_rc "authorize without --policies" 2
run "$AIB" cedar authorize "${P[@]}";     expect_rc "authorize without a request" 2
run "$AIB" cedar authorize "${P[@]}" --request-json "$EX/request.json" --requests "$EX/requests.jsonl"
expect_rc "authorize with two request forms" 2
run "$AIB" cedar authorize "${P[@]}" --principal 'Person::"ca-engineer"'
expect_rc "authorize with partial inline request" 2
run "$AIB" cedar check-parse --policies;  expect_rc "option without its value" 2
run "$AIB" cedar check-parse --policies "$EX/release.cedar" extra; expect_rc "unexpected positional argument" 2
run "$AIB" cedar conformance;             expect_rc "conformance without PATH" 2
run "$AIB" cedar conformance "$EX" --limit zero; expect_rc "conformance --limit not a number" 2
run "$AIB" cedar conformance "$T/nonexistent"; expect_rc "conformance missing path" 2

# ---- check-parse --------------------------------------------------------------------------
run "$AIB" cedar check-parse "${P[@]}";   expect_rc "check-parse example" 0; expect_eq "check-parse prints ok" "$out" "ok"
printf 'permit(principal, action, resource);\n\nforbid(principal, action resource);\n' > "$T/bad.cedar"
run "$AIB" cedar check-parse --policies "$T/bad.cedar"; expect_rc "check-parse syntax error" 1
if printf '%s' "$err" | grep -qE "bad\.cedar:3:[0-9]+: "; then ok "syntax error has file:line:col"; else bad "syntax error has file:line:col" "$err"; fi
run "$AIB" cedar check-parse --policies "$T/missing.cedar"; expect_rc "check-parse missing file" 1
expect_in "missing file is named" "missing.cedar" "$err"
printf '[{"uid":{"type":"Country","id":"CA"},"attrs":{"name":"Canada"},"parents":[]},\n  {"uid": }]\n' > "$T/bad-entities.json"
run "$AIB" cedar check-parse --policies "$EX/release.cedar" --entities "$T/bad-entities.json"
expect_rc "check-parse malformed entities" 1; expect_in "entities error names the file" "bad-entities.json" "$err"
printf 'entity Person {\n  name: String,\n  age: Lon g\n};\n' > "$T/bad.cedarschema"
run "$AIB" cedar check-parse --policies "$EX/release.cedar" --schema "$T/bad.cedarschema"
expect_rc "check-parse bad schema" 1; expect_in "schema error names the file" "bad.cedarschema" "$err"
# A JSON schema is recognised by its .json name.
cat > "$T/schema.json" <<'J'
{"": {"entityTypes": {"User": {"shape": {"type": "Record", "attributes": {"level": {"type": "Long"}}}},
                      "Doc": {}},
      "actions": {"read": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Doc"]}}}}}
J
printf '@id("levels")\npermit(principal, action == Action::"read", resource) when { principal.level >= 3 };\n' > "$T/levels.cedar"
printf '[{"uid":{"type":"User","id":"ann"},"attrs":{"level":5},"parents":[]},{"uid":{"type":"User","id":"bob"},"attrs":{"level":1},"parents":[]}]\n' > "$T/levels.json"
run "$AIB" cedar check-parse --policies "$T/levels.cedar" --schema "$T/schema.json" --entities "$T/levels.json"
expect_rc "check-parse with a JSON schema" 0

# ---- authorize: one request ---------------------------------------------------------------
run "$AIB" cedar authorize "${P[@]}" --request-json "$EX/request.json"
expect_rc "authorize --request-json" 0
expect_eq "canada exemption allows" "$out" '{"decision":"allow","reason":["policy0"],"errors":[]}'
run "$AIB" cedar authorize --policies "$T/levels.cedar" --schema "$T/schema.json" --entities "$T/levels.json" \
    --principal 'User::"ann"' --action 'Action::"read"' --resource 'Doc::"d"'
expect_rc "authorize inline with JSON schema" 0; expect_in "level 5 may read" '"decision":"allow"' "$out"
run "$AIB" cedar authorize --policies "$T/levels.cedar" --schema "$T/schema.json" --entities "$T/levels.json" \
    --principal 'User::"bob"' --action 'Action::"read"' --resource 'Doc::"d"'
expect_rc "deny exits 0 by default" 0; expect_in "level 1 may not read" '"decision":"deny"' "$out"
run "$AIB" cedar authorize --policies "$T/levels.cedar" --schema "$T/schema.json" --entities "$T/levels.json" \
    --principal 'User::"bob"' --action 'Action::"read"' --resource 'Doc::"d"' --exit-code
expect_rc "deny with --exit-code" 1
run "$AIB" cedar authorize --policies "$T/levels.cedar" --schema "$T/schema.json" --entities "$T/levels.json" \
    --principal 'User::"ann"' --action 'Action::"read"' --resource 'Doc::"d"' --exit-code
expect_rc "allow with --exit-code" 0
run "$AIB" cedar authorize "${P[@]}" --explain --principal 'Person::"ir-national"' --action 'Action::"release"' \
    --resource 'Item::"nv-tube-g3"' --context '{"destination":{"type":"Country","id":"NO"},"dsp5_license":"050-1"}'
expect_rc "authorize --explain" 0
expect_eq "explain shows the forbid and its authority" "$out" \
    '{"decision":"deny","reason":["policy4"],"errors":[],"annotations":{"policy4":{"id":"proscribed-country","authority":"22 CFR 126.1 (prohibited exports)","outcome":"denied: proscribed country"}}}'
printf '{"destination":{"type":"Country","id":"CA"}}' > "$T/ctx.json"
run "$AIB" cedar authorize "${P[@]}" --principal 'Person::"ca-engineer"' --action 'Action::"release"' \
    --resource 'Item::"nv-tube-g3"' --context "$T/ctx.json"
expect_in "context from a file" '"reason":["policy0"]' "$out"
run "$AIB" cedar authorize "${P[@]}" --request-json - < "$EX/request.json"
expect_in "request from stdin" '"decision":"allow"' "$out"
run "$AIB" cedar authorize "${P[@]}" --request-json "$T/nope.json"
expect_rc "missing request file" 2; expect_in "missing request file named" "nope.json" "$err"
printf '{"principal": {"type":"Person","id":"ca-engineer"}, "action": ' > "$T/trunc.json"
run "$AIB" cedar authorize "${P[@]}" --request-json "$T/trunc.json"
expect_rc "malformed request JSON" 2; expect_in "malformed request names the file" "trunc.json" "$err"
# With the schema, a request the action does not apply to fails request validation...
Q=(--principal 'Item::"nv-tube-g3"' --action 'Action::"release"' --resource 'Item::"nv-tube-g3"'
   --context '{"destination":{"type":"Country","id":"CA"}}')
run "$AIB" cedar authorize "${P[@]}" "${Q[@]}"
expect_rc "request failing schema validation" 2; expect_in "validation problem named" "principal" "$err"
# ...unless validation is turned off; then `principal.nationality` errors in the policies.
run "$AIB" cedar authorize "${P[@]}" "${Q[@]}" --no-request-validation
expect_rc "--no-request-validation" 0; expect_in "erroring policies reported" '"errors":[{"policy":"policy0","message":' "$out"
# Without a schema nothing is checked: a context missing `destination` makes policies error.
printf '{"principal":"Person::\\"ca-engineer\\"","action":"Action::\\"release\\"","resource":"Item::\\"nv-tube-g3\\"","context":{}}' > "$T/noctx.json"
run "$AIB" cedar authorize --policies "$EX/release.cedar" --entities "$EX/entities.json" --request-json "$T/noctx.json"
expect_rc "authorize without schema" 0
expect_in "missing context attribute errors" '{"policy":"policy0","message":' "$out"
run "$AIB" cedar authorize --policies "$T/missing.cedar" --request-json "$EX/request.json"
expect_rc "authorize missing policy file" 2
run "$AIB" cedar authorize --policies "$T/bad.cedar" --request-json "$EX/request.json"
expect_rc "authorize policy syntax error" 2; expect_in "authorize syntax error place" "bad.cedar:3:" "$err"
run "$AIB" cedar authorize "${P[@]/$EX\/entities.json/$T/bad-entities.json}" --request-json "$EX/request.json"
expect_rc "authorize malformed entities" 2
# No entities at all is fine: nothing is found, so the Canadian rule errors or denies.
run "$AIB" cedar authorize --policies "$EX/release.cedar" --request-json "$EX/request.json"
expect_rc "authorize without entities" 0; expect_in "no entities: deny" '"decision":"deny"' "$out"

# ---- authorize: JSON lines ----------------------------------------------------------------
run "$AIB" cedar authorize "${P[@]}" --requests "$EX/requests.jsonl"
expect_rc "authorize --requests" 0
expect_eq "one response per request" "$(printf '%s\n' "$out" | wc -l)" "$(wc -l < "$EX/requests.jsonl")"
expect_eq "decisions in order" "$(printf '%s\n' "$out" | grep -o '"decision":"[a-z]*"' | cut -d'"' -f4 | tr '\n' ' ')" \
    "allow allow allow deny allow deny deny deny allow deny "
run "$AIB" cedar authorize "${P[@]}" --requests "$EX/requests.jsonl" --exit-code
expect_rc "--requests --exit-code with denies" 1
{ sed -n 1p "$EX/requests.jsonl"; echo '{"principal": '; echo; sed -n 2p "$EX/requests.jsonl"; echo '{"action":"Action::\"release\""}'; sed -n 7p "$EX/requests.jsonl"; } > "$T/mixed.jsonl"
run "$AIB" cedar authorize "${P[@]}" --requests "$T/mixed.jsonl"
expect_rc "bad lines end with exit 2" 2
expect_eq "blank line skipped, others answered" "$(printf '%s\n' "$out" | wc -l)" 5
expect_in "line 2 error object" '{"error":"line 2: ' "$(printf '%s\n' "$out" | sed -n 2p)"
expect_in "line 5 error object" '{"error":"line 5: ' "$(printf '%s\n' "$out" | sed -n 4p)"
expect_in "good line after bad ones" '"reason":["policy1"]' "$(printf '%s\n' "$out" | sed -n 3p)"
expect_in "last line answered" '"reason":["policy4"]' "$(printf '%s\n' "$out" | sed -n 5p)"
expect_in "bad lines reported on stderr" "2 of 6 request lines" "$err"
run "$AIB" cedar authorize "${P[@]}" --requests - --explain < "$EX/requests.jsonl"
expect_rc "--requests from stdin with --explain" 0
expect_in "stream explain" '"annotations":{"policy2":{"id":"nato-cooperative-program"' "$out"
printf 'x\r\n' | tr -d '\n' > "$T/crlf.jsonl"; sed -n 1p "$EX/requests.jsonl" | sed 's/$/\r/' > "$T/crlf.jsonl"
run "$AIB" cedar authorize "${P[@]}" --requests "$T/crlf.jsonl"
expect_in "CRLF line endings" '"decision":"allow"' "$out"
run "$AIB" cedar authorize "${P[@]}" --requests "$T/none.jsonl"
expect_rc "--requests missing file" 2

# Throughput of the stream (informational; the bench suite measures it properly).
awk 'BEGIN { for (i = 0; i < 100000; i++)
  printf "{\"principal\":{\"type\":\"User\",\"id\":\"u%d\"},\"action\":{\"type\":\"Action\",\"id\":\"view\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d%d\"},\"context\":{}}\n", i % 100, i % 37 }' > "$T/many.jsonl"
printf 'permit(principal, action == Action::"view", resource) when { principal == User::"u7" };\nforbid(principal, action, resource == Doc::"d3");\n' > "$T/simple.cedar"
t0=$(date +%s.%N)
"$AIB" cedar authorize --policies "$T/simple.cedar" --requests "$T/many.jsonl" > "$T/many.out"; rc=$?
t1=$(date +%s.%N)
expect_rc "100,000-line stream" 0
expect_eq "100,000 responses" "$(wc -l < "$T/many.out")" 100000
expect_eq "stream allows exactly u7 outside d3" "$(grep -c allow "$T/many.out")" "$(grep '"u7"' "$T/many.jsonl" | grep -vc '"d3"')"
echo "     stream rate: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 100000 / (b - a) }') requests/s end to end"

# ---- conformance --------------------------------------------------------------------------
run "$AIB" cedar conformance "$EX"
expect_rc "conformance on the example directory" 0
expect_eq "example conformance line" "$(printf '%s\n' "$out" | tail -n 1)" "10 passed, 0 failed"
run "$AIB" cedar conformance "$EX" --json "$T/report.json" --verbose
expect_rc "conformance --json --verbose" 0
expect_in "verbose names the test file" "test release-test.json (10 requests)" "$out"
if grep -q '"test_files": 1' "$T/report.json" && grep -q '"path": "release-test.json"' "$T/report.json"; then
    ok "JSON report written"; else bad "JSON report written" "$(head -c 400 "$T/report.json")"; fi
# A corpus of our own: one good test, one with a wrong expectation, one with a missing file.
mkdir -p "$T/corpus/suite/tests/t" "$T/corpus/suite/data"
cp "$EX/release.cedar" "$EX/release.cedarschema" "$EX/entities.json" "$T/corpus/suite/data/"
sed -e 's|"release.cedar"|"data/release.cedar"|; s|"entities.json"|"data/entities.json"|; s|"release.cedarschema"|"data/release.cedarschema"|' \
    "$EX/release-test.json" > "$T/corpus/suite/tests/t/good.json"
sed -e '0,/"decision": "allow"/s//"decision": "deny"/' "$T/corpus/suite/tests/t/good.json" > "$T/corpus/suite/tests/t/wrong.json"
sed -e 's|data/release.cedar"|data/absent.cedar"|' "$T/corpus/suite/tests/t/good.json" > "$T/corpus/suite/tests/t/missing.json"
printf '[]\n' > "$T/corpus/suite/tests/t/x.entities.json"
run "$AIB" cedar conformance "$T/corpus/suite"
expect_rc "conformance with failures" 1
expect_eq "failure counts" "$(printf '%s\n' "$out" | tail -n 1)" "19 passed, 11 failed"
expect_in "wrong expectation reported" "FAIL tests/t/wrong.json: request 0" "$out"
expect_in "load error reported" "absent.cedar" "$out"
(cd "$T/corpus" && tar czf "$T/suite.tar.gz" suite)
run "$AIB" cedar conformance "$T/suite.tar.gz"
expect_rc "conformance on a .tar.gz" 1
expect_eq "archive gives the same counts" "$(printf '%s\n' "$out" | tail -n 1)" "19 passed, 11 failed"
run "$AIB" cedar conformance "$T/suite.tar.gz" --limit 1
expect_eq "--limit 1 runs one test file" "$(printf '%s\n' "$out" | grep -c '^conformance: 1 test files')" 1
mkdir -p "$T/empty"
run "$AIB" cedar conformance "$T/empty"; expect_rc "conformance on a directory without tests" 2
expect_in "no tests is reported" "no test files found" "$err"
printf 'not an archive' > "$T/junk.tar.gz"
run "$AIB" cedar conformance "$T/junk.tar.gz"; expect_rc "conformance on a broken archive" 2

# ---- validate -----------------------------------------------------------------------------
if "$AIB" cedar validate --help >/dev/null 2>&1; then
    run "$AIB" cedar validate --help; expect_rc "validate --help" 0
    run "$AIB" cedar conformance "$EX" --validate
    expect_rc "conformance --validate on the example" 0
    expect_in "validation line" "validation: 1 passed, 0 failed" "$out"
else
    echo "     (validate not in this build: skipped)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
