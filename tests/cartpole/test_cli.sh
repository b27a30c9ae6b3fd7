#!/bin/sh
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

for est in reinforce es straight_through nonstandard; do
  for pol in linear mlp; do
    set -- --set estimator=$est --set policy=$pol --set hidden=3 --set budget=800 \
           --set eval_every=400 --set eval_episodes=3 --set batch=2 --seed 5 --quiet
    "$bin" "$@" --out "$dir/$est-$pol-a.h5"
    check "$est/$pol runs" "[ \$? -eq 0 ] && [ -f '$dir/$est-$pol-a.h5' ]"
    "$bin" "$@" --out "$dir/$est-$pol-b.h5"
    check "$est/$pol: same seed, same datasets" "'$report' diff '$dir/$est-$pol-a.h5' '$dir/$est-$pol-b.h5' > /dev/null"
  done
done
check "no temporary files left" "[ -z \"\$(ls '$dir' | grep tmp)\" ]"
mkdir -p "$dir/tsv" "$dir/tex"
"$report" cartpole --tsv-dir "$dir/tsv" --tex-dir "$dir/tex" "$dir"/*-a.h5 > /dev/null
check "report writes the tables" "[ -s '$dir/tex/cartpole-table.tex' ] && [ \$(grep -c '^[a-z]' '$dir/tsv/cartpole-table.tsv') -eq 9 ]"
echo "test_cli.sh: $fail failure(s)"
[ "$fail" -eq 0 ]
