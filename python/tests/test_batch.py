# SPDX-License-Identifier: MIT
"""The batch type: construction, views, printing, operators, functions, errors."""
import gc
import math
from fractions import Fraction

import numpy as np
import pytest

import infnum as lc
from infnum import Batch, eps


def rows(b):
    return b.tolist()


def test_reals_and_text_round_trip():
    b = Batch([1.5, 0.0, -2.0])
    assert rows(b) == ["1.5", "0", "-2"]
    t = Batch(["1 + 2ε - 0.5ε^(1/2) + O(ε^3)", "3eps^-1", "0"])
    assert rows(t) == ["1 - 0.5ε^(1/2) + 2ε + O(ε^3)", "3ε^-1", "0"]
    again = Batch.parse(rows(t))
    assert rows(again) == rows(t)
    assert str(Batch("2 + ε")) == "2 + ε"
    assert t.row_str(1, eps="eps") == "3eps^-1"


def test_views_are_the_c_arrays():
    b = Batch(["1 - 0.5ε^(1/2) + 2ε + O(ε^3)", "ε^-1"])
    assert b.den == 16
    assert b.row_ptr.tolist() == [0, 3, 4]
    assert b.exps.tolist() == [0, 8, 16, -16]
    assert b.coeffs.tolist() == [1.0, -0.5, 2.0, 1.0]
    assert b.bound.tolist() == [48, lc.EXACT]
    c1, c2 = b.coeffs, b.coeffs
    assert np.shares_memory(c1, c2) and not c1.flags.owndata and not c1.flags.writeable
    from infnum._lib import ffi
    assert c1.ctypes.data == int(ffi.cast("uintptr_t", b._b.coeffs))  # no copy
    exps = b.exps
    del b
    gc.collect()
    assert exps.tolist() == [0, 8, 16, -16]  # the view keeps its batch alive


def test_csr_construction_and_validation():
    b = Batch.csr([0, 2, 2], [0, 16], [1.0, 3.0], den=16)
    assert rows(b) == ["1 + 3ε", "0"]
    b = Batch.csr([0, 1], [0], [2.0], bound=[32])
    assert rows(b) == ["2 + O(ε^2)"]
    with pytest.raises(lc.InvalidError, match="lc_batch_from_csr"):
        Batch.csr([0, 2], [16, 0], [1.0, 1.0])  # unsorted exponents
    with pytest.raises(ValueError):
        Batch.csr([0, 3], [0], [1.0])


def test_point_and_monomial():
    assert rows(Batch.point([1.0, 2.0], [1.0, -3.0])) == ["1 + ε", "2 - 3ε"]
    assert rows(Batch.monomial(2.0, Fraction(1, 2), 2)) == ["2ε^(1/2)", "2ε^(1/2)"]
    assert rows(eps) == ["ε"]


def test_arithmetic():
    x = 1 + eps
    assert rows(x * (1 - eps)) == ["1 - ε^2"]
    assert rows(x - 1) == ["ε"]
    assert rows(2 - x) == ["1 - ε"]
    assert rows(-x) == ["-1 - ε"]
    assert rows(x + x) == ["2 + 2ε"]
    assert rows(x ** 2) == ["1 + 2ε + ε^2"]
    assert rows(eps ** -1) == ["ε^-1"]
    assert rows(Batch("4 + 4ε") ** Fraction(1, 2)).pop(0).startswith("2 + ε - 0.25ε^2")
    assert rows(eps / eps) == ["1"]
    assert rows(1 / eps) == ["ε^-1"]
    assert rows(abs(-eps)) == ["ε"]
    # a one-row operand broadcasts; a NumPy array is a batch of reals
    assert rows(Batch([1.0, 2.0]) * eps) == ["ε", "2ε"]
    assert rows(np.array([1.0, 2.0]) + eps) == ["1 + ε", "2 + ε"]


def test_order():
    assert (eps > 0).all() and (eps < 1e-300).all()
    assert (-1 / eps < -1e300).all()
    b = Batch.point([0.0, 0.0, 1.0], [1.0, -1.0, 0.0])
    assert (b > 0).tolist() == [True, False, True]
    assert (b == Batch([0.0, 0.0, 1.0])).tolist() == [False, False, True]
    assert (b != b).tolist() == [False] * 3
    assert (b == None) is False and (b != object()) is True  # noqa: E711


def test_functions_match_numpy_on_reals():
    x = np.array([0.3, 1.7, 2.5])
    for name in ("exp", "log", "sin", "cos", "tanh", "sqrt"):
        got = getattr(lc, name)(x).std()
        np.testing.assert_allclose(got, getattr(np, name)(x), rtol=1e-15)
    np.testing.assert_allclose(lc.sigmoid(x).std(), 1 / (1 + np.exp(-x)), rtol=1e-15)
    np.testing.assert_allclose(lc.softplus(x).std(), np.log1p(np.exp(x)), rtol=1e-15)
    np.testing.assert_allclose(lc.recip(x).std(), 1 / x, rtol=1e-15)
    assert lc.exp(eps).coeff(1).tolist() == [1.0]


def test_discontinuities_decided_by_the_order():
    half = Batch.point([0.5, 0.5, 0.5], [-1.0, 0.0, 1.0])
    assert lc.round(half).std().tolist() == [0.0, 1.0, 1.0]
    assert lc.floor(Batch.point([1.0, 1.0], [-1.0, 1.0])).std().tolist() == [0.0, 1.0]
    assert lc.ceil(Batch.point([1.0, 1.0], [-1.0, 1.0])).std().tolist() == [1.0, 2.0]
    assert lc.step(Batch([-1.0, 0.0]) + eps).std().tolist() == [0.0, 1.0]
    assert lc.sign(-eps).std().tolist() == [-1.0]
    assert rows(lc.relu(Batch.point([0.0, 0.0], [1.0, -1.0]))) == ["ε", "0"]
    assert rows(lc.max(eps, 2 * eps)) == ["2ε"] and rows(lc.min(eps, 2 * eps)) == ["ε"]
    assert lc.argmax(Batch.point([1, 1, 0, 5, 5, 5], [1, 2, 0, 0, -1, 0]), 3).tolist() == [1, 0]
    with pytest.raises(ValueError):
        lc.argmax(Batch([1.0, 2.0]), 3)


def test_settings_and_conventions():
    assert lc.step(0.0).std().tolist() == [0.0]
    with lc.settings(h0="half", sign0=0.25, round_tie="even"):
        assert lc.step(0.0).std().tolist() == [0.5]
        assert lc.sign(0.0).std().tolist() == [0.25]
        assert lc.round([0.5, 1.5]).std().tolist() == [0.0, 2.0]
    assert lc.context().h0 == "zero" and lc.context().round_tie == "away"
    with pytest.raises(ValueError):
        lc.context().h0 = "sometimes"
    with pytest.raises(TypeError):
        with lc.settings(colour="red"):
            pass


def test_errors_carry_the_library_message():
    with pytest.raises(lc.DomainError, match=r"^lc_log: .*infinitesimal"):
        lc.log(eps)
    with pytest.raises(ZeroDivisionError):
        Batch(1.0) / Batch(0.0)
    with pytest.raises(lc.ShapeError):
        Batch([1.0, 2.0]) + Batch([1.0, 2.0, 3.0])
    with pytest.raises(lc.UndecidedError):
        lc.sign(Batch("O(ε)"))
    with pytest.raises(lc.ParseError):
        Batch("1 + + ε")
    with pytest.raises(lc.DomainError):
        lc.floor(1 / eps)


def test_indexing_and_float():
    b = Batch([1.0, 2.0, 3.0]) + eps
    assert rows(b[1]) == ["2 + ε"] and rows(b[::2]) == ["1 + ε", "3 + ε"]
    assert len(b) == 3 and b.nnz == 6
    assert float(b[2]) == 3.0
    with pytest.raises(TypeError):
        float(b)
    with pytest.raises(IndexError):
        b.row_str(3)
    assert b.leading(0) == (Fraction(0), 1.0)
    assert math.isclose(float(lc.pow(b[0], 3)), 1.0)


def test_storage_types():
    b = Batch(["1 + 2ε", "0.1ε^(1/2)"])
    f = b.convert("f32", "i64")
    assert f.coeffs.dtype == np.float32 and f.exps.dtype == np.int64
    assert f.exps.tolist() == b.exps.tolist()
    assert f.coeffs.tolist() == np.float32(b.coeffs).tolist()
    assert rows(f.convert()) == ["1 + 2ε", "0.10000000149011612ε^(1/2)"]
    assert rows(f + f)[0] == "2 + 4ε"
    with pytest.raises(ValueError):
        b.convert("f16")


def test_contexts_are_per_thread():
    import threading

    seen = []

    def work():
        with lc.settings(h0="one"):
            seen.append(lc.step(0.0).std()[0])

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == [1.0] and lc.step(0.0).std()[0] == 0.0
