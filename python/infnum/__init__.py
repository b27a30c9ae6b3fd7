# SPDX-License-Identifier: MIT
"""infnum — non-standard derivatives with the Levi-Civita field.

Python binding of the C library: :class:`Batch` (batches of Levi-Civita
numbers, NumPy views of their CSR arrays), every function of the C API
(:mod:`infnum.functions`, re-exported here), derivatives of Python callables
evaluated on a whole batch of points at once (:func:`ngrad`,
:func:`ngrad_vec`, :func:`nderiv`, :func:`decode`), the engine's gradient
estimators (:class:`Estimator`) and, in :mod:`infnum.torch`, PyTorch
autograd functions whose backward is one of those estimators.

    >>> from infnum import ngrad, sin, step
    >>> print(ngrad(lambda x: x * sin(x) + step(x - 1), 1.0))
    ε^-1 + 1.3817732906760363 + 0.11956681346419151ε - ... + O(ε^7)
"""
from ._core import (Batch, Context, DivisionByZero, DomainError, ExponentOverflow, InfnumError,
                    InvalidError, NoMemory, ParseError, ShapeError, UndecidedError, as_batch,
                    context, settings)
from ._deriv import Estimator, decode, estimator_kinds, has_quant_deriv, nderiv, ngrad, ngrad_vec
from ._lib import lib as _clib
from .functions import (abs, argmax, ceil, cos, exp, floor, log, max, min, pow, recip, relu,
                        round, sigmoid, sign, sin, softplus, sqrt, step, tanh)

eps: Batch = Batch.monomial(1.0, 1)
"""The infinitesimal ε (one row)."""
EXACT: int = int(_clib.LC_EXACT)
"""Bound of an exact row (Batch.bound)."""
__version__ = "0.1.0"

__all__ = ["Batch", "Context", "Estimator", "InfnumError", "InvalidError", "DomainError",
           "DivisionByZero", "UndecidedError", "ExponentOverflow", "ShapeError", "ParseError",
           "NoMemory", "as_batch", "context", "settings", "ngrad", "ngrad_vec", "nderiv", "decode",
           "estimator_kinds", "has_quant_deriv", "eps", "EXACT", "exp", "log", "sin", "cos", "tanh",
           "sigmoid", "softplus", "sqrt", "recip", "abs", "relu", "sign", "step", "floor", "ceil", "round",
           "max", "min", "argmax", "pow"]
