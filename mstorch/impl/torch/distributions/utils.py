"""torch.distributions.utils: argument broadcasting shared by the distributions."""
from numbers import Number

from mstorch.impl.torch._ns import torch

__all__ = ["broadcast_all"]


def broadcast_all(*values):
    """Tensors broadcast together; Python numbers become tensors of the tensors' dtype (or the
    default dtype when every value is a number)."""
    if not all(isinstance(v, (torch.Tensor, Number)) for v in values):
        raise ValueError("Input arguments must all be instances of numbers.Number, torch.Tensor or objects "
                         "implementing __torch_function__.")
    if all(isinstance(v, torch.Tensor) for v in values):
        return torch.broadcast_tensors(*values)
    like = next((v for v in values if isinstance(v, torch.Tensor)), None)
    opts = {"dtype": like.dtype, "device": like.device} if like is not None else {"dtype": torch.get_default_dtype()}
    values = [v if isinstance(v, torch.Tensor) else torch.tensor(v, **opts) for v in values]
    return torch.broadcast_tensors(*values)
