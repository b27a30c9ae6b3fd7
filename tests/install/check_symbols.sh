#!/usr/bin/env bash
# check_symbols.sh LIB.so HEADER_DIR... — every symbol the shared library
# exports (nm -D --defined-only) is declared in a public header of the
# given directories (the library is built with hidden visibility; headers
# export their declarations). Named OpenMP critical sections
# (.gomp_critical_user_*) are program-wide by definition and allowed.
set -uo pipefail
lib=$1
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
echo "check_symbols: $lib: $n exported symbols, $bad not in the public headers"
[ "$bad" -eq 0 ]
