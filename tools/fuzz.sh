#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# libFuzzer targets of tests/fuzz/ (clang, ASan + UBSan).
#   tools/fuzz.sh all [SECONDS]   configure + build build-fuzz/ (env FUZZ, default
#                                 build-fuzz), run every target SECONDS (default
#                                 20) through ctest -L fuzz; `make fuzz` runs 600
#   tools/fuzz.sh run BIN SECONDS SEEDS WORK
#                                 one target: corpus WORK/corpus (grows) and the
#                                 committed seeds SEEDS (read only); a crash,
#                                 leak, UB report or timeout is saved under
#                                 WORK/artifacts/ and fails the run
# Environment: JOBS (default 2), FUZZ_SECONDS (overrides SECONDS of `run`).
set -uo pipefail
mode=${1:-all}
if [ "$mode" = run ]; then
  bin=$2 secs=${FUZZ_SECONDS:-$3} seeds=$4 work=$5
  mkdir -p "$work/corpus" "$work/artifacts" "$seeds"
  export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")/.." && pwd)/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
  "$bin" -max_total_time="$secs" -timeout=120 -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds" > "$work/log" 2>&1
  rc=$?
  runs=$(grep -E "^stat::number_of_executed_units" "$work/log" | tail -1 | awk '{print $2}')
  echo "$(basename "$bin"): ${runs:-?} inputs executed in ${secs} s, exit $rc"
  [ "$rc" -eq 0 ] || { grep -E -m 5 "ERROR|runtime error|SUMMARY" "$work/log"; ls "$work/artifacts"; }
  exit "$rc"
fi
[ "$mode" = all ] || { echo "usage: tools/fuzz.sh all [SECONDS] | run BIN SECONDS SEEDS WORK" >&2; exit 2; }
cd "$(dirname "$0")/.."
FUZZ=${FUZZ:-build-fuzz}
export FUZZ_SECONDS=${2:-${FUZZ_SECONDS:-20}}
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
CC=clang CXX=clang++ cmake -S . -B "$FUZZ" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINFNUM_FUZZ=ON -DINFNUM_CUDA=OFF \
  "-DCMAKE_C_FLAGS=$flags" "-DCMAKE_CXX_FLAGS=$flags" "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" > /dev/null &&
  cmake --build "$FUZZ" -j"${JOBS:-2}" --target infnum_fuzz > "$FUZZ/fuzz-build.log" 2>&1 ||
  { tail -n 30 "$FUZZ/fuzz-build.log" 2>/dev/null; exit 1; }
cd "$FUZZ" && ctest --output-on-failure -L "^fuzz$"
