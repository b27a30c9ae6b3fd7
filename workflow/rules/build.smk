# SPDX-License-Identifier: MIT
# The binaries: one rule, one job per binary, all in one CMake build tree
# build/ (Release, -DINFNUM_CUDA=ON when gpu is on, AUTO otherwise, so the
# tree is shared with `make test`). Jobs take turns on the tree (flock).
# A binary is rebuilt, and what uses it re-run, when its sources change
# (bin_sources in common.smk).
rule build:
    input:
        lambda w: bin_sources(w.binary),
    output:
        f"{BIN}/{{binary}}",
    wildcard_constraints:
        binary="infnum-[a-z0-9_-]+",
    log:
        f"{LOGS}/build/{{binary}}.log",
    params:
        cuda="ON" if config["gpu"] else "AUTO",
        build=lambda w, output: os.path.dirname(os.path.dirname(output[0])),
    threads: 2
    shell:
        "(mkdir -p {params.build} && flock {params.build}/.pipeline.lock sh -c"
        " 'cmake -S . -B {params.build} -DCMAKE_BUILD_TYPE=Release -DINFNUM_CUDA={params.cuda}"
        " && cmake --build {params.build} -j{threads} --target {wildcards.binary}'"
        " && touch {output}) > {log} 2>&1"
