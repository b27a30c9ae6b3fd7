# SPDX-License-Identifier: MIT
"""Contexts, errors and the batch type over the C library's lc_batch."""
from __future__ import annotations

import contextlib
import numbers
import threading
from fractions import Fraction
from typing import Any, Iterator, Sequence, TypeGuard, Union

import numpy as np

from ._lib import ffi, lib

# ------------------------------------------------------------------ errors


class InfnumError(Exception):
    """An error of the C library; ``status`` is its code ("LC_EDOMAIN") and the
    message is the library's own ("lc_log: log of an infinitesimal ...")."""

    status = "LC_EINVAL"


class InvalidError(InfnumError, ValueError):
    status = "LC_EINVAL"


class DomainError(InfnumError, ValueError):
    status = "LC_EDOMAIN"


class DivisionByZero(InfnumError, ZeroDivisionError):
    status = "LC_EDIVZERO"


class UndecidedError(InfnumError, ArithmeticError):
    status = "LC_EUNDEF"


class ExponentOverflow(InfnumError, OverflowError):
    status = "LC_EOVERFLOW"


class ShapeError(InfnumError, ValueError):
    status = "LC_ESHAPE"


class ParseError(InfnumError, ValueError):
    status = "LC_EPARSE"


class NoMemory(InfnumError, MemoryError):
    status = "LC_ENOMEM"


_ERRORS = {cls.status: cls for cls in (InvalidError, DomainError, DivisionByZero, UndecidedError,
                                       ExponentOverflow, ShapeError, ParseError, NoMemory)}


def _raise(st: int, cctx: Any) -> None:
    name = ffi.string(lib.lc_status_str(st)).decode()
    msg = ffi.string(cctx.err).decode("utf-8", "replace") or name
    raise _ERRORS.get(name, InfnumError)(msg)


# ----------------------------------------------------------------- context

_H0 = {"zero": lib.LC_H0_ZERO, "half": lib.LC_H0_HALF, "one": lib.LC_H0_ONE}
_TIE = {"away": lib.LC_TIE_AWAY, "even": lib.LC_TIE_EVEN, "up": lib.LC_TIE_UP,
        "down": lib.LC_TIE_DOWN}


class Context:
    """The settings of the C library's lc_ctx (one per thread, see
    :func:`context`): ``depth`` (series truncation depth, default 8), ``h0``
    ("zero", "half", "one": the value of step(0)), ``sign0`` (sign(0)),
    ``round_tie`` ("away", "even", "up", "down") and ``nthreads``."""

    def __init__(self) -> None:
        c = ffi.new("lc_ctx *")
        lib.lc_ctx_init(c)
        self._c = ffi.gc(c, lib.lc_ctx_clear)

    def _check(self, st: int) -> None:
        if st:
            _raise(st, self._c)

    @property
    def depth(self) -> int:
        return int(self._c.depth)

    @depth.setter
    def depth(self, n: int) -> None:
        if not isinstance(n, numbers.Integral) or not 1 <= n <= 1 << 20:
            raise ValueError(f"depth must be an integer in 1..2^20, not {n!r}")
        self._c.depth = int(n)

    @property
    def h0(self) -> str:
        return next(k for k, v in _H0.items() if v == self._c.h0)

    @h0.setter
    def h0(self, name: str) -> None:
        if name not in _H0:
            raise ValueError(f"h0 must be one of {sorted(_H0)}, not {name!r}")
        self._c.h0 = _H0[name]

    @property
    def sign0(self) -> float:
        return float(self._c.sign0)

    @sign0.setter
    def sign0(self, v: float) -> None:
        self._c.sign0 = float(v)

    @property
    def round_tie(self) -> str:
        return next(k for k, v in _TIE.items() if v == self._c.round_tie)

    @round_tie.setter
    def round_tie(self, name: str) -> None:
        if name not in _TIE:
            raise ValueError(f"round_tie must be one of {sorted(_TIE)}, not {name!r}")
        self._c.round_tie = _TIE[name]

    @property
    def nthreads(self) -> int:
        return int(self._c.nthreads)

    @nthreads.setter
    def nthreads(self, n: int) -> None:
        if not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"nthreads must be a positive integer, not {n!r}")
        self._c.nthreads = int(n)

    _FIELDS = ("depth", "h0", "sign0", "round_tie", "nthreads")

    def __repr__(self) -> str:
        return "Context(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self._FIELDS) + ")"


_tls = threading.local()
_free_ctx = Context()  # only its allocator is used, to free batches


def context() -> Context:
    """The calling thread's context (created with the library's defaults)."""
    c = getattr(_tls, "ctx", None)
    if c is None:
        c = _tls.ctx = Context()
    return c


@contextlib.contextmanager
def settings(**kw: Any) -> Iterator[Context]:
    """Changes settings of this thread's context for a ``with`` block:
    ``with infnum.settings(depth=12, h0="half"): ...``."""
    c = context()
    bad = set(kw) - set(Context._FIELDS)
    if bad:
        raise TypeError(f"unknown setting(s) {sorted(bad)}; known: {list(Context._FIELDS)}")
    old = {k: getattr(c, k) for k in kw}
    try:
        for k, v in kw.items():
            setattr(c, k, v)
        yield c
    finally:
        for k, v in old.items():
            setattr(c, k, v)


# ------------------------------------------------------------------- batch

ArrayLike = Union[float, Sequence[float], np.ndarray]
Operand = Union["Batch", float, Sequence[float], np.ndarray, str]


def _clear(b: Any) -> None:
    lib.lc_batch_clear(_free_ctx._c, b)


def _empty() -> Any:
    b = ffi.new("lc_batch *")
    lib.lc_batch_init(b, lib.LC_F64, lib.LC_I32)
    return ffi.gc(b, _clear)


def _f64(x: ArrayLike) -> np.ndarray:
    a = np.ascontiguousarray(np.asarray(x, dtype=np.float64).reshape(-1))
    return a


def _dptr(a: np.ndarray) -> Any:
    return ffi.cast("double *", ffi.from_buffer(a))


class Batch:
    """A batch of Levi-Civita numbers: the C library's CSR ``lc_batch``
    (row i holds the terms ``coeffs[j]·ε^(exps[j]/den)`` for ``row_ptr[i] ≤ j <
    row_ptr[i+1]`` and the bound ``O(ε^(bound[i]/den))``).

    ``Batch(x)`` builds exact reals from a number or an array, ``Batch("1 +
    ε")`` / ``Batch(["ε", "2 - ε^-1"])`` parses text, ``Batch.point(x, v)``
    gives ``x + v·ε`` and ``Batch.csr(...)`` takes CSR arrays. Batches are
    immutable: every operation returns a new batch. A one-row operand
    broadcasts against any batch, as in the C library."""

    __slots__ = ("_b", "__weakref__")
    __array_ufunc__ = None  # numpy defers to Batch's reflected operators
    __hash__ = None  # type: ignore[assignment]  # == compares row by row

    def __init__(self, value: Operand | None = None) -> None:
        if value is None:
            self._b = _empty()
        elif isinstance(value, Batch):
            self._b = _empty()
            _run(lib.lc_batch_copy, self._b, value._b)
        elif isinstance(value, str) or (isinstance(value, (list, tuple)) and value
                                        and all(isinstance(v, str) for v in value)):
            self._b = Batch.parse(value)._b
        else:
            x = _f64(value)
            self._b = _empty()
            _run(lib.lc_batch_set_real, self._b, len(x), _dptr(x))

    # -- construction
    @staticmethod
    def _wrap(b: Any) -> "Batch":
        out = Batch.__new__(Batch)
        out._b = b
        return out

    @staticmethod
    def parse(text: str | Sequence[str]) -> "Batch":
        """One row per string ("1 + 2ε - 0.5ε^(1/2) + O(ε^3)"; "eps" works too)."""
        texts = [text] if isinstance(text, str) else list(text)
        keep = [ffi.new("char[]", t.encode()) for t in texts]
        arr = ffi.new("const char *[]", keep) if keep else ffi.NULL
        b = _empty()
        _run(lib.lc_batch_parse, b, len(texts), arr)
        return Batch._wrap(b)

    @staticmethod
    def point(x: ArrayLike, v: ArrayLike | None = None) -> "Batch":
        """Rows ``x[i] + v[i]·ε`` (v omitted: 1)."""
        xa = _f64(x)
        va = None if v is None else np.broadcast_to(_f64(v), xa.shape).copy()
        b = _empty()
        _run(lib.lc_batch_from_real, b, len(xa), _dptr(xa), ffi.NULL if va is None else _dptr(va))
        return Batch._wrap(b)

    @staticmethod
    def monomial(c: float = 1.0, q: Fraction | int = 1, n: int = 1) -> "Batch":
        """n copies of ``c·ε^q`` (q rational)."""
        q = Fraction(q)
        b = _empty()
        _run(lib.lc_batch_set_monomial, b, n, float(c), q.numerator, q.denominator)
        return Batch._wrap(b)

    @staticmethod
    def csr(row_ptr: ArrayLike, exps: ArrayLike, coeffs: ArrayLike,
            bound: ArrayLike | None = None, den: int = 16) -> "Batch":
        """From CSR arrays, validated by the library (exponents ``exps/den``;
        ``bound`` None: exact rows; ``LC_EXACT`` marks an exact row)."""
        rp = np.ascontiguousarray(row_ptr, dtype=np.int64).reshape(-1)
        ex = np.ascontiguousarray(exps, dtype=np.int64).reshape(-1)
        co = _f64(coeffs)
        if rp.size < 1 or ex.size != co.size:
            raise ValueError("csr: row_ptr needs nrows + 1 entries and exps, coeffs equal sizes")
        bd = None if bound is None else np.ascontiguousarray(bound, dtype=np.int64).reshape(-1)
        if bd is not None and bd.size != rp.size - 1:
            raise ValueError("csr: bound needs one entry per row")
        if rp[-1] != ex.size:
            raise ValueError(f"csr: row_ptr[-1] = {rp[-1]} but {ex.size} terms are given")
        i64 = lambda a: ffi.cast("int64_t *", ffi.from_buffer(a)) if a is not None and a.size else ffi.NULL
        b = _empty()
        _run(lib.lc_batch_from_csr, b, rp.size - 1, i64(rp), i64(ex),
             _dptr(co) if co.size else ffi.NULL, i64(bd), int(den))
        return Batch._wrap(b)

    def convert(self, coeffs: str = "f64", exps: str = "i32") -> "Batch":
        """A copy stored with coefficients ``"f64" | "f32"`` and exponents
        ``"i32" | "i64"`` (lc_batch_convert; LC_EOVERFLOW if an exponent does
        not fit)."""
        ct = {"f64": lib.LC_F64, "f32": lib.LC_F32}
        et = {"i32": lib.LC_I32, "i64": lib.LC_I64}
        if coeffs not in ct or exps not in et:
            raise ValueError(f"convert: coeffs in {sorted(ct)}, exps in {sorted(et)}")
        b = _empty()
        _run(lib.lc_batch_copy, b, self._b)
        _run(lib.lc_batch_convert, b, ct[coeffs], et[exps])
        return Batch._wrap(b)

    # -- views (no copies; read-only, they live as long as the batch)
    def _view(self, field: str, ctype: str, dtype: Any, n: int) -> np.ndarray:
        p = getattr(self._b, field)
        if n == 0 or p == ffi.NULL:
            return np.empty(0, dtype=dtype)
        keep = ffi.gc(ffi.cast(ctype + " *", p), lambda _, owner=self: None)
        a = np.frombuffer(ffi.buffer(keep, n * ffi.sizeof(ctype)), dtype=dtype)
        a.flags.writeable = False  # write only through the library
        return a

    @property
    def nrows(self) -> int:
        return int(self._b.nrows)

    @property
    def nnz(self) -> int:
        return int(lib.lc_batch_nnz(self._b))

    @property
    def den(self) -> int:
        """Exponent denominator: term j has exponent ``exps[j] / den``."""
        return int(self._b.den)

    @property
    def row_ptr(self) -> np.ndarray:
        return self._view("row_ptr", "int64_t", np.int64, self.nrows + 1 if self.nrows else 0)

    @property
    def exps(self) -> np.ndarray:
        if self._b.etype == lib.LC_I64:
            return self._view("exps", "int64_t", np.int64, self.nnz)
        return self._view("exps", "int32_t", np.int32, self.nnz)

    @property
    def coeffs(self) -> np.ndarray:
        if self._b.ctype == lib.LC_F32:
            return self._view("coeffs", "float", np.float32, self.nnz)
        return self._view("coeffs", "double", np.float64, self.nnz)

    @property
    def bound(self) -> np.ndarray:
        """Per-row bound in units of 1/den (``LC_EXACT`` for an exact row)."""
        return self._view("bound", "int64_t", np.int64, self.nrows)

    # -- reading
    def std(self) -> np.ndarray:
        """Standard part of every row."""
        out = np.empty(self.nrows)
        _run(lib.lc_batch_std, self._b, _dptr(out))
        return out

    def coeff(self, q: Fraction | int = 0) -> np.ndarray:
        """Coefficient of ``ε^q`` of every row (q rational)."""
        q = Fraction(q)
        out = np.empty(self.nrows)
        _run(lib.lc_batch_coeff, self._b, q.numerator, q.denominator, _dptr(out))
        return out

    def leading(self, r: int = 0) -> tuple[Fraction, float]:
        """(exponent, coefficient) of the leading term of row r."""
        num, coef = ffi.new("int64_t *"), ffi.new("double *")
        _run(lib.lc_row_leading, self._b, self._row(r), num, coef)
        return Fraction(int(num[0]), self.den), float(coef[0])

    def _row(self, r: int) -> int:
        n = self.nrows
        if not -n <= r < n:
            raise IndexError(f"row {r} out of range for a batch of {n} rows")
        return r % n

    def row_str(self, r: int = 0, eps: str = "ε") -> str:
        """Text of row r ("1 + 2ε + O(ε^3)")."""
        r = self._row(r)
        size = 64
        while True:
            buf = ffi.new("char[]", size)
            c = context()._c
            st = lib.lc_row_print(c, self._b, r, buf, size)
            if st == 0:
                s = ffi.string(buf).decode()
                return s if eps == "ε" else s.replace("ε", eps)
            if st != lib.LC_EINVAL or size > 1 << 22:
                _raise(st, c)
            size *= 4

    def tolist(self) -> list[str]:
        return [self.row_str(r) for r in range(self.nrows)]

    def __len__(self) -> int:
        return self.nrows

    def __getitem__(self, idx: Any) -> "Batch":
        sel = np.arange(self.nrows, dtype=np.int64)[idx]
        sel = np.ascontiguousarray(np.atleast_1d(sel), dtype=np.int64)
        b = _empty()
        _run(lib.lc_batch_gather, b, self._b, ffi.cast("int64_t *", ffi.from_buffer(sel)), sel.size)
        return Batch._wrap(b)

    def __float__(self) -> float:
        if self.nrows != 1:
            raise TypeError(f"float() of a batch of {self.nrows} rows")
        return float(self.std()[0])

    def __str__(self) -> str:
        if self.nrows == 1:
            return self.row_str(0)
        rows = [self.row_str(r) for r in range(min(self.nrows, 20))]
        more = [f"... ({self.nrows - 20} more rows)"] if self.nrows > 20 else []
        return "[" + ",\n ".join(rows + more) + "]"

    def __repr__(self) -> str:
        rows = [self.row_str(r) for r in range(min(self.nrows, 6))]
        tail = f", ... {self.nrows} rows" if self.nrows > 6 else ""
        return f"Batch({rows!r}{tail})"

    # -- operators
    def __add__(self, o: Operand) -> "Batch":
        if _is_real(o):
            return _un(lib.lc_add_real, self, float(o))
        return _bin(lib.lc_add, self, o)

    def __radd__(self, o: Operand) -> "Batch":
        return self.__add__(o)

    def __sub__(self, o: Operand) -> "Batch":
        if _is_real(o):
            return _un(lib.lc_add_real, self, -float(o))
        return _bin(lib.lc_sub, self, o)

    def __rsub__(self, o: Operand) -> "Batch":
        if _is_real(o):
            return _un(lib.lc_add_real, _un(lib.lc_neg, self), float(o))
        return _bin(lib.lc_sub, o, self)

    def __mul__(self, o: Operand) -> "Batch":
        if _is_real(o):
            return _un(lib.lc_scale, self, float(o))
        return _bin(lib.lc_mul, self, o)

    def __rmul__(self, o: Operand) -> "Batch":
        return self.__mul__(o)

    def __truediv__(self, o: Operand) -> "Batch":
        return _bin(lib.lc_div, self, o)

    def __rtruediv__(self, o: Operand) -> "Batch":
        return _bin(lib.lc_div, o, self)

    def __pow__(self, r: int | Fraction | float) -> "Batch":
        if isinstance(r, numbers.Integral):
            return _un(lib.lc_pow_si, self, int(r))
        if isinstance(r, Fraction):
            return _un(lib.lc_pow_q, self, r.numerator, r.denominator)
        if _is_real(r):
            return _un(lib.lc_pow, self, float(r))
        return NotImplemented

    def __neg__(self) -> "Batch":
        return _un(lib.lc_neg, self)

    def __pos__(self) -> "Batch":
        return self

    def __abs__(self) -> "Batch":
        return _un(lib.lc_abs, self)

    def _cmp(self, o: Operand) -> np.ndarray:
        ob = as_batch(o)
        n = ob.nrows if self.nrows == 1 else self.nrows
        out = np.empty(n, dtype=np.intc)
        _run(lib.lc_cmp, self._b, ob._b, ffi.cast("int *", ffi.from_buffer(out)))
        return out

    def __lt__(self, o: Operand) -> np.ndarray:
        return self._cmp(o) < 0

    def __le__(self, o: Operand) -> np.ndarray:
        return self._cmp(o) <= 0

    def __gt__(self, o: Operand) -> np.ndarray:
        return self._cmp(o) > 0

    def __ge__(self, o: Operand) -> np.ndarray:
        return self._cmp(o) >= 0

    def __eq__(self, o: object) -> Any:
        if not isinstance(o, (Batch, str, numbers.Real, list, tuple, np.ndarray)):
            return NotImplemented
        return self._cmp(o) == 0  # type: ignore[arg-type]

    def __ne__(self, o: object) -> Any:
        if not isinstance(o, (Batch, str, numbers.Real, list, tuple, np.ndarray)):
            return NotImplemented
        return self._cmp(o) != 0  # type: ignore[arg-type]


def _is_real(o: Any) -> TypeGuard[float]:
    return isinstance(o, numbers.Real) and not isinstance(o, bool) or isinstance(o, np.floating)


def as_batch(x: Operand) -> Batch:
    """x itself if it is a Batch, else ``Batch(x)`` (reals or text)."""
    return x if isinstance(x, Batch) else Batch(x)


def _run(fn: Any, *args: Any) -> None:
    c = context()._c
    st = fn(c, *args)
    if st:
        _raise(st, c)


def _un(fn: Any, a: Operand, *extra: Any) -> Batch:
    b = _empty()
    _run(fn, b, as_batch(a)._b, *extra)
    return Batch._wrap(b)


def _bin(fn: Any, a: Operand, o: Operand) -> Batch:
    b = _empty()
    _run(fn, b, as_batch(a)._b, as_batch(o)._b)
    return Batch._wrap(b)
