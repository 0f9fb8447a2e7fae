"""torch.distributed's process-group API, as it stands without a process group.

mstorch has no process groups yet (they are to be built on mindspore.communication), so
`is_available()` answers False and `init_process_group` raises NotImplementedError naming
itself. Everything else behaves as PyTorch's does in a process where no group was ever
initialized: `is_initialized()` is False, and rank/size queries and collectives raise
PyTorch's ValueError about the missing default group.
"""
import datetime
import enum
import os

default_pg_timeout = datetime.timedelta(minutes=30)

_NO_GROUP = "Default process group has not been initialized, please make sure to call init_process_group."


def _no_default_group():
    return ValueError(_NO_GROUP)


def _unsupported(name, what="torch.distributed has no process groups yet"):
    return NotImplementedError(f"mstorch: torch.distributed.{name} is not supported ({what})")


def is_available():
    return False


def is_initialized():
    return False


def is_nccl_available():
    return False


def is_gloo_available():
    return False


def is_mpi_available():
    return False


def is_ucc_available():
    return False


def is_xccl_available():
    return False


def is_backend_available(backend):
    return False


def is_torchelastic_launched():
    # What PyTorch checks: torchrun/torchelastic set this for every worker it starts.
    return os.getenv("TORCHELASTIC_RUN_ID") is not None


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1, store=None,
                       group_name="", pg_options=None, device_id=None):
    raise _unsupported("init_process_group", "torch.distributed has no process groups yet; run on one process")


def new_group(ranks=None, timeout=None, backend=None, pg_options=None, use_local_synchronization=False,
              group_desc=None, device_id=None):
    raise _no_default_group()


def destroy_process_group(group=None):
    raise _no_default_group()


def _needs_group(name):
    def query(*args, **kwargs):
        raise _no_default_group()
    query.__name__ = query.__qualname__ = name
    query.__doc__ = f"Raises PyTorch's ValueError: `{name}` needs the default process group, which is never set."
    return query


get_rank = _needs_group("get_rank")
get_world_size = _needs_group("get_world_size")
get_backend = _needs_group("get_backend")
get_global_rank = _needs_group("get_global_rank")
get_group_rank = _needs_group("get_group_rank")
get_process_group_ranks = _needs_group("get_process_group_ranks")
barrier = _needs_group("barrier")
monitored_barrier = _needs_group("monitored_barrier")
all_reduce = _needs_group("all_reduce")
all_gather = _needs_group("all_gather")
all_gather_into_tensor = _needs_group("all_gather_into_tensor")
all_gather_object = _needs_group("all_gather_object")
all_to_all = _needs_group("all_to_all")
all_to_all_single = _needs_group("all_to_all_single")
broadcast = _needs_group("broadcast")
broadcast_object_list = _needs_group("broadcast_object_list")
reduce = _needs_group("reduce")
reduce_scatter = _needs_group("reduce_scatter")
reduce_scatter_tensor = _needs_group("reduce_scatter_tensor")
gather = _needs_group("gather")
gather_object = _needs_group("gather_object")
scatter = _needs_group("scatter")
scatter_object_list = _needs_group("scatter_object_list")
send = _needs_group("send")
recv = _needs_group("recv")
isend = _needs_group("isend")
irecv = _needs_group("irecv")


class ReduceOp:
    """Reduction kinds; `ReduceOp.SUM` is a member of `ReduceOp.RedOpType`, as in PyTorch."""

    class RedOpType(enum.Enum):
        SUM = 0
        AVG = 1
        PRODUCT = 2
        MIN = 3
        MAX = 4
        BAND = 5
        BOR = 6
        BXOR = 7
        PREMUL_SUM = 8
        UNUSED = 9

    SUM, AVG, PRODUCT, MIN, MAX = RedOpType.SUM, RedOpType.AVG, RedOpType.PRODUCT, RedOpType.MIN, RedOpType.MAX
    BAND, BOR, BXOR, PREMUL_SUM = RedOpType.BAND, RedOpType.BOR, RedOpType.BXOR, RedOpType.PREMUL_SUM


class Backend(str):
    """A backend name: known names are normalised to lower case, others (third-party backends) kept lower-cased."""
    UNDEFINED = "undefined"
    GLOO = "gloo"
    NCCL = "nccl"
    UCC = "ucc"
    MPI = "mpi"
    XCCL = "xccl"

    def __new__(cls, name):
        if not isinstance(name, str):
            raise ValueError("Backend constructor parameter must be string-ish")
        known = getattr(Backend, name.upper(), Backend.UNDEFINED)
        return super().__new__(cls, name.lower() if known == Backend.UNDEFINED else known)


class ProcessGroup:
    """The type of process groups; none can exist without `init_process_group`."""

    def __init__(self, *args, **kwargs):
        raise _unsupported("ProcessGroup")


class GroupMember:
    # PyTorch's WORLD is None until init_process_group sets the default group.
    WORLD = None
    NON_GROUP_MEMBER = -100


class group:
    WORLD = None


class DistError(RuntimeError):
    pass


class DistBackendError(DistError):
    pass


class DistNetworkError(DistError):
    pass


class DistStoreError(DistError):
    pass
