"""multiprocessing's pickler sends tensors through shared memory (dispatch/pickling.py).

Registered on `multiprocessing.reduction.ForkingPickler`, which pickles everything that
crosses processes: queue items, Pool tasks and results, Process arguments under spawn
and forkserver.  A tensor's storage moves into shared memory in the sender (PyTorch does
the same) and the receiver maps it: both then read and write one buffer.
"""
from multiprocessing.reduction import ForkingPickler

from dispatch import Tensor
from dispatch.pickling import reduce_tensor_shared as reduce_tensor

__all__ = ["init_reductions", "reduce_tensor"]


def init_reductions():
    from mstorch.impl.torch.nn.parameter import Parameter
    # ForkingPickler looks reducers up by exact type; PyTorch registers these two.
    for cls in (Tensor, Parameter):
        ForkingPickler.register(cls, reduce_tensor)
