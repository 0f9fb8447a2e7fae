"""One training step (forward + backward + SGD step + the loss read back as a float) of three
small models, each in three implementations timed interleaved in one process:

- mstorch: the model written with torch's API on mstorch's namespace (bench/_models_torchlike.py);
- mindspore: the same model written directly in MindSpore PyNative (nn.Cell layers,
  mindspore.value_and_grad, nn.SGD; bench/_models_ms.py) under the launch mode mstorch
  selects (blocking launch, see dispatch/backend.py);
- torch: the torch-API source on real torch, 1 thread.

Models: MLP 784-256-128-10 (batch 64); LeNet-like CNN on 28x28 (batch 64); Transformer
encoder classifier (d_model 64, 2 layers, 4 heads, ffn 256, seq 32, batch 16, dropout 0).
All three start from the same weights and data; the first losses are compared as a check
that they compute the same thing.

    python bench/train_step.py [--processes 3] [--rounds 7] [--quick] [--profile [MODEL ...]]

Prints one JSON object: medians over fresh processes of per-process medians (ms/step),
ratios mstorch/mindspore and mstorch/torch (each process's ratio, then their median), the targets, os.getloadavg() before/after.
When mstorch misses the MLP target (or with --profile) it adds a cProfile of mstorch's
MLP step (top 15 functions by own time); `--profile cnn transformer` profiles those too.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from _timing import interleaved, loadavg, run_children  # noqa: E402

MODELS = ("mlp", "cnn", "transformer")
CALLS = {"mlp": 20, "cnn": 3, "transformer": 5}  # steps per timed round, ~50-300 ms each
MLP_TARGET = 1.15  # mstorch/mindspore at most (issues #4, #6)
CNN_TARGET = 3.0  # mindspore/mstorch at least (issue #6)


def _steps(name):
    import torch
    torch.set_num_threads(1)
    import mstorch
    import _models_ms
    import _models_torchlike as tl
    T = mstorch.torch
    T.manual_seed(0)
    weights = tl.state_numpy(tl.build(T, name))
    return {"mstorch": tl.train_step(T, name, weights), "mindspore": _models_ms.train_step(name, weights),
            "torch": tl.train_step(torch, name, weights)}


def _loss_check(name, steps=3):
    """Largest |loss difference| to real torch over the first steps of fresh models."""
    losses = {impl: [fn() for _ in range(steps)] for impl, fn in _steps(name).items()}
    return {impl: max(abs(a - b) for a, b in zip(losses[impl], losses["torch"])) for impl in ("mstorch", "mindspore")}


def child(rounds):
    out = {}
    for name in MODELS:
        check = _loss_check(name)
        us = interleaved(_steps(name), CALLS[name], rounds)
        out[name] = {"ms": {k: v / 1e3 for k, v in us.items()}, "loss_diff_vs_torch": check}
    import mindspore
    out["mindspore_runtime_threads"] = mindspore.get_context("runtime_num_threads")
    print(json.dumps(out))


def profile_child(name, steps=30):
    import cProfile
    import pstats
    step = _steps(name)["mstorch"]
    for _ in range(10):
        step()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(steps):
        step()
    prof.disable()
    st = pstats.Stats(prof)
    total = sum(v[2] for v in st.stats.values())
    rows = []
    for (file, line, fn), (_, nc, tt, ct, _) in sorted(st.stats.items(), key=lambda kv: -kv[1][2])[:15]:
        where = os.path.relpath(file, os.path.dirname(HERE)) if file.startswith("/") else file
        rows.append({"fn": f"{where}:{line}:{fn}", "calls_per_step": round(nc / steps, 1),
                     "tottime_ms_per_step": round(tt / steps * 1e3, 3),
                     "cumtime_ms_per_step": round(ct / steps * 1e3, 3)})
    print(json.dumps({"model": name, "profiled_ms_per_step": round(total / steps * 1e3, 3), "top_tottime": rows}))


def _profile(name):
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child-profile", name],
                         capture_output=True, text=True, timeout=600, env={**os.environ, "GLOG_v": "3"})
    if out.returncode != 0:
        raise RuntimeError(f"profile child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", action="store_true")
    ap.add_argument("--child-profile", choices=MODELS)
    ap.add_argument("--processes", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="one process, 3 rounds")
    ap.add_argument("--profile", nargs="*", choices=MODELS, default=None, metavar="MODEL",
                    help="add cProfiles of mstorch's step for these models (no name: mlp)")
    args = ap.parse_args()
    if args.child or args.child_profile:
        import dispatch.backend
        dispatch.backend.init_mindspore()  # the launch mode mstorch selects, for MindSpore's own models too
        if args.child_profile:
            profile_child(args.child_profile)
        else:
            child(args.rounds)
        return
    if args.quick:
        args.processes, args.rounds = 1, 3
    before = loadavg()
    runs = run_children(os.path.abspath(__file__), args.processes, ["--rounds", str(args.rounds)])
    models = {}
    for name in MODELS:
        med = {impl: statistics.median(r[name]["ms"][impl] for r in runs) for impl in runs[0][name]["ms"]}
        # Ratios are taken within each process (its cases ran interleaved, under the same
        # load) and then their median: load that differs between processes cancels out.
        ratios = {ref: [r[name]["ms"]["mstorch"] / r[name]["ms"][ref] for r in runs] for ref in ("mindspore", "torch")}
        models[name] = {
            **{f"{impl}_ms": round(v, 3) for impl, v in med.items()},
            "per_process_ms": {impl: [round(r[name]["ms"][impl], 3) for r in runs] for impl in med},
            "ratio_mstorch_vs_mindspore": round(statistics.median(ratios["mindspore"]), 3),
            "ratio_mstorch_vs_torch": round(statistics.median(ratios["torch"]), 2),
            "per_process_ratio_vs_mindspore": [round(x, 3) for x in ratios["mindspore"]],
            "loss_diff_vs_torch": {impl: max(r[name]["loss_diff_vs_torch"][impl] for r in runs)
                                   for impl in ("mstorch", "mindspore")},
        }
    mlp_ratio = models["mlp"]["ratio_mstorch_vs_mindspore"]
    cnn_speedup = round(1 / models["cnn"]["ratio_mstorch_vs_mindspore"], 2)
    report = {
        "benchmark": "train_step", "launch": "blocking", "torch_threads": 1, "cpus": os.cpu_count(),
        "processes": args.processes, "rounds": args.rounds, "steps_per_round": CALLS,
        "unit": "ms per step (median of per-process medians)",
        "mindspore_runtime_threads": runs[0]["mindspore_runtime_threads"],
        "loadavg_before": before,
        "models": models,
        "targets": {
            "mlp_mstorch_vs_mindspore_max": MLP_TARGET, "mlp_met": mlp_ratio <= MLP_TARGET,
            "cnn_speedup_vs_mindspore_min": CNN_TARGET, "cnn_speedup_vs_mindspore": cnn_speedup,
            "cnn_met": cnn_speedup >= CNN_TARGET,
        },
    }
    profiled = set(args.profile or ()) | ({"mlp"} if args.profile == [] or mlp_ratio > MLP_TARGET else set())
    for name in MODELS:
        if name in profiled:
            report[f"mstorch_{name}_profile"] = _profile(name)
    report["loadavg_after"] = loadavg()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
