#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests of infnum-ngrad (CTest ngrad.cli): test_cli.sh path/to/infnum-ngrad
#   - the text and JSON output on the testing matrix equal matrix.txt and
#     matrix.json (regenerate with INFNUM_REGEN=1 after checking the diff);
#   - --help, --version, usage errors (exit 2, with the column of a bad
#     expression), field errors (exit 1), the conventions flags;
#   - --plot writes SVG and PNG (nothing else left behind) and finds the
#     point masses of x + round(x) on [-2, 2].
set -uo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect STATUS PATTERN ARGS...: exit status STATUS, PATTERN in stdout+stderr
expect() {
  local want=$1 pat=$2; shift 2
  "$bin" "$@" > "$tmp/out" 2>&1
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "infnum-ngrad $* exited $rc, want $want: $(head -c 300 "$tmp/out")"
  grep -qF -- "$pat" "$tmp/out" || fail "infnum-ngrad $*: no '$pat' in: $(head -c 300 "$tmp/out")"
}

matrix=('abs(x)' 'step(x)' 'sign(x)' 'round(x)' 'floor(x)' 'x + round(x)' '3*step(x) - sign(x-1)')
at=-1,-0.5,0,0.5,1,1.5
for fmt in txt json; do
  : > "$tmp/matrix.$fmt"
  for e in "${matrix[@]}"; do
    if [ "$fmt" = json ]; then "$bin" "$e" --at "$at" --json; else "$bin" "$e" --at "$at"; fi >> "$tmp/matrix.$fmt" ||
      fail "infnum-ngrad '$e' --at $at ($fmt) failed"
  done
  if [ "${INFNUM_REGEN:-0}" = 1 ]; then cp "$tmp/matrix.$fmt" "$here/matrix.$fmt"; fi
  diff -u "$here/matrix.$fmt" "$tmp/matrix.$fmt" || fail "the $fmt output differs from matrix.$fmt"
done
if command -v python3 > /dev/null; then
  "$bin" 'x + round(x)' --at 0.5 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); p=d["points"][0]; assert (p["mass"], p["jump"], p["regular"]) == (1, 0, 1), p' ||
    fail "the JSON output does not parse or has the wrong values"
fi

expect 0 "usage: infnum-ngrad" --help
expect 0 "infnum-ngrad (infnum) 0.1.0" --version
expect 2 "no expression given" --at 1
expect 2 "give points (--at) or a picture (--plot)" 'x'
expect 2 "unknown option '--bogus'" 'x' --at 1 --bogus 3
expect 2 "--at: '1,zz' is not a list of numbers" 'x' --at 1,zz
expect 2 "--order must be below the depth (3)" 'x' --at 1 --depth 3 --order 3
expect 2 "--tie: 'odd' is not away, even, up or down" 'x' --at 1 --tie odd
expect 2 "col 7: unknown function 'sinn'" 'x*2 + sinn(x)' --at 1
expect 2 "        ^" 'x*2 + sinn(x)' --at 1
expect 2 "col 5: unknown variable 'x' (variables: t)" 't + x' --var t --at 1
expect 2 "--var: " 'x' --var 'sin' --at 1
expect 2 "takes one variable" 'x' --var 'x,y' --at 1
expect 1 "col 1 (log): lc_log" 'log(x)' --at 0
# the conventions come from the flags
expect 0 "f(x)        = 0.5" 'step(x)' --at 0 --h0 half
expect 0 "f(x)        = 2" 'round(x)' --at 2.5 --tie even
expect 0 "f(x)        = 7" 'sign(x)' --at 0 --sign0 7
expect 0 "d^3 f(x+)   = -1" 'sin(x)' --at 0 --order 3
expect 0 "right deriv = 0.54030230586813977" "sin(x)" --at 1

# the picture
expect 0 "point mass at 0.5: weight 1" 'x + round(x)' --plot "$tmp/xr.png"
[ "$(grep -c '^point mass at' "$tmp/out")" -eq 4 ] || fail "x + round(x) on [-2, 2] has 4 point masses: $(cat "$tmp/out")"
head -c 8 "$tmp/xr.png" | od -An -tx1 | grep -q "89 50 4e 47" || fail "xr.png is not a PNG"
expect 0 "point mass at 1.0471975511965976: weight 1" 'step(x - pi/3) + x^2' --plot "$tmp/s.svg" --from -1 --to 2 --samples 50
grep -q "<svg" "$tmp/s.svg" || fail "s.svg is not an SVG"
expect 2 "must end in .svg or .png" 'x' --plot "$tmp/x.pdf"
expect 1 "could not write" 'x' --plot "$tmp/no/such/dir/x.svg"
[ -z "$(ls "$tmp" | grep -v -E '^(out|matrix\.(txt|json)|xr\.png|s\.svg)$')" ] || fail "files left behind: $(ls "$tmp")"

[ "$fails" -eq 0 ] && echo "test_cli (infnum-ngrad): all checks passed"
[ "$fails" -eq 0 ]
