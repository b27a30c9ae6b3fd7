# SPDX-License-Identifier: MIT
# infnum-microbench: one run per op, results/<name>/microbench/<op>.h5;
# with microbench.peers enabled, one run of mode peers,
# results/<name>/peers/peers.h5 (helpers: microbench_common.smk).
MB = config["microbench"]
PEERS_ON = peers_enabled()
PEERS_H5 = f"{RES}/peers/peers.h5"
MICROBENCH_BINS = [f"{BIN}/infnum-microbench"] if MB["enabled"] else []
MICROBENCH_OUTPUTS = (
    expand(f"{RES}/microbench/{{op}}.h5", op=MB["ops"]) if MB["enabled"] else []
) + ([PEERS_H5] if PEERS_ON else [])
MICROBENCH_FIGURES = (
    {
        "Microbenchmark: median time per number against batch size": f"{PLOTS}/microbench-batch.png",
        "Microbenchmark: median time per number against terms per number": f"{PLOTS}/microbench-terms.png",
    }
    if MB["enabled"]
    else {}
) | (
    {
        "Peers: numbers per second against batch size (8 terms), one line per implementation": f"{PLOTS}/peers-batch.png",
        "Peers: numbers per second against terms per number, one line per implementation": f"{PLOTS}/peers-terms.png",
    }
    if PEERS_ON
    else {}
)
MICROBENCH_TABLES = (
    {"Microbenchmark at the largest batch size": f"{PLOTS}/microbench-table.tsv"}
    if MB["enabled"]
    else {}
) | (
    {"Peers: the targets as measured ratios (met, missed or not measured)": f"{PLOTS}/peers-targets.tsv"}
    if PEERS_ON
    else {}
)
MICROBENCH_TEX = (
    [f"{TABLES}/microbench-table.tex", f"{TABLES}/microbench-macros.tex"]
    if MB["enabled"]
    else []
) + (
    [f"{TABLES}/peers-{n}.tex" for n in ("targets", "table", "macros")] if PEERS_ON else []
)


rule microbench:
    input:
        bin=f"{BIN}/infnum-microbench",
    output:
        h5=f"{RES}/microbench/{{op}}.h5",
        params=f"{RES}/microbench/{{op}}.json",
    log:
        f"{LOGS}/microbench/{{op}}.log",
    params:
        json=lambda w: run_params("microbench", ops=[w.op]),
    threads: 1
    shell:
        "(rm -f {output.h5}.tmp.*"  # a killed run's temporary file
        " && printf '%s\\n' {params.json:q} > {output.params}"
        " && {input.bin} --params {output.params} --threads {threads} --out {output.h5}) > {log} 2>&1"


rule microbench_report:
    input:
        h5=expand(f"{RES}/microbench/{{op}}.h5", op=MB.get("ops", [])),
        tool=REPORT,
    output:
        tsv=[f"{PLOTS}/microbench-{n}.tsv" for n in ("batch", "terms", "table")],
        tex=[f"{TABLES}/microbench-{n}.tex" for n in ("table", "macros")],
    log:
        f"{LOGS}/microbench/report.log",
    params:
        tsv=lambda w, output: os.path.dirname(output.tsv[0]),
        tex=lambda w, output: os.path.dirname(output.tex[0]),
    shell:
        "{input.tool} microbench --tsv-dir {params.tsv} --tex-dir {params.tex} {input.h5} > {log} 2>&1"


rule microbench_peers:
    input:
        bin=f"{BIN}/infnum-microbench",
    output:
        h5=PEERS_H5,
        params=f"{RES}/peers/peers.json",
    log:
        f"{LOGS}/peers/peers.log",
    params:
        json=lambda w: peers_params(),
    threads: 2  # infnum-2t
    shell:
        "(rm -f {output.h5}.tmp.*"
        " && printf '%s\\n' {params.json:q} > {output.params}"
        " && {input.bin} --params {output.params} --threads {threads} --out {output.h5}) > {log} 2>&1"


rule microbench_peers_report:
    input:
        h5=PEERS_H5,
        tool=REPORT,
    output:
        tsv=[f"{PLOTS}/peers-{n}.tsv" for n in ("batch", "terms", "targets")],
        tex=[f"{TABLES}/peers-{n}.tex" for n in ("targets", "table", "macros")],
    log:
        f"{LOGS}/peers/report.log",
    params:
        tsv=lambda w, output: os.path.dirname(output.tsv[0]),
        tex=lambda w, output: os.path.dirname(output.tex[0]),
    shell:
        "{input.tool} peers --tsv-dir {params.tsv} --tex-dir {params.tex} {input.h5} > {log} 2>&1"
