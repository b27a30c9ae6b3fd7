# SPDX-License-Identifier: MIT
"""PyTorch bridge: autograd functions and ``nn.Module`` activations whose
forward is the C engine's (its tape, lc_tape_*) and whose backward is one of
its gradient estimators: g·lc_est_deriv(u) for the elementwise primitives,
the tape's own backward pass for hard argmax (and for round_k where the
engine has no lc_est_quant_deriv).

Every function takes an estimator spec (the strings lc_est_from_name parses:
``"classical"``, ``"ste"``, ``"ste_clipped"``, ``"surrogate:tau=0.5"``, the
kernel estimator ``"kernel:kernel=gaussian,sigma=0.5"``, …; see
:func:`infnum.estimator_kinds`) or an :class:`infnum.Estimator`. Tensors of
any shape and device; the computation runs on the CPU in float64 and the
results take the input's dtype (float32 and float64). The values are the
engine's own: a network trained here sees the gradients the C engine would.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Union

import numpy as np
import torch
from torch.autograd.function import once_differentiable

from ._core import _dptr, _raise, context
from ._deriv import Estimator, has_quant_deriv
from ._lib import ffi, lib

__all__ = ["step", "sign", "floor", "ceil", "round", "abs", "relu", "round_k", "hard_argmax",
           "Step", "Sign", "RoundK", "HardArgmax", "Activation", "EstimatorLike"]

EstimatorLike = Union[str, Estimator]


@lru_cache(maxsize=64)
def _parsed(spec: str) -> Estimator:
    return Estimator(spec)


def _estimator(est: EstimatorLike) -> Estimator:
    return est if isinstance(est, Estimator) else _parsed(est)


def _tape_run(est: Estimator, record: Callable[[Any, int], int], u: np.ndarray,
              g: np.ndarray | None) -> np.ndarray:
    """Records y = record(tape, x) on the engine's tape for x = u (rows ×
    cols, float64) under est; returns y's value (g None) or the gradient of
    Σ g ⊙ y with respect to x."""
    c = context()._c
    t = ffi.new("lc_tape *")
    lib.lc_tape_init(t, c)
    try:
        st = lib.lc_tape_set_est(t, est._e)
        if st:
            _raise(st, c)
        grad = np.zeros_like(u)
        x = lib.lc_tape_param(t, _dptr(u), _dptr(grad), u.shape[0], u.shape[1])
        y = record(t, x)
        if g is None:
            rows, cols = ffi.new("int64_t *"), ffi.new("int64_t *")
            v = lib.lc_tape_value(t, y, rows, cols) if y != lib.LC_VAR_NONE else ffi.NULL
            if v == ffi.NULL:
                _raise(lib.lc_tape_status(t) or lib.LC_EINVAL, c)
            n = int(rows[0]) * int(cols[0])
            return np.frombuffer(ffi.buffer(v, 8 * n), dtype=np.float64).copy()
        gv = lib.lc_tape_const(t, _dptr(g), g.shape[0], g.shape[1])
        st = lib.lc_tape_backward(t, lib.lc_tape_sum(t, lib.lc_tape_mul(t, y, gv)))
        if st:
            _raise(st, c)
        return grad
    finally:
        lib.lc_tape_clear(t)


def _numpy(x: torch.Tensor, cols: int) -> np.ndarray:
    a = x.detach().to("cpu", torch.float64).contiguous().numpy()
    return np.array(a.reshape(-1, cols), dtype=np.float64)  # an owned, writable copy


class _Op:
    """An op: how to record it on the tape (on rows of ``cols`` entries) and,
    for the elementwise ones, its estimator derivative d(u) (the backward is
    then g·d(u), computed directly rather than by a backward pass)."""

    __slots__ = ("record", "cols", "deriv")

    def __init__(self, record: Callable[[Any, int], int], cols: int = 1,
                 deriv: Callable[[Estimator, np.ndarray], np.ndarray] | None = None) -> None:
        self.record, self.cols, self.deriv = record, cols, deriv


class _TapeFunction(torch.autograd.Function):
    """y = op(x) by the engine's tape; backward g·d(u) under an estimator."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, op: _Op, est: Estimator) -> torch.Tensor:
        if not x.is_floating_point():
            raise TypeError(f"infnum.torch needs a floating-point tensor, not {x.dtype}")
        y = _tape_run(est, op.record, _numpy(x, op.cols), None)
        ctx.save_for_backward(x)
        ctx.op, ctx.est = op, est
        return torch.from_numpy(y).to(x.device, x.dtype).reshape(x.shape)

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, gy: torch.Tensor) -> tuple[torch.Tensor, None, None]:  # type: ignore[override]
        (x,) = ctx.saved_tensors
        op, u, g = ctx.op, _numpy(x, ctx.op.cols), _numpy(gy, ctx.op.cols)
        grad = g * op.deriv(ctx.est, u.reshape(-1)).reshape(u.shape) if op.deriv else \
            _tape_run(ctx.est, op.record, u, g)
        return torch.from_numpy(grad).to(x.device, x.dtype).reshape(x.shape), None, None


def _unary(name: str) -> _Op:
    fun = getattr(lib, "LC_FUN_" + name.upper())
    return _Op(lambda t, x: lib.lc_tape_unary(t, fun, x), 1, lambda e, u: e.deriv(name, u))


_OPS = {name: _unary(name) for name in ("step", "sign", "floor", "ceil", "round", "abs", "relu")}


def _apply(name: str, x: torch.Tensor, est: EstimatorLike) -> torch.Tensor:
    return _TapeFunction.apply(x, _OPS[name], _estimator(est))


def step(x: torch.Tensor, est: EstimatorLike = "classical") -> torch.Tensor:
    """Heaviside step (step(0) = the context's h0); backward: est's d/du step."""
    return _apply("step", x, est)


def sign(x: torch.Tensor, est: EstimatorLike = "classical") -> torch.Tensor:
    """sign (sign(0) = the context's sign0); backward: est's d/du sign."""
    return _apply("sign", x, est)


def floor(x: torch.Tensor, est: EstimatorLike = "classical") -> torch.Tensor:
    """floor; backward: est's d/du floor."""
    return _apply("floor", x, est)


def ceil(x: torch.Tensor, est: EstimatorLike = "classical") -> torch.Tensor:
    """ceil; backward: est's d/du ceil."""
    return _apply("ceil", x, est)


def round(x: torch.Tensor, est: EstimatorLike = "classical") -> torch.Tensor:
    """round with the context's tie rule (default: away from zero, not
    torch.round's ties-to-even); backward: est's d/du round."""
    return _apply("round", x, est)


def abs(x: torch.Tensor, est: EstimatorLike = "classical") -> torch.Tensor:
    """|x|; backward: est's rule for the kink (mean of both sides at 0)."""
    return _apply("abs", x, est)


def relu(x: torch.Tensor, est: EstimatorLike = "classical") -> torch.Tensor:
    """max(x, 0); backward: est's rule for the kink."""
    return _apply("relu", x, est)


@lru_cache(maxsize=32)
def _quant(bits: int) -> _Op:
    deriv = (lambda e, u: e.quant_deriv(bits, u)) if has_quant_deriv() else None
    return _Op(lambda t, x: lib.lc_tape_quant(t, x, bits), 1, deriv)


def round_k(x: torch.Tensor, bits: int, est: EstimatorLike = "classical") -> torch.Tensor:
    """The k-bit quantiser on [0, 1]: round((2^k − 1)·clip(x, 0, 1)) / (2^k − 1)
    (lc_tape_quant, 1 ≤ bits ≤ 24); backward: the engine's rule for it
    (lc_est_quant_deriv where the engine has it, else its tape's)."""
    if not isinstance(bits, int) or not 1 <= bits <= 24:
        raise ValueError(f"round_k: bits must be an integer in 1..24, not {bits!r}")
    return _TapeFunction.apply(x, _quant(bits), _estimator(est))


def hard_argmax(x: torch.Tensor, est: EstimatorLike = "classical") -> torch.Tensor:
    """One-hot of the first greatest entry along the last dimension (≥ 2
    entries); backward: the engine's tape (lc_tape_argmax), i.e. y_j =
    step(x_j − max_{k≠j} x_k) under est."""
    if x.dim() < 1 or x.shape[-1] < 2:
        raise ValueError("hard_argmax needs a last dimension of at least 2 entries")
    return _TapeFunction.apply(x, _Op(lib.lc_tape_argmax, int(x.shape[-1])), _estimator(est))


class Activation(torch.nn.Module):
    """``name(x, est)`` as a module: name in step, sign, floor, ceil, round,
    abs, relu."""

    def __init__(self, name: str, est: EstimatorLike = "classical") -> None:
        super().__init__()
        if name not in _OPS:
            raise ValueError(f"unknown activation {name!r} ({', '.join(_OPS)})")
        self.name, self.est = name, _estimator(est)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _apply(self.name, x, self.est)

    def extra_repr(self) -> str:
        return f"{self.name!r}, est={self.est.spec!r}"


class Step(Activation):
    """Heaviside step activation with an estimator's backward."""

    def __init__(self, est: EstimatorLike = "classical") -> None:
        super().__init__("step", est)


class Sign(Activation):
    """sign activation with an estimator's backward."""

    def __init__(self, est: EstimatorLike = "classical") -> None:
        super().__init__("sign", est)


class RoundK(torch.nn.Module):
    """k-bit quantiser activation (:func:`round_k`)."""

    def __init__(self, bits: int, est: EstimatorLike = "classical") -> None:
        super().__init__()
        self.bits, self.est = bits, _estimator(est)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return round_k(x, self.bits, self.est)

    def extra_repr(self) -> str:
        return f"bits={self.bits}, est={self.est.spec!r}"


class HardArgmax(torch.nn.Module):
    """One-hot hard argmax along the last dimension (:func:`hard_argmax`)."""

    def __init__(self, est: EstimatorLike = "classical") -> None:
        super().__init__()
        self.est = _estimator(est)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return hard_argmax(x, self.est)

    def extra_repr(self) -> str:
        return f"est={self.est.spec!r}"
