"""torch.distributed: importable, with PyTorch's answers for a process where no group exists.

See distributed_c10d.py: mstorch has no process groups yet, so `is_available()` is False
and `init_process_group` raises NotImplementedError naming itself.
"""
from mstorch.impl.torch.distributed.distributed_c10d import (  # noqa: F401
    Backend, DistBackendError, DistError, DistNetworkError, DistStoreError, GroupMember, ProcessGroup, ReduceOp,
    all_gather, all_gather_into_tensor, all_gather_object, all_reduce, all_to_all, all_to_all_single, barrier,
    broadcast, broadcast_object_list, default_pg_timeout, destroy_process_group, gather, gather_object, get_backend,
    get_global_rank, get_group_rank, get_process_group_ranks, get_rank, get_world_size, group, init_process_group,
    irecv, is_available, is_backend_available, is_gloo_available, is_initialized, is_mpi_available,
    is_nccl_available, is_torchelastic_launched, is_ucc_available, is_xccl_available, isend, monitored_barrier,
    new_group, recv, reduce, reduce_scatter, reduce_scatter_tensor, scatter, scatter_object_list, send)
