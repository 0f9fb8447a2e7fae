"""torch.asarray: a tensor from a tensor, NumPy array, buffer-protocol object, scalar or
sequence, sharing memory whenever it can and `copy` is not True.

copy=None shares when possible and copies otherwise; copy=True always copies; copy=False
shares or raises ValueError. requires_grad left unspecified follows a tensor argument
(with PyTorch's warning when that differs from the old default False).
"""
import warnings

import numpy as np

from dispatch import Tensor
from dispatch.device import device as _device_type
from mstorch.impl.torch.storage import TypedStorage, UntypedStorage, _asarray_of_storage

_UNSET = object()
_warned_requires_grad = []


def _same_device(t, device):
    return device is None or _device_type(device) == t.device


def _dtype_name(dtype):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
            "complex64": "ComplexFloat", "complex128": "ComplexDouble"}.get(dtype.name, dtype.name)


def _from_tensor(obj, dtype, device, copy, requires_grad):
    if requires_grad is _UNSET:
        if obj.requires_grad and not _warned_requires_grad:
            _warned_requires_grad.append(True)
            warnings.warn("torch.asarray: unspecified requires_grad now defaults to obj.requires_grad instead of "
                          "False. Pass requires_grad=False explicitly to get the old behavior and silence this "
                          "warning.", UserWarning, stacklevel=3)
        requires_grad = None
    same_dtype = dtype is None or dtype is obj.dtype
    if same_dtype and _same_device(obj, device) and copy is not True:
        if requires_grad is not None:
            obj.requires_grad_(requires_grad)
        return obj
    if copy is False:
        if not same_dtype:
            raise ValueError(f"can't alias tensor with dtype '{_dtype_name(obj.dtype)}' into dtype "
                             f"'{_dtype_name(dtype)}'.")
        raise ValueError(f"can't alias tensor from device '{obj.device}' to '{_device_type(device)}'.")
    src = obj if requires_grad is not False else obj.detach()
    if same_dtype and _same_device(obj, device):
        out = src.clone()
    else:
        out = src.to(dtype=dtype or obj.dtype, device=device, copy=True)
    if requires_grad and not out.requires_grad:
        out.requires_grad_(True)
    return out


def _from_host_array(arr, dtype, device, copy):
    """Tensor over a NumPy array: shared when dtype and device allow it and copy is not True."""
    from dispatch.interop import from_numpy
    t = from_numpy(arr)
    if (dtype is None or dtype is t.dtype) and device is None and copy is not True:
        return t
    if copy is False:
        if dtype is not None and dtype is not t.dtype:
            raise ValueError(f"can't alias tensor with dtype '{_dtype_name(t.dtype)}' into dtype "
                             f"'{_dtype_name(dtype)}'.")
        raise ValueError(f"can't alias tensor from device 'cpu' to '{_device_type(device)}'.")
    return t.to(dtype=dtype or t.dtype, device=device, copy=True)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=_UNSET):
    if copy is not None and not isinstance(copy, bool):
        raise TypeError(f"asarray(): argument 'copy' must be bool, not {type(copy).__name__}")
    if isinstance(obj, Tensor):
        return _from_tensor(obj, dtype, device, copy, requires_grad)
    requires_grad = False if requires_grad is _UNSET else requires_grad
    if isinstance(obj, np.ndarray):
        out = _from_host_array(obj, dtype, device, copy)
    elif isinstance(obj, np.generic):
        if copy is False:
            raise RuntimeError("can't alias NumPy scalars. Either remove copy=False or transform it in a ndarray. ")
        out = _new_tensor(obj, dtype, device)
    elif isinstance(obj, (UntypedStorage, TypedStorage)):
        out = _asarray_of_storage(obj, dtype, device, copy)
    elif _has_buffer(obj):
        from dispatch.dtypes import get_default_dtype
        np_dtype = (dtype or get_default_dtype()).np
        item = np.dtype(np_dtype).itemsize
        n = memoryview(obj).nbytes
        if n % item:
            raise ValueError(f"buffer length ({n} bytes) after offset (0 bytes) must be a multiple of element size "
                             f"({item})")
        arr = np.frombuffer(obj, dtype=np_dtype)
        if not arr.flags.writeable:
            warnings.warn("The given buffer is not writable, and PyTorch does not support non-writable tensors. This "
                          "means you can write to the underlying (supposedly non-writable) buffer using the tensor. "
                          "You may want to copy the buffer to protect its data or make it writable before converting "
                          "it to a tensor.", UserWarning, stacklevel=2)
        with warnings.catch_warnings():
            # from_numpy's own warning about read-only arrays would say the same again
            warnings.simplefilter("ignore", UserWarning)
            out = _from_host_array(arr, None, device, copy)
    else:
        if copy is False:
            raise ValueError("can't alias arbitrary sequence into a tensor.")
        out = _new_tensor(list(obj) if isinstance(obj, range) else obj, dtype, device)
    if requires_grad:
        out.requires_grad_(True)
    return out


def _new_tensor(data, dtype, device):
    from dispatch.pyapi import tensor
    return tensor(data, dtype=dtype, device=device)


def _has_buffer(obj):
    try:
        memoryview(obj)
    except TypeError:
        return False
    return not isinstance(obj, (str,))
