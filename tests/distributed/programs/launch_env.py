"""Child of tests/distributed/test_launch.py: reports its launch environment, then
behaves as its arguments say (it joins no MindSpore cluster, so it is quick).

Usage: launch_env.py OUT [--fail-rank R [CODE]] [--sleep-rank R] [--sleep-all] [--on-term]"""
import json
import os
import signal
import sys
import time

out, args = sys.argv[1], sys.argv[2:]
rank = int(os.environ["RANK"])
keys = ("RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "GROUP_RANK", "GROUP_WORLD_SIZE", "ROLE_RANK",
        "ROLE_NAME", "ROLE_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT", "TORCHELASTIC_RUN_ID",
        "TORCHELASTIC_RESTART_COUNT", "TORCHELASTIC_MAX_RESTARTS", "OMP_NUM_THREADS", "MS_ROLE", "MS_SCHED_HOST",
        "MS_SCHED_PORT", "MS_WORKER_NUM", "MS_NODE_ID", "RANK_ID", "DEVICE_ID", "RANK_SIZE", "MSTORCH_ENABLE")
import torch  # noqa: E402

facts = {"env": {k: os.environ.get(k) for k in keys}, "argv": sys.argv[1:], "pid": os.getpid(),
         "torch": repr(torch)}


def save(extra=None):
    with open(os.path.join(out, f"rank{rank}.json"), "w") as f:
        json.dump({**facts, **(extra or {})}, f)


save()
if "--on-term" in args:
    def on_term(signum, frame):
        save({"got_signal": signum})
        sys.exit(0)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
if "--fail-rank" in args:
    i = args.index("--fail-rank")
    code = int(args[i + 2]) if i + 2 < len(args) and args[i + 2].isdigit() else 1
    if rank == int(args[i + 1]):
        time.sleep(1)
        sys.exit(code)
if "--sleep-all" in args or ("--sleep-rank" in args and rank == int(args[args.index("--sleep-rank") + 1])):
    save({"sleeping": True})
    time.sleep(600)
