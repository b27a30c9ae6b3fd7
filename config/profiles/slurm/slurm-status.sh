#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# slurm-status.sh JOBID — the --cluster-status command of the Slurm profile
# (Snakemake 7): prints exactly one of success, running, failed.
#   squeue (live jobs), then sacct (finished ones): COMPLETED is success;
#   PENDING, RUNNING and the other transient states are running; FAILED,
#   TIMEOUT, CANCELLED, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED, BOOT_FAIL,
#   DEADLINE (and anything else) are failed, so Snakemake reports the job's
#   error instead of waiting for it forever.
#   A job neither command knows (accounting lagging, or switched off) counts
#   as running for INFNUM_SLURM_UNKNOWN_S seconds (default 300), then failed.
# Always exits 0: Snakemake stops the workflow if the status command fails.
id=${1%%;*}
state=$(squeue --noheader --jobs "$id" --format %T 2>/dev/null | head -n 1)
if [ -z "$state" ]; then
  state=$(sacct --noheader --allocations --parsable2 --jobs "$id" --format State 2>/dev/null | head -n 1)
fi
state=${state%% *} # "CANCELLED by 1234"
seen=.snakemake/slurm-status/$id
case $state in
  COMPLETED) echo success ;;
  PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED | REQUEUE_FED | \
    REQUEUE_HOLD | RESIZING | SIGNALING | STAGE_OUT | STOPPED | RESV_DEL_HOLD | POWER_UP_NODE)
    rm -f "$seen"
    echo running ;;
  "")
    mkdir -p "${seen%/*}" 2>/dev/null
    [ -f "$seen" ] || date +%s > "$seen"
    first=$(cat "$seen" 2>/dev/null || date +%s)
    if [ $(($(date +%s) - first)) -ge "${INFNUM_SLURM_UNKNOWN_S:-300}" ]; then
      echo "slurm-status: job $id is unknown to squeue and sacct; counted as failed" >&2
      echo failed
    else
      echo running
    fi ;;
  *)
    echo "slurm-status: job $id ended $state" >&2
    echo failed ;;
esac
exit 0
