#!/usr/bin/env bash
# Builds the Coq development of SRC (paper/proof) in a fresh copy WORK and
# checks the axioms of its main theorems (make check). Prints the output of
# Print Assumptions. Usage: check_coq.sh SRC WORK
set -euo pipefail
src=$1 work=$2
if ! command -v coqc > /dev/null; then
  echo "coqc not found: install the packages coq and libcoq-coquelicot (tools/install-deps.sh)" >&2
  exit 1
fi
rm -rf "$work"
mkdir -p "$work"
cp "$src"/*.v "$src"/Makefile "$src"/check-assumptions.sh "$src"/expected-axioms.txt "$work"/
make -s -C "$work" check
cat "$work"/assumptions.txt
