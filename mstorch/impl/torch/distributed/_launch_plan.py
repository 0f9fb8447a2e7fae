"""What `torchrun` will start: the processes, their commands and their environments.

Two contracts meet in every worker's environment:
- torchrun's: RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, GROUP_RANK, GROUP_WORLD_SIZE,
  ROLE_RANK, ROLE_NAME, ROLE_WORLD_SIZE, MASTER_ADDR, MASTER_PORT, TORCHELASTIC_RUN_ID,
  TORCHELASTIC_RESTART_COUNT, TORCHELASTIC_MAX_RESTARTS, TORCHELASTIC_USE_AGENT_STORE;
- MindSpore's dynamic cluster (what `msrun` sets): MS_ROLE=MS_WORKER, MS_SCHED_HOST,
  MS_SCHED_PORT, MS_WORKER_NUM, MS_NODE_ID, plus RANK_ID/RANK_SIZE/DEVICE_ID that MindSpore's
  Ascend set-up reads.
MindSpore's scheduler listens on MASTER_ADDR:MASTER_PORT (node 0 starts it; a host name
is resolved to the IPv4 address MindSpore needs in MS_SCHED_HOST), so the
multi-node options map one to one: --nnodes x --nproc-per-node workers in all, node k's
workers take global ranks k*nproc .. k*nproc+nproc-1.
"""
import os
import socket
import sys
import uuid
from dataclasses import dataclass, field

from mstorch.impl.torch.distributed._cluster import scheduler_host

DEFAULT_MASTER_PORT = 29500      # torchrun's default for the static rendezvous
DEFAULT_RDZV_PORT = 29400        # and for an --rdzv-endpoint given without a port
DEFAULT_SHUTDOWN_TIMEOUT = 30    # seconds between SIGTERM and SIGKILL, as torchrun's


class LaunchError(ValueError):
    """A torchrun option mstorch cannot honour, or options that contradict each other."""


@dataclass
class Worker:
    local_rank: int
    rank: int
    cmd: list
    env: dict


@dataclass
class LaunchPlan:
    nnodes: int
    nproc_per_node: int
    node_rank: int
    master_addr: str
    master_port: int
    run_id: str
    workers: list = field(default_factory=list)
    scheduler_cmd: list = None          # None on nodes other than 0
    scheduler_env: dict = None
    monitor_interval: float = 0.1
    shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT
    signals: tuple = ()


# Options mstorch refuses unless they hold torchrun's default: (dest, default, why).
_UNSUPPORTED = (
    ("max_restarts", 0, "restarting failed workers is not supported; only --max-restarts=0"),
    ("rdzv_conf", "", "rendezvous configuration is not supported"),
    ("event_log_handler", "null", "event log handlers are not supported"),
    ("log_dir", None, "per-worker log files are not supported: workers print to this terminal"),
    ("redirects", "0", "redirecting worker output is not supported"),
    ("tee", "0", "teeing worker output is not supported"),
    ("local_ranks_filter", "", "filtering worker output is not supported"),
    ("duplicate_stdout_filters", "", "filtering worker output is not supported"),
    ("duplicate_stderr_filters", "", "filtering worker output is not supported"),
    ("local_addr", None, "choosing the local address is not supported"),
    ("logs_specs", None, "logs specs are not supported"),
    ("numa_binding", None, "NUMA binding is not supported"),
    ("virtual_local_rank", False, "virtual local ranks are not supported"),
)


def _check_supported(args):
    for dest, default, why in _UNSUPPORTED:
        value = getattr(args, dest)
        if value != default and not (dest in ("redirects", "tee") and str(value) == "0"):
            option = "--" + dest.replace("_", "-")
            raise LaunchError(f"{option}={value!r}: {why} by mstorch's torchrun")
    if args.rdzv_backend not in ("static", "c10d"):
        raise LaunchError(f"--rdzv-backend={args.rdzv_backend!r}: mstorch's torchrun supports 'static' and "
                          "'c10d' (both mapped to MindSpore's scheduler on node 0)")


def _nnodes(text):
    lo, _, hi = text.partition(":")
    try:
        lo, hi = int(lo), int(hi or lo)
    except ValueError:
        raise LaunchError(f"--nnodes={text!r}: expected an integer or MIN:MAX") from None
    if lo != hi:
        raise LaunchError(f"--nnodes={text}: elastic jobs (MIN != MAX nodes) are not supported by mstorch's "
                          "torchrun: MindSpore's cluster has a fixed size")
    if lo < 1:
        raise LaunchError(f"--nnodes={text}: must be at least 1")
    return lo


def _nproc(text):
    if text in ("cpu", "auto"):
        # 'auto' counts accelerators where torch.cuda sees them; mstorch's CPU job counts CPUs.
        return os.cpu_count() or 1
    if text == "gpu":
        raise LaunchError("--nproc-per-node=gpu: no CUDA devices on this host")
    try:
        n = int(text)
    except ValueError:
        raise LaunchError(f"--nproc-per-node={text!r}: expected an integer, 'cpu', 'gpu' or 'auto'") from None
    if n < 1:
        raise LaunchError(f"--nproc-per-node={n}: must be at least 1")
    return n


def free_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _endpoint(args):
    """(master_addr, master_port) from --standalone, --rdzv-endpoint or --master-addr/--master-port."""
    if args.standalone:
        return "127.0.0.1", free_port()
    if args.rdzv_endpoint:
        host, _, port = args.rdzv_endpoint.rpartition(":")
        if not host:
            host, port = args.rdzv_endpoint, ""
        try:
            return host, int(port) if port else DEFAULT_RDZV_PORT
        except ValueError:
            raise LaunchError(f"--rdzv-endpoint={args.rdzv_endpoint!r}: expected HOST:PORT") from None
    return args.master_addr, args.master_port if args.master_port is not None else DEFAULT_MASTER_PORT


def _signals(text):
    import signal
    out = []
    for name in filter(None, (s.strip() for s in text.split(","))):
        if not hasattr(signal, name):
            raise LaunchError(f"--signals-to-handle: unknown signal {name!r}")
        out.append(getattr(signal, name))
    return tuple(out)


def _worker_cmd(args):
    if args.no_python:
        if args.module:
            raise LaunchError("--no-python and -m/--module cannot be used together")
        return [args.training_script, *args.training_script_args]
    # python -m mstorch runs the script with mstorch's torch, exactly as python would run it.
    target = ["-m", args.training_script] if args.module else [args.training_script]
    return [sys.executable, "-u", "-m", "mstorch", *target, *args.training_script_args]


def plan_from_args(args):
    _check_supported(args)
    if args.standalone:
        nnodes, node_rank = 1, 0
    else:
        nnodes, node_rank = _nnodes(args.nnodes), args.node_rank
    if not 0 <= node_rank < nnodes:
        raise LaunchError(f"--node-rank={node_rank}: must be in [0, {nnodes}) for --nnodes={nnodes}")
    nproc = _nproc(args.nproc_per_node)
    addr, port = _endpoint(args)
    run_id = str(uuid.uuid4()) if args.standalone else args.rdzv_id
    world = nnodes * nproc
    base = dict(os.environ)
    base["MSTORCH_ENABLE"] = "1"  # a --no-python executable's Python still gets mstorch's torch
    if nproc > 1 and "OMP_NUM_THREADS" not in base:
        base["OMP_NUM_THREADS"] = "1"
        sys.stderr.write("Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to "
                         "avoid your system being overloaded, please further tune the variable for optimal "
                         "performance in your application as needed.\n")
    try:
        sched_host = scheduler_host(addr, "--rdzv-endpoint" if args.rdzv_endpoint and not args.standalone
                                    else "--master-addr")
    except ValueError as e:
        raise LaunchError(str(e)) from None
    cluster = {"MS_SCHED_HOST": sched_host, "MS_SCHED_PORT": str(port), "MS_WORKER_NUM": str(world),
               "RANK_SIZE": str(world)}
    # MindSpore prints its cluster set-up progress (retries while the scheduler starts) as
    # WARNING lines; torchrun's workers print nothing of the kind.
    base.setdefault("GLOG_v", "3")
    plan = LaunchPlan(nnodes=nnodes, nproc_per_node=nproc, node_rank=node_rank, master_addr=addr, master_port=port,
                      run_id=run_id, monitor_interval=args.monitor_interval,
                      shutdown_timeout=args.shutdown_timeout if args.shutdown_timeout is not None
                      else DEFAULT_SHUTDOWN_TIMEOUT, signals=_signals(args.signals_to_handle))
    cmd = _worker_cmd(args)
    for local_rank in range(nproc):
        rank = node_rank * nproc + local_rank
        env = dict(base, **cluster)
        env.update({
            "LOCAL_RANK": str(local_rank), "RANK": str(rank), "GROUP_RANK": str(node_rank),
            "ROLE_RANK": str(rank), "ROLE_NAME": args.role, "LOCAL_WORLD_SIZE": str(nproc),
            "WORLD_SIZE": str(world), "GROUP_WORLD_SIZE": str(nnodes), "ROLE_WORLD_SIZE": str(world),
            "MASTER_ADDR": addr, "MASTER_PORT": str(port), "TORCHELASTIC_RUN_ID": run_id,
            "TORCHELASTIC_RESTART_COUNT": "0", "TORCHELASTIC_MAX_RESTARTS": str(args.max_restarts),
            "TORCHELASTIC_USE_AGENT_STORE": "False", "TORCH_NCCL_ASYNC_ERROR_HANDLING": "1",
            "MS_ROLE": "MS_WORKER", "MS_NODE_ID": str(rank), "RANK_ID": str(rank), "DEVICE_ID": str(local_rank),
        })
        # torch.distributed.launch without --use-env passes the local rank as an argument.
        extra = [] if getattr(args, "use_env", True) else [f"--local-rank={local_rank}"]
        plan.workers.append(Worker(local_rank=local_rank, rank=rank, cmd=[*cmd, *extra], env=env))
    if node_rank == 0:
        plan.scheduler_env = dict(base, **cluster, MS_ROLE="MS_SCHED")
        plan.scheduler_env.pop("MSTORCH_ENABLE")
        # The scheduler is MindSpore's own: it serves the cluster's topology until every
        # worker has finalized, then returns.
        plan.scheduler_cmd = [sys.executable, "-c", "from mindspore.communication import init; init()"]
    return plan
