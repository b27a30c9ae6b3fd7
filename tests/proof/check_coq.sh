#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Coq development of SRC (paper/proof) in a fresh copy WORK and
# checks the axioms of its main theorems (make check); prints the output of
# Print Assumptions. With OUT (the pipeline's result), also writes that
# output to OUT, after a provenance header, atomically (written in WORK,
# then renamed).
# Usage: check_coq.sh SRC WORK [OUT]
set -euo pipefail
src=$1 work=$2 out=${3:-}
if ! command -v coqc > /dev/null; then
  echo "coqc not found: install the packages coq and libcoq-coquelicot (tools/install-deps.sh)" >&2
  exit 1
fi
rm -rf "$work"
mkdir -p "$work"
files=("$src"/*.v "$src"/Makefile "$src"/check-assumptions.sh "$src"/expected-axioms.txt)
cp "${files[@]}" "$work"/
make -s -C "$work" check
cat "$work"/assumptions.txt
# The check must reject an axiom of our own (what an Admitted lemma shows).
sed '0,/^Axioms:$/s//Axioms:\nInfnum.Distribution.bogus : False/' "$work"/assumptions.txt > "$work"/bogus.txt
if (cd "$work" && ./check-assumptions.sh bogus.txt expected-axioms.txt) 2> "$work"/bogus.err; then
  echo "check-assumptions.sh accepted an unexpected axiom" >&2
  exit 1
fi
grep -q "unexpected axiom: Infnum.Distribution.bogus" "$work"/bogus.err
if [ -n "$out" ]; then
  {
    echo "# Print Assumptions of the main theorems of $src (make check passed on a copy)"
    echo "# $(coqc --version | head -n 1 | tr -s ' ')"
    echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# sources sha256: $(cd "$work" && cat "${files[@]##*/}" | sha256sum | cut -d ' ' -f 1)"
    echo "# commit: $(git -C "$src" describe --always --dirty --abbrev=40 2>/dev/null || echo unknown)"
    cat "$work"/assumptions.txt
  } > "$work/result.txt"
  mkdir -p "$(dirname "$out")"
  mv "$work/result.txt" "$out"
fi
