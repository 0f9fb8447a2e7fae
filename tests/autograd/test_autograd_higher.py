"""Higher-order autograd parity with real torch: grad of grad for a list of ops, a WGAN-GP
gradient penalty, gradcheck/gradgradcheck, torch.autograd.functional."""
import numpy as np
import pytest
import torch

import mstorch
from test_autograd_engine import both

MT = mstorch.torch
_rng = np.random.default_rng(0)


def arr(*shape, low=-1.0, high=1.0):
    return _rng.uniform(low, high, size=shape).astype(np.float32)


def fn_of(L, name):
    """L.name or L.nn.functional.name; None when mstorch's table lacks it (then skip, below)."""
    for ns in (L, L.nn.functional):
        try:
            return getattr(ns, name)
        except AttributeError:
            pass
    return None


# op name -> (inputs as numpy arrays, program(L, *tensors) -> tensor)
def _cases():
    P = dict(low=0.5, high=2.0)
    w4 = arr(4)
    return {
        "add": ([arr(3, 4), arr(4)], lambda L, a, b: (a + b) * (a + b)),
        "sub": ([arr(3, 4), arr(3, 4)], lambda L, a, b: (a - b) ** 2),
        "mul": ([arr(3, 4), arr(3, 4)], lambda L, a, b: a * b * a),
        "div": ([arr(3, 4), arr(3, 4, **P)], lambda L, a, b: a / b),
        "pow": ([arr(3, 4, **P), arr(3, 4)], lambda L, a, b: L.pow(a, b) + a ** 3),
        "exp": ([arr(3, 4)], lambda L, a: a.exp()),
        "log": ([arr(3, 4, **P)], lambda L, a: a.log()),
        "sqrt": ([arr(3, 4, **P)], lambda L, a: a.sqrt()),
        "sin": ([arr(3, 4)], lambda L, a: a.sin()),
        "cos": ([arr(3, 4)], lambda L, a: a.cos()),
        "tanh": ([arr(3, 4)], lambda L, a: a.tanh()),
        "sigmoid": ([arr(3, 4)], lambda L, a: a.sigmoid()),
        "relu": ([arr(3, 4)], lambda L, a: L.relu(a) * a),
        "gelu": ([arr(3, 4)], lambda L, a: L.nn.functional.gelu(a)),
        "silu": ([arr(3, 4)], lambda L, a: L.nn.functional.silu(a)),
        "softplus": ([arr(3, 4)], lambda L, a: L.nn.functional.softplus(a)),
        "softmax": ([arr(3, 4)], lambda L, a: L.softmax(a, -1) * L.tensor(w4)),
        "log_softmax": ([arr(3, 4)], lambda L, a: L.log_softmax(a, 1) * L.tensor(w4)),
        "matmul": ([arr(3, 4), arr(4, 2)], lambda L, a, b: L.matmul(a, b) ** 2),
        "linear": ([arr(3, 4), arr(2, 4), arr(2)], lambda L, x, w, b: L.nn.functional.linear(x, w, b) ** 2),
        "sum": ([arr(3, 4)], lambda L, a: a.sum(1) ** 2),
        "mean": ([arr(3, 4)], lambda L, a: a.mean(0) ** 2),
        "var": ([arr(3, 4)], lambda L, a: a.var(1)),
        "norm": ([arr(3, 4)], lambda L, a: a.norm() + L.norm(a, dim=1)),
        "logsumexp": ([arr(3, 4)], lambda L, a: L.logsumexp(a, 1)),
        "layer_norm": ([arr(3, 4), arr(4), arr(4)],
                       lambda L, x, w, b: L.nn.functional.layer_norm(x, (4,), w, b) * L.tensor(w4)),
        "conv2d": ([arr(1, 2, 5, 5), arr(3, 2, 3, 3), arr(3)],
                   lambda L, x, w, b: L.nn.functional.conv2d(x, w, b, padding=1) ** 2),
        "max_pool2d": ([arr(1, 2, 4, 4)], lambda L, x: L.nn.functional.max_pool2d(x, 2) ** 2),
        "cross_entropy": ([arr(3, 5)], lambda L, x: L.nn.functional.cross_entropy(x, L.tensor([1, 0, 4]))),
        "mse_loss": ([arr(3, 4), arr(3, 4)], lambda L, a, b: L.nn.functional.mse_loss(a, b)),
        "scaled_dot_product_attention": (
            [arr(1, 3, 4), arr(1, 3, 4), arr(1, 3, 4)],
            lambda L, q, k, v: L.nn.functional.scaled_dot_product_attention(q, k, v) ** 2),
        "where": ([arr(3, 4), arr(3, 4)], lambda L, a, b: L.where(a > 0, a * a, b.exp())),
        "getitem": ([arr(3, 4)], lambda L, a: a[1:, [0, 2, 3]] ** 3 + a[0, :3] * a[2, 1:]),
        "cat": ([arr(2, 4), arr(3, 4)], lambda L, a, b: L.cat([a * a, b.exp()], 0)),
    }


CASES = _cases()
@pytest.mark.parametrize("name", list(CASES))
def test_second_order_parity(name):
    inputs, prog = CASES[name]

    def f(L):
        xs = [L.tensor(a, requires_grad=True) for a in inputs]
        out = prog(L, *xs)
        gs = L.autograd.grad(out.sum(), xs, create_graph=True)
        # a scalar mixing every first derivative non-linearly: its grad needs the second derivatives
        s = sum(((g * g).sum() + (g * x).sum()) for g, x in zip(gs, xs))
        ggs = L.autograd.grad(s, xs, allow_unused=True)
        return out, gs, [g if g is not None else L.zeros_like(x) for g, x in zip(ggs, xs)]
    both(f, rtol=2e-4, atol=2e-5)


def test_wgan_gp_gradient_penalty():
    """Critic = Linear-ReLU-Linear; penalty (||d critic / d x_hat|| - 1)^2 trained by backward."""
    w1, b1, w2, b2 = arr(8, 4), arr(8), arr(1, 8), arr(1)
    real, fake, eps = arr(5, 4), arr(5, 4), _rng.uniform(size=(5, 1)).astype(np.float32)

    def f(L):
        F = L.nn.functional
        params = [L.tensor(p, requires_grad=True) for p in (w1, b1, w2, b2)]

        def critic(x):
            return F.linear(F.relu(F.linear(x, params[0], params[1])), params[2], params[3])
        e = L.tensor(eps)
        x_hat = (e * L.tensor(real) + (1 - e) * L.tensor(fake)).requires_grad_(True)
        d = critic(x_hat)
        g, = L.autograd.grad(d, x_hat, grad_outputs=L.ones_like(d), create_graph=True, retain_graph=True)
        gp = ((g.norm(2, dim=1) - 1) ** 2).mean()
        loss = critic(L.tensor(fake)).mean() - critic(L.tensor(real)).mean() + 10 * gp
        loss.backward()
        # x_hat.grad is left out: torch gives zeros there (threshold_backward's double
        # backward returns zeros_like for relu's input); our relu formula has no path (None).
        return gp, loss, [p.grad for p in params]
    both(f, rtol=2e-4, atol=2e-5)


GRADCHECK_OPS = {
    "mul": ([(3,), (3,)], lambda L, a, b: a * b),
    "div": ([(3,), (3,)], lambda L, a, b: a / (b * b + 1)),
    "exp": ([(2, 3)], lambda L, a: a.exp()),
    "tanh": ([(2, 3)], lambda L, a: a.tanh()),
    "sigmoid": ([(2, 3)], lambda L, a: a.sigmoid()),
    "softmax": ([(2, 3)], lambda L, a: L.softmax(a, 1)),
    "log_softmax": ([(2, 3)], lambda L, a: L.log_softmax(a, 0)),
    "sum": ([(2, 3)], lambda L, a: a.sum(0)),
    "mean": ([(2, 3)], lambda L, a: a.mean(1, keepdim=True)),
    "var": ([(2, 3)], lambda L, a: a.var(1)),
    "logsumexp": ([(2, 3)], lambda L, a: L.logsumexp(a, 1)),
    "norm": ([(2, 3)], lambda L, a: a.norm(dim=1)),
    "where": ([(2, 3), (2, 3)], lambda L, a, b: L.where(a > 0, a, b * 2)),
    "getitem": ([(3, 3)], lambda L, a: a[1:, ::2]),
    "cat": ([(2, 2), (1, 2)], lambda L, a, b: L.cat([a, b], 0)),
    "linear": ([(2, 3), (4, 3)], lambda L, x, w: L.nn.functional.linear(x, w)),
    "mse_loss": ([(2, 3), (2, 3)], lambda L, a, b: L.nn.functional.mse_loss(a, b)),
    "gelu": ([(2, 3)], lambda L, a: L.nn.functional.gelu(a)),
    "softplus": ([(2, 3)], lambda L, a: L.nn.functional.softplus(a)),
    "transpose": ([(2, 3)], lambda L, a: a.t().reshape(6)),
}


@pytest.mark.parametrize("name", list(GRADCHECK_OPS))
def test_gradcheck_float64(name):
    shapes, prog = GRADCHECK_OPS[name]
    rng = np.random.default_rng(1)
    inputs = [MT.tensor(rng.uniform(-1, 1, s), dtype=MT.float64, requires_grad=True) for s in shapes]
    assert MT.autograd.gradcheck(lambda *xs: prog(MT, *xs), inputs)


@pytest.mark.parametrize("name", ["mul", "tanh", "softmax", "logsumexp"])
def test_gradgradcheck_float64(name):
    shapes, prog = GRADCHECK_OPS[name]
    rng = np.random.default_rng(2)
    inputs = [MT.tensor(rng.uniform(-1, 1, s), dtype=MT.float64, requires_grad=True) for s in shapes]
    assert MT.autograd.gradgradcheck(lambda *xs: prog(MT, *xs), inputs)


def test_gradcheck_catches_a_wrong_backward():
    class Bad(MT.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g  # wrong: should be 2 * x * g
    x = MT.tensor([0.3, -0.7], dtype=MT.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        MT.autograd.gradcheck(Bad.apply, (x,))
    assert MT.autograd.gradcheck(Bad.apply, (x,), raise_exception=False) is False


def test_functional_vjp_jacobian_hessian():
    a0, b0, v0 = arr(3), arr(3), arr(3)

    def f(L):
        AF = L.autograd.functional

        def fn(x, y):
            return x.exp() * y + x * x

        def scalar(x):
            return (x.sin() * x).sum()
        x, y, v = L.tensor(a0), L.tensor(b0), L.tensor(v0)
        out, vj = AF.vjp(fn, (x, y), v)
        jac = AF.jacobian(fn, (x, y))
        jac1 = AF.jacobian(lambda t: t.exp(), x)
        hes = AF.hessian(scalar, x)
        _, vh = AF.vhp(scalar, x, v)
        _, hv = AF.hvp(scalar, x, v)
        _, jv = AF.jvp(fn, (x, y), (v, v))
        return out, vj, jac, jac1, hes, vh, hv, jv, x.requires_grad
    both(f, rtol=1e-4, atol=1e-5)


def test_functional_create_graph():
    a0 = arr(3)

    def f(L):
        x = L.tensor(a0, requires_grad=True)
        jac = L.autograd.functional.jacobian(lambda t: t ** 3, x, create_graph=True)
        jac.sum().backward()
        return jac, x.grad
    both(f, rtol=1e-4, atol=1e-5)
