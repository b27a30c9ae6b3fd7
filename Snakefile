# SPDX-License-Identifier: MIT
# infnum: the reproducible pipeline. Thin: the rules live in workflow/rules/.
#   snakemake --cores 2                                 config/default.yaml
#   snakemake --cores 2 --configfile config/test.yaml   seconds (CI)
#   snakemake --profile config/profiles/local           threads/resources
# Results: results/<name>/ (docs/results-format.md). Snakemake 7 syntax.
from snakemake.utils import min_version, validate

min_version("7.0")

# config/default.yaml unless --configfile names another; --config k=v
# overrides either.
if not workflow.overwrite_configfiles:

    configfile: "config/default.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


# The software is Debian 12's, installed on the host by tools/install-deps.sh
# (how the pipeline normally runs). This names that base image for
# --use-singularity users, who build an image from it with
# tools/install-deps.sh run inside; the bare image lacks the packages.
container: "docker://debian:12"


include: "workflow/rules/common.smk"


# Optional helper functions of an experiment (snakemake --lint wants functions
# and rules in separate files): workflow/rules/<exp>_common.smk.
for _exp in ("microbench", "fmnist", "cartpole", "gpu"):
    if os.path.exists(f"workflow/rules/{_exp}_common.smk"):

        include: f"workflow/rules/{_exp}_common.smk"


include: "workflow/rules/microbench.smk"
include: "workflow/rules/fmnist.smk"
include: "workflow/rules/cartpole.smk"
include: "workflow/rules/gpu.smk"
include: "workflow/rules/build.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/proof.smk"


# Cheap rules run on the submitting host even under a cluster profile (the
# builds, reports, plots, the paper, the HTML); only the experiment runs are
# sent to the scheduler. A new cheap rule belongs here.
localrules:
    all,
    build,
    resolved_config,
    config_tables,
    plot,
    paper,
    proof,
    summary_html,
    microbench_report,
    microbench_peers_report,
    fmnist_choose,
    fmnist_report,
    cartpole_report,
    gpu_report,
    gpu_vs_cpu_tsv,
    gpu_vs_cpu_plot,


# The results are targets themselves: deleting one re-runs it and what uses it.
rule all:
    input:
        ALL_OUTPUTS,
        PROOF_OUTPUTS,
        PAPER_PDF,
        SUMMARY_HTML,
        [p.replace(".png", ".svg") for p in ALL_FIGURES.values()],
    default_target: True
