"""Adam step time on a ~10.5M-parameter model (three big Linear layers' weights and biases):
mstorch's torch.optim.Adam (its default, the fused op, which on CPU runs PyTorch's rounding
in NumPy blocks, ops_table/optim/optim_math.adam_step_exact; and foreach=False, PyTorch's
per-tensor loop) vs MindSpore's own nn.Adam on the same shapes (PyNative, the blocking
launch mode mstorch selects) vs real torch.optim.Adam (its CPU default: the single-tensor
loop, plus foreach=True for reference); AdamW (weight_decay=1e-2) of both for reference.

    python bench/adam_step.py [--rounds 7] [--calls 5] [--profile]

Prints one JSON object: per-step medians (ms) over interleaved rounds, ratios, the
bandwidth floor of the arithmetic, and os.getloadavg() before/after. --profile adds where
mstorch's step spends its time (cProfile, top functions by total time)."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import interleaved, loadavg  # noqa: E402

SHAPES = [(2048, 2048), (2048,), (2048, 2048), (2048,), (1024, 2048), (1024,)]


def _arrays():
    import numpy as np
    rng = np.random.default_rng(0)
    params = [rng.standard_normal(s).astype(np.float32) * 0.02 for s in SHAPES]
    grads = [rng.standard_normal(s).astype(np.float32) * 1e-3 for s in SHAPES]
    return params, grads


def _mstorch_case(params, grads, cls="Adam", **kwargs):
    import mstorch
    T = mstorch.torch
    ps = [T.nn.Parameter(T.tensor(p)) for p in params]
    for p, g in zip(ps, grads):
        p.grad = T.tensor(g)
    opt = getattr(T.optim, cls)(ps, lr=1e-3, **kwargs)
    return opt.step, opt


def _mindspore_case(params, grads):
    import mindspore as ms
    from mindspore import nn
    ps = [ms.Parameter(ms.Tensor(p), name=f"p{i}") for i, p in enumerate(params)]
    gs = tuple(ms.Tensor(g) for g in grads)
    opt = nn.Adam(ps, learning_rate=1e-3)
    return lambda: opt(gs)


def _torch_case(params, grads, foreach, cls="Adam", **kwargs):
    import torch
    ps = [torch.nn.Parameter(torch.from_numpy(p.copy())) for p in params]
    for p, g in zip(ps, grads):
        p.grad = torch.from_numpy(g.copy())
    opt = getattr(torch.optim, cls)(ps, lr=1e-3, foreach=foreach, **kwargs)
    return opt.step


def _profile(step, steps=5):
    import cProfile
    import io
    import pstats
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(steps):
        step()
    prof.disable()
    s = io.StringIO()
    st = pstats.Stats(prof, stream=s)
    rows = []
    for (file, line, fn), (cc, nc, tt, ct, _) in sorted(st.stats.items(), key=lambda kv: -kv[1][2])[:15]:
        rows.append({"fn": f"{os.path.relpath(file) if file.startswith('/') else file}:{line}:{fn}",
                     "calls_per_step": nc // steps, "tottime_ms_per_step": round(tt / steps * 1e3, 3),
                     "cumtime_ms_per_step": round(ct / steps * 1e3, 3)})
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--calls", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    before = loadavg()
    import dispatch.backend  # noqa: F401  (the launch mode mstorch selects, for MindSpore's case too)
    import torch
    params, grads = _arrays()
    n_params = sum(p.size for p in params)
    ms_step, ms_opt = _mstorch_case(params, grads)
    cases = {
        "mstorch": ms_step,
        "mstorch_foreach_false": _mstorch_case(params, grads, foreach=False)[0],
        "mindspore_nn_adam": _mindspore_case(params, grads),
        "torch": _torch_case(params, grads, foreach=None),
        "torch_foreach": _torch_case(params, grads, foreach=True),
        "mstorch_adamw": _mstorch_case(params, grads, cls="AdamW")[0],
        "torch_adamw": _torch_case(params, grads, foreach=None, cls="AdamW"),
    }
    us = interleaved(cases, args.calls, args.rounds)
    ms = {k: round(v / 1e3, 3) for k, v in us.items()}
    # Adam reads param, grad, exp_avg, exp_avg_sq and writes param, exp_avg, exp_avg_sq: 7 float32
    # passes, at the bandwidth a one-thread NumPy copy of the same size reaches on this machine.
    import numpy as np
    src, dst = np.ones(n_params, np.float32), np.empty(n_params, np.float32)
    copy_us = interleaved({"copy": lambda: np.copyto(dst, src)}, args.calls, args.rounds)["copy"]
    bandwidth = 2 * 4 * n_params / (copy_us / 1e6)
    floor_ms = n_params * 4 * 7 / bandwidth * 1e3
    report = {
        "benchmark": "adam_step", "params": int(n_params), "launch": "blocking",
        "torch_threads": torch.get_num_threads(), "rounds": args.rounds, "calls_per_round": args.calls,
        "step_ms": ms,
        "ratio_mstorch_vs_mindspore": round(ms["mstorch"] / ms["mindspore_nn_adam"], 3),
        "ratio_mstorch_vs_torch": round(ms["mstorch"] / ms["torch"], 3),
        "ratio_mstorch_loop_vs_torch": round(ms["mstorch_foreach_false"] / ms["torch"], 3),
        "ratio_mstorch_adamw_vs_torch_adamw": round(ms["mstorch_adamw"] / ms["torch_adamw"], 3),
        "copy_bandwidth_GBps": round(bandwidth / 1e9, 1),
        "bandwidth_floor_ms": round(floor_ms, 3),
        "loadavg_before": before, "loadavg_after": loadavg(),
    }
    if args.profile:
        report["mstorch_profile"] = _profile(ms_step)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
