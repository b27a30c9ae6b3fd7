"""PyTorch bridge: autograd functions and ``nn.Module`` activations whose
forward is the C engine's and whose backward is one of its gradient
estimators (lc_est_deriv through the engine's tape, lc_tape_*).

Every function takes an estimator spec (the strings lc_est_from_name parses:
``"classical"``, ``"ste"``, ``"ste_clipped"``, ``"surrogate:tau=0.5"``, the
kernel estimator ``"nonstandard:kernel=gaussian,sigma=0.5"``, …; see
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

from ._core import _dptr, _raise, context
from ._deriv import Estimator
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


class _TapeFunction(torch.autograd.Function):
    """y = op(x) with the backward of the engine's tape under an estimator."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, record: Callable[[Any, int], int], cols: int,
                est: Estimator) -> torch.Tensor:
        if not x.is_floating_point():
            raise TypeError(f"infnum.torch needs a floating-point tensor, not {x.dtype}")
        y = _tape_run(est, record, _numpy(x, cols), None)
        ctx.save_for_backward(x)
        ctx.record, ctx.cols, ctx.est = record, cols, est
        return torch.from_numpy(y).to(x.device, x.dtype).reshape(x.shape)

    @staticmethod
    def backward(ctx: Any, gy: torch.Tensor):  # type: ignore[override]
        (x,) = ctx.saved_tensors
        g = _tape_run(ctx.est, ctx.record, _numpy(x, ctx.cols), _numpy(gy, ctx.cols))
        return torch.from_numpy(g).to(x.device, x.dtype).reshape(x.shape), None, None, None


def _unary(fun: int) -> Callable[[Any, int], int]:
    return lambda t, x: lib.lc_tape_unary(t, fun, x)


_RECORD = {name: _unary(getattr(lib, "LC_FUN_" + name.upper()))
           for name in ("step", "sign", "floor", "ceil", "round", "abs", "relu")}


def _apply(name: str, x: torch.Tensor, est: EstimatorLike) -> torch.Tensor:
    return _TapeFunction.apply(x, _RECORD[name], 1, _estimator(est))


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
def _quant(bits: int) -> Callable[[Any, int], int]:
    return lambda t, x: lib.lc_tape_quant(t, x, bits)


def round_k(x: torch.Tensor, bits: int, est: EstimatorLike = "classical") -> torch.Tensor:
    """The k-bit quantiser on [0, 1]: round((2^k − 1)·clip(x, 0, 1)) / (2^k − 1)
    (lc_tape_quant, 1 ≤ bits ≤ 24); backward: the composition under est."""
    if not isinstance(bits, int) or not 1 <= bits <= 24:
        raise ValueError(f"round_k: bits must be an integer in 1..24, not {bits!r}")
    return _TapeFunction.apply(x, _quant(bits), 1, _estimator(est))


def _argmax(t: Any, x: int) -> int:
    return lib.lc_tape_argmax(t, x)


def hard_argmax(x: torch.Tensor, est: EstimatorLike = "classical") -> torch.Tensor:
    """One-hot of the first greatest entry along the last dimension (≥ 2
    entries); backward: y_j = step(x_j − max_{k≠j} x_k) under est
    (lc_tape_argmax)."""
    if x.dim() < 1 or x.shape[-1] < 2:
        raise ValueError("hard_argmax needs a last dimension of at least 2 entries")
    return _TapeFunction.apply(x, _argmax, int(x.shape[-1]), _estimator(est))


class Activation(torch.nn.Module):
    """``name(x, est)`` as a module: name in step, sign, floor, ceil, round,
    abs, relu."""

    def __init__(self, name: str, est: EstimatorLike = "classical") -> None:
        super().__init__()
        if name not in _RECORD:
            raise ValueError(f"unknown activation {name!r} ({', '.join(_RECORD)})")
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
