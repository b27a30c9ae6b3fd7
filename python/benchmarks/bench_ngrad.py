# SPDX-License-Identifier: MIT
"""ngrad from Python against the same C call.

For f in abs, step, round: lc_ngrad over N points with f a Python callable
(infnum.ngrad) and with f a C lc_fn calling the same library function (the
C side of the comparison, no Python inside). Prints the best of R repeats of
each (the two interleaved) and their ratio (the target is ≤ 2). Not a test:
timings depend on the machine.

    python python/benchmarks/bench_ngrad.py [--n 50000] [--repeats 30]
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

import infnum as lc
from infnum._deriv import _native_ngrad


def best(fns, repeats: int) -> list[float]:
    """Best time of each function over repeats, the functions interleaved so
    that a change of machine load affects them alike."""
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, t in zip(fns, times):
            t0 = time.perf_counter()
            fn()
            t.append(time.perf_counter() - t0)
    return [min(t) for t in times]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50000, help="points (default 50000)")
    ap.add_argument("--repeats", type=int, default=30, help="repeats, best taken (default 30)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if a.n < 1 or a.repeats < 1:
        ap.error("--n and --repeats must be positive")
    x = np.random.default_rng(a.seed).uniform(-3, 3, a.n)
    print(f"# ngrad over {a.n} points, best of {a.repeats}; threads {lc.context().nthreads}")
    print(f"{'f':6} {'C (ms)':>9} {'Python (ms)':>12} {'ratio':>6}")
    worst = 0.0
    for name in ("abs", "step", "round"):
        f = getattr(lc, name)
        assert np.array_equal(lc.ngrad(f, x).coeffs, _native_ngrad(name, x).coeffs)
        tc, tp = best([lambda: _native_ngrad(name, x), lambda: lc.ngrad(f, x)], a.repeats)
        worst = max(worst, tp / tc)
        print(f"{name:6} {1e3 * tc:9.3f} {1e3 * tp:12.3f} {tp / tc:6.2f}")
    print(f"# worst ratio {worst:.2f} (target <= 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
