"""torch.distributed on MindSpore's communication layer (mccl on CPU, hccl on Ascend).

Launch with `torchrun` / `python -m mstorch -m torch.distributed.run` (run.py), then
`init_process_group` (distributed_c10d.py) and the collectives (_collectives.py,
_object_collectives.py), whose data moves through the `_c10d_*` table ops.
"""
from mstorch.impl.torch.distributed.distributed_c10d import (  # noqa: F401
    Backend, DistBackendError, DistError, DistNetworkError, DistStoreError, GroupMember, ProcessGroup, ReduceOp,
    default_pg_timeout, destroy_process_group, get_backend, get_default_backend_for_device, get_global_rank, get_group_rank, get_node_local_rank,
    get_process_group_ranks, get_rank, get_world_size, group, init_process_group, is_available,
    is_backend_available, is_gloo_available, is_hccl_available, is_initialized, is_mpi_available, is_nccl_available,
    is_torchelastic_launched, is_ucc_available, is_xccl_available, new_group)
from mstorch.impl.torch.distributed._collectives import (  # noqa: F401
    Work, all_gather, all_gather_into_tensor, all_reduce, all_to_all, all_to_all_single, barrier, broadcast, gather,
    irecv, isend, monitored_barrier, recv, reduce, reduce_scatter, reduce_scatter_tensor, scatter, send)
from mstorch.impl.torch.distributed._object_collectives import (  # noqa: F401
    all_gather_object, broadcast_object_list, gather_object, scatter_object_list)
