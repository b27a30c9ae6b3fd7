# infnum-fmnist: MLPs on Fashion-MNIST with step / sign / round_K
# hidden activations under every estimator, plus the relu baseline.
# Grid: activation × method × lr × seed, method = classical | ste |
# ste_clipped | surrogate (τ) | nonstandard (kernel, σ for each σ in sigmas).
# One run per file: results/<name>/fmnist/<activation>_<method>_lr<lr>_s<seed>.h5.
# The report chooses each setting's lr by validation accuracy (never test).
FM = config["fmnist"]
FM_ON = FM["enabled"]
# Methods: estimators with their settings, e.g. "nonstandard-gaussian-0.5", "surrogate-1".
FM_METHODS = [
    m
    for e in (FM["estimators"] if FM_ON else [])
    for m in (
        [f"nonstandard-{FM['kernel']}-{s:g}" for s in FM["sigmas"]]
        if e == "nonstandard"
        else [f"surrogate-{FM['tau']:g}"] if e == "surrogate" else [e]
    )
]
FM_SETTINGS = (
    [(a, m, FM["hidden"]) for a in FM["activations"] for m in FM_METHODS]
    + ([("relu", "classical", FM["baseline_hidden"])] if FM["baseline_hidden"] else [])
    if FM_ON
    else []
)
FM_KEYS = ("data", "verify", "optimizer", "epochs", "batch", "train_subset", "valid", "test_subset", "threads")
# Run stem -> its parameter JSON (keys of infnum-fmnist only).
FM_RUNS = {
    f"{a}_{m}_lr{lr:g}_s{s}": json.dumps(
        {
            **{k: FM[k] for k in FM_KEYS},
            "activation": a,
            "estimator": m.split("-")[0],
            "hidden": h,
            "lr": lr,
            "seed": s,
            **({"kernel": m.split("-", 2)[1], "sigma": float(m.split("-", 2)[2])} if m.startswith("nonstandard") else {}),
            **({"tau": float(m.split("-", 1)[1])} if m.startswith("surrogate") else {}),
        },
        sort_keys=True,
    )
    for (a, m, h) in FM_SETTINGS
    for lr in FM["lrs"]
    for s in range(config["seed"], config["seed"] + FM["seeds"])
}

FMNIST_BINS = [f"{BIN}/infnum-fmnist"] if FM_ON else []
FMNIST_OUTPUTS = [f"{RES}/fmnist/{r}.h5" for r in FM_RUNS]
FMNIST_FIGURES = (
    {
        "Fashion-MNIST: test accuracy against epoch per hidden activation "
        "(one line per estimator, mean ± std over seeds; relu baseline dashed)": f"{PLOTS}/fmnist-curves.png"
    }
    if FM_ON
    else {}
)
FMNIST_TABLES = (
    {"Fashion-MNIST: final test accuracy (mean ± std over seeds) and time per epoch": f"{PLOTS}/fmnist-table.tsv"}
    if FM_ON
    else {}
)
FMNIST_TEX = [f"{TABLES}/fmnist-table.tex", f"{TABLES}/fmnist-macros.tex"] if FM_ON else []


rule fmnist:
    input:
        bin=f"{BIN}/infnum-fmnist",
    output:
        h5=f"{RES}/fmnist/{{act}}_{{method}}_lr{{lr}}_s{{seed}}.h5",
        params=f"{RES}/fmnist/{{act}}_{{method}}_lr{{lr}}_s{{seed}}.json",
    log:
        f"{LOGS}/fmnist/{{act}}_{{method}}_lr{{lr}}_s{{seed}}.log",
    wildcard_constraints:
        act="step|sign|relu|round_[0-9]+",
        method="[a-z_]+(-[a-z]+)?(-[0-9.e+-]+)?",
        seed="[0-9]+",
    params:
        json=lambda w: FM_RUNS[f"{w.act}_{w.method}_lr{w.lr}_s{w.seed}"],
    threads: FM.get("threads", 1)
    shell:
        "(printf '%s\\n' {params.json:q} > {output.params}"
        " && OPENBLAS_NUM_THREADS={threads} {input.bin} --params {output.params} --threads {threads}"
        " --out {output.h5}) > {log} 2>&1"


rule fmnist_report:
    input:
        h5=FMNIST_OUTPUTS,
        tool=REPORT,
    output:
        tsv=[f"{PLOTS}/fmnist-curves.tsv", f"{PLOTS}/fmnist-curves.layout", f"{PLOTS}/fmnist-table.tsv"],
        tex=FMNIST_TEX,
    log:
        f"{LOGS}/fmnist/report.log",
    params:
        tsv=lambda w, output: os.path.dirname(output.tsv[0]),
        tex=lambda w, output: os.path.dirname(output.tex[0]),
    shell:
        "{input.tool} fmnist --tsv-dir {params.tsv} --tex-dir {params.tex} {input.h5} > {log} 2>&1"
