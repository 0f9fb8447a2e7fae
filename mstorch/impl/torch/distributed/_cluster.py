"""Joining MindSpore's cluster from `init_process_group`.

MindSpore's communication starts from a scheduler process and worker processes that know
it through environment variables (MS_ROLE, MS_SCHED_HOST, MS_SCHED_PORT, MS_WORKER_NUM,
MS_NODE_ID). Under `torchrun` (mstorch's) or `msrun` they are already set. A program that
starts its processes itself (`torch.multiprocessing.spawn` with MASTER_ADDR/MASTER_PORT, or
`init_method="tcp://host:port"`) gets them here: the rank-0 process starts MindSpore's
scheduler at that address and every rank joins as a worker. (MindSpore's own
`init_process_group(init_method="tcp://...")` is Ascend-only; on CPU it raises.)
"""
import atexit
import os
import socket
import subprocess
import sys
from urllib.parse import urlparse

_MS_VARS = ("MS_ROLE", "MS_SCHED_HOST", "MS_SCHED_PORT", "MS_WORKER_NUM", "MS_NODE_ID")
_scheduler = []


def scheduler_host(host, what="MASTER_ADDR"):
    """`host` as the IPv4 address MindSpore's cluster variables need.

    MindSpore parses MS_SCHED_HOST as an IP: given "localhost" or a host name, its workers
    retry "Parse ip failed" forever and its scheduler cannot open its TCP server. PyTorch
    accepts host names there, so they are resolved here (MASTER_ADDR itself keeps the name)."""
    try:
        return socket.gethostbyname(host)
    except (OSError, UnicodeError) as e:
        raise ValueError(f"{what}={host!r}: cannot resolve this host name to an IPv4 address ({e}); MindSpore's "
                         "cluster needs the scheduler's IP") from None


def launched_cluster():
    """(world_size, rank) when a launcher set MindSpore's cluster variables, else None."""
    if os.environ.get("MS_ROLE") != "MS_WORKER" or "MS_WORKER_NUM" not in os.environ:
        return None
    node = os.environ.get("MS_NODE_ID")
    return int(os.environ["MS_WORKER_NUM"]), (int(node) if node is not None else None)


def _env_int(name, given):
    if given is not None and given >= 0:
        return given
    value = os.environ.get(name)
    if value is None:
        raise ValueError(f"Error initializing torch.distributed using env:// rendezvous: environment variable "
                         f"{name} expected, but not set")
    return int(value)


def _env_str(name):
    value = os.environ.get(name)
    if value is None:
        raise ValueError(f"Error initializing torch.distributed using env:// rendezvous: environment variable "
                         f"{name} expected, but not set")
    return value


def prepare(init_method, world_size, rank, timeout_s):
    """Make this process a worker of MindSpore's cluster; returns (world_size, rank) expected."""
    launched = launched_cluster()
    if launched is not None:
        if init_method not in (None, "env://") and not init_method.startswith("tcp://"):
            raise NotImplementedError(f"mstorch: init_method={init_method!r} is not supported (env:// or tcp://)")
        ws, rk = launched
        return ws, rk if rk is not None else rank
    method = init_method or "env://"
    if method == "env://":
        # Looked up in PyTorch's order, so the first missing one is the one PyTorch names.
        rank, world_size = _env_int("RANK", rank), _env_int("WORLD_SIZE", world_size)
        addr, port = _env_str("MASTER_ADDR"), _env_int("MASTER_PORT", None)
    elif method.startswith("tcp://"):
        url = urlparse(method)
        if not url.hostname or not url.port:
            raise ValueError(f"init_method={method!r}: expected tcp://HOST:PORT")
        addr, port = url.hostname, url.port
        if world_size is None or world_size < 1:
            raise ValueError("world_size must be positive when init_method is tcp://")
        if rank is None or rank < 0:
            raise ValueError("rank must be non-negative when init_method is tcp://")
    else:
        raise NotImplementedError(f"mstorch: init_method={method!r} is not supported: use env:// (the default, "
                                  "set by torchrun) or tcp://HOST:PORT")
    if not 0 <= rank < world_size:
        raise ValueError(f"Invalid rank {rank} for world_size {world_size}")
    what = "MASTER_ADDR" if method == "env://" else "init_method"
    cluster = {"MS_SCHED_HOST": scheduler_host(addr, what), "MS_SCHED_PORT": str(port), "MS_WORKER_NUM": str(world_size)}
    if timeout_s is not None:
        cluster["MS_TOPO_TIMEOUT"] = str(int(timeout_s))
    if rank == 0:
        _start_scheduler(cluster)
    os.environ.update(cluster, MS_ROLE="MS_WORKER", MS_NODE_ID=str(rank))
    return world_size, rank


def _start_scheduler(cluster):
    from mstorch.impl.torch.distributed._launch_agent import _die_with_parent
    env = {k: v for k, v in os.environ.items() if k not in _MS_VARS and k != "MSTORCH_ENABLE"}
    env.update(cluster, MS_ROLE="MS_SCHED")
    env.setdefault("GLOG_v", "3")
    proc = subprocess.Popen([sys.executable, "-c", "from mindspore.communication import init; init()"], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=_die_with_parent)
    _scheduler.append(proc)
    atexit.register(_reap_scheduler)


def _reap_scheduler():
    # The scheduler returns once every worker has finalized; this process exits anyway.
    for proc in _scheduler:
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
