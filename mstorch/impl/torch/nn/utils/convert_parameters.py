"""parameters_to_vector / vector_to_parameters."""
from dispatch import Tensor
from mstorch.impl.torch._ns import torch

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check_param_device(param, old_param_device):
    # Only accelerator parameters carry an index; CPU ones count as -1, as in PyTorch.
    if old_param_device is None:
        return param.get_device() if param.device.type == "cuda" else -1
    warn = param.get_device() != old_param_device if param.device.type == "cuda" else old_param_device != -1
    if warn:
        raise TypeError("Found two parameters on different devices, this is currently not supported.")
    return old_param_device


def parameters_to_vector(parameters):
    param_device = None
    vec = []
    for param in parameters:
        param_device = _check_param_device(param, param_device)
        vec.append(param.view(-1))
    return torch.cat(vec)


def vector_to_parameters(vec, parameters):
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__module__}.{type(vec).__qualname__}"
                        if type(vec).__module__ != "builtins" else f"expected torch.Tensor, but got: "
                        f"{type(vec).__qualname__}")
    param_device = None
    pointer = 0
    for param in parameters:
        param_device = _check_param_device(param, param_device)
        num_param = param.numel()
        # PyTorch rebinds `param.data` to a view of `vec`; mstorch has no `.data` rebinding yet,
        # so the values are copied into the parameter's own buffer (no aliasing with `vec`).
        with torch.no_grad():
            param.copy_(vec[pointer:pointer + num_param].view_as(param))
        pointer += num_param
