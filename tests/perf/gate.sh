#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Instruction-count regression gate (independent of the machine's speed).
#
#   tests/perf/gate.sh [--bench PATH] [--baseline FILE] [--tolerance PCT]
#                      [--build-type TYPE] [--sanitized] [--update]
#
# Runs gate_bench under `valgrind --tool=callgrind` once per operation and
# once for "setup"; Ir(op) = Ir(gate_bench op) - Ir(gate_bench setup), the
# instructions the operation itself executes. Compares each with the
# committed baseline and fails (exit 1) if any rose by more than PCT percent
# (default 10). --update rewrites the baseline instead (a deliberate act:
# see docs/performance.md). Exit 77 (CTest's skip code) when valgrind is
# missing, the build is sanitized, or it is not a Release build; 2 on bad usage.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bench="" baseline="$here/baseline.txt" tol=10 update=0 btype=Release sanitized=0
ops=(add mul recip exp sin step ngrad mulr fo mulx expr)

usage() { sed -n '4,14p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --bench) bench="${2:?--bench needs a path}"; shift 2 ;;
    --baseline) baseline="${2:?--baseline needs a file}"; shift 2 ;;
    --tolerance) tol="${2:?--tolerance needs a percentage}"; shift 2 ;;
    --build-type) btype="${2-}"; shift 2 ;;
    --sanitized) sanitized=1; shift ;;
    --update) update=1; shift ;;
    "") shift ;; # an empty generator expression from CTest
    -h|--help) usage; exit 0 ;;
    *) echo "gate.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
case "$tol" in ''|*[!0-9.]*) echo "gate.sh: --tolerance must be a number, got '$tol'" >&2; exit 2 ;; esac
if [ -z "$bench" ]; then
  for b in "$here/../../build/bin/gate_bench" "$here/../../build-perf/bin/gate_bench"; do
    [ -x "$b" ] && { bench="$b"; break; }
  done
fi
[ -n "$bench" ] && [ -x "$bench" ] || { echo "gate.sh: gate_bench not found (pass --bench PATH)" >&2; exit 2; }

skip() { echo "gate.sh: SKIPPED: $*"; exit 77; }
[ "$sanitized" = 0 ] || skip "sanitized build (instruction counts are meaningless under ASan)"
[ "$btype" = Release ] || skip "build type '$btype' (the baseline is for Release)"
command -v valgrind >/dev/null || skip "valgrind is not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Ir of one gate_bench run (callgrind's "summary:" line).
measure() {
  if ! valgrind --tool=callgrind --callgrind-out-file="$tmp/$1.cg" "$bench" "$1" \
      >"$tmp/$1.log" 2>"$tmp/$1.err"; then
    echo "gate.sh: gate_bench $1 failed under valgrind:" >&2
    cat "$tmp/$1.log" "$tmp/$1.err" >&2
    exit 1
  fi
  awk '/^summary:/ { print $2 }' "$tmp/$1.cg"
}

setup=$(measure setup)
declare -A ir
for op in "${ops[@]}"; do ir[$op]=$(( $(measure "$op") - setup )); done
compiler=$("$bench" --compiler)

if [ "$update" = 1 ]; then
  out="$baseline.tmp.$$"
  {
    echo "# Instruction counts (callgrind Ir) of tests/perf/gate_bench, per operation"
    echo "# (Ir(op) - Ir(setup)). Written by: tests/perf/gate.sh --update"
    echo "# compiler: $compiler; build: $btype; $(valgrind --version)"
    for op in "${ops[@]}"; do echo "$op ${ir[$op]}"; done
  } >"$out"
  mv "$out" "$baseline"
  echo "gate.sh: baseline written to $baseline"
  cat "$baseline"
  exit 0
fi

[ -r "$baseline" ] || { echo "gate.sh: no baseline $baseline (run with --update)" >&2; exit 2; }
base_compiler=$(sed -n 's/^# compiler: \(.*\); build:.*/\1/p' "$baseline")
[ "$base_compiler" = "$compiler" ] ||
  echo "gate.sh: warning: baseline compiled with '$base_compiler', this build with '$compiler'"

fail=0
printf '%-6s %14s %14s %8s\n' op baseline now change
for op in "${ops[@]}"; do
  base=$(awk -v k="$op" '$1 == k { print $2 }' "$baseline")
  if [ -z "$base" ]; then
    printf '%-6s %14s %14s %8s\n' "$op" "-" "${ir[$op]}" "new"
    continue
  fi
  verdict=$(awk -v b="$base" -v n="${ir[$op]}" -v t="$tol" 'BEGIN {
      c = b > 0 ? 100 * (n - b) / b : 0
      printf "%+7.1f%% %s", c, (c > t ? "FAIL" : (c < -t ? "faster: update the baseline" : "ok")) }')
  printf '%-6s %14s %14s %s\n' "$op" "$base" "${ir[$op]}" "$verdict"
  case "$verdict" in *FAIL*) fail=1 ;; esac
done
if [ "$fail" = 1 ]; then
  echo "gate.sh: FAILED: instruction count rose by more than $tol% (see docs/performance.md)"
  exit 1
fi
echo "gate.sh: passed (tolerance $tol%)"
