"""torch.distributed.tensor: libraries test `isinstance(t, DTensor)` on every parameter
(transformers' Trainer does before clipping and optimising).  mstorch has no sharded
tensors, so the class exists for those checks (no tensor is one) and making a DTensor
raises naming it."""
from dispatch.tensor import Tensor


class DTensor(Tensor):
    """A tensor sharded over a device mesh: not supported by mstorch."""

    def __new__(cls, *args, **kwargs):
        raise NotImplementedError("mstorch: torch.distributed.tensor.DTensor (sharded tensors over a device mesh) "
                                  "is not supported")

    @staticmethod
    def from_local(*args, **kwargs):
        raise NotImplementedError("mstorch: torch.distributed.tensor.DTensor.from_local is not supported")
from mstorch.impl.torch.distributed.tensor.placement_types import Partial, Placement, Replicate, Shard  # noqa: E402,F401


def distribute_tensor(tensor, device_mesh=None, placements=None, **kwargs):
    raise NotImplementedError("mstorch: torch.distributed.tensor.distribute_tensor (sharded tensors over a device "
                              "mesh) is not supported")


def distribute_module(module, device_mesh=None, *args, **kwargs):
    raise NotImplementedError("mstorch: torch.distributed.tensor.distribute_module (sharded tensors over a device "
                              "mesh) is not supported")
