# infnum-microbench: one run per op, results/<name>/microbench/<op>.h5.
MB = config["microbench"]
MICROBENCH_BINS = [f"{BIN}/infnum-microbench"] if MB["enabled"] else []
MICROBENCH_OUTPUTS = (
    expand(f"{RES}/microbench/{{op}}.h5", op=MB["ops"]) if MB["enabled"] else []
)
MICROBENCH_FIGURES = (
    {
        "Microbenchmark: median time per number against batch size": f"{PLOTS}/microbench-batch.png",
        "Microbenchmark: median time per number against terms per number": f"{PLOTS}/microbench-terms.png",
    }
    if MB["enabled"]
    else {}
)
MICROBENCH_TABLES = (
    {"Microbenchmark at the largest batch size": f"{PLOTS}/microbench-table.tsv"}
    if MB["enabled"]
    else {}
)
MICROBENCH_TEX = (
    [f"{TABLES}/microbench-table.tex", f"{TABLES}/microbench-macros.tex"]
    if MB["enabled"]
    else []
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
        h5=MICROBENCH_OUTPUTS,
        tool=REPORT,
    output:
        tsv=[f"{PLOTS}/microbench-{n}.tsv" for n in ("batch", "terms", "table")],
        tex=MICROBENCH_TEX,
    log:
        f"{LOGS}/microbench/report.log",
    params:
        tsv=lambda w, output: os.path.dirname(output.tsv[0]),
        tex=lambda w, output: os.path.dirname(output.tex[0]),
    shell:
        "{input.tool} microbench --tsv-dir {params.tsv} --tex-dir {params.tex} {input.h5} > {log} 2>&1"
