#!/bin/sh
# SPDX-License-Identifier: MIT
# The report's macros that the paper's microbench section reads: per-op
# growth with the terms (\mbGrowth), the storage types (\mbTypes), and for the
# peers the terms of the batch sweep, the table's batch sizes taken from the
# run (not fixed ones) and the ratio to the dense loops (\peersVsDense).
# usage: test_report_macros.sh BIN_DIR WORKDIR
bin=$1 dir=$2
fail=0
ko() { echo "FAIL: $*"; fail=1; }
has() { grep -qF -- "$2" "$1" || ko "$(basename "$1") lacks: $2"; }
rm -rf "$dir" && mkdir -p "$dir/o" || exit 1
cat > "$dir/mb.json" <<'JSON'
{"ops": ["add", "mul"], "batch_sizes": [10, 50], "terms": [1, 3], "ctypes": ["f64"],
 "etypes": ["i32"], "reps": 2, "work": 500, "seed": 1}
JSON
cat > "$dir/peers.json" <<'JSON'
{"mode": "peers", "batch_sizes": [40, 160], "terms": [2], "terms_batch": 40, "reps": 1, "seed": 1}
JSON
"$bin/infnum-microbench" --quiet --params "$dir/mb.json" --out "$dir/mb.h5" || ko "microbench run"
"$bin/infnum-report" microbench --tsv-dir "$dir/o" --tex-dir "$dir/o" "$dir/mb.h5" || ko "microbench report"
m="$dir/o/microbench-macros.tex"
has "$m" '\newcommand{\mbNumOps}{2}'
has "$m" '\newcommand{\mbTypes}{\texttt{f64/i32}}'
grep -q '^\\newcommand{\\mbGrowth}{\\texttt{add} [0-9.e+]*, \\texttt{mul} [0-9.e+]*}$' "$m" ||
  ko "mbGrowth is not one factor per op: $(grep mbGrowth "$m")"
"$bin/infnum-microbench" --quiet --params "$dir/peers.json" --out "$dir/peers.h5" || ko "peers run"
"$bin/infnum-report" peers --tsv-dir "$dir/o" --tex-dir "$dir/o" "$dir/peers.h5" || ko "peers report"
p="$dir/o/peers-macros.tex"
has "$p" '\newcommand{\peersBatchTerms}{8}'
has "$p" '\newcommand{\peersTableLo}{40}'
has "$p" '\newcommand{\peersTableHi}{160}'
grep -q '^\\newcommand{\\peersVsDense}{\\texttt{add} [0-9.e+]*,' "$p" || ko "peersVsDense: $(grep VsDense "$p")"
has "$dir/o/peers-table.tex" 'ns per number, 8 terms & 40 & 160'
grep -q '10^4\|10^6' "$dir/o/peers-table.tex" && ko "peers-table.tex names batch sizes that were not run"
[ $fail -eq 0 ] && echo "report macros: ok"
exit $fail
