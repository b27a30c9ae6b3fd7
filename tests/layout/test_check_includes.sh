#!/bin/sh
# SPDX-License-Identifier: MIT
# check_includes.py finds what it must: on a generated tree with an include
# loop (a.h -> b.h -> a.h) and a private include from outside lib/ it exits 1
# naming both; on the same tree without them it exits 0; bad usage exits 2.
#   test_check_includes.sh PYTHON CHECK_INCLUDES.PY TMPDIR
set -u
py=$1 chk=$2 dir=$3/check_includes.$$
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=$((fail + 1)); fi; }
rm -rf "$dir" && mkdir -p "$dir/lib/src" "$dir/lib/include/infnum" "$dir/experiments/x" || exit 1
trap 'rm -rf "$dir"' EXIT
printf '#include "b.h"\n' > "$dir/lib/src/a.h"
printf '#include "a.h"\n' > "$dir/lib/src/b.h"
printf '#include "infnum/pub.h"\n#include "../../lib/src/a.h"\n' > "$dir/experiments/x/main.c"
printf '#include <stdio.h>\n' > "$dir/lib/include/infnum/pub.h"
"$py" "$chk" "$dir" > "$dir/out.txt"
check "loop and private include: exit 1" "[ \$? -eq 1 ]"
check "names the loop" "grep -q 'include loop: lib/src/a.h -> lib/src/b.h -> lib/src/a.h' '$dir/out.txt'"
check "names the private include" "grep -q 'private include: experiments/x/main.c includes lib/src/a.h' '$dir/out.txt'"
"$py" "$chk" "$dir" --allow experiments/x/main.c > "$dir/out.txt"
check "--allow: only the loop is left" "[ \$? -eq 1 ] && ! grep -q 'private include' '$dir/out.txt'"
printf '/* no include */\n' > "$dir/lib/src/b.h"
printf '#include "infnum/pub.h"\n' > "$dir/experiments/x/main.c"
"$py" "$chk" "$dir" > "$dir/out.txt"
check "clean tree: exit 0" "[ \$? -eq 0 ] && grep -q '0 problem' '$dir/out.txt'"
"$py" "$chk" > /dev/null 2>&1
check "no root: exit 2" "[ \$? -eq 2 ]"
echo "test_check_includes.sh: $fail failure(s)"
[ "$fail" -eq 0 ]
