#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_symbols.sh LIB.so OWN_HEADER_DIR [HEADER_DIR...] — the shared
# library's exports (nm -D --defined-only) are exactly its public API:
#  - every exported symbol is declared in a public header of the given
#    directories (the library is built with hidden visibility);
#  - every function declared in its own headers (OWN_HEADER_DIR) is
#    exported (a header without `#pragma GCC visibility push(default)`
#    would hide its declarations).
# Named OpenMP critical sections (.gomp_critical_user_*) are program-wide
# by definition and allowed.
set -uo pipefail
lib=$1
own=$2
shift
[ -f "$lib" ] || { echo "check_symbols: no library $lib"; exit 1; }
syms=$(nm -D --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | sort -u)
[ -n "$syms" ] || { echo "check_symbols: $lib exports nothing"; exit 1; }
headers=$(find "$@" -maxdepth 1 -name '*.h')
bad=0
n=0
for s in $syms; do
  n=$((n + 1))
  case $s in .gomp_critical_user_*) continue ;; esac
  if ! grep -qE -- "\b$s[[:space:]]*\(" $headers; then
    echo "check_symbols: $lib exports '$s', which no public header declares"
    bad=$((bad + 1))
  fi
done
# Function declarations of the own headers: a line starting with a type and
# naming lc_...( — not static inline definitions, macros or typedefs.
declared=$(cat "$own"/*.h | grep -E '^[A-Za-z_][A-Za-z0-9_ *]*\blc_[a-z0-9_]+[[:space:]]*\(' |
           grep -vE '^(static|typedef|#)' | sed -E 's/^[^(]*\b(lc_[a-z0-9_]+)[[:space:]]*\(.*/\1/' | sort -u)
m=0
for d in $declared; do
  m=$((m + 1))
  if ! grep -qx -- "$d" <<<"$syms"; then
    echo "check_symbols: $own declares '$d', which $lib does not export"
    bad=$((bad + 1))
  fi
done
echo "check_symbols: $lib: $n exported symbols, $m functions declared in $own; $bad mismatches"
[ "$bad" -eq 0 ]
