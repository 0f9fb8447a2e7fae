"""Child of tests/distributed/test_launch.py (two "nodes" on loopback): joins the job's
MindSpore cluster through init_process_group and all-reduces one tensor."""
import json
import os
import sys

import torch
import torch.distributed as dist

dist.init_process_group("gloo")
t = torch.tensor([float(dist.get_rank() + 1)])
dist.all_reduce(t)
with open(os.path.join(sys.argv[1], f"rank{dist.get_rank()}.json"), "w") as f:
    json.dump({"rank": dist.get_rank(), "world": dist.get_world_size(), "sum": t.item(),
               "group_rank": os.environ["GROUP_RANK"], "local_rank": os.environ["LOCAL_RANK"]}, f)
dist.destroy_process_group()
