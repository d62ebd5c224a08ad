#!/usr/bin/env bash
# tests/integration/label.sh — `aib label` end to end: the label-conformance suite (tarball and
# folder), banner parse/validate/access checks, 4774 markings and access decisions under a SPIF,
# key generation, signing and tamper detection, help and bad input. Uses $AIB (default build/aib)
# and $AIB_SHARED_DATA. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
DATA=${AIB_SHARED_DATA:-$(cd .. && pwd)/shared/data}
export AIB_SHARED_DATA=$DATA
TAR="$DATA/label-conformance.tar.gz"
W=$(mktemp -d "${TMPDIR:-/tmp}/aib-label-it.XXXXXX")
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

# help
expect help 0 "usage: aib label COMMAND" "$AIB" label --help
for c in parse check marking keygen sign verify test; do expect "help-$c" 0 "usage: aib label $c" "$AIB" label $c --help; done
expect unknown-command 2 "unknown command" "$AIB" label frobnicate

# conformance: tarball, folder, and every expectation met
expect conformance-tar 0 "^30 passed, 0 failed" "$AIB" label test "$TAR"
expect conformance-default 0 "^30 passed, 0 failed" "$AIB" label test
mkdir -p "$W/x" && tar xzf "$TAR" -C "$W/x"
expect conformance-dir 0 "^30 passed, 0 failed" "$AIB" label test "$W/x"
expect conformance-dir-inner 0 "^30 passed, 0 failed" "$AIB" label test "$W/x/label-conformance"
expect conformance-verbose 0 "ok +31 test nato-4774-extra-1.xml" "$AIB" label test "$TAR" --verbose
expect conformance-missing 2 "no such file" "$AIB" label test "$W/nope"
# a broken expectation is caught: change one expected marking
cp -r "$W/x/label-conformance" "$W/broken"
sed -i 's/NATO UNCLASSIFIED - STAFF/NATO UNCLASSIFIED - STAFFX/' "$W/broken/tests.xml"
expect conformance-detects 1 "FAIL .*label-marking: got \"NATO UNCLASSIFIED - STAFF\"" "$AIB" label test "$W/broken"

# banner markings
expect parse-rel 0 "^SECRET//REL TO USA, AUS, GBR$" "$AIB" label parse "SECRET//REL TO USA, AUS, GBR"
expect parse-cui 0 "^CUI//SP-EXPT//NOFORN$" "$AIB" label parse "CUI//SP-EXPT//NOFORN"
expect parse-ts 0 "^TOP SECRET//NOFORN$" "$AIB" label parse "TOP SECRET//NOFORN"
expect parse-portion 0 "^\(S//REL TO USA, FVEY\)$" "$AIB" label parse "secret//rel to usa, fvey" --portion
expect parse-expand 0 "releasable to: AUS CAN GBR NZL USA" "$AIB" label parse "S//REL TO USA, FVEY"
expect parse-order 1 "REL TO order is USA" "$AIB" label parse "SECRET//REL TO GBR, USA"
expect parse-noforn 1 "NOFORN conflicts" "$AIB" label parse "SECRET//NOFORN/REL TO USA, GBR"
expect parse-strict 1 "REL TO" "$AIB" label parse "SECRET//REL TO GBR, USA" --strict
expect parse-json 0 '"rel_countries":\["AUS","GBR","USA"\]' "$AIB" label parse "SECRET//REL TO USA, AUS, GBR" --json
expect parse-unknown 2 "marking:1:21: segment 2: unknown country trigraph .XYZ." "$AIB" label parse "SECRET//REL TO USA, XYZ"
expect parse-garbage 2 "unknown classification" "$AIB" label parse "NOT A MARKING"
expect check-allow 0 "^ALLOW: GBR is in REL TO" "$AIB" label check --label "SECRET//REL TO USA, AUS, GBR" --clearance SECRET --nation GBR
expect check-tetra 0 "through NATO" "$AIB" label check --label "SECRET//REL TO USA, NATO" --clearance SECRET --nation POL
expect check-deny-nation 1 "^DENY: FRA is not in the REL TO list" "$AIB" label check --label "SECRET//REL TO USA, AUS, GBR" --clearance SECRET --nation FRA
expect check-deny-level 1 "does not reach SECRET" "$AIB" label check --label "SECRET//REL TO USA, GBR" --clearance C --nation GBR
expect check-noforn 1 "NOFORN: not releasable" "$AIB" label check --label "CUI//SP-EXPT//NOFORN" --clearance CUI --nation CAN
expect check-sci 0 '"decision":"allow"' "$AIB" label check --label "TOP SECRET//SI/TK//NOFORN" --clearance TS --nation USA --caveat SI --caveat TK --json
expect check-bad-nation 2 "nation: unknown country" "$AIB" label check --label "SECRET" --clearance S --nation XX
expect check-usage 2 "usage: aib label check" "$AIB" label check --label "SECRET"

# 4774 labels under a SPIF
D="$W/x/label-conformance"
expect marking-nato 0 "marking: NATO RESTRICTED Releasable to Japan, Switzerland, Ukraine" \
    "$AIB" label marking --spif "$D/nato-4774-policy.xml" --label "$D/nato-4774-17-4.nato"
expect marking-fr 0 "marking: NATO SANS CLASSIFICATION" \
    "$AIB" label marking --spif "$D/nato-4774-policy.xml" --label "$D/nato-4774-17-1.xml" --lang fr-CA
expect marking-invalid 1 "invalid: category Chocolate excludes classification Commodity" \
    "$AIB" label marking --spif "$D/food-policy.xml" --label "$D/food-label-cheap-milk-chocolate.xml"
expect marking-translate 0 "translated \(TLP\): TLP:AMBER \[REGION=EU\]" \
    "$AIB" label marking --spif "$D/tlp-plus.xml" --spif "$D/tlp.xml" --label "$D/tlpx-amber-eu.xml" --translate 1.2.826.0.1.6726289.0.2
expect check-acdf-deny 1 "restrictive category Lactose" \
    "$AIB" label check --spif "$D/food-policy.xml" --label "$D/food-label-milk-chocolate.xml" --clearance "$D/food-clearance-lactose-intolerant.xml"
expect check-acdf-allow 0 "^ALLOW" \
    "$AIB" label check --spif "$D/food-policy.xml" --label "$D/food-label-milk-chocolate.xml" --clearance "$D/food-clearance-all-okay.xml"
expect spif-borked 2 "Duplicate excluded classification in category" \
    "$AIB" label marking --spif "$D/food-policy-borked.xml" --label "$D/food-label-water.xml"
printf '<label xmlns="http://surevine.com/xmlns/spiffy"><policy id="1.3.26.1.3.1"/><classification lacv="99"/></label>' > "$W/bad.xml"
expect label-bad 2 "bad.xml:1:.*Unknown classification: 99" \
    "$AIB" label marking --spif "$D/nato-4774-policy.xml" --label "$W/bad.xml"

# binding: keygen, sign, verify, tamper detection
expect keygen 0 "node.pub" "$AIB" label keygen --out "$W/node"
expect keygen-no-overwrite 2 "File exists" "$AIB" label keygen --out "$W/node"
if [ "$(stat -c %a "$W/node.sec")" = "600" ]; then ok; else bad "secret key file mode is not 0600"; fi
"$AIB" label keygen --out "$W/other" > /dev/null 2>&1
printf 'Arctic test range: availability Q3, sensors, access rules.\n' > "$W/data.txt"
expect sign 0 "" "$AIB" label sign --key "$W/node.sec" --data "$W/data.txt" --label "SECRET//REL TO USA, AUS, GBR" --out "$W/b.json"
expect sign-needs-secret 2 "secret key is needed" "$AIB" label sign --key "$W/node.pub" --data "$W/data.txt" --label "SECRET"
expect verify 0 "^VALID banner: SECRET//REL TO USA, AUS, GBR$" "$AIB" label verify --key "$W/node.pub" --data "$W/data.txt" --binding "$W/b.json"
printf 'Arctic test range: availability Q4, sensors, access rules.\n' > "$W/data2.txt"
expect verify-data-changed 1 "^INVALID: .*data changed" "$AIB" label verify --key "$W/node.pub" --data "$W/data2.txt" --binding "$W/b.json"
sed 's/AUS, GBR/AUS, FRA/' "$W/b.json" > "$W/b2.json"
expect verify-label-changed 1 "^INVALID: .*signature" "$AIB" label verify --key "$W/node.pub" --data "$W/data.txt" --binding "$W/b2.json"
expect verify-other-key 1 "^INVALID: .*different key" "$AIB" label verify --key "$W/other.pub" --data "$W/data.txt" --binding "$W/b.json"
printf '{"version":1' > "$W/b3.json"
expect verify-malformed 2 "binding" "$AIB" label verify --key "$W/node.pub" --data "$W/data.txt" --binding "$W/b3.json"
expect sign-4774 0 "" "$AIB" label sign --key "$W/node.sec" --data "$W/data.txt" --label-file "$D/nato-4774-17-1.nato" --kind nato --out "$W/b4.json"
expect verify-4774 0 "^VALID nato: <originatorConfidentialityLabel" "$AIB" label verify --key "$W/node.sec" --data "$W/data.txt" --binding "$W/b4.json"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
