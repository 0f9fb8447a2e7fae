"""Child of tests/distributed/test_launch.py: no launcher; torch.multiprocessing.spawn starts
the ranks and init_process_group reads MASTER_ADDR/MASTER_PORT (env://), so rank 0 starts
MindSpore's scheduler itself.

Usage: python -m mstorch launch_spawn.py PORT OUT"""
import json
import os
import sys

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def work(rank, world, port, out):
    os.environ["MASTER_ADDR"] = "localhost"  # a name: MindSpore needs it resolved
    os.environ["MASTER_PORT"] = str(port)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    t = torch.tensor([float(rank + 1)])
    dist.all_reduce(t)
    with open(os.path.join(out, f"rank{rank}.json"), "w") as f:
        json.dump({"rank": dist.get_rank(), "world": dist.get_world_size(), "sum": t.item()}, f)
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(work, args=(2, int(sys.argv[1]), sys.argv[2]), nprocs=2)
