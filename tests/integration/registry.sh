#!/usr/bin/env bash
# registry.sh — the innovation registry end to end through the aib binary: two nodes (USA and
# GBR) with their own databases and keys; add the sample corpus, search/get/dupes/match as
# requesters of several nations (no route shows a record the rules do not release: NOFORN and
# SP-EXPT records never appear to a foreign requester, REL TO lists are honoured), signed export
# and import (tampering, wrong key, wrong node refused; re-import changes nothing), audit entries.
# Env: AIB (the aib binary).
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name"; fi; }
# expect_fail NAME CMD...: the command must exit non-zero
expect_fail() { local name=$1; shift; if "$@" >/dev/null 2>&1; then bad "$name"; else ok "$name"; fi; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/aib-registry.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
US="--db $WORK/us.db --node USA"
UK="--db $WORK/uk.db --node GBR"
SAMPLE=data/registry/sample/records.jsonl

check "help" "$AIB" registry --help
check "export help" "$AIB" export --help
check "import help" "$AIB" import --help
check "taxonomy lists the AUKUS Pillar II areas" bash -c "'$AIB' registry taxonomy | grep -q '^hypersonics'"
check "add sample corpus" "$AIB" registry add $US --person alice "$SAMPLE"
expect_fail "add again: duplicate ids refused" "$AIB" registry add $US "$SAMPLE"
echo '{"id":"USA-BAD-1","type":"project","nation":"USA","label":"SECRET//REL TO USA, QQQ","title":"t","summary":"s","areas":["quantum"]}' > "$WORK/bad.json"
out=$("$AIB" registry add $US "$WORK/bad.json" 2>&1); rc=$?
if [ $rc -eq 2 ] && echo "$out" | grep -q "label"; then ok "bad label refused naming the field"; else bad "bad label refused ($rc: $out)"; fi
echo '{"id":"USA-BAD-2","type":"project","nation":"USA","label":"UNCLASSIFIED","title":"t","summary":"s","areas":["warp"]}' > "$WORK/bad2.json"
out=$("$AIB" registry add $US "$WORK/bad2.json" 2>&1)
if echo "$out" | grep -q "areas\[0\]"; then ok "unknown area refused"; else bad "unknown area refused ($out)"; fi

# ---- release through every route ----
all_ids() { "$AIB" registry search $US "$@" --limit 1000 --json | python3 -c "import json,sys; print(' '.join(h['record']['id'] for h in json.load(sys.stdin)['hits']))"; }
ids_jpn=$(all_ids --as JPN --clearance "TOP SECRET")
ids_gbr=$(all_ids --as GBR --clearance SECRET)
ids_us=$(all_ids --clearance "TOP SECRET")
for id in USA-P-0003 USA-P-0004; do
    case " $ids_gbr $ids_jpn " in *" $id "*) bad "search hides $id (NOFORN/SP-EXPT) from foreign requesters";;
        *) ok "search hides $id from foreign requesters";; esac
    case " $ids_us " in *" $id "*) ok "search shows $id to its owner";; *) bad "search shows $id to its owner";; esac
done
case " $ids_gbr " in *" USA-P-0002 "*) ok "REL TO GBR record visible to GBR SECRET";; *) bad "REL TO GBR visible to GBR";; esac
case " $ids_jpn " in *" USA-P-0002 "*) bad "REL TO USA, AUS, GBR hidden from JPN";; *) ok "REL TO USA, AUS, GBR hidden from JPN";; esac
ids_gbr_u=$(all_ids --as GBR --clearance UNCLASSIFIED)
case " $ids_gbr_u " in *" USA-P-0002 "*) bad "SECRET hidden from an uncleared GBR requester";; *) ok "SECRET hidden from an uncleared GBR requester";; esac
# every record any requester sees has a label that the owner's or requester's nation allows
for id in $ids_jpn; do
    lbl=$("$AIB" registry get $US --clearance "TOP SECRET" --json "$id" 2>/dev/null | python3 -c "import json,sys; r=json.load(sys.stdin)['record']; print(r['nation'], r['label'])")
    case "$lbl" in "JPN "*|*" UNCLASSIFIED") ;; *) bad "JPN sees $id labelled $lbl";; esac
done
ok "JPN sees only its own and UNCLASSIFIED records ($(echo $ids_jpn | wc -w) of $(echo $ids_us | wc -w))"
expect_fail "get NOFORN as GBR: not found" "$AIB" registry get $US --as GBR --clearance "TOP SECRET" USA-P-0003
check "get NOFORN as USA" "$AIB" registry get $US --clearance SECRET USA-P-0003
out=$("$AIB" registry get $US --as GBR --clearance "TOP SECRET" USA-P-0003 2>&1)
out2=$("$AIB" registry get $US --as GBR --clearance "TOP SECRET" NO-SUCH-ID 2>&1)
if [ "${out//USA-P-0003/X}" = "${out2//NO-SUCH-ID/X}" ]; then ok "not releasable and absent look the same"; else bad "existence leak: '$out' vs '$out2'"; fi
d_us=$("$AIB" registry dupes $US --clearance "TOP SECRET" --json)
d_jp=$("$AIB" registry dupes $US --as JPN --clearance "TOP SECRET" --json)
if echo "$d_us" | grep -q USA-P-0001 && echo "$d_us" | grep -q GBR-P-0101; then ok "dupes finds the planted US/UK pair"; else bad "dupes finds the pair: $d_us"; fi
if echo "$d_jp" | grep -q USA-P-0001; then bad "dupes leaks CUI//REL TO FVEY to JPN"; else ok "dupes hides the pair from JPN"; fi
expect_fail "dupes --id of a hidden record refused" "$AIB" registry dupes $US --as JPN --id USA-P-0001
m_jp=$("$AIB" registry match $US --as JPN --json USA-X-0001)
if echo "$m_jp" | grep -q '"USA-P-0001"\|"AUS-C-0201"'; then bad "match leaks FVEY records to JPN"; else ok "match hides FVEY records from JPN"; fi
m_gb=$("$AIB" registry match $US --as GBR --clearance SECRET --json USA-X-0001)
if echo "$m_gb" | grep -q '"USA-P-0001"'; then ok "match finds the navigation project for GBR"; else bad "match for GBR: $m_gb"; fi
check "get facility shows reciprocity" bash -c "'$AIB' registry get $US --as AUS USA-F-0001 | grep -q reciprocity"
check "search filters: --type facility" bash -c "[ \$('$AIB' registry search $US --type facility --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"count\"])') = 2 ]"
expect_fail "search: bad requester nation" "$AIB" registry search $US --as XXX quantum
expect_fail "search: bad role" "$AIB" registry search $US --role spy quantum

# ---- signed handoff ----
check "keygen US" "$AIB" registry keygen --out "$WORK/us"
check "keygen UK" "$AIB" registry keygen --out "$WORK/uk"
expect_fail "keygen never overwrites" "$AIB" registry keygen --out "$WORK/us"
[ "$(stat -c %a "$WORK/us.key")" = 600 ] && ok "secret key mode 0600" || bad "secret key mode"
check "export to GBR" "$AIB" export $US --key "$WORK/us.key" --to GBR --out "$WORK/gbr.bundle"
n_exp=$(($(wc -l < "$WORK/gbr.bundle") - 2))
n_rel=$(for id in $(all_ids --as GBR --clearance "TOP SECRET"); do case $id in GBR-*) ;; *) echo $id;; esac; done | wc -l)
[ "$n_exp" = "$n_rel" ] && ok "bundle holds exactly the $n_rel records releasable to GBR" || bad "bundle $n_exp vs releasable $n_rel"
grep -q 'USA-P-0003\|USA-P-0004' "$WORK/gbr.bundle" && bad "bundle contains NOFORN/SP-EXPT" || ok "bundle has no NOFORN/SP-EXPT record"
sed 's/Cold-weather/Warm-weather/' "$WORK/gbr.bundle" > "$WORK/tampered.bundle"
cmp -s "$WORK/gbr.bundle" "$WORK/tampered.bundle" && bad "tamper setup" || true
out=$("$AIB" import $UK --trust "$WORK/us.pub" "$WORK/tampered.bundle" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q altered && ok "tampered bundle refused" || bad "tampered bundle ($rc: $out)"
expect_fail "untrusted key refused" "$AIB" import $UK --trust "$WORK/uk.pub" "$WORK/gbr.bundle"
expect_fail "bundle for GBR refused by an AUS node" "$AIB" import --db "$WORK/au.db" --node AUS --trust "$WORK/us.pub" "$WORK/gbr.bundle"
n0=$("$AIB" registry search $UK --clearance "TOP SECRET" --limit 1000 --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])")
[ "$n0" = 0 ] && ok "refusals stored nothing" || bad "refusals stored $n0 records"
out=$("$AIB" import $UK --trust "$WORK/us.pub" "$WORK/gbr.bundle")
echo "$out" | grep -q "$n_exp added" && ok "import: $out" || bad "import: $out"
out=$("$AIB" import $UK --trust "$WORK/us.pub" "$WORK/gbr.bundle")
echo "$out" | grep -q "0 added, 0 updated, $n_exp unchanged" && ok "re-import is idempotent" || bad "re-import: $out"
check "imported record readable at GBR" "$AIB" registry get $UK --clearance SECRET USA-P-0002
expect_fail "imported SECRET record hidden from uncleared GBR user" "$AIB" registry get $UK USA-P-0002
check "audit chain verifies with registry entries" "$AIB" audit verify --db "$WORK/us.db"
check "audit has registry.export" bash -c "'$AIB' audit list --db '$WORK/us.db' | grep -q registry.export"
check "audit has registry.import" bash -c "'$AIB' audit list --db '$WORK/uk.db' | grep -q registry.import"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
