# infnum-cartpole: CartPole-v1 with a hard-argmax policy, trained by
# reinforce, es, straight_through and nonstandard under one budget of
# environment steps. Grid: estimator × policy × sweep setting (lr, sigma) ×
# seed; one run per file:
#   results/<name>/cartpole/<estimator>_<policy>_lr<lr>_sg<sigma>_s<seed>.h5
# The report picks each (estimator, policy)'s best setting by the area under
# its mean learning curve (docs/cartpole.md).
CP = config["cartpole"]
CP_ON = CP["enabled"]
CP_KEYS = ("hidden", "budget", "eval_every", "eval_episodes", "init_std", "gamma", "kernel")
# Run stem -> its parameter JSON (keys of infnum-cartpole only).
CP_RUNS = {
    f"{e}_{p}_lr{s['lr']:g}_sg{s['sigma']:g}_s{seed}": json.dumps(
        {
            **{k: CP[k] for k in CP_KEYS},
            "estimator": e,
            "policy": p,
            "lr": s["lr"],
            "sigma": s["sigma"],
            "batch": CP["batch"][e],
            "seed": seed,
        },
        sort_keys=True,
    )
    for e in (CP["estimators"] if CP_ON else [])
    for p in CP["policies"]
    for s in CP["sweep"][e]
    for seed in range(config["seed"], config["seed"] + CP["seeds"])
}

CARTPOLE_BINS = [f"{BIN}/infnum-cartpole"] if CP_ON else []
CARTPOLE_OUTPUTS = [f"{RES}/cartpole/{r}.h5" for r in CP_RUNS]
CARTPOLE_FIGURES = (
    {
        "CartPole-v1, hard-argmax policies: greedy return (mean of the evaluation episodes) "
        "against environment steps, best setting per estimator, mean and min-max over seeds": f"{PLOTS}/cartpole-curves.png",
        "CartPole-v1: greedy return against training wall time (mean over seeds)": f"{PLOTS}/cartpole-wall.png",
    }
    if CP_ON
    else {}
)
CARTPOLE_TABLES = (
    {
        "CartPole-v1: best setting per estimator and policy (seeds reaching 475, median "
        "environment steps to 475, final greedy return, training time)": f"{PLOTS}/cartpole-table.tsv",
        "CartPole-v1: every setting of the sweep": f"{PLOTS}/cartpole-sweep.tsv",
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
        h5=f"{RES}/cartpole/{{est}}_{{policy}}_lr{{lr}}_sg{{sigma}}_s{{seed}}.h5",
        params=f"{RES}/cartpole/{{est}}_{{policy}}_lr{{lr}}_sg{{sigma}}_s{{seed}}.json",
    log:
        f"{LOGS}/cartpole/{{est}}_{{policy}}_lr{{lr}}_sg{{sigma}}_s{{seed}}.log",
    wildcard_constraints:
        est="reinforce|es|straight_through|nonstandard",
        policy="linear|mlp",
        lr="[0-9.e+-]+",
        sigma="[0-9.e+-]+",
        seed="[0-9]+",
    params:
        json=lambda w: CP_RUNS[f"{w.est}_{w.policy}_lr{w.lr}_sg{w.sigma}_s{w.seed}"],
    threads: 1
    shell:
        "(printf '%s\\n' {params.json:q} > {output.params}"
        " && {input.bin} --params {output.params} --out {output.h5}) > {log} 2>&1"


rule cartpole_report:
    input:
        h5=CARTPOLE_OUTPUTS,
        tool=REPORT,
    output:
        tsv=[f"{PLOTS}/cartpole-{n}.tsv" for n in ("curves", "wall", "table", "sweep")],
        tex=CARTPOLE_TEX,
    log:
        f"{LOGS}/cartpole/report.log",
    params:
        tsv=lambda w, output: os.path.dirname(output.tsv[0]),
        tex=lambda w, output: os.path.dirname(output.tex[0]),
    shell:
        "{input.tool} cartpole --tsv-dir {params.tsv} --tex-dir {params.tex} {input.h5} > {log} 2>&1"
