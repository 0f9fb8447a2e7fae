"""torch.distributed._composable.fsdp: FSDP2's older home, which transformers and peft import from."""
from mstorch.impl.torch.distributed.fsdp import (  # noqa: F401
    CPUOffloadPolicy, FSDPModule, MixedPrecisionPolicy, OffloadPolicy, fully_shard, register_fsdp_forward_method)
