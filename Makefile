# SPDX-License-Identifier: MIT
# Task runner. The README's two commands:
#   make          dependencies, build, the default pipeline: PDF, plots, summary HTML
#   make test     every test, snakemake --lint, the pipeline on config/test.yaml
# Variables: JOBS (parallel jobs, default 2), CONFIG (default config/default.yaml),
# FUZZ_SECONDS (make fuzz: seconds per target, default 600).
JOBS    ?= 2
CONFIG  ?= config/default.yaml
BUILD   ?= build
NAME    := $(shell sed -n 's/^name: *//p' $(CONFIG) | head -n 1)
VERSION := $(shell grep -m1 '^project' CMakeLists.txt | grep -oE 'VERSION [0-9.]+' | cut -d' ' -f2)
REL     := build-release
# A stale lock (a killed run) is removed first, so re-running recovers.
SMK     := tools/unlock-stale.sh && snakemake --cores $(JOBS) --configfile $(CONFIG) --rerun-incomplete

.PHONY: all deps build test fuzz bench paper html lint release docs clean help gpu-check

all: deps                 ## set-up, build, default pipeline (results/<name>/)
	$(SMK)
	@echo "PDF: results/$(NAME)/paper/main.pdf  HTML: results/$(NAME)/summary.html"

deps:                     ## install the Debian packages (idempotent)
	tools/install-deps.sh

build: deps               ## Release build in build/ (the pipeline's build)
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j$(JOBS)

test:                     ## all tests; ends with "N passed, M failed"
	JOBS=$(JOBS) BUILD=$(BUILD) bash tools/test.sh

FUZZ_SECONDS ?= 600
fuzz:                     ## libFuzzer targets (tests/fuzz/, clang) in build-fuzz/, FUZZ_SECONDS each (600)
	JOBS=$(JOBS) tools/fuzz.sh all $(FUZZ_SECONDS)

bench: deps               ## the microbenchmark only (results/<name>/microbench/)
	$(SMK) microbench_report

paper: deps               ## the PDF (runs what it needs)
	$(SMK) results/$(NAME)/paper/main.pdf

html: deps                ## the summary HTML (runs what it needs)
	$(SMK) results/$(NAME)/summary.html

lint:                     ## snakemake --lint (must report no lints)
	snakemake --lint

release: deps             ## dist/infnum-VERSION.tar.gz (git archive of HEAD) and the .deb built from it
	@git diff --quiet HEAD || echo "release: warning: uncommitted changes are not in the tarball"
	rm -rf $(REL) && mkdir -p dist $(REL)
	git archive --format=tar.gz --prefix=infnum-$(VERSION)/ -o dist/infnum-$(VERSION).tar.gz HEAD
	tar -xzf dist/infnum-$(VERSION).tar.gz -C $(REL)
	cmake -S $(REL)/infnum-$(VERSION) -B $(REL)/build -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_INSTALL_PREFIX=/usr -DINFNUM_CUDA=OFF -DBUILD_TESTING=OFF
	cmake --build $(REL)/build -j$(JOBS)
	cd $(REL)/build && cpack -G DEB -B $(CURDIR)/$(REL)/cpack
	cp $(REL)/cpack/infnum_$(VERSION)_*.deb dist/
	rm -rf $(REL)
	tools/check-deb.sh dist/infnum_$(VERSION)_*.deb
	@ls -l dist

docs:                     ## API reference: build/docs/html/index.html (Doxygen, warnings are errors)
	mkdir -p $(BUILD)/docs
	( cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = $(BUILD)/docs"; echo "PROJECT_NUMBER = $(VERSION)" ) | doxygen -
	@echo "API reference: $(BUILD)/docs/html/index.html"

gpu-check:                ## on a GPU machine: CUDA tests + GPU microbenchmarks (results/<name>/gpu/)
	cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DINFNUM_CUDA=ON
	cmake --build build-gpu -j$(JOBS)
	ctest --test-dir build-gpu -L cuda --output-on-failure
	build-gpu/bin/test_cuda_kernels   # exits 77 (fails here) when the kernel tests could only be skipped
	sed 's/^gpu: .*/gpu: true/' $(CONFIG) > build-gpu/gpu.yaml
	snakemake --cores $(JOBS) --configfile build-gpu/gpu.yaml --rerun-incomplete gpu_report gpu_vs_cpu_plot

clean:                    ## remove builds and results (never sources)
	rm -rf $(BUILD) build-asan build-ubsan build-fuzz $(REL) results .snakemake dist

help:
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'
