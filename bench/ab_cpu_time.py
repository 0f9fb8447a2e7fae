"""Before/after on a loaded machine: the CPU time mstorch's calling thread spends per call,
two checkouts run alternately.

    python bench/ab_cpu_time.py BEFORE_DIR AFTER_DIR [--pairs 4] [--calls 300]

Wall-clock timings swing several-fold when other processes crowd the cores (op_overhead
and train_step read wall time); the calling thread's own CPU time (time.thread_time) moves
far less, so small per-call differences of two checkouts stay visible. Each pair runs one
fresh interpreter per checkout (PYTHONPATH), in alternating order. Cases: small ops
(dispatcher overhead), the backward of (x*w).sum(), and one step of bench/train_step.py's
MLP (forward, backward, SGD step, loss read back). Prints one JSON object: per case the
median over pairs of microseconds per call on each side, and the median per-pair ratio
after/before (below 1: the after checkout spends less).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import loadavg  # noqa: E402

_CHILD = r"""
import json, os, statistics, sys, time
sys.path.insert(0, os.path.join(os.environ["PYTHONPATH"], "bench"))
import numpy as np
import dispatch.backend
dispatch.backend.init_mindspore()
import mstorch
T = mstorch.torch
calls = int(sys.argv[1])
rng = np.random.default_rng(0)
def pair(n):
    return (T.from_numpy(rng.standard_normal((n, n)).astype(np.float32)) + 0,
            T.from_numpy(rng.standard_normal((n, n)).astype(np.float32)) + 0)
a, b = pair(4)
A, B = pair(256)
x = T.ones(4, 4) + 0
w = (T.ones(4, 4) + 0).requires_grad_()
def backward_of_sum():
    (x * w).sum().backward()
import _models_torchlike as tl
T.manual_seed(0)
mlp_step = tl.train_step(T, "mlp", tl.state_numpy(tl.build(T, "mlp")))
cases = {"add@4": lambda: a + b, "mul@4": lambda: a * b, "exp@4": lambda: a.exp(),
         "relu@4": lambda: T.relu(a), "sum@4": lambda: a.sum(), "matmul@4": lambda: T.matmul(a, b),
         "softmax@4": lambda: a.softmax(-1), "view@4": lambda: a.view(16), "add@256": lambda: A + B,
         "backward_of_sum@4": backward_of_sum, "mlp_train_step": mlp_step}
out = {}
for name, fn in cases.items():
    n = calls if name != "mlp_train_step" else max(3, calls // 30)
    for _ in range(max(70, n // 5)):  # past each op's first-call checks
        fn()
    samples = []
    for _ in range(5):
        t0 = time.thread_time()
        for _ in range(n):
            fn()
        samples.append((time.thread_time() - t0) / n * 1e6)
    out[name] = statistics.median(samples)
print(json.dumps(out))
"""


def _child(root, calls):
    env = {**os.environ, "GLOG_v": "3", "PYTHONPATH": root}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(calls)], capture_output=True, text=True, timeout=1800,
                         env=env, cwd=root)
    if out.returncode != 0:
        raise RuntimeError(f"child in {root} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--pairs", type=int, default=4)
    ap.add_argument("--calls", type=int, default=300)
    args = ap.parse_args()
    roots = {"before": os.path.abspath(args.before), "after": os.path.abspath(args.after)}
    load_before = loadavg()
    runs = {"before": [], "after": []}
    for k in range(args.pairs):
        for side in (("before", "after") if k % 2 == 0 else ("after", "before")):
            runs[side].append(_child(roots[side], args.calls))
    cases = {}
    for case in runs["before"][0]:
        b = [r[case] for r in runs["before"]]
        a = [r[case] for r in runs["after"]]
        cases[case] = {"before_us": round(statistics.median(b), 2), "after_us": round(statistics.median(a), 2),
                       "ratio_after_vs_before": round(statistics.median(x / y for x, y in zip(a, b)), 3)}
    print(json.dumps({"benchmark": "ab_cpu_time", "clock": "time.thread_time (calling thread's CPU time)",
                      "roots": roots, "pairs": args.pairs, "calls": args.calls, "loadavg_before": load_before,
                      "loadavg_after": loadavg(), "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
