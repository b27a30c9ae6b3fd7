#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Submits one Snakemake job script to Slurm (Snakemake 7 --cluster command
of this profile) and prints the job id for slurm-status.sh.

Everything comes from the job's properties, which Snakemake writes into the
script ("# properties = {...}"): the rule (job name), threads
(--cpus-per-task) and the resources, all set in the profile (config.yaml:
default-resources for every rule, set-resources per rule) or in the rule:
  mem_mb          --mem (MB)
  runtime         --time (minutes)
  slurm_account   --account    (unset: Slurm's default account)
  slurm_partition --partition  (unset: Slurm's default partition)
  slurm_extra     further sbatch options, e.g. "--qos=long --gres=gpu:1"
The job's output goes to .snakemake/slurm-logs/<rule>-<jobid>.out.
"""
import json
import os
import re
import shlex
import subprocess
import sys


def properties(jobscript):
    with open(jobscript, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^# properties = (.*)$", line)
            if m:
                return json.loads(m.group(1))
    sys.exit(f"slurm-submit: no '# properties =' line in {jobscript}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: slurm-submit.py JOBSCRIPT (the --cluster command of the Slurm profile)")
    jobscript = sys.argv[1]
    props = properties(jobscript)
    res = props.get("resources", {})
    name = props.get("rule") or props.get("groupid") or "group"
    logs = os.path.join(".snakemake", "slurm-logs")
    os.makedirs(logs, exist_ok=True)
    cmd = ["sbatch", "--parsable", f"--job-name=infnum-{name}",
           f"--output={logs}/{name}-%j.out",
           f"--cpus-per-task={props.get('threads', 1)}"]
    if res.get("mem_mb"):
        cmd.append(f"--mem={res['mem_mb']}")
    if res.get("runtime"):
        cmd.append(f"--time={res['runtime']}")
    for key, opt in (("slurm_account", "--account"), ("slurm_partition", "--partition")):
        if res.get(key) not in (None, "", "none"):
            cmd.append(f"{opt}={res[key]}")
    cmd += shlex.split(str(res.get("slurm_extra", "")))
    cmd.append(jobscript)
    out = subprocess.run(cmd, stdout=subprocess.PIPE, universal_newlines=True)
    if out.returncode != 0:
        sys.exit(f"slurm-submit: sbatch failed ({out.returncode}): {' '.join(cmd)}")
    jobid = out.stdout.strip().split(";")[0]
    if not jobid.isdigit():
        sys.exit(f"slurm-submit: sbatch printed {out.stdout!r}, not a job id")
    print(jobid)


if __name__ == "__main__":
    main()
