"""torch.nn.parallel.DistributedDataParallel: the class exists (isinstance checks, subclassing);
constructing one needs the default process group, which mstorch cannot create yet, so it
raises PyTorch's error for a process without one."""
from mstorch.impl.torch._ns import torch
from mstorch.impl.torch.distributed.distributed_c10d import _no_default_group


class DistributedDataParallel(torch.nn.Module):
    def __init__(self, module, device_ids=None, output_device=None, dim=0, broadcast_buffers=True,
                 process_group=None, bucket_cap_mb=None, find_unused_parameters=False, check_reduction=False,
                 gradient_as_bucket_view=False, static_graph=False, delay_all_reduce_named_params=None,
                 param_to_hook_all_reduce=None, mixed_precision=None, device_mesh=None, skip_all_reduce_unused_params=False):
        super().__init__()
        if process_group is not None or device_mesh is not None:
            raise NotImplementedError("mstorch: torch.nn.parallel.DistributedDataParallel is not supported "
                                      "(torch.distributed has no process groups yet)")
        raise _no_default_group()
