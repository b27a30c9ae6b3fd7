# SPDX-License-Identifier: MIT
"""The PyTorch bridge: forward values, each estimator's backward against the
engine's lc_est_deriv, gradcheck on the smooth paths, modules."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import infnum as lc  # noqa: E402
import infnum.torch as it  # noqa: E402

PRIMS = ["step", "sign", "floor", "ceil", "round", "abs", "relu"]


def specs():
    """Every kind of the engine with its defaults, and a few settings."""
    out = list(lc.estimator_kinds())
    out += ["surrogate:tau=0.25", "kernel:kernel=uniform,sigma=1", "nonstandard:sigma=0.5"]  # the former name too
    return [s for s in out if _parses(s)]


def _parses(spec):
    try:
        lc.Estimator(spec)
        return True
    except lc.InfnumError:
        return False


def points(n=400, seed=1):
    rng = np.random.default_rng(seed)
    u = rng.uniform(-3, 3, n)
    u[:8] = [0.0, 0.5, -0.5, 1.0, -1.0, 2.5, 1e-9, -1e-9]  # breakpoints and their sides
    return u


@pytest.mark.parametrize("spec", specs())
@pytest.mark.parametrize("prim", PRIMS)
def test_backward_is_lc_est_deriv(spec, prim):
    u = points()
    g = np.random.default_rng(2).normal(size=u.size)
    try:
        want = g * lc.Estimator(spec).deriv(prim, u)
    except lc.InfnumError as e:  # an estimator that does not apply to prim
        x = torch.tensor(u, requires_grad=True)
        with pytest.raises(type(e)):
            getattr(it, prim)(x, spec).backward(torch.tensor(g))
        return
    x = torch.tensor(u, requires_grad=True)
    getattr(it, prim)(x, spec).backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-12, atol=1e-12)
    # the same numbers as a backward pass of the engine's tape (60 entries:
    # a tape replays the loss per entry under the composite estimator)
    tape = it._tape_run(lc.Estimator(spec), it._OPS[prim].record, u[:60, None], g[:60, None])
    np.testing.assert_allclose(tape[:, 0], want[:60], rtol=1e-12, atol=1e-12)
    x32 = torch.tensor(u, dtype=torch.float32, requires_grad=True)
    y32 = getattr(it, prim)(x32, spec)
    y32.backward(torch.tensor(g, dtype=torch.float32))
    assert y32.dtype == x32.grad.dtype == torch.float32
    want32 = g * lc.Estimator(spec).deriv(prim, x32.detach().double().numpy())
    np.testing.assert_allclose(x32.grad.double().numpy(), want32, rtol=1e-6, atol=1e-6)


def test_forward_is_the_field_on_reals():
    u = torch.tensor([-1.5, -0.5, -0.2, 0.0, 0.5, 1.5, 2.5], dtype=torch.float64)
    assert it.step(u).tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert it.sign(u).tolist() == [-1, -1, -1, 0, 1, 1, 1]
    assert it.round(u).tolist() == [-2, -1, 0, 0, 1, 2, 3]  # ties away from zero
    assert it.floor(u).tolist() == [-2, -1, -1, 0, 0, 1, 2]
    assert it.abs(u).tolist() == [1.5, 0.5, 0.2, 0, 0.5, 1.5, 2.5]
    with lc.settings(h0="one", round_tie="even"):
        assert it.step(u)[3] == 1 and it.round(u).tolist()[-2:] == [2, 2]
    q = it.round_k(torch.tensor([-1.0, 0.2, 0.5, 0.9, 3.0]), 2)
    assert q.tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1, 1])
    h = it.hard_argmax(torch.tensor([[1.0, 3.0, 3.0], [0.0, -1.0, -2.0]]))
    assert h.tolist() == [[0, 1, 0], [1, 0, 0]]


@pytest.mark.parametrize("spec", specs())
def test_hard_argmax_backward(spec):
    rng = np.random.default_rng(5)
    a = rng.normal(size=(30, 4))
    a[0, 1] = a[0, 2]  # a tie
    g = rng.normal(size=a.shape)
    x = torch.tensor(a, requires_grad=True)
    it.hard_argmax(x, spec).backward(torch.tensor(g))
    want = np.zeros_like(a)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            others = np.delete(np.arange(a.shape[1]), j)
            k = others[np.argmax(a[i, others])]
            d = lc.Estimator(spec).deriv("step", [a[i, j] - a[i, k]])[0]
            want[i, j] += g[i, j] * d
            want[i, k] -= g[i, j] * d
    np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("spec", specs())
def test_round_k_backward_is_the_engines(spec):
    e, m = lc.Estimator(spec), 3.0
    u = np.concatenate([points(200), [0.0, 1.0, 1 / 6, 0.5]])
    g = np.random.default_rng(4).normal(size=u.size)
    x = torch.tensor(u, requires_grad=True)
    it.round_k(x, 2, spec).backward(torch.tensor(g))
    if lc.has_quant_deriv():  # the quantiser as one primitive
        want = g * e.quant_deriv(2, u)
    else:  # round(m·min(max(u, 0), 1)) / m, max(u, 0) = relu(u), min(v, 1) = v − relu(v − 1)
        v = np.maximum(u, 0)
        want = g * e.deriv("round", m * np.minimum(v, 1)) * (1 - e.deriv("relu", v - 1)) * e.deriv("relu", u)
    np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-12, atol=1e-12)
    # the tape's backward (under composite: its replay of the linear loss Σ g·y) agrees
    tape = it._tape_run(e, it._quant(2).record, u[:60, None], g[:60, None])
    np.testing.assert_allclose(tape[:, 0], want[:60], rtol=1e-12, atol=1e-12)


def test_gradcheck_on_smooth_paths():
    """Away from the breakpoints the classical estimator is the derivative."""
    x = torch.tensor([-2.3, -1.2, -0.3, 0.2, 0.7, 1.9], dtype=torch.float64, requires_grad=True)
    f = lambda t: (torch.sin(t) * it.abs(t) + it.relu(t) ** 2 + t * it.step(t) + it.round(t) * t
                   + it.sign(t) * t ** 3 + it.floor(t) * torch.exp(t) + it.ceil(t))
    assert torch.autograd.gradcheck(f, (x,))
    q = torch.tensor([-0.4, 0.1, 0.25, 0.6, 0.95, 1.4], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: it.round_k(t, 3) * t + torch.tanh(t), (q,))
    a = torch.tensor([[0.1, 0.9, -0.5], [2.0, 1.0, 0.5]], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: (it.hard_argmax(t) * t).sum(1), (a,))
    for spec in ("ste", "ste_clipped", "kernel:sigma=0.5"):  # kinks off 0: the a.e. derivative
        assert torch.autograd.gradcheck(lambda t: it.abs(t, spec) * it.relu(t, spec), (x,))


def test_modules_train():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 8), it.Step("ste"), torch.nn.Linear(8, 2),
                              it.HardArgmax("surrogate"))
    assert "est='ste'" in repr(net)
    x = torch.randn(16, 3)
    before = net[0].weight.detach().clone()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    (net(x)[:, 0] * torch.arange(16.0)).sum().backward()
    opt.step()
    assert not torch.equal(before, net[0].weight.detach())
    assert isinstance(it.RoundK(2, "ste")(torch.rand(4)), torch.Tensor)
    assert it.Sign("classical")(torch.tensor([-2.0, 3.0])).tolist() == [-1, 1]


def test_errors():
    x = torch.tensor([0.3, -0.2], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(it.step(x, "ste").sum(), x, create_graph=True)
    with pytest.raises(RuntimeError):  # the backward is not itself differentiable
        g.sum().backward()
    with pytest.raises(lc.InvalidError, match="lc_est_from_name"):
        it.step(torch.zeros(3), "kernel:sigma=0")
    with pytest.raises(TypeError):
        it.step(torch.zeros(3, dtype=torch.int64))
    with pytest.raises(ValueError):
        it.round_k(torch.zeros(3), 0)
    with pytest.raises(ValueError):
        it.hard_argmax(torch.zeros(3, 1))
    with pytest.raises(ValueError):
        it.Activation("teleport")
