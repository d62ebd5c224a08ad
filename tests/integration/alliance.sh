#!/usr/bin/env bash
# alliance.sh — `aib alliance` end to end on the real data (data/, Debian iso-codes, the shared EAR
# snapshot): help, country and group lookups by date, REL TO expansion, EAR and ITAR lookups,
# JSON output, the EAR folder form, and bad input (unknown names, bad dates, broken data files).
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
export AIB_SHARED_DATA=${AIB_SHARED_DATA:-$(cd .. && pwd)/shared/data}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '     %s\n' "$2" | head -n 8; }
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; out=$(cat "$T/out"); err=$(cat "$T/err"); }
expect_rc() { if [ "$rc" -eq "$2" ]; then ok "$1 (exit $2)"; else bad "$1: exit $rc, expected $2" "$out $err"; fi; }
expect_in() { case "$3" in *"$2"*) ok "$1";; *) bad "$1: missing [$2]" "$3";; esac; }
expect_not_in() { case "$3" in *"$2"*) bad "$1: unexpected [$2]" "$3";; *) ok "$1";; esac; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got [$2], expected [$3]"; fi; }
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# ---- help ------------------------------------------------------------------------------------
run "$AIB" --help;                    expect_in "aib help lists alliance" "alliance" "$out"
run "$AIB" alliance --help;           expect_rc "alliance --help" 0; expect_in "help names ear" "ear eccn" "$out"
run "$AIB" alliance;                  expect_rc "no command" 2
run "$AIB" alliance frobnicate;       expect_rc "unknown command" 2
run "$AIB" alliance country;          expect_rc "country without argument" 2
run "$AIB" alliance country FIN --bogus; expect_rc "unknown option" 2

# ---- countries and groups by date --------------------------------------------------------------
run "$AIB" alliance country FIN --date 2023-04-04; expect_rc "country FIN" 0
expect_in "FIN in NATO on 2023-04-04" "NATO " "$out"
run "$AIB" alliance country FIN --date 2023-04-03
expect_not_in "FIN not in NATO on 2023-04-03" "NATO " "$out"
run "$AIB" alliance country "Korea, South" --json; expect_rc "country by EAR name" 0
expect_eq "EAR name resolves to KOR" "$(printf '%s' "$out" | jq_ 'd["alpha3"]')" "KOR"
run "$AIB" alliance country Narnia;   expect_rc "unknown country" 1
expect_in "unknown country named" "Narnia" "$err"
run "$AIB" alliance country GBR --date 2020-13-01; expect_rc "bad date" 2
run "$AIB" alliance group NATO --date 2023-04-03 --json
expect_eq "NATO has 30 members on 2023-04-03" "$(printf '%s' "$out" | jq_ 'd["count"]')" "30"
run "$AIB" alliance group NATO --date 2024-03-07 --json
expect_eq "NATO has 32 members on 2024-03-07" "$(printf '%s' "$out" | jq_ 'd["count"]')" "32"
run "$AIB" alliance group EU --date 2020-01-31 --json
expect_in "GBR in EU on 2020-01-31" '"GBR"' "$out"
run "$AIB" alliance group EU --date 2020-02-01 --json
expect_not_in "GBR not in EU on 2020-02-01" '"GBR"' "$out"
run "$AIB" alliance group A:5 --json; expect_rc "EAR group A:5" 0
expect_in "EAR group is a snapshot" '"snapshot":true' "$out"
run "$AIB" alliance group ITAR:126.1; expect_rc "ITAR 126.1" 0
expect_in "126.1 lists China with denial" "CHN" "$out"
run "$AIB" alliance group NOSUCH;     expect_rc "unknown group" 1
run "$AIB" alliance groups;           expect_rc "groups" 0; expect_in "groups lists CFIUS" "CFIUS_EXCEPTED" "$out"
run "$AIB" alliance expand "USA, FVEY" --date 2024-01-01
expect_eq "REL TO USA, FVEY" "$out" "AUS CAN GBR NZL USA"
run "$AIB" alliance expand "USA, ZZZZ"; expect_rc "REL TO unknown token" 1; expect_in "token named" "ZZZZ" "$err"

# ---- EAR ----------------------------------------------------------------------------------------
run "$AIB" alliance ear eccn 3A001.a.1 --json; expect_rc "eccn paragraph" 0
expect_eq "paragraph a.1" "$(printf '%s' "$out" | jq_ 'd["paragraph"]["id"]')" "a.1"
expect_in "NS 2 column" '"column":"NS 2"' "$out"
run "$AIB" alliance ear eccn 3A001.zz; expect_rc "unknown paragraph" 1
run "$AIB" alliance ear eccn EAR99;   expect_rc "EAR99 is not an ECCN" 1
run "$AIB" alliance ear chart "NS 1" CHN --json
expect_eq "NS 1 China is X" "$(printf '%s' "$out" | jq_ 'd["mark"]')" "X"
run "$AIB" alliance ear chart "NS 1" AUS --json
expect_eq "NS 1 Australia is blank" "$(printf '%s' "$out" | jq_ 'd["mark"]')" "blank"
run "$AIB" alliance ear chart "AT 1" Cuba --json
expect_eq "Cuba row is embargoed" "$(printf '%s' "$out" | jq_ 'd["mark"]')" "embargoed"
run "$AIB" alliance ear chart "NS 1" "Hong Kong"
expect_in "Hong Kong inherits China" "85 FR 83788" "$out"
run "$AIB" alliance ear chart "QQ 1" GBR; expect_rc "unknown column" 1
run "$AIB" alliance ear exception STA; expect_in "STA is 740.20" "740.20" "$out"
mkdir -p "$T/ear" && tar -xzf "$AIB_SHARED_DATA/ear-data.tar.gz" -C "$T/ear"
run "$AIB" alliance info --ear "$T/ear/ear-data" --json
expect_eq "EAR folder form loads 633 ECCNs" "$(printf '%s' "$out" | jq_ 'd["eccns"]')" "633"

# ---- ITAR and disclosure -------------------------------------------------------------------------
run "$AIB" alliance itar usml "XI(a)(3)" --json
expect_eq "USML XI(a)(3)" "$(printf '%s' "$out" | jq_ 'd["paragraph"]')" "(a)(3)"
run "$AIB" alliance itar usml XXV;    expect_rc "not a USML category" 1
run "$AIB" alliance itar exemption 126.5 "XIV(a)" --json
expect_in "126.5 excludes Category XIV" '"usml":"XIV"' "$out"
run "$AIB" alliance itar exemption 126.5 "not-usml"; expect_rc "bad USML ref" 2
run "$AIB" alliance itar licence DSP-85 --json
expect_eq "DSP-85 is for classified" "$(printf '%s' "$out" | jq_ 'd["classified"]')" "True"
run "$AIB" alliance itar threshold POL major_defense_equipment --json
expect_eq "MDE threshold for Poland" "$(printf '%s' "$out" | jq_ 'd["usd"]')" "25000000"
run "$AIB" alliance itar threshold IND major_defense_equipment --json
expect_eq "MDE threshold for India" "$(printf '%s' "$out" | jq_ 'd["usd"]')" "14000000"
run "$AIB" alliance marking NF --json
expect_eq "NOFORN forbids foreign release" "$(printf '%s' "$out" | jq_ 'd["forbids_foreign"]')" "True"
run "$AIB" alliance marking SECRET --json
expect_eq "SECRET rank" "$(printf '%s' "$out" | jq_ 'd["rank"]')" "3"

# ---- broken data: errors name the file and the place ---------------------------------------------
cp -r data "$T/data"
printf '{"kind":"groups","groups":[\n  {"id": }]}\n' > "$T/data/alliance/zz-broken.json"
run "$AIB" alliance info --data "$T/data"; expect_rc "broken data file" 2
expect_in "syntax error names file:line" "zz-broken.json:2:" "$err"
printf '{"kind":"groups","citation":"c","as_of":"2024-01-01","groups":[{"id":"X","name":"x","kind":"alliance","members":[{"country":"USA","from":"2024-02-30"}]}]}\n' > "$T/data/alliance/zz-broken.json"
run "$AIB" alliance info --data "$T/data"; expect_rc "bad date in data" 2
expect_in "field path in error" "groups[0].members[0].from" "$err"
rm "$T/data/alliance/zz-broken.json"
run "$AIB" alliance info --data "$T/data"; expect_rc "copied data loads" 0
run "$AIB" alliance info --ear /nonexistent.tar.gz; expect_rc "missing EAR archive" 2
expect_in "missing archive named" "/nonexistent.tar.gz" "$err"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
