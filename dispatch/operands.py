"""Operands in, results out: a call's Tensors as backend arrays for the kernel, and the
kernel's raw arrays as fresh Tensors (dispatcher layer; used by the runners)."""
import numbers

import numpy as np

from dispatch import arrays, backend as _backend, dtypes as _dt
from dispatch.interop import from_mindspore
from dispatch.tensor import Tensor

NUMBER = (bool, int, float, complex, numbers.Number)
# Compute dtypes MindSpore's CPU kernels lack almost everywhere; computing in float32
# and rounding is exact for + - * / sqrt and within tolerance elsewhere (docs/design-notes.md, "Kernel selection").
BACKEND_COMPUTE = {("cpu", "bfloat16"): _dt.float32}
# Ops that take inputs as given (promote="none") still get the lowering: bfloat16 inputs
# are computed in float32 and floating results rounded back (see unwrap_lowered / round_back).
LOWER = object()
LOWERED_FROM = {getattr(_dt, name) for _, name in BACKEND_COMPUTE}


def array_for(t, compute, backend):
    d = t._host_view() if backend == "host" and type(t._data) is not np.ndarray else t._data
    if compute is not None and t._dtype is not compute:
        d = arrays.cast(d, compute)
    elif type(d) is np.ndarray and backend != "host":
        d = arrays.from_numpy(np.require(d, requirements="C"), backend)
    return d


def wrap_one(raw, dtype):
    if raw is None:
        return None
    if type(raw) is not np.ndarray and not isinstance(raw, np.generic):
        if not raw.is_contiguous() or raw.storage_offset() != 0:
            raw = arrays.fresh_copy(raw)
        if dtype is not None and raw.dtype != dtype.ms:
            raw = arrays.cast(raw, dtype)
        return Tensor._wrap(raw, dtype)
    raw = np.asarray(raw)  # NumPy reductions hand back scalars
    if not raw.flags.c_contiguous or raw.base is not None:
        raw = np.array(raw, copy=True, order="C")
    if dtype is not None and raw.dtype != dtype.np:
        raw = raw.astype(dtype.np)
    return Tensor._wrap(raw, dtype)


def own_memory(raw, kargs):
    """(raw or a copy of it that owns its memory, whether raw shared memory with an argument)."""
    if isinstance(raw, (tuple, list)):
        pairs = [own_memory(r, kargs) for r in raw]
        return type(raw)(p[0] for p in pairs), any(p[1] for p in pairs)
    if raw is None or isinstance(raw, np.generic):
        return raw, False
    if type(raw) is np.ndarray:
        if any(type(a) is np.ndarray and np.shares_memory(raw, a) for a in kargs):
            return np.array(raw, copy=True), True
        return raw, False
    if _aliases_input(raw, kargs) or not arrays.owns_memory(raw):
        return arrays.fresh_copy(raw), True
    return raw, False


def _aliases_input(raw, kargs):
    ptr = raw.data_ptr()
    for a in kargs:
        if a is raw or (hasattr(a, "data_ptr") and type(a) is not np.ndarray and a.data_ptr() == ptr):
            return True
    return False


def round_back(raw, tensors):
    """Floating results of a lowered op go back to the narrow input dtype (bfloat16)."""
    narrow = next(t._dtype for t in tensors if t._dtype in LOWERED_FROM)
    if isinstance(raw, (tuple, list)):
        return type(raw)(round_back(r, tensors) for r in raw)
    if raw is None or isinstance(raw, np.generic):
        return raw
    name = str(raw.dtype)
    if name in ("float32", "Float32"):
        return arrays.cast(raw, narrow)
    return raw


def any_empty(tensors):
    for t in tensors:
        if 0 in t._data.shape:
            return True
    return False


def host_to_backend(raw, backend):
    if isinstance(raw, (tuple, list)):
        return type(raw)(host_to_backend(r, backend) for r in raw)
    if type(raw) is np.ndarray:
        return arrays.from_numpy(np.array(raw, copy=True, order="C"), backend)
    return raw


def backend_of(tensors):
    if _backend._state["forked"]:
        # In a forked DataLoader worker MindSpore must never run (its first op hangs
        # there): tensors inherited from the parent are read through their host alias.
        return "host"
    for t in tensors:
        if type(t._data) is not np.ndarray:
            return _backend.target()
    if tensors or _backend.in_forked_child():
        return "host" if tensors else _backend.creation_backend()
    return _backend.creation_backend()


def coerce_tensor(opname, ov, i, v):
    if arrays.is_ms_array(v):
        return from_mindspore(v)
    if type(v).__module__.startswith("torch") and type(v).__name__ in ("Tensor", "Parameter"):
        raise TypeError(f"{opname}(): got a real PyTorch tensor; convert it with mstorch.from_torch(t) first")
    raise TypeError(f"{opname}(): argument '{ov.names[i]}' (position {i + 1}) must be Tensor, not {type(v).__name__}")


def make_view(src, size, stride, offset):
    """A Tensor over `src`'s storage with the given geometry (no history: the caller records it)."""
    data = arrays.strided_view(src._storage, size, stride, offset)
    t = Tensor._wrap(data, src._dtype, src._storage, src._base if src._base is not None else src)
    t._device = src._device
    return t
