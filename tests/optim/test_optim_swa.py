"""torch.optim.swa_utils vs real torch: SWA and EMA averages (avg_fn, multi_avg_fn, buffers),
update_bn, and the SWALR schedule, on the same seeded model and steps."""
import importlib

import pytest
import torch

import mstorch

T = mstorch.torch


def _scenario(lib, make_avg):
    swa = importlib.import_module("torch.optim.swa_utils") if lib is torch else T.optim.swa_utils
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4), lib.nn.Linear(4, 2))
    avg = make_avg(swa, model)
    opt = lib.optim.SGD(model.parameters(), lr=0.5)
    sched = swa.SWALR(opt, swa_lr=0.05, anneal_epochs=3, anneal_strategy="linear")
    lrs = []
    x = lib.randn(8, 3)
    for _ in range(4):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
        avg.update_parameters(model)
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    swa.update_bn([(x[:4], 0), (x[4:], 1)], avg)
    with lib.no_grad():
        out = avg(x).flatten().tolist()
    state = {k: v.flatten().tolist() for k, v in avg.state_dict().items()}
    return lrs, out, state


AVERAGES = {
    "swa": lambda swa, m: swa.AveragedModel(m),
    "ema_multi_buffers": lambda swa, m: swa.AveragedModel(m, multi_avg_fn=swa.get_ema_multi_avg_fn(0.9),
                                                          use_buffers=True),
    "ema_avg_fn": lambda swa, m: swa.AveragedModel(m, avg_fn=swa.get_ema_avg_fn(0.8)),
}


@pytest.mark.parametrize("kind", sorted(AVERAGES))
def test_averaged_model_matches_torch(kind):
    got, want = _scenario(T, AVERAGES[kind]), _scenario(torch, AVERAGES[kind])
    assert got[0] == pytest.approx(want[0], rel=1e-12)
    assert got[1] == pytest.approx(want[1], rel=1e-4, abs=1e-5)
    assert got[2].keys() == want[2].keys()
    for k in want[2]:
        assert got[2][k] == pytest.approx(want[2][k], rel=1e-4, abs=1e-5), k


def test_swa_errors_match_torch():
    for lib, swa in ((torch, importlib.import_module("torch.optim.swa_utils")), (T, T.optim.swa_utils)):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.zeros(2))], lr=0.1)
        with pytest.raises(ValueError, match="anneal_strategy must be one of"):
            swa.SWALR(opt, swa_lr=0.1, anneal_strategy="exp")
        with pytest.raises(ValueError, match="Invalid decay value 2"):
            swa.get_ema_avg_fn(2)
