# SPDX-License-Identifier: MIT
# infnum-fmnist: MLPs on Fashion-MNIST with jump activations (step, sign,
# round_K) under every method, plus the relu baseline, by one protocol:
#   tuning      each method gets the same number of settings: tune_lrs ×
#               widths (its own width as a standard deviation: kernel and
#               composite σ, surrogate and relaxation τ = w·√3/π), or, for
#               methods without a width, free_lrs (as many learning rates);
#               tune_seeds runs per setting (seeds 1000+), tune_epochs each,
#               chosen on the validation split (tuning runs never read the
#               test set):   results/<name>/fmnist/tune/<net>_<act>_<method>_<k>_s<seed>.h5
#   choice      infnum-report fmnist --choose: results/<name>/fmnist/chosen/<net>_<act>_<method>.json
#   evaluation  eval_seeds fresh seeds seed .. seed+eval_seeds−1 at the chosen
#               setting, the same seeds for every method (paired: the same
#               initialisation and shuffling): results/<name>/fmnist/eval/..._s<seed>.h5
# The gradient-fidelity study (infnum-fmnist-fidelity) adds its own file.
FM = config["fmnist"]
FM_ON = FM["enabled"]
FM_KEYS = ("data", "verify", "optimizer", "batch", "train_subset", "valid", "test_subset", "threads")
# (network, activation, method) groups; the relu baseline is method "classical" on act relu.
FM_GROUPS = (
    [(n, a, m) for n in FM["networks"] for a in FM["activations"] for m in FM["methods"]]
    + ([(n, "relu", "classical") for n in FM["networks"]] if FM["baseline"] else [])
    if FM_ON
    else []
)
if FM_ON and any(len(fm_settings(m)) != len(fm_settings("kernel")) for m in FM["methods"]):
    raise ValueError("fmnist: free_lrs must have len(tune_lrs)·len(widths) entries (the same budget)")
FM_GROUP_METHOD = {f"{n}_{a}_{m}": m for (n, a, m) in FM_GROUPS}
FM_TUNE_SEEDS = range(1000, 1000 + FM["tune_seeds"]) if FM_ON else []
FM_EVAL_SEEDS = range(config["seed"], config["seed"] + FM["eval_seeds"]) if FM_ON else []
# Tuning run stem -> its parameter JSON.
FM_TUNE = {
    f"{n}_{a}_{m}_{k}_s{s}": json.dumps(
        {
            **{key: FM[key] for key in FM_KEYS},
            **fm_method_params(m, w),
            "activation": a,
            "hidden": FM["networks"][n],
            "lr": lr,
            "seed": s,
            "epochs": FM["tune_epochs"],
            "role": "tune",
        },
        sort_keys=True,
    )
    for (n, a, m) in FM_GROUPS
    for k, (lr, w) in enumerate(fm_settings(m))
    for s in FM_TUNE_SEEDS
}
FM_EVAL = [f"{n}_{a}_{m}_s{s}" for (n, a, m) in FM_GROUPS for s in FM_EVAL_SEEDS]
FID = config["fmnist"].get("fidelity", {"enabled": False})
FID_ON = FM_ON and FID["enabled"]
FID_H5 = [f"{RES}/fmnist/fidelity.h5"] if FID_ON else []

FMNIST_BINS = [f"{BIN}/infnum-fmnist"] + ([f"{BIN}/infnum-fmnist-fidelity"] if FID_ON else []) if FM_ON else []
FMNIST_OUTPUTS = (
    [f"{RES}/fmnist/tune/{r}.h5" for r in FM_TUNE] + [f"{RES}/fmnist/eval/{r}.h5" for r in FM_EVAL] + FID_H5
)
FMNIST_FIGURES = (
    {
        "Fashion-MNIST: test accuracy against epoch per hidden activation and network "
        "(one line per method at its chosen setting, mean ± std over evaluation seeds; relu dashed)": f"{PLOTS}/fmnist-curves.png",
        "Fashion-MNIST: test accuracy against training wall-clock time (means over seeds)": f"{PLOTS}/fmnist-wall.png",
    }
    if FM_ON
    else {}
)
if FID_ON:
    FMNIST_FIGURES.update(
        {
            "Gradient fidelity: cosine similarity to the Monte Carlo gradient of the noise-smoothed loss "
            "against sigma, per estimator and depth": f"{PLOTS}/fmnist-fidelity.png",
            "Distance of first-layer pre-activations to the nearest breakpoint, |u-b|/sigma, over training": f"{PLOTS}/fmnist-hist.png",
        }
    )
FMNIST_TABLES = (
    {
        "Fashion-MNIST: final test accuracy per method at its chosen setting (mean, bootstrap 95% CI, "
        "paired difference against ste)": f"{PLOTS}/fmnist-table.tsv",
        "Fashion-MNIST: every tuning setting and its validation accuracy (chosen marked)": f"{PLOTS}/fmnist-settings.tsv",
    }
    if FM_ON
    else {}
)
FMNIST_TEX = (
    [f"{TABLES}/fmnist-table.tex", f"{TABLES}/fmnist-settings.tex", f"{TABLES}/fmnist-macros.tex"]
    + ([f"{TABLES}/fmnist-fidelity.tex"] if FID_ON else [])
    if FM_ON
    else []
)


rule fmnist_tune:
    input:
        bin=f"{BIN}/infnum-fmnist",
    output:
        h5=f"{RES}/fmnist/tune/{{run}}.h5",
        params=f"{RES}/fmnist/tune/{{run}}.json",
    log:
        f"{LOGS}/fmnist/tune/{{run}}.log",
    params:
        json=lambda w: FM_TUNE[w.run],
    threads: FM.get("threads", 1)
    shell:
        "(printf '%s\\n' {params.json:q} > {output.params}"
        " && OPENBLAS_NUM_THREADS={threads} {input.bin} --params {output.params} --threads {threads}"
        " --out {output.h5}) > {log} 2>&1"


rule fmnist_choose:
    input:
        h5=lambda w: [
            f"{RES}/fmnist/tune/{w.group}_{k}_s{s}.h5"
            for k in range(len(fm_settings(FM_GROUP_METHOD[w.group])))
            for s in FM_TUNE_SEEDS
        ],
        tool=REPORT,
    output:
        f"{RES}/fmnist/chosen/{{group}}.json",
    log:
        f"{LOGS}/fmnist/chosen/{{group}}.log",
    shell:
        "{input.tool} fmnist --choose {output} {input.h5} > {log} 2>&1"


rule fmnist_eval:
    input:
        bin=f"{BIN}/infnum-fmnist",
        chosen=f"{RES}/fmnist/chosen/{{group}}.json",
    output:
        h5=f"{RES}/fmnist/eval/{{group}}_s{{seed}}.h5",
    log:
        f"{LOGS}/fmnist/eval/{{group}}_s{{seed}}.log",
    wildcard_constraints:
        seed="[0-9]+",
    params:
        epochs=FM.get("epochs", 1),
    threads: FM.get("threads", 1)
    shell:
        "OPENBLAS_NUM_THREADS={threads} {input.bin} --params {input.chosen} --seed {wildcards.seed}"
        " --set epochs={params.epochs} --threads {threads} --out {output.h5} > {log} 2>&1"


rule fmnist_fidelity:
    input:
        bin=f"{BIN}/infnum-fmnist-fidelity",
    output:
        h5=f"{RES}/fmnist/fidelity.h5",
        params=f"{RES}/fmnist/fidelity.json",
    log:
        f"{LOGS}/fmnist/fidelity.log",
    params:
        json=lambda w: json.dumps(
            {**{k: v for k, v in FID.items() if k != "enabled"}, "data": FM["data"], "verify": FM["verify"]},
            sort_keys=True,
        ),
        seed=config["seed"],
    threads: FM.get("threads", 1)
    shell:
        "(printf '%s\\n' {params.json:q} > {output.params}"
        " && OPENBLAS_NUM_THREADS={threads} {input.bin} --params {output.params} --threads {threads}"
        " --seed {params.seed} --out {output.h5}) > {log} 2>&1"


rule fmnist_report:
    input:
        h5=[f"{RES}/fmnist/tune/{r}.h5" for r in FM_TUNE] + [f"{RES}/fmnist/eval/{r}.h5" for r in FM_EVAL],
        fid=FID_H5,
        tool=REPORT,
    output:
        tsv=[f"{PLOTS}/fmnist-curves.tsv", f"{PLOTS}/fmnist-curves.layout", f"{PLOTS}/fmnist-wall.tsv",
             f"{PLOTS}/fmnist-table.tsv", f"{PLOTS}/fmnist-settings.tsv"]
        + ([f"{PLOTS}/fmnist-fidelity.tsv", f"{PLOTS}/fmnist-hist.tsv"] if FID_ON else []),
        tex=FMNIST_TEX,
    log:
        f"{LOGS}/fmnist/report.log",
    params:
        tsv=lambda w, output: os.path.dirname(output.tsv[0]),
        tex=lambda w, output: os.path.dirname(output.tex[0]),
        fid=lambda w, input: f"--fidelity {input.fid[0]}" if input.fid else "",
    shell:
        "{input.tool} fmnist {params.fid} --tsv-dir {params.tsv} --tex-dir {params.tex} {input.h5} > {log} 2>&1"
