#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_tutorial.sh TUTORIAL.md WORKDIR CC "CFLAGS" "LIBS" — every ```c block
# of the tutorial is a complete program: compile it (-Wall -Wextra -Werror),
# run it, and compare its output with the ```text block that follows it.
set -uo pipefail
md=$1 work=$2 cc=$3 cflags=$4 libs=$5
rm -rf "$work" && mkdir -p "$work" || exit 1
# Block n of language L goes to $work/n.L (c, text), n counting c blocks.
awk -v dir="$work" '
  /^```c$/    { n++; f = dir "/" n ".c"; on = 1; next }
  /^```text$/ { f = dir "/" n ".text"; on = 1; next }
  /^```/      { if (on) close(f); on = 0; next }
  on          { print > f }' "$md"
n=$(ls "$work"/*.c 2>/dev/null | wc -l)
[ "$n" -ge 5 ] || { echo "test_tutorial: $md has $n C programs (expected at least 5)"; exit 1; }
fail=0
for src in "$work"/*.c; do
  base=${src%.c}
  name=$(head -n 1 "$src")
  if [ ! -f "$base.text" ]; then echo "FAIL $src: no \`\`\`text block with its output"; fail=1; continue; fi
  # shellcheck disable=SC2086
  if ! $cc -std=c17 -Wall -Wextra -Werror -Wno-unused-parameter $cflags "$src" $libs -o "$base" 2> "$base.cc"; then
    echo "FAIL $src does not compile: $name"; cat "$base.cc"; fail=1; continue
  fi
  if ! "$base" > "$base.got" 2>&1; then echo "FAIL $src exits with an error: $name"; cat "$base.got"; fail=1; continue; fi
  if ! diff -u "$base.text" "$base.got"; then echo "FAIL $src prints something else: $name"; fail=1; continue; fi
  echo "ok $src: $name"
done
[ "$fail" -eq 0 ] && echo "test_tutorial: $n programs compiled, ran and printed what the tutorial shows"
exit "$fail"
