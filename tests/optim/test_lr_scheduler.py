"""torch.optim.lr_scheduler vs real torch: lr (and momentum) sequences over 100 steps, state_dict, warnings."""
import math
import warnings

import pytest
import torch

import mstorch

T = mstorch.torch
LS = "lr_scheduler"


def _opt(lib, kind="sgd", groups=1):
    ps = [lib.nn.Parameter(lib.ones(2)) for _ in range(groups)]
    arg = [{"params": [p], "lr": 0.1 * (i + 1)} for i, p in enumerate(ps)]
    if kind == "adam":
        return lib.optim.Adam(arg, lr=0.1)
    return lib.optim.SGD(arg, lr=0.1, momentum=0.9)


def _sched(lib, opt, spec):
    mod = getattr(lib.optim, LS)
    name, kwargs = spec
    if name == "SequentialLR":
        subs = [mod.LinearLR(opt, start_factor=0.1, total_iters=10), mod.CosineAnnealingLR(opt, T_max=40),
                mod.ExponentialLR(opt, gamma=0.97)]
        return mod.SequentialLR(opt, schedulers=subs, milestones=[10, 50])
    if name == "ChainedScheduler":
        return mod.ChainedScheduler([mod.ConstantLR(opt, factor=0.5, total_iters=7),
                                     mod.ExponentialLR(opt, gamma=0.95)])
    if name == "LambdaLR":
        return mod.LambdaLR(opt, lr_lambda=lambda e: 1.0 / (1 + e))
    if name == "MultiplicativeLR":
        return mod.MultiplicativeLR(opt, lr_lambda=lambda e: 0.97 if e % 3 else 1.01)
    return getattr(mod, name)(opt, **kwargs)


SPECS = [
    ("StepLR", dict(step_size=7, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[10, 30, 30, 80], gamma=0.3)),
    ("ConstantLR", dict(factor=0.25, total_iters=12)),
    ("LinearLR", dict(start_factor=0.05, end_factor=0.9, total_iters=30)),
    ("ExponentialLR", dict(gamma=0.96)),
    ("PolynomialLR", dict(total_iters=60, power=2.0)),
    ("CosineAnnealingLR", dict(T_max=17, eta_min=0.001)),
    ("CosineAnnealingWarmRestarts", dict(T_0=10, T_mult=2, eta_min=0.0005)),
    ("CosineAnnealingWarmRestarts", dict(T_0=13)),
    ("LambdaLR", {}),
    ("MultiplicativeLR", {}),
    ("SequentialLR", {}),
    ("ChainedScheduler", {}),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=101)),
    ("OneCycleLR", dict(max_lr=[1.0, 2.0], total_steps=101, anneal_strategy="linear", three_phase=True)),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=9)),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=5, step_size_down=11, mode="triangular2")),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=6, mode="exp_range", gamma=0.98)),
]


def _sequence(lib, spec, kind, groups=2):
    opt = _opt(lib, kind, groups)
    sched = _sched(lib, opt, spec)
    lrs, moms = [sched.get_last_lr()], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(100):
            opt.step()
            sched.step()
            lrs.append(list(sched.get_last_lr()))
            moms.append([g["betas"][0] if kind == "adam" else g["momentum"] for g in opt.param_groups])
    return lrs, moms, [g["lr"] for g in opt.param_groups], sched


@pytest.mark.parametrize("spec", SPECS, ids=[f"{s[0]}-{i}" for i, s in enumerate(SPECS)])
@pytest.mark.parametrize("kind", ["sgd", "adam"])
def test_lr_sequence_matches_torch(spec, kind):
    lr_m, mom_m, final_m, sched_m = _sequence(T, spec, kind)
    lr_t, mom_t, final_t, sched_t = _sequence(torch, spec, kind)
    assert lr_m == lr_t
    assert mom_m == mom_t
    assert final_m == final_t
    sd_m, sd_t = sched_m.state_dict(), sched_t.state_dict()
    assert sorted(sd_m) == sorted(sd_t)
    for key, v in sd_t.items():
        if key not in ("_schedulers", "lr_lambdas", "_scale_fn_ref", "_scale_fn_custom"):
            assert sd_m[key] == v, key


def test_reduce_lr_on_plateau_matches_torch():
    metrics = [1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86] * 4
    res = []
    for lib in (T, torch):
        opt = _opt(lib, groups=2)
        s = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=2, factor=0.5, cooldown=1, min_lr=[0.01, 0.0])
        seq = []
        for m in metrics:
            s.step(m)
            seq.append(s.get_last_lr())
        sd = s.state_dict()
        res.append((seq, {k: v for k, v in sd.items() if k != "optimizer"}))
    assert res[0][0] == res[1][0]
    assert sorted(res[0][1]) == sorted(res[1][1])
    assert all(res[0][1][k] == v for k, v in res[1][1].items())


def test_state_dict_round_trip_and_resume():
    seqs = []
    for lib in (T, torch):
        opt = _opt(lib)
        s = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
        for _ in range(5):
            opt.step()
            s.step()
        sd = s.state_dict()
        opt2 = _opt(lib)
        opt2.load_state_dict(opt.state_dict())
        s2 = lib.optim.lr_scheduler.CosineAnnealingLR(opt2, T_max=20)
        s2.load_state_dict(sd)
        seq = []
        for _ in range(10):
            opt2.step()
            s2.step()
            seq.append(s2.get_last_lr())
        seqs.append(seq)
    assert seqs[0] == seqs[1]


def test_epoch_argument_uses_closed_form_and_warns():
    seqs = []
    for lib in (T, torch):
        opt = _opt(lib)
        s = lib.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
        opt.step()
        with pytest.warns(UserWarning, match="epoch parameter"):
            s.step(7)
        seqs.append((s.get_last_lr(), s.last_epoch))
    assert seqs[0] == seqs[1]


def test_warnings_like_torch():
    for lib in (T, torch):
        opt = _opt(lib)
        s = lib.optim.lr_scheduler.StepLR(opt, step_size=3)
        with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
            s.step()
        with pytest.warns(UserWarning, match="get_last_lr"):
            s.get_lr()
        with pytest.raises(TypeError, match="is not an Optimizer"):
            lib.optim.lr_scheduler.StepLR(object(), step_size=3)
        with pytest.raises(KeyError, match="initial_lr"):
            lib.optim.lr_scheduler.StepLR(_opt(lib), step_size=3, last_epoch=4)


def test_tensor_lr_updated_in_place():
    vals = []
    for lib in (T, torch):
        lr = lib.tensor(0.1)
        opt = lib.optim.SGD([lib.nn.Parameter(lib.ones(2))], lr=lr)
        s = lib.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        opt.step()
        s.step()
        assert opt.param_groups[0]["lr"] is lr
        vals.append(float(lr))
    assert vals[0] == vals[1]
