"""Per-call cost of representative ops: mstorch vs the same MindSpore kernel called the
fastest way (a pre-built Primitive), vs MindSpore's torch-like `mint` API, vs real torch.

    python bench/op_overhead.py [--processes 3] [--rounds 7]

Prints one JSON object: medians over fresh processes of interleaved per-call medians (us),
and ratios mstorch/primitive and mstorch/mint.  All MindSpore paths run under the launch
mode mstorch selects (blocking launch; see dispatch/backend.py).
"""
import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import interleaved, loadavg, run_children  # noqa: E402


def _cases(size):
    import numpy as np
    import mindspore
    from mindspore import mint, ops
    import mstorch
    import torch
    torch.set_num_threads(1)
    mt = mstorch.torch
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal((size, size)).astype(np.float32)
    b_np = rng.standard_normal((size, size)).astype(np.float32)
    a, b = mt.from_numpy(a_np.copy()), mt.from_numpy(b_np.copy())
    a, b = a + 0, b + 0  # kernel outputs, as tensors in a program are
    am, bm = a.to_mindspore(), b.to_mindspore()
    ta, tb = torch.from_numpy(a_np.copy()), torch.from_numpy(b_np.copy())
    P = {n: getattr(ops, n)() for n in ("Add", "Mul", "Div", "Exp", "ReLU", "Sigmoid", "MatMul")}
    rsum = ops.ReduceSum(False)
    rmean = ops.ReduceMean(False)
    softmax = ops.Softmax(-1)
    ax = (0, 1)
    return {
        "add": (lambda: a + b, lambda: P["Add"](am, bm), lambda: mint.add(am, bm), lambda: ta + tb),
        "mul": (lambda: a * b, lambda: P["Mul"](am, bm), lambda: mint.mul(am, bm), lambda: ta * tb),
        "div": (lambda: a / b, lambda: P["Div"](am, bm), lambda: mint.div(am, bm), lambda: ta / tb),
        "exp": (lambda: a.exp(), lambda: P["Exp"](am), lambda: mint.exp(am), lambda: ta.exp()),
        "relu": (lambda: mt.relu(a), lambda: P["ReLU"](am), lambda: mint.nn.functional.relu(am),
                 lambda: torch.relu(ta)),
        "sigmoid": (lambda: a.sigmoid(), lambda: P["Sigmoid"](am), lambda: mint.sigmoid(am), lambda: ta.sigmoid()),
        "matmul": (lambda: mt.matmul(a, b), lambda: P["MatMul"](am, bm), lambda: mint.matmul(am, bm), lambda: ta @ tb),
        "sum": (lambda: a.sum(), lambda: rsum(am, ax), lambda: mint.sum(am), lambda: ta.sum()),
        "mean": (lambda: a.mean(), lambda: rmean(am, ax), lambda: mint.mean(am), lambda: ta.mean()),
        "softmax": (lambda: a.softmax(-1), lambda: softmax(am), lambda: mint.nn.functional.softmax(am, -1),
                    lambda: ta.softmax(-1)),
        "sum+item": (lambda: a.sum().item(), lambda: rsum(am, ax).asnumpy().item(), lambda: mint.sum(am).item(),
                     lambda: ta.sum().item()),
    }


def child(rounds):
    out = {}
    for size in (4, 256):
        calls = 300 if size == 4 else 60
        for op, (ours, prim, mint_fn, ref) in _cases(size).items():
            cases = {"mstorch": ours, "primitive": prim, "torch": ref}
            try:
                mint_fn()
                cases["mint"] = mint_fn
            except Exception:  # noqa: BLE001 - mint lacks many CPU kernels; reported as null
                pass
            out[f"{op}@{size}"] = interleaved(cases, calls, rounds)
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", action="store_true")
    ap.add_argument("--processes", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    if args.child:
        import dispatch.backend  # noqa: F401  (same launch mode as mstorch)
        child(args.rounds)
        return
    before = loadavg()
    runs = run_children(os.path.abspath(__file__), args.processes, ["--rounds", str(args.rounds)])
    report = {}
    for key in runs[0]:
        med = {impl: statistics.median(r[key][impl] for r in runs if impl in r[key]) for impl in runs[0][key]}
        row = {f"{k}_us": round(v, 2) for k, v in med.items()}
        row["ratio_vs_primitive"] = round(med["mstorch"] / med["primitive"], 3)
        row["ratio_vs_mint"] = round(med["mstorch"] / med["mint"], 3) if "mint" in med else None
        row["ratio_vs_torch"] = round(med["mstorch"] / med["torch"], 2)
        report[key] = row
    tiny = [v["ratio_vs_primitive"] for k, v in report.items() if k.endswith("@4")]
    print(json.dumps({"benchmark": "op_overhead", "launch": "blocking", "processes": args.processes,
                      "loadavg_before": before, "loadavg_after": loadavg(),
                      "median_ratio_vs_primitive_tiny": round(statistics.median(tiny), 3),
                      "ops": report}, indent=1))


if __name__ == "__main__":
    main()
