#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the output of Assumptions.v: one "Axioms:" block per main theorem
# (none may be closed under the global context or use an unknown axiom),
# and every axiom named is in the allowed list.
# Usage: check-assumptions.sh ASSUMPTIONS_OUTPUT ALLOWED_LIST
set -euo pipefail
out=$1 allowed=$2
theorems=$(grep -c '^Print Assumptions' "$(dirname "$0")/Assumptions.v")
blocks=$(grep -c '^Axioms:$' "$out" || true)
if [ "$blocks" -ne "$theorems" ]; then
  echo "expected $theorems 'Axioms:' blocks, found $blocks" >&2
  exit 1
fi
if grep -q 'Closed under the global context' "$out"; then
  echo "a theorem unexpectedly uses no axiom" >&2
  exit 1
fi
# Axiom names start a line (their types follow, or continue indented).
names=$(grep -E '^[A-Za-z_]' "$out" | grep -v '^Axioms:$' | sed -E 's/[ :].*//' | sort -u)
[ -n "$names" ] || { echo "no axiom names found" >&2; exit 1; }
bad=0
for n in $names; do
  if ! grep -qx "$n" "$allowed"; then echo "unexpected axiom: $n" >&2; bad=1; fi
done
[ "$bad" -eq 0 ] || exit 1
echo "$theorems theorems; axioms: $(echo $names | tr '\n' ' ')"
