# SPDX-License-Identifier: MIT
# GPU runs (config `gpu: true`; default false, where every list below is
# empty and nothing here runs). The build rule then configures with
# -DINFNUM_CUDA=ON; infnum-microbench runs the microbench grid again with
# --device cuda into results/<name>/gpu/<op>.h5, and one figure puts the CPU
# and GPU times per number against batch size side by side (blocks "CPU ..."
# and "GPU ...", drawn with the microbench's own plots/microbench-batch.gp).
# The GPU tests are not pipeline steps: `make gpu-check` (docs/gpu.md).
GPU_ON = bool(config["gpu"]) and config["microbench"]["enabled"]
GPU_BINS = [f"{BIN}/infnum-microbench"] if GPU_ON else []
GPU_OUTPUTS = (
    expand(f"{RES}/gpu/{{op}}.h5", op=config["microbench"]["ops"]) if GPU_ON else []
)
GPU_FIGURES = (
    {"CPU and GPU (CUDA): median time per number against batch size": f"{PLOTS}/gpu-vs-cpu.png"}
    if GPU_ON
    else {}
)
GPU_TABLES = (
    {"GPU (CUDA) microbenchmark at the largest batch size": f"{PLOTS}/gpu/microbench-table.tsv"}
    if GPU_ON
    else {}
)
GPU_TEX = []


rule microbench_gpu:
    input:
        bin=f"{BIN}/infnum-microbench",
    output:
        h5=f"{RES}/gpu/{{op}}.h5",
        params=f"{RES}/gpu/{{op}}.json",
    log:
        f"{LOGS}/gpu/{{op}}.log",
    params:
        json=lambda w: run_params("microbench", ops=[w.op], device="cuda"),
    threads: 1
    shell:
        "(printf '%s\\n' {params.json:q} > {output.params}"
        " && {input.bin} --params {output.params} --threads {threads} --device cuda"
        " --out {output.h5}) > {log} 2>&1"


rule gpu_report:
    input:
        h5=GPU_OUTPUTS,
        tool=REPORT,
    output:
        tsv=[f"{PLOTS}/gpu/microbench-{n}.tsv" for n in ("batch", "terms", "table")],
        tex=[f"{RES}/gpu/tex/microbench-{n}.tex" for n in ("table", "macros")],
    log:
        f"{LOGS}/gpu/report.log",
    params:
        tsv=lambda w, output: os.path.dirname(output.tsv[0]),
        tex=lambda w, output: os.path.dirname(output.tex[0]),
    shell:
        "{input.tool} microbench --tsv-dir {params.tsv} --tex-dir {params.tex} {input.h5} > {log} 2>&1"


# The two batch-size TSVs as one file: every block title gets "CPU " or "GPU ".
rule gpu_vs_cpu_tsv:
    input:
        cpu=f"{PLOTS}/microbench-batch.tsv",
        gpu=f"{PLOTS}/gpu/microbench-batch.tsv",
    output:
        f"{PLOTS}/gpu-vs-cpu.tsv",
    log:
        f"{LOGS}/gpu/gpu-vs-cpu.log",
    shell:
        "(sed 's,^\",\"CPU ,' {input.cpu} && printf '\\n\\n'"
        " && sed 's,^\",\"GPU ,' {input.gpu}) > {output} 2> {log}"


ruleorder: gpu_vs_cpu_plot > plot


rule gpu_vs_cpu_plot:
    input:
        tsv=f"{PLOTS}/gpu-vs-cpu.tsv",
        gp="plots/microbench-batch.gp",
        style="plots/style.gp",
    output:
        svg=f"{PLOTS}/gpu-vs-cpu.svg",
        png=f"{PLOTS}/gpu-vs-cpu.png",
    log:
        f"{LOGS}/plots/gpu-vs-cpu.log",
    shell:
        "gnuplot -e \"style='{input.style}'; infile='{input.tsv}'; svg='{output.svg}'; png='{output.png}'\""
        " {input.gp} > {log} 2>&1"
