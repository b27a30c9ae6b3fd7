#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interrupted runs leave no result that looks finished, and a re-run
# completes with valid results.
#   1. infnum-microbench killed (SIGKILL) mid-run: no OUT.h5, only OUT.h5.tmp.<pid>.
#   2. the pipeline (config/test.yaml as "ctest-pipeline") killed mid-run
#      (SIGKILL to its process group), then re-run with --rerun-incomplete:
#      every result opens and the summary HTML and PDF exist.
# Usage: test_interrupt.sh BIN_DIR SOURCE_DIR [KEEP_RESULTS_DIR]
set -euo pipefail
bin=${1:?usage: test_interrupt.sh BIN_DIR SOURCE_DIR}
src=${2:?usage: test_interrupt.sh BIN_DIR SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. The binary alone.
"$bin/infnum-microbench" --quiet --set ops=recip --set terms=16 --set batch_sizes=2000 \
  --set reps=1000 --out "$tmp/k.h5" &
pid=$!
for _ in $(seq 50); do [ -e "$tmp/k.h5.tmp.$pid" ] && break; sleep 0.1; done
sleep 0.5
kill -KILL $pid; wait $pid 2>/dev/null || true
[ ! -e "$tmp/k.h5" ] || { echo "FAIL: a killed run left $tmp/k.h5" >&2; exit 1; }
[ -e "$tmp/k.h5.tmp.$pid" ] || { echo "FAIL: no temporary file seen" >&2; exit 1; }
echo "killed binary: no final file"

# 2. The pipeline, in a snapshot of the source tree (hermetic: no locks or
# results shared with other runs in the tree, no source edited meanwhile).
# The binaries are copied with their time stamps, so they are up to date.
mkdir -p "$tmp/src/build/bin"
tar -C "$src" --exclude='./build*' --exclude=./results --exclude=./.snakemake --exclude=./dist \
    --exclude=./.git -cf - . | tar -C "$tmp/src" -xf -
cp -p "$bin"/infnum-* "$tmp/src/build/bin/"
touch "$tmp/src/build/bin/"infnum-*
cd "$tmp/src"
name=ctest-pipeline
# config/test.yaml under another name, with a larger microbench grid (so the
# kill lands mid-run).
sed -e "s/^name: .*/name: $name/" -e "s/^  batch_sizes: .*/  batch_sizes: [10, 100, 1000]/" \
    -e "s/^  terms: .*/  terms: [1, 4, 8]/" -e "s/^  work: .*/  work: 20000/" config/test.yaml > "$tmp/config.yaml"
grep -q "^name: $name" "$tmp/config.yaml" || { echo "FAIL: config" >&2; exit 1; }
smk=(snakemake --cores 2 --configfile "$tmp/config.yaml")
setsid "${smk[@]}" > "$tmp/first.log" 2>&1 &
spid=$!
# Kill once the first microbench result is complete (the run is mid-way).
for _ in $(seq 600); do
  ls "results/$name/microbench/"*.h5 >/dev/null 2>&1 && break
  kill -0 $spid 2>/dev/null || break
  sleep 0.2
done
kill -KILL -- -$spid 2>/dev/null || true
wait $spid 2>/dev/null || true
echo "pipeline killed; results so far: $(ls results/$name/microbench/ 2>/dev/null | tr '\n' ' ')"
# A SIGKILL leaves snakemake's lock behind: unlock, as a user would.
snakemake --unlock --configfile "$tmp/config.yaml" > /dev/null 2>&1
"${smk[@]}" --rerun-incomplete > "$tmp/second.log" 2>&1 || { cat "$tmp/second.log" >&2; echo "FAIL: re-run" >&2; exit 1; }
n=0
for f in "results/$name"/*/*.h5; do
  "$bin/infnum-report" diff "$f" "$f" || { echo "FAIL: corrupt result $f" >&2; exit 1; }
  n=$((n + 1))
done
for f in summary.html paper/main.pdf plots/microbench-batch.png; do
  [ -s "results/$name/$f" ] || { echo "FAIL: missing results/$name/$f" >&2; exit 1; }
done
left=$(ls "results/$name"/*/*.tmp.* 2>/dev/null | grep microbench || true)
[ -z "$left" ] || { echo "FAIL: stale temporary files: $left" >&2; exit 1; }
echo "re-run complete: $n valid results"
# Deleting one result re-runs only that job and its dependants.
cp "results/$name/microbench/mul.h5" "$tmp/mul-first.h5"
rm "results/$name/microbench/mul.h5"
"${smk[@]}" -n > "$tmp/dry.log" 2>&1
jobs=$(awk '/^Job stats/{f++; next} f==1 && $1=="total"{exit} f==1 && $2 ~ /^[0-9]+$/{printf "%s=%s ", $1, $2}' "$tmp/dry.log")
expect="all=1 microbench=1 microbench_report=1 paper=1 plot=2 summary_html=1 "
[ "$jobs" = "$expect" ] || { cat "$tmp/dry.log" >&2; echo "FAIL: jobs '$jobs', expected '$expect'" >&2; exit 1; }
echo "deleted mul.h5: re-runs only $jobs"
"${smk[@]}" > "$tmp/third.log" 2>&1 || { cat "$tmp/third.log" >&2; exit 1; }
# Same config, same seed: the re-run result equals the first but for timings.
"$bin/infnum-report" diff "$tmp/mul-first.h5" "results/$name/microbench/mul.h5" ||
  { echo "FAIL: the re-run of mul.h5 differs" >&2; exit 1; }
echo "re-run of mul.h5: identical datasets (timings excluded)"
# Keep the results for pipeline.html (the summary HTML in Chromium).
if [ -n "${3:-}" ]; then rm -rf "$3"; mkdir -p "$(dirname "$3")"; cp -a "results/$name" "$3"; fi
echo "PASS"
