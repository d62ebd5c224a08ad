#!/usr/bin/env bash
# determine.sh — `aib determine` and `aib eligibility` end to end: the determinations case suite
# (tests/determine/cases, every case citing its justification), help texts, single requests in
# text and JSON with trace, regime both, batch JSON lines with per-line errors, the impact
# comparison of the proposed pack, precise errors for bad requests, a pack that fails schema
# validation being refused, and eligibility. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
export AIB_SHARED_DATA=${AIB_SHARED_DATA:-$(cd .. && pwd)/shared/data}
CASES=tests/determine/cases
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '     %s\n' "$2" | head -n 8; }
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; out=$(cat "$T/out"); err=$(cat "$T/err"); }
expect_rc() { if [ "$rc" -eq "$2" ]; then ok "$1 (exit $2)"; else bad "$1: exit $rc, expected $2" "$out $err"; fi; }
expect_in() { case "$3" in *"$2"*) ok "$1";; *) bad "$1: missing [$2]" "$3";; esac; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got [$2], expected [$3]"; fi; }

# ---- the case suite: each case is one check --------------------------------------------------
run "$AIB" determine --cases "$CASES"/*.jsonl
line=$(printf '%s\n' "$out" | tail -n 1)
cp=$(printf '%s' "$line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\1/')
cf=$(printf '%s' "$line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\2/')
if [[ "$cp" =~ ^[0-9]+$ && "$cf" =~ ^[0-9]+$ ]]; then
    pass=$((pass + cp)); fail=$((fail + cf))
    echo "cases: $cp passed, $cf failed"
    [ "$cf" -ne 0 ] && printf '%s\n' "$out" | grep FAIL | head -20
else
    bad "case suite produced no result line" "$out $err"
fi
n=$(cat "$CASES"/*.jsonl | grep -c '"cite"')
if [ "$n" -ge 150 ]; then ok "at least 150 cited cases ($n)"; else bad "only $n cases"; fi
uncited=$(cat "$CASES"/*.jsonl | jq -r 'select((.cite // "") | length < 8) | .case' | wc -l)
expect_eq "every case cites its justification" "$uncited" "0"
for k in itar ear disclosure both errors; do
    [ -s "$CASES/$k.jsonl" ] && ok "case family $k present" || bad "case family $k missing"
done

# ---- help ------------------------------------------------------------------------------------
run "$AIB" determine --help;        expect_rc "determine --help" 0; expect_in "usage shown" "usage: aib determine" "$out"
run "$AIB" eligibility --help;      expect_rc "eligibility --help" 0; expect_in "eligibility usage" "usage: aib eligibility" "$out"
run "$AIB" --help;                  expect_in "aib help lists determine" "determine" "$out"
run "$AIB" determine;               expect_rc "determine without mode" 2
run "$AIB" determine --bogus;       expect_rc "determine unknown option" 2; expect_in "unknown option named" "--bogus" "$err"

# ---- single request ----------------------------------------------------------------------------
cat >"$T/r.json" <<'J'
{"id":"r-1","date":"2025-06-01","item":{"usml":"VIII(h)"},"transfer":{"kind":"export","to":"CAN","end_user":{"kind":"company","registered":true}}}
J
run "$AIB" determine --request "$T/r.json"; expect_rc "text request" 0
expect_in "text outcome" "outcome:      exempt" "$out"
expect_in "text authority" "22 CFR 126.5(b)" "$out"
expect_in "text trace" "[applied] itar-126.5-canada" "$out"
run "$AIB" determine --request "$T/r.json" --json; expect_rc "json request" 0
expect_eq "json outcome" "$(printf '%s' "$out" | jq -r .outcome)" "exempt"
expect_eq "json id" "$(printf '%s' "$out" | jq -r .id)" "r-1"
expect_in "json conditions include record keeping" "122.5" "$(printf '%s' "$out" | jq -r '.conditions[]')"
nt=$(printf '%s' "$out" | jq '.trace | length')
if [ "$nt" -ge 10 ]; then ok "trace lists every rule considered ($nt)"; else bad "trace too short ($nt)"; fi
expect_in "trace says why a rule did not apply" "is false" "$(printf '%s' "$out" | jq -r '.trace[] | select(.applied == false) | .why')"
expect_eq "licence null when exempt" "$(printf '%s' "$out" | jq -r .licence)" "null"
run "$AIB" determine --request - --json --no-trace <"$T/r.json"; expect_rc "request from stdin" 0
expect_eq "--no-trace drops trace" "$(printf '%s' "$out" | jq 'has("trace")')" "false"

cat >"$T/both.json" <<'J'
{"id":"b-1","date":"2024-06-01","regime":"both","item":{"usml":"VIII(h)"},"transfer":{"kind":"export","to":"SWE","end_use":"defense_service"}}
J
run "$AIB" determine --request "$T/both.json" --json; expect_rc "regime both" 0
expect_eq "both: current" "$(printf '%s' "$out" | jq -r .current.outcome)" "licence_required"
expect_eq "both: proposed" "$(printf '%s' "$out" | jq -r .proposed.outcome)" "exempt"
expect_eq "both: changed" "$(printf '%s' "$out" | jq -r .changed)" "true"
expect_in "proposal marked as not law" "Proposal, not law" "$(printf '%s' "$out" | jq -r '.proposed.authorities[]')"

# ---- bad requests: precise errors, exit 2 --------------------------------------------------------
echo '{"date":"2025-06-01","item":{"usml":"XI(c)","colour":"red"},"transfer":{"kind":"export","to":"DEU"}}' >"$T/bad1.json"
run "$AIB" determine --request "$T/bad1.json"; expect_rc "unknown field rejected" 2
expect_in "unknown field named" "item: unknown field \`colour\`" "$err"
echo '{"date":"2025-06-01","item":{"usml":"XI(c)"},"transfer":{"kind":"export","to":"ZZZ"}}' >"$T/bad2.json"
run "$AIB" determine --request "$T/bad2.json"; expect_rc "unknown country rejected" 2
expect_in "country field named" "transfer.to: unknown country \`ZZZ\`" "$err"
printf '{"date": "2025-06-01",\n  "item": }\n' >"$T/bad3.json"
run "$AIB" determine --request "$T/bad3.json"; expect_rc "invalid JSON rejected" 2
expect_in "JSON error has line" "request:2:" "$err"

# ---- batch ----------------------------------------------------------------------------------------
cat "$CASES"/itar.jsonl "$CASES"/ear.jsonl "$CASES"/disclosure.jsonl | jq -c .request >"$T/batch.jsonl"
echo '{"date":"2025-06-01","item":{},"transfer":{"kind":"export","to":"DEU"}}' >>"$T/batch.jsonl"
nreq=$(wc -l <"$T/batch.jsonl")
run "$AIB" determine --batch "$T/batch.jsonl"; expect_rc "batch with one bad line" 1
expect_eq "one output line per request" "$(printf '%s\n' "$out" | wc -l)" "$nreq"
expect_in "bad line reported with its number" "\"line\":$nreq" "$out"
expect_eq "batch lines are JSON" "$(printf '%s\n' "$out" | jq -c . | wc -l)" "$nreq"
head -n 20 "$T/batch.jsonl" >"$T/b20.jsonl"
run "$AIB" determine --batch "$T/b20.jsonl" --trace; expect_rc "batch with trace" 0
expect_eq "batch trace present" "$(printf '%s\n' "$out" | head -n 1 | jq 'has("trace")')" "true"

# ---- impact --------------------------------------------------------------------------------------
cat "$CASES"/*.jsonl | jq -c 'select(.expect.error == null) | .request' >"$T/impact.jsonl"
run "$AIB" determine --batch "$T/impact.jsonl" --compare current,proposed --json; expect_rc "compare" 0
ch=$(printf '%s' "$out" | jq .changed)
if [ "${ch:-0}" -gt 0 ]; then ok "reforms change some outcomes ($ch)"; else bad "no outcome changed" "$out"; fi
av=$(printf '%s' "$out" | jq .licences_avoided)
if [ "${av:-0}" -gt 0 ]; then ok "licences avoided counted ($av)"; else bad "no licence avoided" "$out"; fi
expect_in "by transition" "licence_required -> exempt" "$out"
expect_in "by country" "\"SWE\"" "$out"
expect_in "by category" "USML" "$out"
run "$AIB" determine --batch "$T/impact.jsonl" --compare current,proposed; expect_rc "compare text" 0
expect_in "compare text summary" "outcomes change" "$out"
run "$AIB" determine --batch "$T/impact.jsonl" --compare current,future; expect_rc "compare bad packs" 2
run "$AIB" determine --request "$T/r.json" --compare current,proposed; expect_rc "compare needs batch" 2

# ---- packs are validated against the schema -----------------------------------------------------
mkdir -p "$T/pol"
cp -r policies/determine.cedarschema policies/current policies/proposed "$T/pol/"
printf '@id("broken")\n@authority("test")\n@outcome("exempt")\npermit (principal, action == Aib::Action::"export", resource) when { context.nosuch == 1 };\n' >"$T/pol/current/zz_broken.cedar"
run "$AIB" determine --policies "$T/pol" --request "$T/r.json"; expect_rc "invalid pack refused" 2
expect_in "validator message with place" "zz_broken.cedar:4:" "$err"
expect_in "validator names the rule" "broken" "$err"
rm "$T/pol/current/zz_broken.cedar"
printf '@id("noauth")\n@outcome("exempt")\npermit (principal, action == Aib::Action::"export", resource);\n' >"$T/pol/current/zz_noauth.cedar"
run "$AIB" determine --policies "$T/pol" --request "$T/r.json"; expect_rc "rule without authority refused" 2
expect_in "missing authority named" "has no @authority" "$err"

# ---- eligibility --------------------------------------------------------------------------------
run "$AIB" eligibility GBR --date 2025-06-01 --json; expect_rc "eligibility GBR" 0
expect_eq "five-plus tiers" "$(printf '%s' "$out" | jq '.tiers | length >= 5')" "true"
expect_eq "GBR excepted state" "$(printf '%s' "$out" | jq -r '.tiers[] | select(.tier=="excepted_state") | .met')" "true"
run "$AIB" eligibility POL --date 2025-06-01; expect_rc "eligibility text" 0
expect_in "what is missing shown" "what is missing" "$out"
expect_in "proposals marked" "not law" "$out"
run "$AIB" eligibility SWE --date 2023-06-01 --json
expect_eq "SWE before accession: not NATO for yesforn ally criterion" \
    "$(printf '%s' "$out" | jq -r '.tiers[] | select(.tier=="ntib_candidate") | .criteria[] | select(.id=="crit-ntib-ally") | .met')" "false"
run "$AIB" eligibility SWE --date 2024-06-01 --json
expect_eq "SWE after accession meets the ally criterion" \
    "$(printf '%s' "$out" | jq -r '.tiers[] | select(.tier=="ntib_candidate") | .criteria[] | select(.id=="crit-ntib-ally") | .met')" "true"
run "$AIB" eligibility ATLANTIS; expect_rc "unknown country" 2; expect_in "unknown country named" "ATLANTIS" "$err"
run "$AIB" eligibility GBR --date 2025-02-30; expect_rc "bad date" 2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
