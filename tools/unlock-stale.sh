#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Removes snakemake's locks in DIR (default: the repository) when they are
# stale: left by a run that was killed (SIGKILL, a crash, a lost terminal),
# so that no snakemake process works in DIR any more. A lock held by a live
# run is kept (snakemake then refuses to start, as it should). `make` runs
# this before snakemake, so the documented recovery after an interruption
# (run the same command again; --rerun-incomplete redoes unfinished jobs)
# works without a manual `snakemake --unlock`.
set -uo pipefail
dir=$(cd "${1:-$(dirname "$0")/..}" && pwd -P)
locks="$dir/.snakemake/locks"
[ -d "$locks" ] && [ -n "$(ls -A "$locks" 2>/dev/null)" ] || exit 0
for p in /proc/[0-9]*; do
  [ "$p" = "/proc/$$" ] && continue
  cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
  [ "$cwd" = "$dir" ] || continue
  if tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q "snakemake"; then
    exit 0 # a live run holds the lock
  fi
done
echo "removing the stale snakemake lock of a killed run ($locks)" >&2
rm -f "$locks"/*
