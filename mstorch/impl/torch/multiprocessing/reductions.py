"""multiprocessing's pickler sends tensors through shared memory (dispatch/pickling.py).

Registered on `multiprocessing.reduction.ForkingPickler`, which pickles everything that
crosses processes: queue items, Pool tasks and results, Process arguments under spawn
and forkserver.  A tensor's storage moves into shared memory in the sender (PyTorch does
the same) and the receiver maps it: both then read and write one buffer.
"""
from dispatch import Tensor
from dispatch.pickling import reduce_tensor_shared as reduce_tensor, register_for_multiprocessing

__all__ = ["init_reductions", "reduce_tensor"]


def init_reductions():
    """Register the tensor reduction (already done as dispatch defines Tensor and each
    subclass: a process that never touches torch.multiprocessing still sends tensors
    shared, as with PyTorch)."""
    from mstorch.impl.torch.nn.parameter import Parameter
    for cls in (Tensor, Parameter):
        register_for_multiprocessing(cls)
