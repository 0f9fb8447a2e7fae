"""The 2-process half of tests/distributed/test_ddp.py, launched once as
`python -m mstorch -m torch.distributed.run --standalone --nproc_per_node=2 ddp_checks.py OUT`.

Each rank runs every check and saves what it saw in OUT/rank<r>.npz (arrays) and
OUT/rank<r>.json (scalars, messages); the test compares them with a single-process run of
real torch on the concatenated batch.
"""
import json
import os
import sys
import warnings

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ddp_models as M  # noqa: E402

out_dir = sys.argv[1]
dist.init_process_group(backend="gloo")
rank, world = dist.get_rank(), dist.get_world_size()
assert world == M.WORLD, world
arrays, facts = {}, {"rank": rank, "world": world}


def save_state(prefix, module):
    for name, value in module.state_dict().items():
        arrays[f"{prefix}/{name}"] = value.detach().numpy().copy()


def save_grads(prefix, module):
    for name, p in module.named_parameters():
        if p.grad is not None:
            arrays[f"{prefix}/{name}"] = p.grad.detach().numpy().copy()


def check_training(tag, **ddp_kwargs):
    """STEPS SGD steps on this rank's half of each global batch, from rank-dependent initial weights."""
    torch.manual_seed(100 + rank)
    model = M.MLP()
    save_state(f"{tag}/init_local", model)
    ddp = DDP(model, **ddp_kwargs)
    save_state(f"{tag}/init_synced", model)
    xs = [M.shard(M.batch(10 + k, 16, 8), rank) for k in range(M.STEPS)]
    ys = [M.shard(M.batch(50 + k, 16, 4), rank) for k in range(M.STEPS)]
    facts[f"{tag}/losses"] = M.train_steps(ddp, M.sgd(ddp.parameters()), xs, ys)
    facts[f"{tag}/buckets"] = ddp.reducer.bucket_indices()
    save_state(f"{tag}/final", model)
    facts[f"{tag}/state_dict_keys"] = list(ddp.state_dict().keys())
    facts[f"{tag}/module_is_model"] = ddp.module is model


def check_no_sync():
    torch.manual_seed(7)
    model = M.MLP()
    ddp = DDP(model)
    xa, ya = M.shard(M.batch(21, 16, 8), rank), M.shard(M.batch(22, 16, 4), rank)
    xb, yb = M.shard(M.batch(23, 16, 8), rank), M.shard(M.batch(24, 16, 4), rank)
    mse = torch.nn.functional.mse_loss
    with ddp.no_sync():
        mse(ddp(torch.from_numpy(xa)), torch.from_numpy(ya)).backward()
    save_grads("no_sync/inside", model)
    mse(ddp(torch.from_numpy(xb)), torch.from_numpy(yb)).backward()
    save_grads("no_sync/after", model)


def check_sync_batchnorm():
    torch.manual_seed(3)
    model = nn.SyncBatchNorm.convert_sync_batchnorm(M.ConvBN())
    facts["sync_bn/type"] = type(model.bn).__name__
    ddp = DDP(model)
    x = torch.from_numpy(M.shard(M.batch(31, 8, 3, 6, 6), rank)).requires_grad_()
    y = torch.from_numpy(M.shard(M.batch(32, 8, 2), rank))
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1)
    out = ddp(x)
    torch.nn.functional.mse_loss(out, y).backward()
    arrays["sync_bn/out"] = out.detach().numpy().copy()
    arrays["sync_bn/x_grad"] = x.grad.numpy().copy()
    opt.step()
    save_state("sync_bn/after_step", model)
    model.eval()
    arrays["sync_bn/eval_out"] = ddp(x).detach().numpy().copy()


def check_unused():
    torch.manual_seed(5)
    model = M.TwoHeads()
    ddp = DDP(model, find_unused_parameters=True)
    x = torch.from_numpy(M.shard(M.batch(41, 8, 6), rank))
    # rank 0 uses head a, rank 1 head b: each head's gradient is half its one user's gradient.
    ddp(x, "a" if rank == 0 else "b").pow(2).mean().backward()
    save_grads("unused/grads", model)
    facts["unused/never_grad_is_none"] = model.never.weight.grad is None
    # Without the search, an unused parameter leaves the reduction unfinished: the next forward raises.
    torch.manual_seed(5)
    strict = DDP(M.TwoHeads())
    strict(x, "a").pow(2).mean().backward()
    try:
        strict(x, "a")
        facts["unused/strict_error"] = None
    except RuntimeError as e:
        facts["unused/strict_error"] = str(e)


def check_buffers():
    model = M.MLP()
    model.register_buffer("stamp", torch.full((3,), float(rank + 1)))
    ddp = DDP(model)
    facts["buffers/after_init"] = model.stamp.tolist()
    model.stamp.fill_(10.0 + rank)
    ddp(torch.zeros(2, 8))
    facts["buffers/after_forward"] = model.stamp.tolist()
    local = M.MLP()
    local.register_buffer("stamp", torch.full((3,), float(rank + 1)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        DDP(local, broadcast_buffers=False)(torch.zeros(2, 8))
    facts["buffers/no_broadcast"] = local.stamp.tolist()
    facts["buffers/warned"] = [str(w.category.__name__) for w in caught]


check_training("train")
check_training("train_small_buckets", bucket_cap_mb=0.001)
check_no_sync()
check_sync_batchnorm()
check_unused()
check_buffers()
np.savez(os.path.join(out_dir, f"rank{rank}.npz"), **arrays)
with open(os.path.join(out_dir, f"rank{rank}.json"), "w") as f:
    json.dump(facts, f)
dist.barrier()
dist.destroy_process_group()
print(f"rank {rank}: done")
