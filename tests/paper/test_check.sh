#!/bin/sh
# SPDX-License-Identifier: MIT
# Self-test of check_numbers.py: the clean fixture passes (exit 0), and each
# fixture with a typed number (prose, mathematics) or a stub fails with exit
# status 1 and names the offending line; no argument is a usage error (2).
# usage: test_check.sh PYTHON CHECK_NUMBERS.PY FIXTURE_DIR
py=$1 check=$2 dir=$3
fail=0
expect() { # expect STATUS PATTERN FILE...
  want=$1 pat=$2; shift 2
  out=$("$py" "$check" "$@" 2>&1); got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: check_numbers $* exited $got, expected $want"; echo "$out"; fail=1
  elif [ -n "$pat" ] && ! printf '%s\n' "$out" | grep -q -- "$pat"; then
    echo "FAIL: check_numbers $* did not print '$pat'"; echo "$out"; fail=1
  else
    echo "ok: check_numbers $* -> $got"
  fi
}
expect 0 "no typed number" "$dir/clean.tex"
expect 1 "typed.tex:3: digit in prose '0.871'" "$dir/typed.tex"
expect 1 "typed_math.tex:3: number in mathematics '2.4'" "$dir/typed_math.tex"
expect 1 "stub.tex:3: stub 'Stub'" "$dir/stub.tex"
expect 1 "1 typed number" "$dir/clean.tex" "$dir/typed.tex"
expect 2 "usage" 
exit $fail
