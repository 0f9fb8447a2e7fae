"""Imports what libraries import from torch.distributed at module level once it is available."""
import torch
from torch.distributed.algorithms.join import Join  # noqa: F401 - accelerate
from torch.distributed.fsdp.fully_sharded_data_parallel import FullyShardedDataParallel  # noqa: F401 - accelerate
from torch.distributed._composable.fsdp import fully_shard  # noqa: F401 - transformers, peft
from torch.distributed._functional_collectives import all_to_all_single_autograd  # noqa: F401 - transformers
from torch.distributed.device_mesh import DeviceMesh  # noqa: F401 - transformers, peft
from torch.distributed.tensor import DTensor, distribute_tensor  # noqa: F401 - peft
from torch.distributed.tensor._utils import compute_local_shape_and_global_offset  # noqa: F401
from torch.distributed.tensor.placement_types import Shard, _StridedShard  # noqa: F401

import accelerate.accelerator  # noqa: F401,E402
import peft  # noqa: F401,E402
import transformers.trainer  # noqa: F401,E402

print("imported", torch.distributed.is_available())
