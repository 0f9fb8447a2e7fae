"""torch.nn.utils.prune vs real torch: masks, the parameter/buffer layout, chained methods,
global pruning, remove, and the argument errors (same seed, same draws)."""
import importlib

import pytest
import torch

import mstorch

T = mstorch.torch


def _scenario(lib):
    prune = importlib.import_module("torch.nn.utils.prune") if lib is torch else T.nn.utils.prune
    lib.manual_seed(0)
    out = {}
    m = lib.nn.Linear(6, 4)
    prune.l1_unstructured(m, "weight", amount=0.3)
    out["l1_mask"] = m.weight_mask.tolist()
    prune.ln_structured(m, "weight", amount=1, n=2, dim=0)  # chained: a PruningContainer
    out["ln_mask"] = m.weight_mask.tolist()
    out["hooks"] = [(type(h).__name__, len(h)) for h in m._forward_pre_hooks.values()]
    out["params"] = sorted(n for n, _ in m.named_parameters())
    out["buffers"] = sorted(n for n, _ in m.named_buffers())
    out["y"] = m(lib.randn(2, 6)).flatten().tolist()
    prune.random_unstructured(m, "bias", amount=2)
    out["bias_mask"] = m.bias_mask.tolist()
    prune.remove(m, "weight")
    out["after_remove"] = sorted(n for n, _ in m.named_parameters())
    out["w"] = m.weight.tolist()
    a, b = lib.nn.Linear(4, 3), lib.nn.Linear(3, 2)
    prune.global_unstructured([(a, "weight"), (b, "weight")], pruning_method=prune.L1Unstructured, amount=5)
    out["global"] = [a.weight_mask.tolist(), b.weight_mask.tolist()]
    out["is_pruned"] = [prune.is_pruned(a), prune.is_pruned(lib.nn.Linear(2, 2))]
    c = lib.nn.Conv2d(2, 4, 3)
    prune.random_structured(c, "weight", amount=0.5, dim=0)
    out["random_structured"] = c.weight_mask.sum(dim=(1, 2, 3)).tolist()
    return out


def test_prune_matches_torch():
    got, want = _scenario(T), _scenario(torch)
    y_got, y_want = got.pop("y"), want.pop("y")
    assert got == want
    assert y_got == pytest.approx(y_want, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("call, error", [
    (lambda lib, p: p.l1_unstructured(lib.nn.Linear(2, 2), "weight", amount=1.5), ValueError),
    (lambda lib, p: p.l1_unstructured(lib.nn.Linear(2, 2), "weight", amount=5), ValueError),
    (lambda lib, p: p.l1_unstructured(lib.nn.Linear(2, 2), "weight", amount="x"), TypeError),
    (lambda lib, p: p.ln_structured(lib.nn.Linear(2, 2), "bias", amount=1, n=2, dim=0), ValueError),
    (lambda lib, p: p.remove(lib.nn.Linear(2, 2), "weight"), ValueError),
])
def test_prune_errors_match_torch(call, error):
    with pytest.raises(error) as want:
        call(torch, importlib.import_module("torch.nn.utils.prune"))
    with pytest.raises(error) as got:
        call(T, T.nn.utils.prune)
    assert str(got.value) == str(want.value)
