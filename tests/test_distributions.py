"""torch.distributions (Distribution, Normal) vs real torch: shapes, moments, seeded samples,
log_prob/cdf/icdf/entropy, rsample gradients, expand, repr and validation errors."""
import importlib

import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch


def _scenario(lib):
    D = importlib.import_module("torch.distributions") if lib is torch else T.distributions
    lib.manual_seed(0)
    loc = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
    scale = lib.tensor([1.0, 0.5, 2.0])
    n = D.Normal(loc, scale)
    s = n.sample((2,))
    r = n.rsample((4,))
    r.sum().backward()
    v = lib.tensor([[0.1, 0.2, 0.3]])
    scalar = D.Normal(0.0, 1.0)
    e = n.expand((2, 3))
    return {"batch": list(n.batch_shape), "event": list(n.event_shape), "sample": s.tolist(), "rsample": r.tolist(),
            "grad": loc.grad.tolist(), "log_prob": n.log_prob(v).tolist(), "cdf": n.cdf(v).tolist(),
            "icdf": n.icdf(lib.tensor([0.2, 0.5, 0.9])).tolist(), "entropy": n.entropy().tolist(),
            "var": n.variance.tolist(), "repr": [repr(n), repr(scalar)], "scalar_batch": list(scalar.batch_shape),
            "scalar_sample": list(scalar.sample((5,)).shape), "expand_shape": list(e.batch_shape), "expand_mean": e.mean.tolist(),
            "has_rsample": D.Normal.has_rsample, "dtype": str(scalar.mean.dtype)}


def test_normal_matches_torch():
    got, want = _scenario(T), _scenario(torch)
    for k in want:
        if isinstance(want[k], list) and want[k] and not isinstance(want[k][0], str):
            np.testing.assert_allclose(np.array(got[k], dtype=float), np.array(want[k], dtype=float),
                                       rtol=1e-5, atol=1e-6, err_msg=k)
        else:
            assert got[k] == want[k], k


@pytest.mark.parametrize("call", [
    lambda lib, D: D.Normal(lib.zeros(2), lib.tensor([1.0, -1.0])),
    lambda lib, D: D.Normal(lib.zeros(2), lib.ones(2)).log_prob(lib.zeros(3)),
    lambda lib, D: D.Normal(lib.zeros(2), lib.ones(2)).log_prob([0.0, 1.0]),
])
def test_validation_errors_match_torch(call):
    with pytest.raises(ValueError) as want:
        call(torch, importlib.import_module("torch.distributions"))
    with pytest.raises(ValueError) as got:
        call(T, T.distributions)
    assert str(got.value) == str(want.value)
