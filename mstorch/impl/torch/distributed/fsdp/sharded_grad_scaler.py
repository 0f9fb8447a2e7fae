"""torch.distributed.fsdp.sharded_grad_scaler: the grad scaler of FSDP training (out of scope)."""
from mstorch.impl.torch.distributed.fsdp import _out_of_scope


class ShardedGradScaler:
    def __init__(self, *args, **kwargs):
        raise _out_of_scope("sharded_grad_scaler.ShardedGradScaler")
