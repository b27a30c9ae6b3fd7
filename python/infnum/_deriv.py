# SPDX-License-Identifier: MIT
"""Derivatives of Python callables (lc_ngrad, lc_ngrad_vec, lc_nderiv,
lc_ngrad_decode) and the engine's gradient estimators (lc_est_*)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._core import ArrayLike, Batch, _dptr, _empty, _f64, _raise, _run, as_batch, context
from ._lib import ffi, lib

__all__ = ["ngrad", "ngrad_vec", "nderiv", "decode", "Estimator", "estimator_kinds"]


class _Call:
    """A Python callable handed to the library, and the exception it raised."""

    def __init__(self, f: Callable[..., Any]) -> None:
        self.f = f
        self.exc: BaseException | None = None


def _store(cctx: Any, y: Any, r: Any, n: int) -> int:
    """Copies f's result r into the library's output y (n rows; a one-row
    result or a real broadcasts)."""
    rb = as_batch(r)
    if rb.nrows == 1 and n != 1:
        rb = rb[np.zeros(n, dtype=np.int64)]
    if rb.nrows != n:
        lib.lc_batch_clear(cctx, y)
        return -1
    return lib.lc_batch_copy(cctx, y, rb._b)


def _borrow(x: Any) -> Batch:
    b = _empty()
    _run(lib.lc_batch_copy, b, x)
    return Batch._wrap(b)


def _fail(cctx: Any, call: _Call, e: BaseException) -> int:
    call.exc = e
    msg = f"Python callable raised {type(e).__name__}"[: 200].encode()
    ffi.memmove(cctx.err, msg + b"\0", len(msg) + 1)
    return lib.LC_EINVAL


@ffi.def_extern()
def _infnum_py_fn(cctx: Any, y: Any, x: Any, data: Any) -> int:
    call: _Call = ffi.from_handle(data)
    try:
        st = _store(cctx, y, call.f(_borrow(x)), int(x.nrows))
        if st < 0:
            raise ValueError(f"the callable must return {int(x.nrows)} rows or one")
        return st
    except BaseException as e:  # re-raised by _call once the library returns
        return _fail(cctx, call, e)


@ffi.def_extern()
def _infnum_py_fn_vec(cctx: Any, y: Any, x: Any, nvars: int, data: Any) -> int:
    call: _Call = ffi.from_handle(data)
    try:
        xs = [_borrow(x + j) for j in range(nvars)]
        st = _store(cctx, y, call.f(*xs), int(x.nrows))
        if st < 0:
            raise ValueError(f"the callable must return {int(x.nrows)} rows or one")
        return st
    except BaseException as e:
        return _fail(cctx, call, e)


def _call(fn: Any, f: Callable[..., Any], cb: Any, outs: tuple[Any, ...], *args: Any) -> None:
    """fn(ctx, *outs, cb, f's handle, *args), re-raising f's exception."""
    if not callable(f):
        raise TypeError(f"f must be callable, not {type(f).__name__}")
    call = _Call(f)
    h = ffi.new_handle(call)
    c = context()._c
    st = fn(c, *outs, cb, h, *args)
    if call.exc is not None:
        raise call.exc
    if st:
        _raise(st, c)


def _points(x: ArrayLike) -> np.ndarray:
    a = _f64(x)
    if not np.all(np.isfinite(a)):
        raise ValueError("the points x must be finite")
    return a


def ngrad(f: Callable[[Batch], Any], x: ArrayLike) -> Batch:
    """``(f(x+ε) − st f(x)) / ε`` at every point of x, f evaluated once on
    the whole batch (lc_ngrad). The ε⁰ coefficient is the right derivative;
    an ε⁻¹ coefficient c is a jump ``f(x⁺) − f(x) = c``. One row per point."""
    a = _points(x)
    out = _empty()
    _call(lib.lc_ngrad, f, lib._infnum_py_fn, (out,), _dptr(a), a.size)
    return Batch._wrap(out)


def ngrad_vec(f: Callable[..., Any], x: ArrayLike) -> tuple[Batch, np.ndarray]:
    """Gradient of ``f(x_0, …, x_{n−1})`` at the point x by forward mode
    (lc_ngrad_vec): the rows ``(f(x + ε e_j) − st f(x)) / ε`` and their ε⁰
    coefficients (the gradient), f called with one batch per variable."""
    a = _points(x)
    out = _empty()
    grad = np.empty(a.size)
    _call(lib.lc_ngrad_vec, f, lib._infnum_py_fn_vec, (out, _dptr(grad)), _dptr(a), a.size)
    return Batch._wrap(out), grad


def nderiv(f: Callable[[Batch], Any], x: ArrayLike, k: int = 1) -> np.ndarray:
    """k-th derivative ``k!·[ε^k] f(x+ε)`` of a smooth f (k < depth)."""
    a = _points(x)
    out = np.empty(a.size)
    _call(lib.lc_nderiv, f, lib._infnum_py_fn, (_dptr(out),), _dptr(a), a.size, int(k))
    return out


def decode(f: Callable[[Batch], Any], x: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided decoding of the distributional derivative (lc_ngrad_decode):
    (regular, mass) with ``mass = st f(x+ε) − st f(x−ε)`` (the point mass)
    and ``regular`` the mean of the one-sided derivatives."""
    a = _points(x)
    reg, mass = np.empty(a.size), np.empty(a.size)
    _call(lib.lc_ngrad_decode, f, lib._infnum_py_fn, (_dptr(reg), _dptr(mass)), _dptr(a), a.size)
    return reg, mass


def _native_ngrad(name: str, x: ArrayLike) -> Batch:
    """lc_ngrad of the library function ``name`` through a C lc_fn: the same
    computation as ``ngrad(infnum.<name>, x)`` without Python (benchmarks and
    tests compare the two)."""
    a = _points(x)
    out = _empty()
    key = ffi.new("char[]", name.encode())
    _run(lib.lc_ngrad, out, ffi.addressof(lib, "pyinfnum_named_fn"), key, _dptr(a), a.size)
    return Batch._wrap(out)


# -------------------------------------------------------------- estimators

PRIMITIVES = {"step": lib.LC_PRIM_STEP, "sign": lib.LC_PRIM_SIGN, "floor": lib.LC_PRIM_FLOOR,
              "ceil": lib.LC_PRIM_CEIL, "round": lib.LC_PRIM_ROUND, "abs": lib.LC_PRIM_ABS,
              "relu": lib.LC_PRIM_RELU}


def estimator_kinds() -> list[str]:
    """Names of the engine's estimator kinds, as lc_est_name gives them."""
    names = []
    for k in range(256):
        s = ffi.string(lib.lc_est_name(k)).decode()
        if s == "?":
            break
        names.append(s)
    return names


class Estimator:
    """A gradient estimator of the engine, from the spec string that
    lc_est_from_name parses: a kind name (see :func:`estimator_kinds`)
    optionally followed by ``:`` and settings, e.g. ``"surrogate:tau=0.5"``."""

    __slots__ = ("spec", "_e")

    def __init__(self, spec: str) -> None:
        if not isinstance(spec, str):
            raise TypeError(f"an estimator spec is a string, not {type(spec).__name__}")
        e = ffi.new("lc_est *")
        _run(lib.lc_est_from_name, spec.encode(), e)
        self.spec = spec
        self._e = e

    def deriv(self, prim: str, u: ArrayLike) -> np.ndarray:
        """The estimator's derivative of primitive ``prim`` (step, sign, floor,
        ceil, round, abs, relu) at the points u (lc_est_deriv)."""
        if prim not in PRIMITIVES:
            raise ValueError(f"unknown primitive {prim!r} ({', '.join(PRIMITIVES)})")
        a = _f64(u)
        d = np.empty(a.size)
        _run(lib.lc_est_deriv, self._e, PRIMITIVES[prim], _dptr(a), a.size, _dptr(d))
        return d

    def quant_deriv(self, bits: int, u: ArrayLike) -> np.ndarray:
        """The derivative of the bits-bit quantiser on [0, 1] taken as one
        primitive (lc_est_quant_deriv; engines that have it, see
        :func:`has_quant_deriv`)."""
        if not has_quant_deriv():
            raise NotImplementedError("this engine has no lc_est_quant_deriv")
        a = _f64(u)
        d = np.empty(a.size)
        _run(lib.lc_est_quant_deriv, self._e, int(bits), _dptr(a), a.size, _dptr(d))
        return d

    def __repr__(self) -> str:
        return f"Estimator({self.spec!r})"


def has_quant_deriv() -> bool:
    """Whether the engine differentiates the quantiser as one primitive."""
    return hasattr(lib, "lc_est_quant_deriv")
