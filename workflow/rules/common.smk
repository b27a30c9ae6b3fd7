# SPDX-License-Identifier: MIT
# Paths, helpers and the plug-in contract shared by every rule file.
# (Functions only: rules live in the other .smk files.)
#
# Plug-in contract: each experiment file <exp>.smk defines
#   <EXP>_OUTPUTS  list of its HDF5 results (results/<name>/<exp>/<run>.h5)
#   <EXP>_FIGURES  dict caption -> PNG under PLOTS (made by rule plot from
#                  PLOTS/<stem>.tsv and plots/<stem>.gp)
#   <EXP>_TABLES   dict caption -> TSV under PLOTS (shown in the summary HTML)
#   <EXP>_TEX      list of generated .tex files under TABLES (the paper needs them)
#   <EXP>_BINS     binaries under BIN it needs (informational: rule build makes
#                  any BIN/infnum-* on demand, from bin_sources below)
# report.smk collects them for the paper and the summary HTML. Helper
# functions of an experiment go in workflow/rules/<exp>_common.smk (included
# first when present): snakemake --lint flags a file with both def and rule.
import glob
import json
import os
import shlex

import yaml

RES = f"results/{config['name']}"
PLOTS = f"{RES}/plots"
TABLES = f"{RES}/tables"
LOGS = f"{RES}/logs"
BUILD = "build"
BIN = f"{BUILD}/bin"
REPORT = f"{BIN}/infnum-report"



def _files(*dirs):
    return [f for d in dirs for f in glob.glob(f"{d}/**/*", recursive=True) if os.path.isfile(f)]


def bin_sources(binary):
    """The sources binary is built from (its change rebuilds the binary and so
    re-runs what uses it): the CMake files, experiments/common, its own
    directory, the field core and the engine (kernels/ too when gpu is on). A binary with
    no experiments/<exp>/ directory depends on every source."""
    top = ["CMakeLists.txt", "experiments/CMakeLists.txt", "tools/CMakeLists.txt"]
    if binary == "infnum-report":
        return top + _files("tools/report", "experiments/common")
    exp = f"experiments/{binary.replace('infnum-', '', 1)}"
    if not os.path.isdir(exp):
        return top + _files("lib", "engine", "kernels", "experiments", "tools/report")
    gpu = ["kernels"] if config["gpu"] else []
    return top + _files("lib", "engine", "experiments/common", exp, *gpu)


def run_params(section, **extra):
    """The parameter JSON of one run: the config section minus 'enabled' and
    its sub-sections (e.g. microbench.peers), plus the seed and any extra
    keys, as compact JSON (keys sorted)."""
    p = {k: v for k, v in config[section].items() if k != "enabled" and not isinstance(v, dict)}
    p["seed"] = config["seed"]
    p.update(extra)
    return json.dumps(p, sort_keys=True)
