#!/bin/sh
# SPDX-License-Identifier: MIT
# The Fashion-MNIST findings the paper words (\fmFindings of
# infnum-report fmnist): in the pipeline's test-config results, the paired
# comparison of composite with ste is listed with its interval bounds.
# usage: test_findings.sh RESULTS_DIR (pipeline.interrupt's results)
m=$1/tables/fmnist-macros.tex
[ -s "$m" ] || { echo "FAIL: no $m"; exit 1; }
grep -q '^\\newcommand{\\fmFindings}{}$' "$m" || { echo "FAIL: $m does not start the findings list"; exit 1; }
pat='^\\expandafter\\def\\expandafter\\fmFindings\\expandafter{\\fmFindings\\fmitem{composite}{784-[0-9-]*10}{step}{[-+][0-9.]*}{[-+][0-9.]*}}$'
grep -q "$pat" "$m" || { echo "FAIL: no composite-vs-ste finding in $m"; grep fmFindings "$m"; exit 1; }
echo "findings: ok"
