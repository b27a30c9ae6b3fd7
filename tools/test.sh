#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite (README's second command, `make test`, CI):
#   1. tools/install-deps.sh (idempotent; quiet when nothing is missing)
#   2. Release build in build/ (also the pipeline's build) and an
#      AddressSanitizer build in build-asan/ (leak checks of the
#      allocation-failure tests)
#   3. ctest: every label except pipeline/perf/cuda/memcheck under ASan;
#      the lib label under clang's UBSan (build-ubsan/, core library only);
#      the libFuzzer targets of tests/fuzz/ for 20 s each (build-fuzz/);
#      pipeline, perf, cuda and memcheck (valgrind) on the Release build
#   4. the Python package (python/) installed into the venv, its pytest suite
#   5. snakemake --lint (must report no lints)
#   6. the pipeline on config/test.yaml
# Ends with one line "N passed, M failed" (N, M count ctest and pytest tests
# + checks). Environment: JOBS (default 2), BUILD (build), ASAN (build-asan),
# UBSAN (build-ubsan), FUZZ (build-fuzz), INFNUM_VENV (the Python
# environment, default .venv).
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
BUILD=${BUILD:-build}
ASAN=${ASAN:-build-asan}
UBSAN=${UBSAN:-build-ubsan}
FUZZ=${FUZZ:-build-fuzz}
passed=0
failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

step() { echo "== $*"; }
# The errors of a failed build (or its last lines).
show() { grep -h -E -m 30 "error:|CMake Error|Error [0-9]" "$@" || tail -n 40 "$@"; }
ok() { passed=$((passed + 1)); echo "   ok: $1"; }
ko() { failed=$((failed + 1)); echo "   FAILED: $1"; }
# Adds ctest's counts from its output file $1 (0 if it did not run).
count_ctest() {
  local line t f
  line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$1" | tail -1)
  if [ -z "$line" ]; then ko "ctest ($2) did not run"; return; fi
  f=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  t=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
  passed=$((passed + t - f))
  failed=$((failed + f))
  # The output of the failed tests (ctest --output-on-failure), abridged.
  [ "$f" -eq 0 ] || sed -n '/\*\*\*\(Failed\|Timeout\|Exception\|Not Run\)/,/^ *Start \|^[0-9]*% tests/p' "$1" | head -n 120
  echo "   ctest ($2): $line"
}

step "dependencies"
if tools/install-deps.sh > "$log/deps" 2>&1; then ok deps; else cat "$log/deps"; ko deps; fi

step "Release build ($BUILD)"
if cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release > "$log/cfg" 2>&1 &&
   cmake --build "$BUILD" -j"$JOBS" > "$log/build" 2>&1; then ok "release build"
else show "$log/cfg" "$log/build"; ko "release build"; fi

step "AddressSanitizer build ($ASAN)"
if cmake -S . -B "$ASAN" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINFNUM_SANITIZE=ON -DINFNUM_CUDA=OFF > "$log/acfg" 2>&1 &&
   cmake --build "$ASAN" -j"$JOBS" > "$log/abuild" 2>&1; then ok "asan build"
else show "$log/acfg" "$log/abuild"; ko "asan build"; fi

step "ctest (ASan): all labels but pipeline, perf, cuda, memcheck"
(cd "$ASAN" && ctest -j"$JOBS" --output-on-failure -LE "^(pipeline|perf|cuda|memcheck)$") > "$log/ctest-asan" 2>&1
count_ctest "$log/ctest-asan" asan

step "clang UBSan build ($UBSAN): the core library and its tests"
# -fsanitize=pointer-overflow also catches NULL + offset, which GCC's UBSan
# (the ASan build) does not report; any report stops the test (no recover).
if CC=clang cmake -S . -B "$UBSAN" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINFNUM_EXPERIMENTS=OFF -DINFNUM_CUDA=OFF \
     "-DCMAKE_C_FLAGS=-fsanitize=undefined,pointer-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer" > "$log/ucfg" 2>&1 &&
   cmake --build "$UBSAN" -j"$JOBS" --target infnum_lib_tests > "$log/ubuild" 2>&1; then ok "ubsan build"
else show "$log/ucfg" "$log/ubuild"; ko "ubsan build"; fi
(cd "$UBSAN" && UBSAN_OPTIONS=print_stacktrace=1 ctest -j"$JOBS" --output-on-failure -L "^lib$") > "$log/ctest-ubsan" 2>&1
count_ctest "$log/ctest-ubsan" ubsan

step "fuzz targets ($FUZZ, 20 s each; make fuzz runs them long)"
FUZZ=$FUZZ FUZZ_SECONDS=20 JOBS=$JOBS tools/fuzz.sh all > "$log/fuzz" 2>&1
count_ctest "$log/fuzz" fuzz

step "ctest (Release): pipeline, perf, cuda, memcheck"
(cd "$BUILD" && ctest --output-on-failure -L "^(pipeline|perf|cuda|memcheck)$") > "$log/ctest-rel" 2>&1
count_ctest "$log/ctest-rel" release

step "Python package (python/): pip install into the venv, pytest"
# Every pytest test counts; the venv is tools/install-deps.sh's.
py=${INFNUM_VENV:-$PWD/.venv}/bin/python
if "$py" -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps ./python > "$log/pyinst" 2>&1; then
  "$py" -m pytest -q -p no:cacheprovider python/tests > "$log/pytest" 2>&1
  read -r p f < <(tail -n 1 "$log/pytest" | awk '{ for (i = 2; i <= NF; i++) {
    if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^(failed|errors?)/) f += $(i-1) } } END { print p+0, f+0 }')
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" -eq 0 ] || grep -E "^(FAILED|ERROR)" "$log/pytest" | head -n 40
  if [ $((p + f)) -eq 0 ]; then tail -n 40 "$log/pytest"; ko "pytest did not run"; fi
  echo "   pytest: $(tail -n 1 "$log/pytest")"
else tail -n 40 "$log/pyinst"; ko "pip install ./python"; fi

step "snakemake --lint"
# Clean: exit 0 and no "Lints for ..." (Snakemake 7 then prints one line of congratulations).
if snakemake --lint > "$log/lint" 2>&1 && ! grep -q "^Lints for" "$log/lint"; then ok lint; else cat "$log/lint"; ko lint; fi

step "pipeline on config/test.yaml"
if snakemake --cores "$JOBS" --configfile config/test.yaml --rerun-incomplete > "$log/pipe" 2>&1 &&
   [ -s results/test/summary.html ] && [ -s results/test/paper/main.pdf ]; then
  ok "pipeline (results/test/summary.html, results/test/paper/main.pdf)"
else tail -n 40 "$log/pipe"; ko pipeline; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
