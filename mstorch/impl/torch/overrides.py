"""torch.overrides: the queries about the __torch_function__ protocol, answered for mstorch.

mstorch's dispatcher does not consult `__torch_function__` (on tensor subclasses or modes),
so `has_torch_function` answers whether an argument defines one, and entering a
TorchFunctionMode, which only works when the dispatcher honours it, raises naming itself.
"""


def _defines_torch_function(obj):
    from mstorch.impl.torch._ns import torch
    method = getattr(type(obj), "__torch_function__", None)
    return method is not None and method is not getattr(torch.Tensor, "__torch_function__", None)


def has_torch_function(relevant_args):
    return any(_defines_torch_function(a) for a in relevant_args)


def has_torch_function_unary(obj):
    return _defines_torch_function(obj)


def has_torch_function_variadic(*args):
    return has_torch_function(args)


def is_tensor_like(inp):
    from mstorch.impl.torch._ns import torch
    return type(inp) is torch.Tensor or hasattr(inp, "__torch_function__")


def handle_torch_function(public_api, relevant_args, *args, **kwargs):
    raise NotImplementedError("mstorch: torch.overrides.handle_torch_function is not supported (the dispatcher "
                              "does not consult __torch_function__)")


class TorchFunctionMode:
    """Base class for __torch_function__ modes; entering one raises (the dispatcher does not consult modes)."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        raise NotImplementedError(f"{type(self).__name__}.__torch_function__ is not overridden "
                                  "(subclasses of TorchFunctionMode define it)")

    def __enter__(self):
        raise NotImplementedError("mstorch: torch.overrides.TorchFunctionMode is not supported (the dispatcher "
                                  "does not consult __torch_function__ modes)")

    def __exit__(self, exc_type, exc_value, traceback):
        return None
