"""Shared timing helpers for the benchmarks: interleaved rounds, medians, load average."""
import json
import os
import statistics
import subprocess
import sys
import time


def per_call_us(fn, calls):
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls * 1e6


def interleaved(cases, calls, rounds):
    """{name: median us per call}; every round times each case once, in turn, so load
    changes hit all cases alike."""
    for fn in cases.values():
        for _ in range(max(10, calls // 10)):
            fn()
    samples = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            samples[name].append(per_call_us(fn, calls))
    return {name: statistics.median(v) for name, v in samples.items()}


def run_children(script, processes, extra_args=()):
    """Run `script --child` in fresh interpreters; returns their JSON results."""
    results = []
    for _ in range(processes):
        out = subprocess.run([sys.executable, script, "--child", *extra_args], capture_output=True, text=True,
                             timeout=900, env={**os.environ, "GLOG_v": "3"})
        if out.returncode != 0:
            raise RuntimeError(f"benchmark child failed:\n{out.stderr[-3000:]}")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def loadavg():
    return [round(x, 2) for x in os.getloadavg()]
