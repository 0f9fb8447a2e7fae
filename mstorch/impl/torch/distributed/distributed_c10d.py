"""torch.distributed's process groups on MindSpore's communication layer.

`init_process_group` joins MindSpore's cluster (`mindspore.communication.init`, backend
mccl on CPU, hccl on Ascend, nccl on GPU: whatever PyTorch backend name the program asks
for, the device's MindSpore backend serves it; `get_backend()` answers the name asked
for, as PyTorch does). A ProcessGroup is a MindSpore communication group plus the
global ranks it holds. The collectives are in `_collectives.py` and `_object_collectives.py`.
"""
import datetime
import enum
import os

default_pg_timeout = datetime.timedelta(minutes=30)

_NO_GROUP = "Default process group has not been initialized, please make sure to call init_process_group."
_TORCH_BACKENDS = ("gloo", "nccl", "hccl", "mccl", "undefined")
_MS_BACKEND = {"CPU": "mccl", "Ascend": "hccl", "GPU": "nccl"}


def _unsupported(name, what):
    return NotImplementedError(f"mstorch: torch.distributed.{name} is not supported ({what})")


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
    # PyTorch's defaults per device type ('npu' is Ascend's, as torch_npu registers it);
    # every name is served by the device's MindSpore backend (init_process_group).
    default_device_backend_map = {"cpu": "gloo", "cuda": "nccl", "xpu": "xccl", "mps": "gloo", "npu": "hccl"}

    def __new__(cls, name):
        if not isinstance(name, str):
            raise ValueError("Backend constructor parameter must be string-ish")
        known = getattr(Backend, name.upper(), Backend.UNDEFINED)
        return super().__new__(cls, name.lower() if known == Backend.UNDEFINED else known)


def get_default_backend_for_device(device):
    from dispatch.device import device as _device
    device_str = device.type if isinstance(device, _device) else _device(device).type
    backend = Backend.default_device_backend_map.get(device_str)
    if backend is None:
        raise ValueError(f"Default backend not registered for device : {device}")
    return backend


class ProcessGroup:
    """A set of ranks that run collectives together: a MindSpore communication group."""

    def __init__(self, ms_name, ranks, backend, name):
        self._ms_name = ms_name        # MindSpore's group name (collectives take it)
        self._ranks = list(ranks)      # global ranks, in group-rank order
        self._backend = backend        # the PyTorch backend name the program asked for
        self._name = name
        self.bound_device_id = None

    def rank(self):
        return self._ranks.index(_state.rank)

    def size(self):
        return len(self._ranks)

    def name(self):
        return self._backend

    @property
    def group_name(self):
        return self._name

    @property
    def group_desc(self):
        return self._name

    def __repr__(self):
        return f"<ProcessGroup {self._name!r} ranks={self._ranks} backend={self._backend!r} (mstorch)>"


class GroupMember:
    # PyTorch's WORLD is None until init_process_group sets the default group.
    WORLD = None
    NON_GROUP_MEMBER = -100


class group:
    WORLD = None


_GroupNamespace = group  # functions whose `group` argument hides the class


class DistError(RuntimeError):
    pass


class DistBackendError(DistError):
    pass


class DistNetworkError(DistError):
    pass


class DistStoreError(DistError):
    pass


class _State:
    def __init__(self):
        self.default = None     # the default (world) ProcessGroup
        self.rank = -1
        self.world_size = -1
        self.groups = {}        # name -> ProcessGroup
        self.counter = 0
        self.ms_inited = False  # MindSpore's communication cannot be initialised twice in a process


_state = _State()


def is_available():
    return True


def is_initialized():
    return _state.default is not None


def is_gloo_available():
    # "gloo" is accepted and served by MindSpore's backend of the device (mccl on CPU).
    return True


def is_nccl_available():
    return _device_target() == "GPU"


def is_mpi_available():
    return False


def is_ucc_available():
    return False


def is_xccl_available():
    return False


def is_hccl_available():
    return _device_target() == "Ascend"


def is_backend_available(backend):
    return str(backend).lower() in ("gloo", "mccl") or (str(backend).lower() == "nccl" and is_nccl_available()) \
        or (str(backend).lower() == "hccl" and is_hccl_available())


def is_torchelastic_launched():
    # What PyTorch checks: torchrun/torchelastic set this for every worker it starts.
    return os.getenv("TORCHELASTIC_RUN_ID") is not None


def _device_target():
    import dispatch  # noqa: F401  (sets MindSpore's device target as mstorch chose it)
    import mindspore
    return mindspore.get_context("device_target")


def _torch_backend_name(backend):
    if backend is None:
        return Backend.UNDEFINED
    name = str(backend).lower()
    if ":" in name:  # "cpu:gloo,cuda:nccl": every device's choice is served by MindSpore's backend
        for part in name.split(","):
            device, _, each = part.partition(":")
            if each not in _TORCH_BACKENDS:
                raise NotImplementedError(f"mstorch: backend {each!r} (for {device}) is not supported: gloo, nccl, "
                                          "hccl or mccl are served by MindSpore's backend of the device")
        return name
    if name not in _TORCH_BACKENDS:
        raise NotImplementedError(f"mstorch: backend {backend!r} is not supported: gloo, nccl, hccl or mccl are "
                                  "served by MindSpore's backend of the device (mccl on CPU, hccl on Ascend)")
    return name


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1, store=None,
                       group_name="", pg_options=None, device_id=None):
    """Join MindSpore's cluster. `timeout` bounds the cluster's set-up (MS_TOPO_TIMEOUT) where
    this call starts it (env:// or tcp:// without a launcher); under torchrun the launcher
    set the cluster up, and MindSpore's collectives keep their own time limits."""
    from mstorch.impl.torch.distributed import _cluster
    if _state.default is not None:
        raise ValueError("trying to initialize the default process group twice!")
    torch_backend = _torch_backend_name(backend)
    if store is not None:
        raise _unsupported("init_process_group", "store=: MindSpore's cluster has its own rendezvous; use "
                                                 "init_method env:// or tcp://")
    if pg_options is not None:
        raise _unsupported("init_process_group", "pg_options=")
    if init_method is not None and not isinstance(init_method, str):
        raise TypeError(f"init_method must be a string, got {type(init_method).__name__}")
    timeout_s = timeout.total_seconds() if timeout is not None else None
    if _state.ms_inited:
        raise _unsupported("init_process_group", "a second init after destroy_process_group: MindSpore's "
                                                 "communication initialises once per process")
    expect_ws, expect_rank = _cluster.prepare(init_method, world_size, rank, timeout_s)
    from mindspore.communication import GlobalComm, get_group_size, get_rank, init
    init(_MS_BACKEND[_device_target()])
    _state.ms_inited = True
    ws, rk = get_group_size(), get_rank()
    for what, asked, got in (("world_size", world_size, ws), ("rank", rank, rk), ("world_size", expect_ws, ws),
                             ("rank", expect_rank, rk)):
        if asked is not None and asked >= 0 and asked != got:
            raise ValueError(f"init_process_group: {what}={asked} but the launched job has {what} {got}")
    _state.rank, _state.world_size = rk, ws
    name = group_name or str(_state.counter)
    _state.counter += 1
    pg = ProcessGroup(GlobalComm.WORLD_COMM_GROUP, range(ws), torch_backend, name)
    _state.default, _state.groups[name] = pg, pg
    GroupMember.WORLD = group.WORLD = pg
    if device_id is not None:
        pg.bound_device_id = device_id


def _get_default_group():
    if _state.default is None:
        raise ValueError(_NO_GROUP)
    return _state.default


def _resolve(g):
    """The ProcessGroup meant by a `group=` argument (None: the default group)."""
    if g is None or g is GroupMember.WORLD:
        return _get_default_group()
    _get_default_group()
    if isinstance(g, ProcessGroup):
        return g
    raise TypeError(f"group must be a ProcessGroup or None, got {type(g).__name__}")


def _rank_not_in_group(g):
    if g is None:
        return False
    return g is GroupMember.NON_GROUP_MEMBER


def get_rank(group=None):
    if _rank_not_in_group(group):
        return -1
    pg = _resolve(group)
    return _state.rank if pg is _state.default else pg.rank()


def get_world_size(group=None):
    if _rank_not_in_group(group):
        return -1
    return _resolve(group).size()


def get_backend(group=None):
    if _rank_not_in_group(group):
        raise ValueError("Invalid process group specified")
    return Backend(_resolve(group)._backend) if ":" not in _resolve(group)._backend else _resolve(group)._backend


def get_process_group_ranks(group):
    return list(_resolve(group)._ranks)


def get_global_rank(group, group_rank):
    ranks = _resolve(group)._ranks
    if not 0 <= group_rank < len(ranks):
        raise ValueError(f"Group rank {group_rank} is not part of group {group}")
    return ranks[group_rank]


def get_group_rank(group, global_rank):
    ranks = _resolve(group)._ranks
    if global_rank not in ranks:
        raise ValueError(f"Global rank {global_rank} is not part of group {group}")
    return ranks.index(global_rank)


def get_node_local_rank(fallback_rank=None):
    if "LOCAL_RANK" in os.environ:
        return int(os.environ["LOCAL_RANK"])
    if fallback_rank is not None:
        return int(fallback_rank)
    raise RuntimeError("LOCAL_RANK is not in the environment. Consider passing fallback_rank to allow "
                       "`get_node_local_rank` to work, assuming you are not running in a multi-device context and "
                       "want the code to run locally instead.")


def new_group(ranks=None, timeout=None, backend=None, pg_options=None, use_local_synchronization=False,
              group_desc=None, device_id=None):
    """Every rank calls it (as in PyTorch); members get the group, others NON_GROUP_MEMBER."""
    default = _get_default_group()
    if pg_options is not None:
        raise _unsupported("new_group", "pg_options=")
    torch_backend = _torch_backend_name(backend) if backend is not None else default._backend
    ranks = sorted(range(_state.world_size) if ranks is None else ranks)
    if len(set(ranks)) != len(ranks) or any(not 0 <= r < _state.world_size for r in ranks):
        raise ValueError(f"new_group: ranks {ranks} must be distinct and in [0, {_state.world_size})")
    name = str(_state.counter)
    _state.counter += 1  # every rank counts every new_group, members or not: names agree
    if _state.rank not in ranks:
        return GroupMember.NON_GROUP_MEMBER
    if ranks == list(range(_state.world_size)):
        ms_name = default._ms_name  # the world's communicator serves a group of everyone
    else:
        from mindspore.communication import create_group
        ms_name = f"mstorch_group_{name}"
        create_group(ms_name, ranks)
    pg = ProcessGroup(ms_name, ranks, torch_backend, group_desc or name)
    _state.groups[name] = pg
    return pg


def pair_group(a, b):
    """The two-rank group that carries point-to-point messages between global ranks a and b."""
    if _state.world_size == 2:
        return _state.default
    key = ("pair", min(a, b), max(a, b))
    pg = _state.groups.get(key)
    if pg is None:
        from mindspore.communication import create_group
        ms_name = f"mstorch_p2p_{key[1]}_{key[2]}"
        create_group(ms_name, [key[1], key[2]])
        pg = _state.groups[key] = ProcessGroup(ms_name, [key[1], key[2]], _state.default._backend, ms_name)
    return pg


def destroy_process_group(group=None):
    if group is None or group is _state.default:
        _get_default_group()
        # MindSpore's communication stays up until the process exits (it cannot be
        # initialised again in this process); torch.distributed forgets every group.
        _state.default = None
        _state.groups.clear()
        GroupMember.WORLD = _GroupNamespace.WORLD = None
        return
    pg = _resolve(group)
    _state.groups = {k: v for k, v in _state.groups.items() if v is not pg}
