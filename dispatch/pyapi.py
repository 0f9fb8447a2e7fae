"""Torch functions that convert Python data rather than run one table op."""
import numbers

import numpy as np

from dispatch import arrays, backend as _backend, device_context, dtypes as _dt
from dispatch.device import as_device
from dispatch.tensor import Tensor


def _infer_dtype(data):
    """PyTorch's dtype inference for nested Python data."""
    kinds = set()

    def walk(x):
        if isinstance(x, Tensor):
            kinds.add(x._dtype)
        elif isinstance(x, np.ndarray):
            kinds.add(_dt.from_numpy_dtype(x.dtype))
        elif isinstance(x, np.generic):
            kinds.add(_dt.from_numpy_dtype(x.dtype))
        elif isinstance(x, bool):
            kinds.add(_dt.bool_)
        elif isinstance(x, int):
            kinds.add(_dt.int64)
        elif isinstance(x, float):
            kinds.add(_dt.get_default_dtype())
        elif isinstance(x, complex):
            kinds.add(_dt.get_default_dtype().to_complex())
        elif isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        elif isinstance(x, numbers.Number):
            kinds.add(_dt.get_default_dtype() if isinstance(x, numbers.Real) else _dt.complex64)
        else:
            raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
    walk(data)
    if not kinds:
        return _dt.get_default_dtype()
    out = None
    for k in kinds:
        out = k if out is None else _dt.promote_types(out, k)
    return out


def _to_host(data, dtype):
    if isinstance(data, Tensor):
        return np.array(data.detach()._host_view(), dtype=dtype.np)
    if isinstance(data, (list, tuple)):
        return np.array(_flatten_tensors(data), dtype=dtype.np)
    return np.array(data, dtype=dtype.np)


def _flatten_tensors(x):
    if isinstance(x, Tensor):
        return x.detach()._host_view() if x.dim() else x.item()
    if isinstance(x, (list, tuple)):
        return [_flatten_tensors(y) for y in x]
    return x


def host_to_tensor(host, dtype, device=None):
    """A new tensor owning a copy of the C-contiguous array `host` (which it takes over)."""
    where = _backend.creation_backend()
    host = np.require(host, requirements="C")
    if dtype is _dt.bfloat16 and host.dtype != dtype.np:
        host = host.astype(dtype.np)
    t = Tensor._wrap(arrays.from_numpy(host, where), dtype)
    t._storage._np = host.reshape(-1)
    if device is not None:
        from dispatch.devices import place
        t = place(t, as_device(device))
    return t


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    if isinstance(data, Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or "
                      "sourceTensor.clone().detach().requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    if dtype is None:
        dtype = _infer_dtype(data)
    if device is None:  # `with torch.device(...)` / torch.set_default_device
        device = device_context.for_factories()
    host = _to_host(data, dtype)
    t = host_to_tensor(host, dtype, device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def as_tensor(data, dtype=None, device=None):
    if device is None and not isinstance(data, Tensor):
        default = device_context.for_factories()
        if default is not None and as_device(default).type != "cpu":
            device = default
    if isinstance(data, Tensor):
        if (dtype is None or dtype is data._dtype) and device is None:
            return data
        return data.to(dtype=dtype, device=device)
    if isinstance(data, np.ndarray) and (dtype is None or dtype.np == data.dtype) and device is None:
        from dispatch.interop import from_numpy
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def result_type(tensor1, tensor2):
    """torch.result_type for tensors and Python numbers."""
    def operand(x):
        return (x.dtype, x.dim()) if isinstance(x, Tensor) else x
    return _dt.result_type(operand(tensor1), operand(tensor2))
