"""The legacy constructor `torch.Tensor(...)`: data, sizes, or nothing (default dtype)."""
import numpy as np
from dispatch import upcalls as _upcalls
from dispatch import dtypes as _dt
from dispatch.pyapi import host_to_tensor, tensor
from dispatch.tensor import Tensor


def legacy_tensor_new(cls, args, kwargs):
    t = _legacy_new(cls, args, kwargs)
    # `MySubclass(data)` builds an instance of the subclass, as in PyTorch.
    return t.as_subclass(cls) if isinstance(cls, type) and issubclass(cls, type(t)) and cls is not type(t) else t


def _legacy_new(cls, args, kwargs):
    device = kwargs.pop("device", None)
    if kwargs:
        raise TypeError(f"new() received an invalid combination of arguments - got unexpected keyword "
                        f"{sorted(kwargs)[0]!r}")
    dtype = getattr(cls, "_legacy_dtype", None) or _dt.get_default_dtype()
    if not args:
        return host_to_tensor(np.empty((0,), dtype.np), dtype, device)
    if len(args) == 1 and isinstance(args[0], Tensor):
        src = args[0]
        if src._dtype is not dtype:
            raise TypeError(f"expected {dtype} (got {src._dtype})")
        return src.detach()
    if all(isinstance(a, int) and not isinstance(a, bool) for a in args) or \
            (len(args) == 1 and type(args[0]).__name__ == "Size"):
        shape = tuple(args[0]) if len(args) == 1 and not isinstance(args[0], int) else tuple(args)
        return host_to_tensor(np.zeros(shape, dtype.np), dtype, device)
    if len(args) == 1:
        return tensor(args[0], dtype=dtype, device=device)
    raise TypeError("new() received an invalid combination of arguments")

_upcalls.provide(legacy_tensor_new=legacy_tensor_new)
