"""torch.distributed.fsdp.fully_sharded_data_parallel: the module libraries import FSDP's names from."""
from mstorch.impl.torch.distributed.fsdp import (  # noqa: F401
    BackwardPrefetch, CPUOffload, FullOptimStateDictConfig, FullStateDictConfig, FullyShardedDataParallel,
    LocalOptimStateDictConfig, LocalStateDictConfig, MixedPrecision, OptimStateDictConfig, OptimStateKeyType,
    ShardedOptimStateDictConfig, ShardedStateDictConfig, ShardingStrategy, StateDictConfig, StateDictType)
