#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Same parameters and seed twice -> identical datasets except timings
# (infnum-report diff skips timing_fields and time stamps); another seed ->
# a difference is found (the check can fail). Usage: test_reproducible.sh BIN_DIR
set -euo pipefail
bin=${1:?usage: test_reproducible.sh BIN_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/p.json" <<'JSON'
{"ops": ["add", "mul", "recip", "step"], "batch_sizes": [10, 50], "terms": [1, 3],
 "ctypes": ["f64", "f32"], "etypes": ["i32", "i64"], "reps": 2, "work": 500}
JSON
run() { "$bin/infnum-microbench" --quiet --params "$tmp/p.json" "$@"; }
run --seed 7 --out "$tmp/a.h5"
run --seed 7 --out "$tmp/b.h5"
run --seed 8 --out "$tmp/c.h5"
"$bin/infnum-report" diff "$tmp/a.h5" "$tmp/b.h5"
echo "same seed: identical datasets (timings excluded)"
if "$bin/infnum-report" diff "$tmp/a.h5" "$tmp/c.h5" 2> "$tmp/diff.txt"; then
  echo "FAIL: runs with seeds 7 and 8 compare equal" >&2; exit 1
fi
grep -q "points/checksum differs" "$tmp/diff.txt" || { echo "FAIL: expected checksum difference" >&2; cat "$tmp/diff.txt" >&2; exit 1; }
echo "other seed: difference found"
# Timing datasets must be declared (so the comparison above really skipped them).
h5dump -a /timing_fields "$tmp/a.h5" | grep -q "timing/median" || { echo "FAIL: timing_fields" >&2; exit 1; }
# Bad usage: exit 2, message names the parameter, no file written.
set +e
run --set reps=0 --out "$tmp/bad.h5" 2> "$tmp/err.txt"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "'reps'" "$tmp/err.txt" && [ ! -e "$tmp/bad.h5" ] || { echo "FAIL: bad usage rc=$rc" >&2; exit 1; }
# The report: outputs from the file alone; bad inputs fail with nothing written.
mkdir -p "$tmp/o"
"$bin/infnum-report" microbench --tsv-dir "$tmp/o" --tex-dir "$tmp/o" "$tmp/a.h5"
grep -q "toprule" "$tmp/o/microbench-table.tex" && grep -q "^add" "$tmp/o/microbench-table.tsv" ||
  { echo "FAIL: report tables" >&2; exit 1; }
mkdir -p "$tmp/o2"
set +e
"$bin/infnum-report" microbench --tsv-dir "$tmp/o2" --tex-dir "$tmp/o2" "$tmp/p.json" 2> /dev/null; rc1=$?
"$bin/infnum-report" html --out "$tmp/o2/s.html" --figure "x=$tmp/missing.png" 2> /dev/null; rc2=$?
"$bin/infnum-report" bogus 2> /dev/null; rc3=$?
set -e
[ $rc1 -eq 1 ] && [ $rc2 -eq 1 ] && [ $rc3 -eq 2 ] && [ -z "$(ls -A "$tmp/o2")" ] ||
  { echo "FAIL: report error paths (rc $rc1 $rc2 $rc3; left: $(ls "$tmp/o2"))" >&2; exit 1; }
echo "report: tables written; bad inputs rejected, nothing written"
echo "PASS"
