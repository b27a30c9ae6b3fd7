#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The experiment binaries and the report tool against a hostile environment:
#   1. a full disk (a small tmpfs when this user may mount one, and always an
#      injected write failure: a file size limit, ulimit -f): exit status 1,
#      a message, no file left (neither OUT.h5 nor OUT.h5.tmp.<pid>);
#   2. SIGINT and SIGTERM mid-run: the temp file is removed;
#   3. --params /dev/zero: refused at once (size cap), exit 2;
#   4. bad arguments caught at parse time (exit 2, before any data is
#      loaded): infnum-cartpole --device cuda, infnum-fmnist out-of-range
#      batch / hidden; an --out directory that does not exist: exit 1 at
#      once (not after the run);
#   5. a result file with a corrupted global heap (where HDF5 keeps its
#      strings): every report subcommand exits 1 with a message, no crash;
#   6. the lock a killed pipeline leaves: removed by tools/unlock-stale.sh
#      (make's recovery), a live run's lock kept.
# Usage: test_hostile.sh BIN_DIR
set -uo pipefail
bin=${1:?usage: test_hostile.sh BIN_DIR}
tmp=$(mktemp -d)
mnt=
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
mb() { "$bin/infnum-microbench" --quiet --set ops=add --set terms=1,4,16 --set batch_sizes=10,100 \
         --set reps=50 --set work=10 "$@"; }

# 1. Full disk.
# expect_full DIR LOG STATUS: status 1, a message in LOG, DIR empty.
expect_full() {
  [ "$3" -eq 1 ] || bad "full disk ($1): status $3, expected 1"
  grep -q "cannot write .*\(No space left\|File too large\)" "$2" || bad "full disk ($1): no message: $(cat "$2")"
  [ -z "$(ls -A "$1")" ] || bad "full disk ($1): left $(ls -A "$1")"
}
mkdir -p "$tmp/fs"
if mount -t tmpfs -o size=64k tmpfs "$tmp/fs" 2>/dev/null; then
  mnt=$tmp/fs
  dd if=/dev/zero of="$mnt/fill" bs=1k count=50 2>/dev/null  # ~14 KiB left: less than the file
  mkdir "$mnt/out"
  mb --out "$mnt/out/r.h5" 2> "$tmp/full.log"; expect_full "$mnt/out" "$tmp/full.log" $?
  dd if=/dev/zero of="$mnt/fill2" bs=1k count=64 2>/dev/null  # completely full
  mb --out "$mnt/out/r.h5" 2> "$tmp/full2.log"; expect_full "$mnt/out" "$tmp/full2.log" $?
  umount "$mnt"; mnt=
  echo "full disk (tmpfs): checked"
else
  echo "full disk (tmpfs): cannot mount here, injected failure only"
fi
mkdir -p "$tmp/lim"
(trap '' XFSZ; ulimit -f 8; mb --out "$tmp/lim/r.h5") 2> "$tmp/lim.log"; expect_full "$tmp/lim" "$tmp/lim.log" $?
echo "full disk (ulimit -f): checked"

# 2. Signals (job control on: background jobs keep the default SIGINT).
set -m
for sig in INT TERM; do
  mkdir -p "$tmp/sig$sig"
  "$bin/infnum-microbench" --quiet --set ops=recip --set terms=16 --set batch_sizes=2000 --set reps=1000 \
    --out "$tmp/sig$sig/k.h5" &
  pid=$!
  for _ in $(seq 100); do [ -e "$tmp/sig$sig/k.h5.tmp.$pid" ] && break; sleep 0.05; done
  [ -e "$tmp/sig$sig/k.h5.tmp.$pid" ] || bad "SIG$sig: no temporary file seen"
  sleep 0.3
  kill -"$sig" "$pid"; wait "$pid" 2>/dev/null
  [ -z "$(ls -A "$tmp/sig$sig")" ] || bad "SIG$sig left $(ls -A "$tmp/sig$sig")"
done
set +m
echo "signals: checked"

# 3.-4. Refused at parse time (exit 2).
expect2() { # LABEL CMD...: status 2 within 20 s
  local label=$1; shift
  timeout 20 "$@" > /dev/null 2> "$tmp/e2.log"; local rc=$?
  [ "$rc" -eq 2 ] || bad "$label: status $rc, expected 2 ($(head -c 300 "$tmp/e2.log"))"
}
expect2 "--params /dev/zero" "$bin/infnum-microbench" --params /dev/zero --out "$tmp/p.h5"
expect2 "cartpole --device cuda" "$bin/infnum-cartpole" --device cuda --out "$tmp/c.h5"
nodata=(--set data=/nonexistent --set verify=false)
expect2 "fmnist batch=0" "$bin/infnum-fmnist" "${nodata[@]}" --set batch=0 --out "$tmp/f.h5"
expect2 "fmnist batch=1e9" "$bin/infnum-fmnist" "${nodata[@]}" --set batch=1000000000 --out "$tmp/f.h5"
expect2 "fmnist hidden=1e12" "$bin/infnum-fmnist" "${nodata[@]}" --set hidden=1000000000000 --out "$tmp/f.h5"
# an --out directory that does not exist: status 1 at once, before the data is read
timeout 20 "$bin/infnum-fmnist" "${nodata[@]}" --out "$tmp/missing/f.h5" 2> "$tmp/e1.log"; rc=$?
[ "$rc" -eq 1 ] && grep -q -- "--out: directory" "$tmp/e1.log" && ! grep -q "fm_idx" "$tmp/e1.log" ||
  bad "fmnist --out in a missing directory: status $rc ($(head -c 300 "$tmp/e1.log"))"
[ -z "$(ls "$tmp"/*.h5* 2>/dev/null)" ] || bad "a refused run left $(ls "$tmp"/*.h5*)"
echo "parse-time checks: checked"

# 5. A corrupted global heap: the first heap object's size made huge.
mb --out "$tmp/good.h5" || bad "microbench run failed"
python3 - "$tmp/good.h5" "$tmp/bad.h5" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
o = d.find(b'GCOL')
assert o >= 0, 'no global heap'
d[o + 16 + 8:o + 16 + 16] = (0x10000007).to_bytes(8, 'little')  # object 1's size
open(sys.argv[2], 'wb').write(d)
PY
mkdir -p "$tmp/rep"
for sub in microbench peers fmnist cartpole; do
  "$bin/infnum-report" "$sub" --tsv-dir "$tmp/rep" --tex-dir "$tmp/rep" "$tmp/bad.h5" 2> "$tmp/r.log"; rc=$?
  [ "$rc" -eq 1 ] && grep -q "corrupt global heap" "$tmp/r.log" || bad "report $sub: status $rc ($(cat "$tmp/r.log"))"
done
"$bin/infnum-report" html --out "$tmp/rep/s.html" --run "$tmp/bad.h5" 2> "$tmp/r.log"; rc=$?
[ "$rc" -eq 1 ] || bad "report html: status $rc"
"$bin/infnum-report" diff "$tmp/good.h5" "$tmp/bad.h5" 2> "$tmp/r.log"; rc=$?
[ "$rc" -eq 1 ] || bad "report diff: status $rc"
[ -z "$(ls -A "$tmp/rep")" ] || bad "report wrote $(ls -A "$tmp/rep")"
echo "corrupted heap: checked"

# 6. Recovery after a killed pipeline: tools/unlock-stale.sh (run by make
# before snakemake) removes a lock no live run holds, and keeps a live one.
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$tmp/wd/.snakemake/locks"
touch "$tmp/wd/.snakemake/locks/0.input.lock"
(cd "$tmp/wd" && exec -a snakemake sleep 30) &
live=$!
sleep 0.3
"$src/tools/unlock-stale.sh" "$tmp/wd" 2> /dev/null
[ -e "$tmp/wd/.snakemake/locks/0.input.lock" ] || bad "unlock-stale removed the lock of a live run"
kill "$live"; wait "$live" 2>/dev/null
"$src/tools/unlock-stale.sh" "$tmp/wd" 2> /dev/null
[ -z "$(ls -A "$tmp/wd/.snakemake/locks")" ] || bad "unlock-stale kept a stale lock"
echo "stale lock: checked"
exit $fail
