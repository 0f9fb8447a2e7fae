"""torch.distributed.optim: ZeroRedundancyOptimizer (ZeRO optimizer-state sharding) is out of scope
for mstorch, and DistributedOptimizer needs torch.distributed.rpc, which mstorch does not have:
constructing either raises NotImplementedError naming it."""


class ZeroRedundancyOptimizer:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("mstorch: torch.distributed.optim.ZeroRedundancyOptimizer is out of scope for "
                                  "mstorch: sharded data parallelism (FSDP/ZeRO) is not supported; use a plain "
                                  "optimizer with torch.nn.parallel.DistributedDataParallel")


class DistributedOptimizer:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("mstorch: torch.distributed.optim.DistributedOptimizer is not supported "
                                  "(it needs torch.distributed.rpc)")


__all__ = ["DistributedOptimizer", "ZeroRedundancyOptimizer"]
