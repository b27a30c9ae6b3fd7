# SPDX-License-Identifier: MIT
# Helpers of workflow/rules/fmnist.smk (the protocol's settings per method).
FM_WIDTH = {"surrogate", "kernel", "composite", "relaxation"}
FM_SQRT3_PI = 3**0.5 / 3.141592653589793


def fm_method_params(method, width):
    """infnum-fmnist parameters of a method at width w (a standard deviation)."""
    est = {"relaxation": "classical"}.get(method, method)
    p = {"method": method, "estimator": est, "width": width}
    if method in ("kernel", "composite"):
        p.update(kernel=FM["kernel"], sigma=width)
    elif method == "surrogate":
        p["tau"] = width * FM_SQRT3_PI
    elif method == "relaxation":
        p["relax_tau"] = width * FM_SQRT3_PI
    return p


def fm_settings(method):
    """The tuning settings (lr, width) of a method: the same count for all."""
    if method in FM_WIDTH:
        return [(lr, w) for lr in FM["tune_lrs"] for w in FM["widths"]]
    return [(lr, 0.0) for lr in FM["free_lrs"]]
