# SPDX-License-Identifier: MIT
# infnum-cartpole: CartPole-v1 with a hard-argmax policy, trained by each
# estimator under one budget of environment steps, in three phases:
#   tune:  estimator × policy × setting k of its sweep × tuning seed
#   eval:  estimator × policy × evaluation seed, at the setting chosen on the
#          tuning runs (infnum-report cartpole --choose: area under the mean
#          learning curve); the evaluation seeds are disjoint from the tuning ones
#   death: kernel estimators on one policy with a fixed kernel width and with
#          the width tied to the logit scale (the kernel-death figure)
# One run per file: results/<name>/cartpole/<phase>/<run>.h5 (docs/cartpole.md).
CP = config["cartpole"]
CP_ON = CP["enabled"]
CP_KEYS = ("hidden", "budget", "eval_every", "eval_episodes", "init_std", "gamma", "kernel",
           "sigma_scale", "value_hidden", "lam", "epochs", "minibatch", "max_flips")
CP_EST = CP["estimators"] if CP_ON else []
CP_TUNE_SEEDS = range(config["seed"], config["seed"] + CP.get("tuning_seeds", 0))
CP_EVAL_SEEDS = range(CP.get("eval_seed_base", 0), CP.get("eval_seed_base", 0) + CP.get("eval_seeds", 0))


# Parameter JSON of one run (keys of infnum-cartpole only).
cp_params = lambda est, policy, setting, seed, phase, **extra: json.dumps(
    {
        **{k: CP[k] for k in CP_KEYS},
        "estimator": est,
        "policy": policy,
        "lr": setting["lr"],
        "sigma": setting["sigma"],
        "batch": CP["batch"][est],
        "seed": seed,
        "phase": phase,
        **extra,
    },
    sort_keys=True,
)

CP_RUNS = {
    "tune": {
        f"{e}_{p}_k{k}_s{seed}": cp_params(e, p, s, seed, "tuning")
        for e in CP_EST
        for p in CP["policies"]
        for k, s in enumerate(CP["sweep"][e])
        for seed in CP_TUNE_SEEDS
    },
    # lr and sigma are replaced by the chosen setting's when the run starts
    "eval": {
        f"{e}_{p}_s{seed}": cp_params(e, p, CP["sweep"][e][0], seed, "eval")
        for e in CP_EST
        for p in CP["policies"]
        for seed in CP_EVAL_SEEDS
    },
    "death": {
        f"{e}_{scale}_s{seed}": cp_params(
            e, CP["death"]["policy"], {"lr": CP["death"]["lr"], "sigma": CP["death"]["sigma"][scale]},
            seed, "death", sigma_scale=scale,
        )
        for e in (CP["death"]["estimators"] if CP_ON else [])
        for scale in ("fixed", "logit")
        for seed in list(CP_EVAL_SEEDS)[: CP["death"]["seeds"]]
    },
}

CARTPOLE_BINS = [f"{BIN}/infnum-cartpole"] if CP_ON else []
CARTPOLE_OUTPUTS = [f"{RES}/cartpole/{ph}/{r}.h5" for ph in CP_RUNS for r in CP_RUNS[ph]]
CARTPOLE_FIGURES = (
    {
        "CartPole-v1, hard-argmax policies: greedy return (mean of the evaluation episodes) "
        "against environment steps at the chosen setting, mean and interquartile band over the "
        "evaluation seeds": f"{PLOTS}/cartpole-curves.png",
        "CartPole-v1: greedy return against training wall time (mean over the evaluation seeds)": f"{PLOTS}/cartpole-wall.png",
        "CartPole-v1: greedy return of every evaluation seed": f"{PLOTS}/cartpole-seeds.png",
        "CartPole-v1: kernel death (fraction of the training decisions with kernel density "
        "below 1e-10 of its peak), fixed width against width tied to the logit scale": f"{PLOTS}/cartpole-death.png",
    }
    if CP_ON
    else {}
)
CARTPOLE_TABLES = (
    {
        "CartPole-v1: chosen setting per estimator and policy (seeds reaching 475, median "
        "steps to 475, IQM and mean of the final return with bootstrap 95% intervals)": f"{PLOTS}/cartpole-table.tsv",
        "CartPole-v1: every tuning setting": f"{PLOTS}/cartpole-sweep.tsv",
    }
    if CP_ON
    else {}
)
CARTPOLE_TEX = (
    [f"{TABLES}/cartpole-table.tex", f"{TABLES}/cartpole-sweep.tex", f"{TABLES}/cartpole-macros.tex"]
    if CP_ON
    else []
)


rule cartpole:
    input:
        bin=f"{BIN}/infnum-cartpole",
    output:
        h5=f"{RES}/cartpole/{{phase}}/{{run}}.h5",
        params=f"{RES}/cartpole/{{phase}}/{{run}}.json",
    log:
        f"{LOGS}/cartpole/{{phase}}/{{run}}.log",
    wildcard_constraints:
        phase="tune|death",
        run="[a-z_]+_[a-z0-9_]+",
    params:
        json=lambda w: CP_RUNS[w.phase][w.run],
    threads: 1
    shell:
        "(printf '%s\\n' {params.json:q} > {output.params}"
        " && {input.bin} --params {output.params} --out {output.h5} --quiet) > {log} 2>&1"


rule cartpole_eval:
    input:
        bin=f"{BIN}/infnum-cartpole",
        # the choice depends on the tuning results, not on when the tool was built
        tool=ancient(REPORT),
        tune=lambda w: [
            f"{RES}/cartpole/tune/{r}.h5" for r in CP_RUNS["tune"] if r.startswith(f"{w.est}_{w.policy}_k")
        ],
    output:
        h5=f"{RES}/cartpole/eval/{{est}}_{{policy}}_s{{seed}}.h5",
        params=f"{RES}/cartpole/eval/{{est}}_{{policy}}_s{{seed}}.json",
    log:
        f"{LOGS}/cartpole/eval/{{est}}_{{policy}}_s{{seed}}.log",
    wildcard_constraints:
        est="reinforce|ppo|es|straight_through|kernel|decision_flip",
        policy="linear|mlp",
        seed="[0-9]+",
    params:
        json=lambda w: CP_RUNS["eval"][f"{w.est}_{w.policy}_s{w.seed}"],
    threads: 1
    shell:
        "({input.tool} cartpole --choose {params.json:q} {output.params} {input.tune}"
        " && {input.bin} --params {output.params} --out {output.h5} --quiet) > {log} 2>&1"


rule cartpole_report:
    input:
        h5=CARTPOLE_OUTPUTS,
        tool=REPORT,
    output:
        tsv=[f"{PLOTS}/cartpole-{n}.tsv" for n in ("curves", "wall", "seeds", "death", "table", "sweep")],
        tex=CARTPOLE_TEX,
    log:
        f"{LOGS}/cartpole/report.log",
    params:
        tsv=lambda w, output: os.path.dirname(output.tsv[0]),
        tex=lambda w, output: os.path.dirname(output.tex[0]),
    shell:
        "{input.tool} cartpole --tsv-dir {params.tsv} --tex-dir {params.tex} {input.h5} > {log} 2>&1"
