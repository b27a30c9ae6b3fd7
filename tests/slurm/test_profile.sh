#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_profile.sh REPO WORK — the Slurm profile (config/profiles/slurm,
# Snakemake 7) against fake sbatch/squeue/sacct/scancel (tests/slurm/fake):
#  1. a workflow whose job "killed" the scheduler kills (TIMEOUT): Snakemake
#     reports the error in that rule and exits non-zero, within LIMIT s;
#  2. the same workflow without the killed job: exit 0, every output there.
# Both check what reached sbatch: account and partition from the profile's
# default-resources, per-rule memory from set-resources, the local rule not
# submitted.
set -uo pipefail
repo=$(cd "$1" && pwd) work=$2
here=$repo/tests/slurm
LIMIT=${LIMIT:-180}
fail=0
ko() { echo "FAIL: $*"; fail=1; }
rm -rf "$work" && mkdir -p "$work/wf" || exit 1
cp -r "$repo/config/profiles/slurm" "$work/profile"
# Profile settings a site would make: account, partition, one rule's memory.
sed -i -e 's/^  # - slurm_account=.*/  - slurm_account=acct/' \
       -e 's/^  # - slurm_partition=.*/  - slurm_partition=part/' \
       -e 's/^set-resources:$/set-resources:\n  - ok:mem_mb=1234/' "$work/profile/config.yaml"
cp "$here/Snakefile" "$work/wf/Snakefile"
export PATH=$here/fake:$PATH

run() { # run NAME KILL [targets...]: snakemake under the profile; sets rc, secs
  local name=$1 kill=$2
  shift 2
  export FAKE_SLURM=$work/$name-slurm FAKE_SLURM_KILL=$kill
  local t0=$SECONDS
  (cd "$work/wf" && timeout -k 15 "$LIMIT" snakemake --profile "$work/profile" --latency-wait 5 "$@") \
    > "$work/$name.log" 2>&1
  rc=$? secs=$((SECONDS - t0))
  echo "$name: snakemake exited $rc after $secs s"
}

# 1. The killed job.
run killed killed
{ [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; } && ko "snakemake still waiting after ${LIMIT} s (killed job not noticed)"
[ "$rc" -ne 0 ] || ko "snakemake exited 0 although job 'killed' was killed"
grep -q "Error in rule killed" "$work/killed.log" || ko "no 'Error in rule killed' in the log"
grep -q "^TIMEOUT" "$work/killed-slurm/"*.state 2>/dev/null || ko "the fake scheduler killed nothing"
[ -f "$work/wf/out/ok.txt" ] || ko "out/ok.txt missing: job 'ok' did not complete"
[ ! -f "$work/wf/out/summary.txt" ] || ko "out/summary.txt exists although its input failed"
log=$work/killed-slurm/sbatch.log
grep -q -- "--job-name=infnum-ok .*--mem=1234 " "$log" || ko "set-resources ok:mem_mb=1234 did not reach sbatch"
grep -q -- "--job-name=infnum-killed .*--mem=4000 --time=120 --account=acct --partition=part" "$log" ||
  ko "default-resources (mem_mb, runtime, slurm_account, slurm_partition) did not reach sbatch"
grep -q -- "infnum-local_note\|infnum-all\|infnum-summary" "$log" && ko "a local rule was submitted to sbatch"

# 2. Nothing killed: success.
rm -rf "$work/wf/out" "$work/wf/.snakemake"
run ok none out/ok.txt out/local.txt
[ "$rc" -eq 0 ] || ko "snakemake exited $rc on a workflow whose jobs all complete"
[ -f "$work/wf/out/ok.txt" ] && [ -f "$work/wf/out/local.txt" ] || ko "outputs missing after a successful run"

if [ "$fail" -ne 0 ]; then
  for l in "$work"/*.log; do echo "---- $l"; tail -n 40 "$l"; done
  exit 1
fi
echo "test_profile: a killed job fails the workflow; a clean run succeeds; profile settings reach sbatch"
