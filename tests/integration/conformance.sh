#!/usr/bin/env bash
# conformance.sh — runs Cedar's own integration tests (hand-written and corpus, Cedar 4.x) through
# `aib cedar conformance`: every request's decision, reasons and erroring policies must match, and
# (when the validator is built) every test file's shouldValidate. Under AIB_SANITIZE=1 a
# deterministic, evenly spread sample of test files keeps the slow build quick.
# Ends with one line "N passed, N failed" summing requests and validated test files.
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
DATA=${AIB_SHARED_DATA:-$(cd .. && pwd)/shared/data}
CORPUS="$DATA/cedar-conformance.tar.gz"

if [ ! -f "$CORPUS" ]; then
    echo "conformance: $CORPUS not found"
    echo "0 passed, 1 failed"
    exit 1
fi
args=("$CORPUS")
if "$AIB" cedar validate --help >/dev/null 2>&1; then
    args+=(--validate)
else
    echo "conformance: validator not in this build; requests only"
fi
if [ "${AIB_SANITIZE:-0}" = 1 ]; then
    args+=(--limit "${AIB_CONFORMANCE_SAMPLE:-800}")
fi
[ -n "${AIB_CONFORMANCE_REPORT:-}" ] && args+=(--json "$AIB_CONFORMANCE_REPORT")

echo "\$ aib cedar conformance ${args[*]}"
out=$("$AIB" cedar conformance "${args[@]}" 2>&1); rc=$?
printf '%s\n' "$out" | tail -n 60

req=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
val=$(printf '%s\n' "$out" | grep -E '^validation: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
if [ -z "$req" ]; then
    echo "conformance: no result line (exit $rc)"
    echo "0 passed, 1 failed"
    exit 1
fi
pass=$(printf '%s' "$req" | cut -d' ' -f1)
fail=$(printf '%s' "$req" | cut -d' ' -f3)
if [ -n "$val" ]; then
    pass=$((pass + $(printf '%s' "$val" | cut -d' ' -f2)))
    fail=$((fail + $(printf '%s' "$val" | cut -d' ' -f4)))
fi
# A crash or usage error after the counts still fails the suite.
if [ "$fail" -eq 0 ] && [ "$rc" -ne 0 ]; then
    echo "conformance: exit $rc"
    fail=1
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
