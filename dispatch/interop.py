"""Crossing between mstorch tensors, MindSpore tensors and NumPy arrays without copies."""
import numpy as np

from dispatch import arrays, backend as _backend, dtypes as _dt
from dispatch import upcalls as _upcalls
from dispatch.tensor import Tensor
from dispatch.storage import Storage


def from_mindspore(x):
    """An mstorch Tensor over a MindSpore tensor (shares memory; a constant for autograd)."""
    if not x.is_contiguous() or x.storage_offset() != 0 or not arrays.owns_memory(x):
        x = arrays.fresh_copy(x)
    return Tensor._wrap(x, _dt.from_ms_dtype(x.dtype))


def to_mindspore(t):
    d = t._data
    if type(d) is np.ndarray:
        return arrays.from_numpy(np.require(d, requirements="C"), _backend.init_mindspore())
    return d


def from_numpy(a):
    """torch.from_numpy: a tensor sharing memory with `a` (strides kept, as PyTorch does)."""
    if not isinstance(a, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(a).__name__})")
    dtype = _dt.from_numpy_dtype(a.dtype)
    item = a.itemsize
    if any(s < 0 for s in a.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative "
                         "strides are not currently supported. (You can probably work around this by making a copy "
                         "of your array  with array.copy().) ")
    if any(s % item for s in a.strides):
        raise ValueError("given numpy array strides not a multiple of the element byte size. Copy the numpy array "
                         "to reallocate the memory.")
    if not a.flags.writeable:
        import warnings
        warnings.warn("The given NumPy array is not writable, and PyTorch does not support non-writable tensors. "
                      "This means writing to this tensor will result in undefined behavior.", UserWarning)
    where = _backend.creation_backend()
    if a.size == 0:
        a = np.empty(a.shape, a.dtype)
    # The storage is the smallest contiguous span covering every element, so
    # non-contiguous arrays keep their strides and stay aliased.
    span = 1 + sum((n - 1) * (s // item) for n, s in zip(a.shape, a.strides)) if a.size else 0
    flat = np.lib.stride_tricks.as_strided(a, (span,), (item,)) if a.size else a.reshape(-1)
    storage = Storage(flat if where == "host" else arrays.from_numpy(flat, where), flat)
    if a.flags.c_contiguous:
        data = a if where == "host" else arrays.from_numpy(a, where)
    else:
        data = arrays.strided_view(storage, a.shape, tuple(s // item for s in a.strides), 0)
    return Tensor._wrap(data, dtype, storage)

_upcalls.provide(to_mindspore=to_mindspore)
