"""10M float32 standard normals: mstorch's stream kernels vs torch (1 thread).

Prints one JSON object: per-run times (interleaved: ours, torch, ours, ...),
their medians and ratio, load averages before/after, and a breakdown of
where our time goes (one profiled run, by phase). Also checks that both
produced the same bits.

    .venv/bin/python bench/rng_normal.py [--n 10000000] [--runs 7]
"""

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from dispatch import random as R  # noqa: E402
from ops_table.random import torch_streams as S  # noqa: E402
from ops_table.random.torch_streams import float_math as F  # noqa: E402
from ops_table.random.torch_streams import uniform_normal as N  # noqa: E402


def _breakdown_once(n, seed):
    """Wall time by phase of one draw, timing the same calls the kernel
    makes (raw MT draws per chunk, then the parts of the Box-Muller)."""
    g = R.HostGenerator(seed)
    out = np.empty(n, np.float32)
    out[...] = 0  # fault the pages in, as torch's allocator reuses memory
    nblk = n // 16
    w = F._work(F._CHUNK_PAIRS)
    step = F._CHUNK_PAIRS // 8
    oblk = out[:16 * nblk].view("V32")
    ph = dict(mt19937_draws=0.0, deinterleave=0.0, uniforms=0.0, log=0.0,
              sincos=0.0, multiply=0.0, interleave=0.0)
    clk = time.perf_counter
    for b0 in range(0, nblk, step):
        b1 = min(nblk, b0 + step)
        k = b1 - b0
        m = 8 * k
        t0 = clk()
        rblk = g.random32(16 * k).view("V32")
        t1 = clk()
        ra, rb = w.ra[:m], w.rb[:m]
        np.take(rblk, w.even[:k], out=ra.view("V32"))
        np.take(rblk, w.odd[:k], out=rb.view("V32"))
        t2 = clk()
        np.bitwise_and(ra, np.int32(0xFFFFFF), out=ra)
        np.subtract(np.int32(1 << 24), ra, out=ra)
        u1 = w.e[:m]
        np.copyto(u1, ra, casting="unsafe")
        np.multiply(u1, np.float32(2.0 ** -24), out=u1)
        t3 = clk()
        radius = F._log_into(u1, w.rad[:m], w)
        np.multiply(radius, np.float32(-2.0), out=radius)
        np.sqrt(radius, out=radius)
        t4 = clk()
        np.bitwise_and(rb, np.int32(0xFFFFFF), out=rb)
        theta = w.e[:m]
        np.copyto(theta, rb, casting="unsafe")
        np.multiply(theta, N._TWO_PI_F_SCALED, out=theta)
        t5 = clk()
        s, co = F._sincos_into(theta, w.s[:m], w.co[:m], w)
        t6 = clk()
        np.multiply(co, radius, out=co)
        np.multiply(s, radius, out=s)
        np.add(co, np.float32(0), out=co)
        np.add(s, np.float32(0), out=s)
        t7 = clk()
        np.put(oblk, w.even[:k] + 2 * b0, co.view("V32"))
        np.put(oblk, w.odd[:k] + 2 * b0, s.view("V32"))
        t8 = clk()
        ph["mt19937_draws"] += t1 - t0
        ph["deinterleave"] += t2 - t1
        ph["uniforms"] += (t3 - t2) + (t5 - t4)
        ph["log"] += t4 - t3
        ph["sincos"] += t6 - t5
        ph["multiply"] += t7 - t6
        ph["interleave"] += t8 - t7
    return ph


def _breakdown(n, reps=3):
    runs = [_breakdown_once(n, 100 + i) for i in range(reps)]
    return {k: round(statistics.median(r[k] for r in runs), 4) for k in runs[0]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    n = args.n
    load_before = os.getloadavg()
    # warm-up (scratch buffers, page faults of the output)
    g = R.HostGenerator(0)
    tg = torch.Generator().manual_seed(0)
    ours0 = S.randn(g, (n,))
    theirs0 = torch.randn(n, generator=tg).numpy()
    identical = ours0.tobytes() == theirs0.tobytes()
    t_ours, t_torch = [], []
    for i in range(args.runs):
        g = R.HostGenerator(i + 1)
        t = time.perf_counter()
        S.randn(g, (n,))
        t_ours.append(time.perf_counter() - t)
        tg = torch.Generator().manual_seed(i + 1)
        t = time.perf_counter()
        torch.randn(n, generator=tg)
        t_torch.append(time.perf_counter() - t)
    mo, mt = statistics.median(t_ours), statistics.median(t_torch)
    res = {
        "n": n,
        "dtype": "float32",
        "runs": args.runs,
        "identical_bits": identical,
        "ours_s": [round(x, 4) for x in t_ours],
        "torch_s": [round(x, 4) for x in t_torch],
        "ours_median_s": round(mo, 4),
        "torch_median_s": round(mt, 4),
        "ratio_median": round(mo / mt, 2),
        "ratio_best": round(min(t_ours) / min(t_torch), 2),
        "target_ratio": 5.0,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "breakdown_s": _breakdown(n),
    }
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
