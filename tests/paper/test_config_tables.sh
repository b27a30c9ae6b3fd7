#!/bin/sh
# SPDX-License-Identifier: MIT
# paper/config_tables.py: a configuration becomes one table per experiment
# section with every key, and the name macro; a missing file is exit 1 with
# nothing written, bad usage exit 2.
# usage: test_config_tables.sh PYTHON SCRIPT CONFIG.yaml WORKDIR
py=$1 script=$2 cfg=$3 dir=$4
fail=0
ko() { echo "FAIL: $*"; fail=1; }
rm -rf "$dir" && mkdir -p "$dir" || exit 1
"$py" "$script" --out-dir "$dir/t" "$cfg" || ko "exit $? on $cfg"
for s in microbench peers fmnist cartpole macros; do
  [ -s "$dir/t/config-$s.tex" ] || ko "config-$s.tex not written"
done
# every key of every section is in its table (a mapping's keys as "key.sub")
"$py" - "$cfg" "$dir/t" <<'PY' || ko "a key is missing from a table"
import sys, yaml
cfg, out = yaml.safe_load(open(sys.argv[1])), sys.argv[2]
secs = {"microbench": cfg["microbench"], "peers": cfg["microbench"]["peers"],
        "fmnist": cfg["fmnist"], "cartpole": cfg["cartpole"]}
bad = 0
for stem, sec in secs.items():
    text = open(f"{out}/config-{stem}.tex").read()
    for k, v in sec.items():
        if stem == "microbench" and k == "peers":
            continue
        want = "\\texttt{" + k.replace("_", "\\_") + ("." if isinstance(v, dict) and v else "} &")
        if want not in text:
            print(f"config-{stem}.tex lacks {want}")
            bad = 1
sys.exit(bad)
PY
grep -q 'peers' "$dir/t/config-microbench.tex" && ko "peers sub-section repeated in the microbench table"
name=$(sed -n 's/^name: *//p' "$cfg")
grep -q "\\\\newcommand{\\\\cfgName}{$name}" "$dir/t/config-macros.tex" || ko "cfgName is not '$name'"
"$py" "$script" --out-dir "$dir/u" "$dir/none.yaml" 2>/dev/null
[ $? -eq 1 ] || ko "a missing configuration is not exit 1"
[ -e "$dir/u" ] && [ -n "$(ls -A "$dir/u")" ] && ko "a failed run wrote files"
"$py" "$script" 2>/dev/null
[ $? -eq 2 ] || ko "no arguments is not exit 2"
[ $fail -eq 0 ] && echo "config_tables: ok"
exit $fail
