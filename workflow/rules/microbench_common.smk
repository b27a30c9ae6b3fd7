# SPDX-License-Identifier: MIT
# Helpers of workflow/rules/microbench.smk (snakemake --lint wants functions
# and rules in separate files).


def peers_enabled():
    """True when microbench and its peers sub-section are both enabled."""
    mb = config["microbench"]
    return bool(mb["enabled"] and mb.get("peers", {}).get("enabled", False))


def peers_params():
    """The parameter JSON of the peers run: microbench.peers minus 'enabled',
    with mode peers and the seed (keys sorted)."""
    p = {k: v for k, v in config["microbench"]["peers"].items() if k != "enabled"}
    p.update(mode="peers", seed=config["seed"])
    return json.dumps(p, sort_keys=True)
