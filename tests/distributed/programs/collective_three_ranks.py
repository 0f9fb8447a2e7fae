"""Child of tests/distributed/test_collectives.py: what needs more than two ranks, on three —
a subgroup that leaves a rank out (MindSpore's create_group), a broadcast whose source is
group rank 1 but global rank 2, point-to-point between ranks 0 and 2 (their own pair group)
while rank 1 is elsewhere, all_to_all_single, and object collectives.

Usage: torchrun --nproc_per_node=3 collective_three_ranks.py OUT"""
import json
import os
import sys

import torch
import torch.distributed as dist

dist.init_process_group("gloo")
r, n = dist.get_rank(), dist.get_world_size()
out = {}
g = dist.new_group([0, 2])
if r in (0, 2):
    t = torch.tensor([float(r + 1)])
    dist.all_reduce(t, group=g)
    out["g02"] = [t.item(), dist.get_rank(g), dist.get_world_size(g)]
    t = torch.tensor([float(r)])
    dist.broadcast(t, src=2, group=g)
    out["broadcast_src2"] = t.item()
    gathered = [torch.zeros(1) for _ in range(2)]
    dist.all_gather(gathered, torch.tensor([float(r)]), group=g)
    out["all_gather_g02"] = [x.item() for x in gathered]
else:
    out["g02"] = [dist.get_rank(g), dist.get_world_size(g), dist.all_reduce(torch.ones(1), group=g)]
if r == 0:
    dist.send(torch.tensor([7.0, 8.0]), dst=2)
elif r == 2:
    b = torch.zeros(2)
    dist.recv(b, src=0)
    out["p2p"] = b.tolist()
o = torch.zeros(n, dtype=torch.int64)
dist.all_to_all_single(o, torch.arange(n) + 10 * r)
out["all_to_all_single"] = o.tolist()
t = torch.tensor([float(r + 1)])
dist.all_reduce(t, op=dist.ReduceOp.PRODUCT)
out["prod"] = t.item()
objs = [None] * n
dist.all_gather_object(objs, r * "x")
out["objects"] = objs
dist.barrier()
with open(os.path.join(sys.argv[1], f"rank{r}.json"), "w") as f:
    json.dump(out, f)
