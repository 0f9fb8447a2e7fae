"""SGD step time on the ~10.5M-parameter shapes of adam_step.py: mstorch's torch.optim.SGD
(its default, the fused kernel; and foreach=False, PyTorch's per-tensor loop), plain and
with momentum 0.9, vs MindSpore's own nn.SGD / nn.Momentum (PyNative, blocking launch) vs
real torch.optim.SGD (CPU default).

    python bench/sgd_step.py [--rounds 7] [--calls 5]

Prints one JSON object: per-step medians (ms) over interleaved rounds, ratios, and
os.getloadavg() before/after."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import interleaved, loadavg  # noqa: E402
from adam_step import _arrays, _mstorch_case, _torch_case  # noqa: E402


def _mindspore_case(params, grads, momentum):
    import mindspore as ms
    from mindspore import nn
    ps = [ms.Parameter(ms.Tensor(p), name=f"p{i}") for i, p in enumerate(params)]
    gs = tuple(ms.Tensor(g) for g in grads)
    opt = nn.Momentum(ps, learning_rate=1e-3, momentum=momentum) if momentum else nn.SGD(ps, learning_rate=1e-3)
    return lambda: opt(gs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--calls", type=int, default=5)
    args = ap.parse_args()
    before = loadavg()
    import dispatch.backend  # noqa: F401  (the launch mode mstorch selects, for MindSpore's case too)
    import torch
    params, grads = _arrays()
    cases = {}
    for label, momentum in (("sgd", 0.0), ("momentum", 0.9)):
        cases[f"mstorch_{label}"] = _mstorch_case(params, grads, "SGD", momentum=momentum)[0]
        cases[f"mstorch_{label}_foreach_false"] = _mstorch_case(params, grads, "SGD", momentum=momentum,
                                                                foreach=False)[0]
        cases[f"mindspore_{label}"] = _mindspore_case(params, grads, momentum)
        cases[f"torch_{label}"] = _torch_case(params, grads, None, "SGD", momentum=momentum)
    ms = {k: round(v / 1e3, 3) for k, v in interleaved(cases, args.calls, args.rounds).items()}
    report = {"benchmark": "sgd_step", "params": int(sum(p.size for p in params)), "launch": "blocking",
              "torch_threads": torch.get_num_threads(), "rounds": args.rounds, "calls_per_round": args.calls,
              "step_ms": ms}
    for label in ("sgd", "momentum"):
        report[f"ratio_{label}_mstorch_vs_mindspore"] = round(ms[f"mstorch_{label}"] / ms[f"mindspore_{label}"], 3)
        report[f"ratio_{label}_mstorch_vs_torch"] = round(ms[f"mstorch_{label}"] / ms[f"torch_{label}"], 3)
    report.update(loadavg_before=before, loadavg_after=loadavg())
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
