"""torch.linalg.eigh on general symmetric matrices (by property and sign-invariant gradients),
torch.special against real torch, torch.utils.checkpoint against real torch."""
import signal
import warnings

import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch


@pytest.fixture(autouse=True)
def _time_limit():
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("test hung")))
    signal.alarm(60)
    yield
    signal.alarm(0)


def _spd(n, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    b = rng.uniform(-1, 1, (2, n, n))
    return ((b + b.swapaxes(-1, -2)) / 2 + np.arange(n) * np.eye(n)).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_eigh_values_and_reconstruction(dtype):
    a = _spd(4, 0, dtype)
    w, v = T.linalg.eigh(T.from_numpy(a.copy()))
    tw, _ = torch.linalg.eigh(torch.from_numpy(a.copy()))
    np.testing.assert_allclose(w.numpy(), tw.numpy(), rtol=1e-4, atol=1e-5)
    rec = v.numpy() @ (w.numpy()[..., None] * v.numpy().swapaxes(-1, -2))
    np.testing.assert_allclose(rec, a, atol=1e-4 if dtype == np.float32 else 1e-10)
    assert w.dtype == T.float32 if dtype == np.float32 else T.float64


def test_eigh_gradient_of_sign_invariant_loss_matches_torch():
    a = _spd(4, 1)
    c = np.random.default_rng(2).uniform(-1, 1, (2, 4, 4))

    def run(lib):
        x = lib.from_numpy(a.copy()).requires_grad_(True)
        w, v = lib.linalg.eigh(x)
        loss = (w * w).sum() + ((v * v) * lib.from_numpy(c.copy())).sum()
        loss.backward()
        return x.grad.numpy()
    np.testing.assert_allclose(run(T), run(torch), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name,lo,hi", [("expit", -5, 5), ("logit", 0.05, 0.95), ("erf", -3, 3), ("erfc", -3, 3),
                                        ("erfinv", -0.9, 0.9), ("gammaln", 0.1, 5), ("digamma", 0.1, 5),
                                        ("ndtr", -5, 5), ("ndtri", 0.05, 0.95), ("log_ndtr", -40, 5),
                                        ("i0", -4, 4), ("i0e", -4, 4), ("i1", -4, 4), ("i1e", -4, 4),
                                        ("log1p", -0.9, 3), ("expm1", -3, 3), ("exp2", -3, 3), ("sinc", -3, 3),
                                        ("entr", -1, 3), ("psi", 0.1, 5)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_special_unary_matches_torch(name, lo, hi, dtype):
    x = np.linspace(lo, hi, 23).astype(dtype)
    ours = getattr(T.special, name)(T.from_numpy(x.copy()))
    ref = getattr(torch.special, name)(torch.from_numpy(x.copy()))
    assert str(ours.dtype) == str(ref.dtype)
    np.testing.assert_allclose(ours.numpy(), ref.numpy(), rtol=2e-5 if dtype == np.float32 else 1e-9, atol=1e-6)


def test_special_binary_and_reductions_match_torch():
    a = np.array([0.0, 0.5, 2.0, 3.0], np.float32)
    b = np.array([1.0, 0.0, 3.0, np.nan], np.float32)
    for name in ("xlogy", "xlog1py"):
        np.testing.assert_allclose(getattr(T.special, name)(T.from_numpy(a), T.from_numpy(b)).numpy(),
                                   getattr(torch.special, name)(torch.from_numpy(a), torch.from_numpy(b)).numpy(),
                                   rtol=1e-6)
    m = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    for name, args in (("logsumexp", (1,)), ("softmax", (0,)), ("log_softmax", (1,))):
        np.testing.assert_allclose(getattr(T.special, name)(T.from_numpy(m), *args).numpy(),
                                   getattr(torch.special, name)(torch.from_numpy(m), *args).numpy(), rtol=1e-5,
                                   atol=1e-6)
    np.testing.assert_allclose(T.special.multigammaln(T.tensor([2.5, 3.0]), 2).numpy(),
                               torch.special.multigammaln(torch.tensor([2.5, 3.0]), 2).numpy(), rtol=1e-6)


def _ckpt_run(lib, reentrant, p):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.Tanh(), lib.nn.Dropout(p), lib.nn.Linear(8, 3))
    x = lib.from_numpy(np.linspace(-1, 1, 20, dtype=np.float32).reshape(5, 4).copy()).requires_grad_(True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = lib.utils.checkpoint.checkpoint(m, x, use_reentrant=reentrant)
    (y * y).sum().backward()
    return [y.detach().numpy(), x.grad.numpy()] + [q.grad.numpy() for q in m.parameters()]


@pytest.mark.parametrize("reentrant", [True, False])
@pytest.mark.parametrize("p", [0.0, 0.5])
def test_checkpoint_matches_torch_and_replays_dropout(reentrant, p):
    for ours, ref in zip(_ckpt_run(T, reentrant, p), _ckpt_run(torch, reentrant, p)):
        np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-6)


def test_checkpoint_nonreentrant_reaches_parameters_without_input_grad_and_sequential():
    T.manual_seed(0)
    m = T.nn.Linear(3, 2)
    T.utils.checkpoint.checkpoint(m, T.ones(4, 3), use_reentrant=False).sum().backward()
    np.testing.assert_allclose(m.weight.grad.numpy(), np.full((2, 3), 4.0))
    seq = T.nn.Sequential(*[T.nn.Linear(3, 3) for _ in range(4)])
    x = T.ones(2, 3, requires_grad=True)
    T.utils.checkpoint.checkpoint_sequential(seq, 2, x, use_reentrant=False).sum().backward()
    assert x.grad.shape == (2, 3) and all(q.weight.grad is not None for q in seq)
    with pytest.raises(ValueError):
        T.utils.checkpoint.checkpoint(m, T.ones(1, 3), use_reentrant=True, foo=1)
