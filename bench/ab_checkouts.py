"""Before/after: one benchmark's mstorch timings from two checkouts, run alternately.

    python bench/ab_checkouts.py BEFORE_DIR AFTER_DIR [--bench op_overhead|train_step] [--pairs 3] [--rounds 5]

Each pair runs the benchmark's child process (`--child`, fresh interpreter) once with
PYTHONPATH=BEFORE_DIR and once with PYTHONPATH=AFTER_DIR, in alternating order (A B, B A,
...), so load that drifts during the run reaches both sides alike. The child script is
taken from each checkout itself. Prints one JSON object: per case, the median over pairs
of mstorch's time on each side and the median of the per-pair ratios after/before (below 1:
the after checkout is faster), with the load average before and after.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import loadavg  # noqa: E402


def _child(root, bench, rounds):
    script = os.path.join(root, "bench", bench + ".py")
    env = {**os.environ, "GLOG_v": "3", "PYTHONPATH": root}
    out = subprocess.run([sys.executable, script, "--child", "--rounds", str(rounds)], capture_output=True,
                         text=True, timeout=1800, env=env, cwd=root)
    if out.returncode != 0:
        raise RuntimeError(f"{bench} child in {root} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _mstorch_times(bench, result):
    """{case: mstorch time} from one child's output."""
    if bench == "op_overhead":
        return {case: row["mstorch"] for case, row in result.items()}
    return {model: row["ms"]["mstorch"] for model, row in result.items() if isinstance(row, dict) and "ms" in row}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--bench", default="op_overhead", choices=("op_overhead", "train_step"))
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    roots = {"before": os.path.abspath(args.before), "after": os.path.abspath(args.after)}
    load_before = loadavg()
    runs = {"before": [], "after": []}
    for k in range(args.pairs):
        order = ("before", "after") if k % 2 == 0 else ("after", "before")
        for side in order:
            runs[side].append(_mstorch_times(args.bench, _child(roots[side], args.bench, args.rounds)))
    unit = "us per call" if args.bench == "op_overhead" else "ms per step"
    cases = {}
    for case in runs["before"][0]:
        b = [r[case] for r in runs["before"]]
        a = [r[case] for r in runs["after"]]
        cases[case] = {"before": round(statistics.median(b), 3), "after": round(statistics.median(a), 3),
                       "ratio_after_vs_before": round(statistics.median(x / y for x, y in zip(a, b)), 3)}
    ratios = [c["ratio_after_vs_before"] for c in cases.values()]
    print(json.dumps({"benchmark": f"ab_checkouts/{args.bench}", "unit": unit, "roots": roots,
                      "pairs": args.pairs, "rounds": args.rounds, "loadavg_before": load_before,
                      "loadavg_after": loadavg(), "median_ratio_after_vs_before": round(statistics.median(ratios), 3),
                      "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
