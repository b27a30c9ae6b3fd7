#!/bin/sh
# SPDX-License-Identifier: MIT
# infnum-cartpole's command line: --help, usage errors (exit 2, the bad
# parameter named, no file written), a short run of every estimator, and the
# same seed giving identical datasets (timings excepted).
#   test_cli.sh BIN REPORT TMPDIR
set -u
bin=$1 report=$2 dir=$3/cli.$$
mkdir -p "$dir" || exit 1
trap 'rm -rf "$dir"' EXIT
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=$((fail + 1)); fi; }

"$bin" --help > "$dir/help.txt"
check "--help exits 0 and lists the estimators" "[ \$? -eq 0 ] && grep -q straight_through '$dir/help.txt'"
"$bin" --set estimator=sgd --out "$dir/bad.h5" 2> "$dir/err.txt"
check "unknown estimator: exit 2" "[ \$? -eq 2 ] && grep -q \"'estimator'\" '$dir/err.txt'"
"$bin" --set sigma=-1 --out "$dir/bad.h5" 2> "$dir/err.txt"
check "negative sigma: exit 2" "[ \$? -eq 2 ] && grep -q \"'sigma'\" '$dir/err.txt'"
"$bin" --set policy=mlp --set hidden=0 --out "$dir/bad.h5" 2> "$dir/err.txt"
check "hidden 0: exit 2" "[ \$? -eq 2 ] && grep -q \"'hidden'\" '$dir/err.txt'"
"$bin" --set budget=100 --out "$dir/no/such/dir/x.h5" 2> "$dir/err.txt"
check "unwritable output: exit 1" "[ \$? -eq 1 ]"
check "no file after usage errors" "[ ! -e '$dir/bad.h5' ] && [ -z \"\$(ls '$dir' | grep tmp)\" ]"

for est in reinforce ppo es straight_through kernel decision_flip; do
  for pol in linear mlp; do
    set -- --set estimator=$est --set policy=$pol --set hidden=3 --set budget=800 \
           --set eval_every=400 --set eval_episodes=3 --set batch=2 --set minibatch=2 \
           --set epochs=1 --seed 5 --quiet
    "$bin" "$@" --out "$dir/$est-$pol-a.h5"
    check "$est/$pol runs" "[ \$? -eq 0 ] && [ -f '$dir/$est-$pol-a.h5' ]"
    "$bin" "$@" --out "$dir/$est-$pol-b.h5"
    check "$est/$pol: same seed, same datasets" "'$report' diff '$dir/$est-$pol-a.h5' '$dir/$est-$pol-b.h5' > /dev/null"
  done
done
check "no temporary files left" "[ -z \"\$(ls '$dir' | grep tmp)\" ]"
# nonstandard, the kernel estimator's former name: the same run, recorded as kernel.
check "--help names the former name" "grep -q 'nonstandard: the former' '$dir/help.txt'"
"$bin" --set estimator=nonstandard --set policy=linear --set hidden=3 --set budget=800 \
       --set eval_every=400 --set eval_episodes=3 --set batch=2 --set minibatch=2 \
       --set epochs=1 --seed 5 --quiet --out "$dir/alias.h5"
"$report" diff "$dir/kernel-linear-a.h5" "$dir/alias.h5" 2> "$dir/err.txt"
check "nonstandard runs kernel: datasets identical" "grep -q 'params differ' '$dir/err.txt' && ! grep -q dataset '$dir/err.txt'"
mkdir -p "$dir/alias"
"$report" cartpole --tsv-dir "$dir/alias" --tex-dir "$dir/alias" "$dir/alias.h5" > /dev/null
check "the result records the name kernel" "grep -q '	kernel	' '$dir/alias/cartpole-sweep.tsv' && ! grep -q nonstandard '$dir/alias/cartpole-sweep.tsv'"
"$bin" --set phase=final --out "$dir/bad.h5" 2> "$dir/err.txt"
check "unknown phase: exit 2" "[ \$? -eq 2 ] && grep -q \"'phase'\" '$dir/err.txt'"
# The chosen setting of reinforce/linear (two tuning settings), then its eval runs.
"$bin" --set estimator=reinforce --set budget=800 --set eval_every=400 --set eval_episodes=3 \
       --set lr=0.5 --seed 5 --quiet --out "$dir/reinforce-linear-lr.h5"
"$report" cartpole --choose '{"estimator": "reinforce", "lr": 1, "budget": 800, "eval_every": 400, "eval_episodes": 3, "phase": "eval"}' \
          "$dir/chosen.json" "$dir/reinforce-linear-a.h5" "$dir/reinforce-linear-lr.h5"
check "--choose writes the chosen lr and sigma" "grep -q '\"lr\":0\\.\\(01\\|5\\)' '$dir/chosen.json' && grep -q '\"sigma\":0.1' '$dir/chosen.json'"
"$report" cartpole --choose '{"lr": 1}' "$dir/two.json" "$dir/reinforce-linear-a.h5" "$dir/es-linear-a.h5" 2> /dev/null
check "--choose refuses two (estimator, policy)" "[ \$? -ne 0 ] && [ ! -e '$dir/two.json' ]"
for s in 11 12 13; do
  "$bin" --params "$dir/chosen.json" --seed $s --quiet --out "$dir/eval-$s.h5"
done
mkdir -p "$dir/tsv" "$dir/tex"
"$report" cartpole --tsv-dir "$dir/tsv" --tex-dir "$dir/tex" "$dir"/*-a.h5 "$dir"/eval-*.h5 > /dev/null
check "report writes the tables" "[ -s '$dir/tex/cartpole-table.tex' ] && [ \$(grep -c '^[a-z]' '$dir/tsv/cartpole-table.tsv') -eq 2 ] && grep -q '^linear	reinforce	1	.*	3	' '$dir/tsv/cartpole-table.tsv'"
check "report writes the macros" "grep -q 'cpIQMLoReinforceLinear' '$dir/tex/cartpole-macros.tex' && grep -q 'cpEvalSeeds}{3}' '$dir/tex/cartpole-macros.tex'"
echo "test_cli.sh: $fail failure(s)"
[ "$fail" -eq 0 ]
