"""Storage: one contiguous backend buffer shared by a tensor and all its views.

Design (docs/design-notes.md, "Tensor, storage, views, in-place", option (b): own the
geometry): every Tensor is (storage, size, stride, offset).  For MindSpore tensors the kernels read a view made with
MindSpore's `as_strided` view op on the storage root (measured ~3 us, real strided
view, kernels accept it).  Writes never go through MindSpore's own in-place
methods: on CPU they return new tensors or do nothing on views (docs/mindspore-facts.md, F4), and
`__setitem__` with `...` silently skipped as_strided views in our probe.  Instead
in-place results are written into the root's zero-copy NumPy alias, so every alias,
every `.numpy()` array and `data_ptr()` stay valid.
"""
import numpy as np

from dispatch import upcalls as _upcalls
from dispatch.mslock import LOCK


class Storage:
    __slots__ = ("root", "version", "_np", "shared", "mapped_file", "byte_source", "_untyped", "__weakref__")

    def __init__(self, root, np_alias=None):
        self.root = root            # contiguous backend array that owns the memory
        self.version = 0            # PyTorch's version counter, shared by all aliases
        self._np = np_alias
        self.shared = None          # the SharedBuffer holding the memory once in shared memory
        self.mapped_file = None     # the MappedFile when the memory is a mapping of a file (UntypedStorage.from_file)
        # The UntypedStorage whose bytes this storage reinterprets as another dtype (Tensor.view(dtype),
        # torch.asarray(storage, dtype=)): `untyped_storage()` of its tensors answers with those bytes.
        self.byte_source = None
        self._untyped = None        # weak reference to this storage's UntypedStorage (one per storage)

    def is_shared(self):
        return self.shared is not None or self.mapped_file is not None

    def share_memory_(self):
        """Move the buffer into shared memory (dispatch/shared_memory.py); every alias follows."""
        _upcalls.share_storages([self])
        return self

    def numpy_flat(self):
        """Zero-copy 1-D NumPy alias of the whole buffer (CPU MindSpore or host)."""
        a = self._np
        if a is None:
            r = self.root
            if type(r) is np.ndarray:
                a = r
            else:
                with LOCK:  # MindSpore is not thread-safe (dispatch/mslock.py)
                    a = r.asnumpy()
            self._np = a = a.reshape(-1)
        elif a.ndim != 1:
            self._np = a = a.reshape(-1)
        return a

    def data_ptr(self):
        r = self.root
        return r.ctypes.data if type(r) is np.ndarray else r.data_ptr()

    def nbytes(self):
        r = self.root
        return r.nbytes if type(r) is np.ndarray else r.nbytes


_INT64_MAX = 2 ** 63 - 1


def check_view_bounds(storage, size, stride, offset):
    """Refuse a geometry reaching outside `storage` (PyTorch's setStorage check).

    Every view is built through here (arrays.strided_view), whichever op asked for it
    (as_strided, set_, unfold, a checkpoint's geometry...): MindSpore's as_strided and
    NumPy's ndarray read whatever memory the geometry names, so an unchecked one reads
    or writes past the buffer, or crashes the process."""
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    hi = lo = 0
    empty = False
    for n, st in zip(size, stride):
        if n < 0:
            raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)} and "
                               f"strides={list(stride)}")
        if n == 0:
            empty = True
        elif st >= 0:
            hi += (n - 1) * st
        else:
            lo += (n - 1) * st
    if empty:
        return
    root = storage.root
    available = root.size
    if offset + lo < 0 or offset + hi >= available:
        itemsize = root.itemsize
        if (hi + offset + 1) * itemsize > _INT64_MAX:
            raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)} and "
                               f"strides={list(stride)}")
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and "
                           f"itemsize {itemsize} requiring a storage size of {(offset + hi + 1) * itemsize} are out "
                           f"of bounds for storage of size {available * itemsize}")


def numpy_view(storage, size, stride, offset):
    """A NumPy array aliasing exactly the elements (size, stride, offset) of `storage`."""
    flat = storage.numpy_flat()
    item = flat.itemsize
    if 0 in size:
        return np.empty(size, dtype=flat.dtype)
    return np.ndarray(size, flat.dtype, flat, offset * item, tuple(s * item for s in stride))


def contiguous_strides(size):
    strides = []
    acc = 1
    for n in reversed(size):
        strides.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(strides))
