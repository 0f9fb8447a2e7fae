"""The real einops binds to mstorch's torch: imported before or after torch, and across
enable()/disable() when it was already in use with real torch."""
import json

import pytest

import mstorch
from childproc import python


@pytest.mark.parametrize("order", ["einops-first", "torch-first"])
def test_einops_picks_mstorch(order):
    proc = python("einops_probe.py", order, enable=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"backend_torch_is_ours": True, "rearranged_shape": [3, 2]}


def test_einops_in_use_with_real_torch_switches_both_ways():
    import einops
    import torch as real
    from einops._backends import get_backend
    assert get_backend(real.zeros(2)).torch is real  # einops has cached real torch's backend

    mstorch.enable()
    try:
        import torch
        x = torch.zeros(2, 3)
        assert get_backend(x).torch is mstorch.torch
        assert tuple(einops.rearrange(x, "a b -> b a").shape) == (3, 2)
    finally:
        mstorch.disable()

    y = real.zeros(4, 5)
    assert get_backend(y).torch is real
    assert einops.rearrange(y, "a b -> b a").shape == (5, 4)
