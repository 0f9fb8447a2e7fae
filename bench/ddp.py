"""torch.distributed all-reduce bandwidth and DistributedDataParallel overhead under mstorch.

    python bench/ddp.py [--rounds 5] [--model-mb 4]

Launches itself on 2 processes (`python -m mstorch -m torch.distributed.run --standalone
--nproc_per_node=2`). In that one launch rank 0 measures, interleaved round by round (medians):

  - all-reduce of float32 tensors of 4 KiB .. 64 MiB through `torch.distributed.all_reduce`
    and through bare `mindspore.mint.distributed.all_reduce` on a MindSpore tensor of the same
    size: ms per call and algorithmic bandwidth (bytes / time, MB/s);
  - a training step (forward, backward, SGD) of an MLP with about `--model-mb` MB of float32
    parameters: alone (no DDP), under DistributedDataParallel, and the bare MindSpore
    all-reduce of the same gradient bytes in DDP's buckets. DDP's overhead is
    (DDP step - local step); the ratio to the bare collective time is the figure of merit
    (target <= 1.2: DDP adds little beyond the communication itself).

Every timed call starts after a barrier, so a rank's lag behind the other (the machine may be
shared) is not charged to the collective or to DDP.

Prints one JSON object with os.getloadavg() before and after (the machine may be shared).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

SIZES = [4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20]


def _median_ms(fn, calls, sync=None):
    """Median wall time of `fn`; with `sync` (a barrier) every call starts with the ranks aligned,
    so that one rank's lag behind the other is not counted as the collective's time."""
    samples = []
    for _ in range(calls):
        if sync is not None:
            sync()
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(samples)


def _calls_for(nbytes):
    return max(3, min(50, (8 << 20) // max(nbytes, 1)))


def worker(args):
    import mindspore as ms
    import mindspore.mint.distributed as md
    import numpy as np
    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel as DDP

    dist.init_process_group(backend="gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    result = {"world_size": world, "allreduce": [], "ddp": {}}

    # --- all-reduce bandwidth -------------------------------------------------------------
    for nbytes in ([] if args.ddp_only else SIZES):
        n = nbytes // 4
        t = torch.ones(n)
        m = ms.Tensor(np.ones(n, np.float32))
        calls = _calls_for(nbytes)
        cases = {"torch.distributed": lambda: dist.all_reduce(t), "mindspore": lambda: md.all_reduce(m)}
        for fn in cases.values():
            fn()
        samples = {k: [] for k in cases}
        for _ in range(args.rounds):
            for name, fn in cases.items():
                samples[name].append(_median_ms(fn, calls, dist.barrier))
        row = {"bytes": nbytes}
        for name, v in samples.items():
            ms_per = statistics.median(v)
            row[f"{name}_ms"] = round(ms_per, 4)
            row[f"{name}_MBps"] = round(nbytes / 1e6 / (ms_per / 1e3), 1)
        row["ratio"] = round(row["torch.distributed_ms"] / row["mindspore_ms"], 3)
        result["allreduce"].append(row)

    # --- DDP step overhead --------------------------------------------------------------
    width = int((args.model_mb * (1 << 20) / 4 / 3) ** 0.5)
    torch.manual_seed(0)

    def mlp():
        return torch.nn.Sequential(torch.nn.Linear(width, width), torch.nn.ReLU(), torch.nn.Linear(width, width),
                                   torch.nn.ReLU(), torch.nn.Linear(width, width))
    local, wrapped = mlp(), mlp()
    ddp = DDP(wrapped)
    x, y = torch.randn(16, width), torch.randn(16, width)
    opt_local = torch.optim.SGD(local.parameters(), lr=1e-3)
    opt_ddp = torch.optim.SGD(ddp.parameters(), lr=1e-3)

    def step(model, opt):
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        opt.step()

    for _ in range(2):      # the forward after the first backward rebuilds the buckets in ready order
        step(ddp, opt_ddp)
    buckets = ddp.reducer.bucket_indices()
    params = list(wrapped.parameters())
    bare = [ms.Tensor(np.ones(sum(params[i].numel() for i in b), np.float32)) for b in buckets]

    def bare_allreduce():
        for m in bare:
            md.all_reduce(m)

    cases = {"local_step": lambda: step(local, opt_local), "ddp_step": lambda: step(ddp, opt_ddp),
             "bare_allreduce": bare_allreduce}
    samples = {k: [] for k in cases}
    for _ in range(args.rounds):
        for name, fn in cases.items():
            samples[name].append(_median_ms(fn, args.steps, dist.barrier))
    med = {k: statistics.median(v) for k, v in samples.items()}
    grad_bytes = sum(p.numel() * 4 for p in params)
    overhead = med["ddp_step"] - med["local_step"]
    result["ddp"] = {"model": f"MLP 3 x Linear({width}, {width})", "grad_bytes": grad_bytes,
                     "buckets": len(buckets), **{f"{k}_ms": round(v, 3) for k, v in med.items()},
                     "overhead_ms": round(overhead, 3),
                     "overhead_over_bare_allreduce": round(overhead / med["bare_allreduce"], 3)}
    if rank == 0 and args.out:
        with open(args.out, "w") as f:
            json.dump(result, f)
    dist.barrier()
    dist.destroy_process_group()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--steps", type=int, default=5, help="training steps per round and case")
    p.add_argument("--model-mb", type=float, default=4.0)
    p.add_argument("--ddp-only", action="store_true", help="skip the all-reduce bandwidth table")
    p.add_argument("--worker", action="store_true")
    p.add_argument("--out", default="")
    args = p.parse_args()
    if args.worker:
        return worker(args)
    import tempfile
    out = os.path.join(tempfile.mkdtemp(), "ddp_bench.json")
    before = [round(x, 2) for x in os.getloadavg()]
    cmd = [sys.executable, "-m", "mstorch", "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           os.path.abspath(__file__), "--worker", "--out", out, "--rounds", str(args.rounds),
           "--steps", str(args.steps), "--model-mb", str(args.model_mb)] + (["--ddp-only"] if args.ddp_only else [])
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800,
                          env={k: v for k, v in os.environ.items() if k != "MSTORCH_ENABLE"})
    if proc.returncode != 0:
        sys.exit(f"benchmark launch failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    with open(out) as f:
        result = json.load(f)
    result["launch_wall_s"] = round(time.perf_counter() - t0, 1)
    result["loadavg_before"] = before
    result["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    result["cpus"] = os.cpu_count()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
