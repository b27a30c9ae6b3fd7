# SPDX-License-Identifier: MIT
# Figures (gnuplot), the paper (latexmk) and the summary HTML, from every
# experiment's outputs (contract: common.smk).
ALL_OUTPUTS = MICROBENCH_OUTPUTS + FMNIST_OUTPUTS + CARTPOLE_OUTPUTS + GPU_OUTPUTS
ALL_FIGURES = {**MICROBENCH_FIGURES, **FMNIST_FIGURES, **CARTPOLE_FIGURES, **GPU_FIGURES}
ALL_TABLES = {**MICROBENCH_TABLES, **FMNIST_TABLES, **CARTPOLE_TABLES, **GPU_TABLES}
ALL_TEX = MICROBENCH_TEX + FMNIST_TEX + CARTPOLE_TEX + GPU_TEX
CONFIG_TEX = [f"{TABLES}/config-{s}.tex" for s in ("microbench", "peers", "fmnist", "cartpole", "macros")]
PAPER_PDF = f"{RES}/paper/main.pdf"
SUMMARY_HTML = f"{RES}/summary.html"


rule plot:
    input:
        tsv=f"{PLOTS}/{{stem}}.tsv",
        gp="plots/{stem}.gp",
        style="plots/style.gp",
    output:
        svg=f"{PLOTS}/{{stem}}.svg",
        png=f"{PLOTS}/{{stem}}.png",
    log:
        f"{LOGS}/plots/{{stem}}.log",
    shell:
        "gnuplot -e \"style='{input.style}'; infile='{input.tsv}'; svg='{output.svg}'; png='{output.png}'\""
        " {input.gp} > {log} 2>&1"


rule resolved_config:
    output:
        f"{RES}/config.yaml",
    log:
        f"{LOGS}/config.log",
    params:
        text=lambda w: yaml.safe_dump(dict(config), sort_keys=False),
    shell:
        "printf '%s' {params.text:q} > {output} 2> {log}"


rule config_tables:
    input:
        config=f"{RES}/config.yaml",
        script="paper/config_tables.py",
    output:
        CONFIG_TEX,
    log:
        f"{LOGS}/config_tables.log",
    params:
        outdir=lambda w, output: os.path.dirname(output[0]),
    shell:
        "python3 {input.script} --out-dir {params.outdir} {input.config} > {log} 2>&1"


rule paper:
    input:
        main="paper/main.tex",
        sections=sorted(glob.glob("paper/sections/*.tex")),
        bib="paper/refs.bib",
        tex=ALL_TEX,
        config_tex=CONFIG_TEX,
        figures=list(ALL_FIGURES.values()),
    output:
        pdf=PAPER_PDF,
    log:
        f"{LOGS}/paper.log",
    params:
        outdir=lambda w, output: os.path.dirname(output.pdf),
        tables=lambda w, input: os.path.abspath(TABLES),
        plots=lambda w, input: os.path.abspath(PLOTS),
        paper=lambda w, input: os.path.abspath(os.path.dirname(input.main)),
    shell:
        "TEXINPUTS={params.paper}//:{params.tables}//:{params.plots}//: BIBINPUTS={params.paper}: "
        "latexmk -pdf -interaction=nonstopmode -halt-on-error -output-directory={params.outdir} "
        "{input.main} > {log} 2>&1"


rule summary_html:
    input:
        tool=REPORT,
        figures=list(ALL_FIGURES.values()),
        tables=list(ALL_TABLES.values()),
        runs=ALL_OUTPUTS,
        config=f"{RES}/config.yaml",
    output:
        SUMMARY_HTML,
    log:
        f"{LOGS}/summary.log",
    params:
        args=lambda w, input: " ".join(
            [f"--figure {shlex.quote(c + '=' + p)}" for c, p in ALL_FIGURES.items()]
            + [f"--table {shlex.quote(c + '=' + p)}" for c, p in ALL_TABLES.items()]
            + [f"--run {shlex.quote(r)}" for r in input.runs]
        ),
        title=lambda w: f"infnum results: {config['name']}",
    shell:
        "{input.tool} html --out {output} --title {params.title:q} --config {input.config}"
        " {params.args} > {log} 2>&1"
