"""torch.distributed._functional_collectives: `wait_tensor` is what code calls on the result of an
asynchronous functional collective. mstorch's collectives have finished when they return
(MindSpore's CPU collectives do not overlap with compute, mstorch/impl/torch/distributed/_collectives.py),
so the tensor is already complete and waiting returns it."""
from mstorch.impl.torch.distributed._refusing import refusing


def wait_tensor(tensor):
    return tensor


def _unsupported(name):
    return refusing(name, f"mstorch: torch.distributed._functional_collectives.{name} is not supported "
                          "(use the torch.distributed collectives)")


# Functional collectives with their own autograd rules (tensor and expert parallelism in transformers).
all_to_all_single_autograd = _unsupported("all_to_all_single_autograd")
all_gather_tensor_autograd = _unsupported("all_gather_tensor_autograd")
reduce_scatter_tensor_autograd = _unsupported("reduce_scatter_tensor_autograd")
all_reduce = _unsupported("all_reduce")
all_gather_tensor = _unsupported("all_gather_tensor")
reduce_scatter_tensor = _unsupported("reduce_scatter_tensor")
all_to_all_single = _unsupported("all_to_all_single")
