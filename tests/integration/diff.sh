#!/usr/bin/env bash
# diff.sh — differential test of aib's Cedar engine against the reference implementation
# (cedar-wasm): a fixed-seed batch of random cases (tests/diff/run.js), authorization and
# validation verdicts compared. Ends with the runner's "diff: N passed, N failed" line.
# Env: AIB (binary, default build/aib), DIFF_CASES (default 300; 60 with AIB_SANITIZE=1;
#      e.g. 20000 for the long mode), DIFF_SEED (default 1), DIFF_CHUNK (cases per process, 1000).
set -u
cd "$(dirname "$0")/../.."
AIB=${AIB:-build/aib}
if [ "${AIB_SANITIZE:-0}" = 1 ]; then CASES=${DIFF_CASES:-60}; else CASES=${DIFF_CASES:-300}; fi
SEED=${DIFF_SEED:-1}
REF=.deps/node/node_modules/@cedar-policy/cedar-wasm/nodejs

if ! command -v node >/dev/null 2>&1; then
    echo "diff: node is not installed (run scripts/bootstrap)"
    echo "0 passed, 1 failed"
    exit 1
fi
if [ ! -d "$REF" ]; then
    echo "diff: reference implementation missing at $REF (run scripts/bootstrap)"
    echo "0 passed, 1 failed"
    exit 1
fi
if [ ! -x "$AIB" ]; then
    echo "diff: $AIB not built (make all)"
    echo "0 passed, 1 failed"
    exit 1
fi
# Long runs go in chunks of 1000 cases, one node process each, so that one process never runs
# for hours; the chunk results are summed into the final line.
CHUNK=${DIFF_CHUNK:-1000}
if [ "$CASES" -le "$CHUNK" ]; then
    exec node tests/diff/run.js --cases "$CASES" --seed "$SEED" --validate --aib "$AIB"
fi
pass=0; fail=0; status=0; done_cases=0
while [ "$done_cases" -lt "$CASES" ]; do
    n=$((CASES - done_cases)); [ "$n" -gt "$CHUNK" ] && n=$CHUNK
    out=$(node tests/diff/run.js --cases "$n" --seed $((SEED + done_cases)) --validate --aib "$AIB" 2>&1) || status=1
    printf '%s\n' "$out" | grep -v '^diff: [0-9]* passed' || true
    line=$(printf '%s\n' "$out" | grep -E '^diff: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -z "$line" ]; then
        echo "diff: chunk at seed $((SEED + done_cases)) ended without a result line"
        fail=$((fail + 1)); status=1
    else
        p=$(printf '%s' "$line" | sed -E 's/^diff: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
        f=$(printf '%s' "$line" | sed -E 's/^diff: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
        pass=$((pass + p)); fail=$((fail + f))
    fi
    done_cases=$((done_cases + n))
    echo "diff: $done_cases of $CASES cases run" >&2
done
echo "diff: $pass passed, $fail failed"
exit $status
