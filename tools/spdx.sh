#!/usr/bin/env bash
# tools/spdx.sh [--check] — the license identifier "SPDX-License-Identifier:
# MIT" at the top of every tracked source file (git ls-files), in the file's
# own comment syntax, after a #! line if there is one. Idempotent: a file
# that names an SPDX identifier in its first five lines is left alone.
#   --check   change nothing; list the files without one (exit 1 if any)
# Files that take no comment (JSON, data, Markdown, the license) are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
[ "${1:-}" = --check ] && check=1
id="SPDX-License-Identifier: MIT"
missing=0
while IFS= read -r f; do
  [ -f "$f" ] && [ ! -L "$f" ] || continue
  case $f in
    *.c | *.h | *.cu | *.cuh | *.cpp | *.hpp) line="/* $id */" ;;
    *.sh | *.py | *.cmake | *.smk | *.yaml | *.yml | *.gp | *.awk | *.in | *.txt | \
      Snakefile | */Snakefile | Makefile | */Makefile | Doxyfile | */Doxyfile | \
      .gitignore | .gitattributes | */fake/*) line="# $id" ;;
    *.tex | *.bib) line="% $id" ;;
    *) continue ;;
  esac
  case $f in
    LICENSE | data/* | *.json | cmake/git-commit.txt | tests/perf/baseline.txt | \
      tests/ngrad/matrix.txt | tests/cartpole/gym_episodes.txt | paper/proof/expected-axioms.txt | \
      tests/paper/fixtures/*) continue ;; # data, pinned outputs and fixtures
  esac
  head -n 5 "$f" | grep -q "SPDX-License-Identifier" && continue
  missing=$((missing + 1))
  if [ "$check" -eq 1 ]; then echo "$f"; continue; fi
  tmp=$(mktemp "$f.spdx.XXXXXX")
  if head -n 1 "$f" | grep -q '^#!'; then
    { head -n 1 "$f"; echo "$line"; tail -n +2 "$f"; } > "$tmp"
  else
    { echo "$line"; cat "$f"; } > "$tmp"
  fi
  chmod --reference="$f" "$tmp"
  mv "$tmp" "$f"
done < <(git ls-files)
if [ "$check" -eq 1 ]; then
  echo "spdx: $missing files without an SPDX identifier" >&2
  [ "$missing" -eq 0 ]
else
  echo "spdx: identifier added to $missing files"
fi
