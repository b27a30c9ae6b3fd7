# SPDX-License-Identifier: MIT
"""ngrad, ngrad_vec, nderiv, decode of Python callables, against the field's
values and the same computation written in C."""
import math

import numpy as np
import pytest

import infnum as lc
from infnum import Batch, decode, nderiv, ngrad, ngrad_vec, sin, step
from infnum._deriv import _native_ngrad


def test_ngrad_of_a_program_with_a_jump():
    d = ngrad(lambda x: x * sin(x) + step(x - 1), 1.0)
    assert d.coeff(-1).tolist() == [1.0]                  # the jump f(1+) - f(1) = 1
    assert math.isclose(d.coeff(0)[0], math.sin(1) + math.cos(1), rel_tol=1e-15)


def test_testing_matrix():
    x = np.array([-1.5, -0.5, 0.0, 0.5, 2.0])
    regular, _ = decode(abs, x)                           # abs -> sign
    assert regular.tolist() == np.sign(x).tolist()
    _, mass = decode(step, x)                             # step -> point mass 1 at 0
    assert mass.tolist() == [0, 0, 1, 0, 0]
    h = np.array([-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.25])
    _, mass = decode(lc.round, h)                         # round -> point mass 1 at half-integers
    assert mass.tolist() == [1, 0, 1, 0, 1, 0, 1, 0]


@pytest.mark.parametrize("name", ["abs", "step", "round", "sign", "floor", "relu", "sin", "exp"])
def test_python_callable_gives_the_c_result(name):
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.uniform(-3, 3, 500), [0.0, 0.5, -0.5, 1.0, 2.5]])
    a = ngrad(getattr(lc, name), x)
    b = _native_ngrad(name, x)
    assert a.den == b.den
    for view in ("row_ptr", "exps", "coeffs", "bound"):
        assert np.array_equal(getattr(a, view), getattr(b, view)), view


def test_ngrad_of_random_polynomials():
    rng = np.random.default_rng(3)
    for _ in range(20):
        c = rng.normal(size=5)
        x = rng.uniform(-2, 2, 50)
        d = ngrad(lambda t: sum(ci * t ** i for i, ci in enumerate(c)), x).coeff(0)
        np.testing.assert_allclose(d, np.polyval(np.polyder(c[::-1]), x), rtol=1e-12, atol=1e-12)


def test_ngrad_vec_and_nderiv():
    rows, grad = ngrad_vec(lambda x, y: x * y + sin(x), [1.0, 2.0])
    np.testing.assert_allclose(grad, [2 + math.cos(1), 1.0], rtol=1e-15)
    assert rows.nrows == 2
    np.testing.assert_allclose(nderiv(lambda x: x ** 3, [2.0, -1.0], 2), [12.0, -6.0])
    np.testing.assert_allclose(nderiv(lc.exp, [0.5], 3), [math.exp(0.5)], rtol=1e-14)
    with pytest.raises(lc.InvalidError):
        nderiv(lc.exp, [0.5], 50)  # k must stay below the depth


def test_constants_broadcast_and_bad_results():
    assert ngrad(lambda x: 3.0, [1.0, 2.0]).tolist() == ["0", "0"]
    with pytest.raises(ValueError, match="rows"):
        ngrad(lambda x: Batch([1.0, 2.0]), [1.0, 2.0, 3.0])
    with pytest.raises(TypeError):
        ngrad(3.0, [1.0])
    with pytest.raises(ValueError, match="finite"):
        ngrad(lc.sin, [math.nan])


def test_exceptions_of_the_callable_propagate():
    class Boom(Exception):
        pass

    def f(x):
        raise Boom("inside f")

    with pytest.raises(Boom, match="inside f"):
        ngrad(f, [1.0, 2.0])
    with pytest.raises(lc.DomainError, match="lc_log"):
        ngrad(lambda x: lc.log(x - 1), [1.0])  # log of an infinitesimal


def test_estimators_by_spec():
    kinds = lc.estimator_kinds()
    assert {"classical", "ste", "ste_clipped", "surrogate"} <= set(kinds)
    u = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    assert lc.Estimator("ste").deriv("step", u).tolist() == [1.0] * 5
    assert lc.Estimator("ste_clipped").deriv("sign", u).tolist() == [0, 1, 1, 1, 0]
    s = lc.Estimator("surrogate:tau=0.5").deriv("step", u)
    sig = 1 / (1 + np.exp(-u / 0.5))
    np.testing.assert_allclose(s, sig * (1 - sig) / 0.5, rtol=1e-14)
    with pytest.raises(lc.InvalidError, match="lc_est_from_name"):
        lc.Estimator("surrogate:tau=-1")
    with pytest.raises(ValueError):
        lc.Estimator("ste").deriv("teleport", u)
