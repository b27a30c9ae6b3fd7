# SPDX-License-Identifier: MIT
"""Every function of the C API on batches: ``infnum.exp(x)`` … ``infnum.argmax``.
Arguments may be batches, numbers, arrays (exact reals) or text."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._core import Batch, Operand, _bin, _run, _un, as_batch
from ._lib import ffi, lib

__all__ = ["exp", "log", "sin", "cos", "tanh", "sigmoid", "softplus", "sqrt", "recip", "abs",
           "relu", "sign", "step", "floor", "ceil", "round", "max", "min", "argmax", "pow"]


def _unary(name: str, doc: str) -> Callable[[Operand], Batch]:
    fn = getattr(lib, "lc_" + name)

    def f(x: Operand) -> Batch:
        return _un(fn, x)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    return f


exp = _unary("exp", "exp(x) (LC_EDOMAIN for an infinite x).")
log = _unary("log", "log(x) (LC_EDOMAIN unless st x > 0 and x is finite, not infinitesimal).")
sin = _unary("sin", "sin(x) as a series in the infinitesimal part.")
cos = _unary("cos", "cos(x) as a series in the infinitesimal part.")
tanh = _unary("tanh", "tanh(x), saturating at ±1 for infinite x.")
sigmoid = _unary("sigmoid", "1/(1 + exp(-x)), saturating for infinite x.")
softplus = _unary("softplus", "log(1 + exp(x)), saturating for infinite x.")
sqrt = _unary("sqrt", "x^(1/2) (LC_EDOMAIN for negative x).")
recip = _unary("recip", "1/x (LC_EDIVZERO for the exact zero).")
abs = _unary("abs", "|x| = ±x by the field's order (ε parts kept).")
relu = _unary("relu", "max(x, 0) by the field's order.")
sign = _unary("sign", "-1, sign0 or +1 by the field's order (exact real).")
step = _unary("step", "Heaviside step by the field's order; step(0) = the context's h0.")
floor = _unary("floor", "floor by the field's order (exact real; LC_EDOMAIN if infinite).")
ceil = _unary("ceil", "ceil by the field's order (exact real; LC_EDOMAIN if infinite).")
round = _unary("round", "round by the field's order; ties by the context's round_tie.")


def max(a: Operand, b: Operand) -> Batch:
    """Row-wise max by the field's order (the winner keeps its ε parts)."""
    return _bin(lib.lc_max, a, b)


def min(a: Operand, b: Operand) -> Batch:
    """Row-wise min by the field's order."""
    return _bin(lib.lc_min, a, b)


def pow(a: Operand, r: int | float) -> Batch:
    """a ** r (integers and dyadic rationals exactly; see Batch.__pow__)."""
    return as_batch(a) ** r


def argmax(a: Operand, n: int) -> np.ndarray:
    """a has m·n rows in groups of n consecutive rows: the index (0..n-1) of
    the greatest row of each group by the field's order (ties: lowest)."""
    b = as_batch(a)
    if n < 1 or b.nrows % n:
        raise ValueError(f"argmax: {b.nrows} rows are not groups of n = {n}")
    out = np.empty(b.nrows // n, dtype=np.int64)
    _run(lib.lc_argmax, b._b, n, ffi.cast("int64_t *", ffi.from_buffer(out)))
    return out
