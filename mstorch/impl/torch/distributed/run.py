"""torch.distributed.run (`torchrun`): start N copies of a training script as one job.

The job runs on MindSpore's own cluster: the launcher starts MindSpore's scheduler
(`MS_ROLE=MS_SCHED`, on node 0 only) and one worker process per local rank
(`MS_ROLE=MS_WORKER`), as `msrun` does, and gives every worker torchrun's environment
contract as well (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR, ...): see `_launch_plan.py`.
Workers run under `python -m mstorch`, so their `import torch` is mstorch's.

The options are torchrun's, with their defaults and `PET_*` environment fallbacks; the
ones whose behaviour mstorch does not provide (restarts, log redirection, NUMA binding...)
are refused with an error naming them, never ignored.
"""
import os
import sys
from argparse import REMAINDER, Action, ArgumentParser

from mstorch.impl.torch.distributed._launch_plan import LaunchError, plan_from_args


class _env(Action):
    """An option whose default may come from `PET_<NAME>`, as in torchrun."""

    def __init__(self, dest, default=None, required=False, **kwargs):
        env_value = os.environ.get(f"PET_{dest.upper()}")
        default = env_value if env_value is not None else default
        super().__init__(dest=dest, default=default, required=required and default is None, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, values)


class _check_env(Action):
    """A flag that may also be switched on by `PET_<NAME>=1`."""

    def __init__(self, dest, default=False, **kwargs):
        env_value = os.environ.get(f"PET_{dest.upper()}")
        default = bool(int(env_value)) if env_value is not None else default
        super().__init__(dest=dest, const=True, default=default, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, self.const)


def _both(name):
    """torchrun accepts each long option spelled with dashes and with underscores."""
    spellings = [name]
    if "-" in name[2:]:
        spellings.append("--" + name[2:].replace("-", "_"))
    return spellings


def get_args_parser():
    parser = ArgumentParser(prog="torchrun", description="Torch Distributed Elastic Training Launcher "
                                                         "(mstorch: runs the job on MindSpore's cluster)")
    add = parser.add_argument
    add("--nnodes", action=_env, type=str, default="1:1", help="Number of nodes, or MIN:MAX (MIN must equal MAX).")
    add(*_both("--nproc-per-node"), action=_env, type=str, default="1",
        help="Number of workers per node: an integer, 'cpu', or 'auto'.")
    add(*_both("--rdzv-backend"), action=_env, type=str, default="static", help="static or c10d.")
    add(*_both("--rdzv-endpoint"), action=_env, type=str, default="",
        help="HOST:PORT of node 0; MindSpore's scheduler listens there.")
    add(*_both("--rdzv-id"), action=_env, type=str, default="none", help="Job id (TORCHELASTIC_RUN_ID).")
    add(*_both("--rdzv-conf"), action=_env, type=str, default="", help="Not supported (only empty).")
    add("--standalone", action=_check_env, help="Single-node job on a free local port.")
    add(*_both("--max-restarts"), action=_env, type=int, default=0, help="Only 0 is supported.")
    add(*_both("--monitor-interval"), action=_env, type=float, default=0.1,
        help="Seconds between checks of the workers' state.")
    add(*_both("--start-method"), action=_env, type=str, default="spawn", choices=["spawn", "fork", "forkserver"],
        help="Accepted for compatibility: scripts always start as fresh interpreters, as in torchrun.")
    add(*_both("--event-log-handler"), action=_env, type=str, default="null", help="Only 'null'.")
    add("--role", action=_env, type=str, default="default", help="Worker role name (ROLE_NAME).")
    add("-m", "--module", action=_check_env, help="Run the script as a module (python -m).")
    add(*_both("--no-python"), action=_check_env, help="Run the script as an executable, not with Python.")
    add(*_both("--run-path"), action=_check_env, help="Run the script with runpy.run_path.")
    add(*_both("--log-dir"), action=_env, type=str, default=None, help="Not supported.")
    add("-r", "--redirects", action=_env, type=str, default="0", help="Only 0 (workers print to this terminal).")
    add("-t", "--tee", action=_env, type=str, default="0", help="Only 0.")
    add(*_both("--local-ranks-filter"), action=_env, type=str, default="", help="Not supported.")
    add(*_both("--duplicate-stdout-filters"), action=_env, type=str, default="", help="Not supported.")
    add(*_both("--duplicate-stderr-filters"), action=_env, type=str, default="", help="Not supported.")
    add(*_both("--node-rank"), action=_env, type=int, default=0, help="This node's rank (static rendezvous).")
    add(*_both("--master-addr"), action=_env, type=str, default="127.0.0.1", help="Address of node 0.")
    add(*_both("--master-port"), action=_env, type=int, default=None, help="Port on node 0 (default 29500).")
    add(*_both("--local-addr"), action=_env, type=str, default=None, help="Not supported.")
    add(*_both("--logs-specs"), type=str, default=None, help="Not supported.")
    add(*_both("--numa-binding"), type=str, default=None, help="Not supported.")
    add(*_both("--signals-to-handle"), action=_env, type=str, default="SIGTERM,SIGINT,SIGHUP,SIGQUIT",
        help="Signals forwarded to the workers.")
    add(*_both("--shutdown-timeout"), action=_env, type=int, default=None,
        help="Seconds workers get to exit after SIGTERM before SIGKILL (default 30).")
    add(*_both("--virtual-local-rank"), action=_check_env, help="Not supported.")
    add("training_script", type=str, help="The script (or module with -m) to run on every worker.")
    add("training_script_args", nargs=REMAINDER)
    return parser


def parse_args(args):
    return get_args_parser().parse_args(args)


def run(args):
    """Run the job described by parsed `args`; returns the launcher's exit status."""
    from mstorch.impl.torch.distributed._launch_agent import run_job
    try:
        plan = plan_from_args(args)
    except LaunchError as exc:
        sys.stderr.write(f"torchrun (mstorch): error: {exc}\n")
        return 2
    return run_job(plan)


def main(args=None):
    status = run(parse_args(sys.argv[1:] if args is None else args))
    if status:
        sys.exit(status)


if __name__ == "__main__":
    main()
