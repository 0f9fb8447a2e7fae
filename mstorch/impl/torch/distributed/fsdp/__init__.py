"""torch.distributed.fsdp: sharded data parallelism (FSDP, FSDP2's fully_shard) is out of scope for
mstorch (it supports DistributedDataParallel). The configuration enums and dataclasses exist so that
programs importing them load; wrapping a module raises NotImplementedError naming the API."""
import enum
from dataclasses import dataclass

_WHY = ("is out of scope for mstorch: sharded data parallelism (FSDP/ZeRO) is not supported; "
        "use torch.nn.parallel.DistributedDataParallel")


def _out_of_scope(name):
    return NotImplementedError(f"mstorch: torch.distributed.fsdp.{name} {_WHY}")


class ShardingStrategy(enum.Enum):
    FULL_SHARD = enum.auto()
    SHARD_GRAD_OP = enum.auto()
    NO_SHARD = enum.auto()
    HYBRID_SHARD = enum.auto()
    _HYBRID_SHARD_ZERO2 = enum.auto()


class BackwardPrefetch(enum.Enum):
    BACKWARD_PRE = enum.auto()
    BACKWARD_POST = enum.auto()


class StateDictType(enum.Enum):
    FULL_STATE_DICT = enum.auto()
    LOCAL_STATE_DICT = enum.auto()
    SHARDED_STATE_DICT = enum.auto()


@dataclass
class CPUOffload:
    offload_params: bool = False


@dataclass
class MixedPrecision:
    param_dtype: object = None
    reduce_dtype: object = None
    buffer_dtype: object = None
    keep_low_precision_grads: bool = False
    cast_forward_inputs: bool = False
    cast_root_forward_inputs: bool = True


@dataclass
class StateDictConfig:
    offload_to_cpu: bool = False


@dataclass
class FullStateDictConfig(StateDictConfig):
    rank0_only: bool = False


@dataclass
class ShardedStateDictConfig(StateDictConfig):
    _use_dtensor: bool = False


class FullyShardedDataParallel:
    def __init__(self, *args, **kwargs):
        raise _out_of_scope("FullyShardedDataParallel")


class FSDPModule:
    def __init__(self, *args, **kwargs):
        raise _out_of_scope("FSDPModule")


def fully_shard(*args, **kwargs):
    raise _out_of_scope("fully_shard")


__all__ = ["BackwardPrefetch", "CPUOffload", "FullStateDictConfig", "FullyShardedDataParallel", "FSDPModule",
           "MixedPrecision", "ShardedStateDictConfig", "ShardingStrategy", "StateDictConfig", "StateDictType",
           "fully_shard"]
