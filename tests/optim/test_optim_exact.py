"""Optimizer numbers against real torch, to float rounding.

Each step starts both optimizers from the same state (torch's, copied into mstorch's after
every step), so what is compared is one step's rounding: state tensors within 1 ulp of
torch's, parameters within the ulps each test states, measured against the larger operand
of the step's last add (most elements are bit-equal). Run freely, 1-ulp differences in a
parameter compound (an element crossing zero has a tiny ulp), which says nothing about the
formula. Adam/AdamW by default and with fused=True also run 100 steps freely against
torch's fused kernel, which rounds as ours does (torch's single-tensor loop differs from it
in its vectorized sqrt, which is not always correctly rounded)."""
import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch
N, STEPS = 3001, 50  # odd size: vectorized tails too

ADAM_CASES = [("Adam", {}), ("AdamW", {}), ("Adam", {"amsgrad": True}), ("Adam", {"maximize": True}),
              ("Adam", {"weight_decay": 0.1}), ("AdamW", {"weight_decay": 0.1, "amsgrad": True}),
              ("Adam", {"betas": (0.3, 0.9), "lr": 0.1, "eps": 1e-3})]  # beta1 0.3: lerp's other branch
_NOT_YET = pytest.mark.xfail(strict=True, reason="not yet rounded like torch: its kernels fuse multiply-adds "
                             "(add with alpha, addcmul, lerp) that this implementation rounds twice")
OTHER_CASES = [("SGD", {"lr": 0.1}), ("SGD", {"lr": 0.1, "momentum": 0.9})] + [
    pytest.param(c, k, marks=_NOT_YET) for c, k in [
        ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
        ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.3}),
        ("RMSprop", {}), ("RMSprop", {"momentum": 0.9, "centered": True}), ("Adagrad", {}),
        ("Adamax", {}), ("NAdam", {}), ("RAdam", {}), ("Adadelta", {})]]


def _data(seed=0, n=N):
    rng = np.random.default_rng(seed)
    p0 = rng.standard_normal(n).astype(np.float32)
    return p0, [rng.standard_normal(n).astype(np.float32) * 0.1 for _ in range(100)]


def _pair(cls, kw, p0, ours_kw=None):
    pt = torch.nn.Parameter(torch.from_numpy(p0.copy()))
    pm = T.nn.Parameter(T.tensor(p0.copy()))
    return (pt, getattr(torch.optim, cls)([pt], **kw)), (pm, getattr(T.optim, cls)([pm], **(ours_kw or kw)))


def _within_ulps(ours, ref, what, before, ulps=1):
    """1 ulp of the larger operand of the step's last rounding: the value before the step or after it
    (an element stepping across zero has ulps far smaller than the step it took)."""
    ours, ref = np.asarray(ours), np.asarray(ref)
    assert ours.dtype == ref.dtype, what
    diff = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
    ulp = np.spacing(np.maximum(np.maximum(np.abs(ours), np.abs(ref)), np.abs(before)))
    bad = diff > ulps * ulp
    assert not bad.any(), f"{what}: {int(bad.sum())} elements more than {ulps} ulp off, worst {diff[bad].max()}"


def _state_tensors(opt, p):
    return {k: v for k, v in opt.state[p].items() if k != "step" and hasattr(v, "numpy") and v.dim() > 0}


def _stepwise(cls, kw, steps=STEPS, ours_kw=None, param_ulps=1):
    p0, grads = _data()
    (pt, opt_t), (pm, opt_m) = _pair(cls, kw, p0, ours_kw)
    for i, g in enumerate(grads[:steps]):
        before = {"param": pt.detach().numpy().copy(),
                  **{k: v.numpy().copy() for k, v in _state_tensors(opt_t, pt).items()}}
        pt.grad, pm.grad = torch.from_numpy(g.copy()), T.tensor(g.copy())
        opt_t.step()
        opt_m.step()
        ref_state, our_state = _state_tensors(opt_t, pt), _state_tensors(opt_m, pm)
        assert sorted(ref_state) == sorted(our_state)
        _within_ulps(pm.detach().numpy(), pt.detach().numpy(), f"{cls}{kw} step {i + 1}: param",
                     before["param"], param_ulps)
        for k, v in ref_state.items():
            _within_ulps(our_state[k].numpy(), v.numpy(), f"{cls}{kw} step {i + 1}: {k}",
                         before.get(k, np.zeros_like(v.numpy())))
        with T.no_grad():  # next step from torch's state
            pm.copy_(T.tensor(pt.detach().numpy().copy()))
            for k, v in ref_state.items():
                our_state[k].copy_(T.tensor(v.numpy().copy()))


@pytest.mark.parametrize("cls,kw", ADAM_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_adam_default_rounds_like_torch_each_step(cls, kw):
    # torch's single-tensor loop takes sqrt from its vectorized math, up to 1 ulp off the
    # correctly rounded root NumPy (and torch's fused kernel) computes: through the quotient
    # and the final add a parameter can land a few ulps apart (2-3 measured, rarely; the state
    # tensors stay within 1 ulp).
    _stepwise(cls, kw, param_ulps=4)


@pytest.mark.parametrize("cls,kw", ADAM_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_adam_fused_rounds_like_torch_each_step(cls, kw):
    _stepwise(cls, kw, steps=20, ours_kw={**kw, "fused": True}, param_ulps=4)


@pytest.mark.parametrize("fused", [None, True])
@pytest.mark.parametrize("cls,kw", ADAM_CASES[:6], ids=lambda v: v if isinstance(v, str) else None)
def test_adam_bit_equal_to_torch_fused_over_100_steps(cls, kw, fused):
    # A multiple of 16 elements: torch's fused kernel runs its vectorized tail in scalar code,
    # which does not fuse addcmul's multiply-add (measured: the last element's exp_avg_sq
    # differs by 1 ulp), while its single-tensor loop rounds the tail like the body.
    p0, grads = _data(1, n=3008)
    (pt, opt_t), (pm, opt_m) = _pair(cls, {**kw, "fused": True}, p0, {**kw, "fused": fused})
    for g in grads:
        pt.grad, pm.grad = torch.from_numpy(g.copy()), T.tensor(g.copy())
        opt_t.step()
        opt_m.step()
    np.testing.assert_array_equal(pm.detach().numpy(), pt.detach().numpy())
    for k, v in _state_tensors(opt_t, pt).items():
        np.testing.assert_array_equal(_state_tensors(opt_m, pm)[k].numpy(), v.numpy())


@pytest.mark.parametrize("cls,kw", OTHER_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_other_optimizers_round_like_torch_each_step(cls, kw):
    _stepwise(cls, kw)
