#!/usr/bin/env bash
# diff.sh — differential test of aib's Cedar engine against the reference implementation
# (cedar-wasm): a fixed-seed batch of random cases (tests/diff/run.js), authorization and
# validation verdicts compared. Ends with the runner's "diff: N passed, N failed" line.
# Env: AIB (binary, default build/aib), DIFF_CASES (default 300; 60 with AIB_SANITIZE=1;
#      e.g. 20000 for the long mode), DIFF_SEED (default 1).
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
exec node tests/diff/run.js --cases "$CASES" --seed "$SEED" --validate --aib "$AIB"
