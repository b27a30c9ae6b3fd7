# SPDX-License-Identifier: MIT
# The machine-checked proof (paper/proof): coqc builds a copy of the sources
# and checks that the main theorems use only the axioms of Coq's real
# numbers; results/<name>/proof/assumptions.txt keeps the Print Assumptions
# output with its provenance.
PROOF_OUTPUTS = [f"{RES}/proof/assumptions.txt"]


rule proof:
    input:
        sources=sorted(glob.glob("paper/proof/*.v"))
        + [
            "paper/proof/Makefile",
            "paper/proof/check-assumptions.sh",
            "paper/proof/expected-axioms.txt",
        ],
        script="tests/proof/check_coq.sh",
    output:
        f"{RES}/proof/assumptions.txt",
    log:
        f"{LOGS}/proof.log",
    params:
        work=f"{BUILD}/proof-{config['name']}",
    shell:
        "bash {input.script} paper/proof {params.work} {output} > {log} 2>&1"
