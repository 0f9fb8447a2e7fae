"""Torch functions that convert Python data rather than run one table op."""
import numbers

import numpy as np

from dispatch import arrays, backend as _backend, device_context, dtypes as _dt, tensor_data
from dispatch.device import as_device
from dispatch.tensor import Tensor
from dispatch.warn_site import user_stacklevel
from dispatch import upcalls as _upcalls
from dispatch.devices import place
from dispatch.interop import from_numpy


def _infer_dtype(data):
    """PyTorch's dtype inference for nested Python data."""
    return tensor_data.infer_dtype(tensor_data.scan(data))


def _to_host(data, dtype, nested_arrays=True):
    if isinstance(data, Tensor):
        return np.array(data.detach()._host_view(), dtype=dtype.np)
    with np.errstate(over="ignore", invalid="ignore"):  # 70000 in float16 is inf, silently as in PyTorch
        if nested_arrays and isinstance(data, (list, tuple)):
            data = _flatten_tensors(data)
        if dtype.np.kind == "u" and dtype.np.itemsize < 8:  # -1 becomes 255 through int64 (NumPy refuses out-of-bound Python ints)
            return np.array(data, dtype=np.int64).astype(dtype.np)
        return np.array(data, dtype=dtype.np)


def _flatten_tensors(x):
    if isinstance(x, Tensor):
        return x.detach()._host_view() if x.dim() else x.item()
    if isinstance(x, (list, tuple)) or tensor_data.is_sequence(x):
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
        t = place(t, as_device(device))
    return t


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    if isinstance(data, Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or "
                      "sourceTensor.clone().detach().requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=user_stacklevel())
    scan = None
    if isinstance(data, np.ndarray):
        if dtype is None:
            dtype = _dt.from_numpy_dtype(data.dtype)
    else:
        scan = tensor_data.scan(data)
        if dtype is None:
            dtype = tensor_data.infer_dtype(scan)
        tensor_data.check_range(scan, dtype)
    if device is None:  # `with torch.device(...)` / torch.set_default_device
        device = device_context.for_factories()
    host = _to_host(data, dtype, scan is None or scan.arrays)
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
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def result_type(tensor1, tensor2):
    """torch.result_type for tensors and Python numbers."""
    def operand(x):
        return (x.dtype, x.dim()) if isinstance(x, Tensor) else x
    return _dt.result_type(operand(tensor1), operand(tensor2))

_upcalls.provide(host_to_tensor=host_to_tensor)
