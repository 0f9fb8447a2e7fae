"""torch.UntypedStorage: the bytes of a storage, addressed one byte at a time.

mstorch's Storage (dispatch/storage.py) is typed: its root is a flat array of one dtype.
An UntypedStorage is a window (byte offset, byte count) on one Storage's memory, read and
written through the Storage's zero-copy NumPy alias seen as uint8, so a write reaches every
tensor over that memory and a slice is a view of the same bytes, as in PyTorch.  The window
over a whole Storage is one object per Storage (weakly cached), so that
`t.untyped_storage() is t[1:].untyped_storage()` holds as it does in PyTorch.

A tensor of another dtype over these bytes (torch.asarray(storage, dtype=), Tensor.view(dtype))
needs a Storage of that dtype: `typed_storage_over` makes one over the same memory and
records the window in its `byte_source`, so its tensors' `untyped_storage()` are these bytes.
"""
import operator
import weakref

import numpy as np

from dispatch import arrays
from dispatch import backend as _backend
from dispatch import dtypes as _dt
from dispatch.device import CPU, device as _device
from dispatch.storage import Storage
from dispatch import upcalls as _upcalls
from dispatch.mapped_file import map_file
from dispatch.buffers import elements_of_buffer
from dispatch.tensor import Tensor


class UntypedStorage:
    # Writes through a storage leave the tensors' version counter alone, as in PyTorch.
    __slots__ = ("_st", "_offset", "_len", "__weakref__")
    __module__ = "torch.storage"
    is_sparse = False
    is_sparse_csr = False
    is_cuda = False
    is_hpu = False

    def __init__(self, *args, device=None):
        if device is not None and _device(device).type != "cpu":
            raise NotImplementedError(f"mstorch: torch.UntypedStorage on device '{_device(device)}' is not supported "
                                      "(CPU storages only)")
        if len(args) > 1:
            raise TypeError(f"UntypedStorage() takes at most 1 positional argument ({len(args)} given)")
        if not args:
            host = np.zeros(0, np.uint8)
        elif isinstance(args[0], int) and not isinstance(args[0], bool):
            if args[0] < 0:
                raise RuntimeError(f"UntypedStorage(): size must be non-negative, but got {args[0]}")
            host = np.zeros(args[0], np.uint8)
        else:
            host = _bytes_of_sequence(args[0])
        _attach(self, new_storage(host), 0, None)

    # ---- the bytes --------------------------------------------------------------------
    def _bytes(self):
        """Zero-copy uint8 NumPy array of exactly this window's bytes."""
        raw = self._st.numpy_flat().view(np.uint8)
        if self._len is None:
            return raw
        return raw[self._offset:self._offset + self._len]

    def nbytes(self):
        if self._len is None:
            return self._st.numpy_flat().nbytes
        return self._len

    size = nbytes

    def __len__(self):
        return self.nbytes()

    def element_size(self):
        return 1

    def data_ptr(self):
        return self._st.data_ptr() + self._offset

    @property
    def device(self):
        return CPU

    def get_device(self):
        return -1

    @property
    def is_meta(self):
        return False

    @property
    def filename(self):
        mapped = self._st.mapped_file
        return mapped.name if mapped is not None and mapped.shared else None

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            return "torch.storage.UntypedStorage"
        raise NotImplementedError("mstorch: UntypedStorage.type(dtype) is not supported")

    def untyped(self):
        return self

    def cpu(self):
        return self

    def is_pinned(self, device="cuda"):
        return False

    def tolist(self):
        return self._bytes().tolist()

    def __iter__(self):
        return iter(self.tolist())

    # ---- indexing ---------------------------------------------------------------------
    def __getitem__(self, idx):
        n = self.nbytes()
        if isinstance(idx, slice):
            start, stop = _slice_bounds(idx, n)
            return _window(self._st, self._offset + start, stop - start)
        return int(self._bytes()[_byte_index(idx, n)])

    def __setitem__(self, idx, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise RuntimeError(f"can only set storage content with a int types, but got {type(value).__name__} "
                               "instead")
        n = self.nbytes()
        if isinstance(idx, slice):
            start, stop = _slice_bounds(idx, n)
            self._bytes()[start:stop] = value & 0xFF
        else:
            self._bytes()[_byte_index(idx, n)] = value & 0xFF

    # ---- whole-storage operations ------------------------------------------------------
    def fill_(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise RuntimeError(f"fill_ expects int, but got {type(value).__name__}")
        self._bytes()[...] = value & 0xFF
        return self

    def copy_(self, src, non_blocking=None):
        src = src.untyped() if hasattr(src, "untyped") else src
        if not isinstance(src, UntypedStorage):
            raise TypeError(f"copy_(): argument 'src' must be a storage, not {type(src).__name__}")
        if src.nbytes() != self.nbytes():
            raise RuntimeError(f"size does not match, self was {self.nbytes()} bytes but src was {src.nbytes()} "
                               "bytes")
        # np.copyto buffers overlapping source and destination, as memmove does.
        np.copyto(self._bytes(), src._bytes())
        return self

    def clone(self):
        return _window(new_storage(self._bytes().copy()), 0, None)

    def __copy__(self):
        return self.clone()

    def __deepcopy__(self, memo):
        out = memo.get(id(self))
        if out is None:
            out = memo[id(self)] = self.clone()
        return out

    def __reduce__(self):
        # A copy of the bytes, as PyTorch pickles a storage outside torch.save.
        return (_from_bytes, (self._bytes().tobytes(),))

    def resize_(self, size):
        size = operator.index(size)
        if size < 0:
            raise RuntimeError(f"resize_(): size must be non-negative, but got {size}")
        st = self._st
        if self._len is not None or st.byte_source is not None:
            raise RuntimeError("Trying to resize storage that is not resizable")
        if st.is_shared():
            raise NotImplementedError("mstorch: resize_ of a storage in shared memory or mapped from a file is "
                                      "not supported")
        if _tensors_over(st):
            # Their backend arrays view the old buffer; moving them to a new one is not done here.
            raise NotImplementedError("mstorch: UntypedStorage.resize_ of a storage that tensors use is not "
                                      "supported (resize the tensor with Tensor.resize_ instead)")
        old = self._bytes()
        host = np.zeros(size, np.uint8)
        keep = min(size, old.size)
        host[:keep] = old[:keep]
        fresh = new_storage(host)
        st.root, st._np = fresh.root, fresh._np
        return self

    # ---- shared memory and files ------------------------------------------------------
    def is_shared(self):
        return self._st.is_shared()

    def share_memory_(self):
        if not self._st.is_shared():
            self._st.share_memory_()
        return self

    @staticmethod
    def from_file(filename, shared=False, nbytes=0):
        host, mapping = map_file(filename, shared, nbytes)
        st = new_storage(host)
        st.mapped_file = mapping
        return _window(st, 0, None)

    @staticmethod
    def from_buffer(buffer, byte_order=None, dtype=None, count=-1, offset=0, *, device=None):
        """A new storage holding a copy of the elements of `dtype` in `buffer` (PyTorch's legacy reader)."""
        if device is not None and _device(device).type != "cpu":
            raise NotImplementedError(f"mstorch: UntypedStorage.from_buffer(device='{device}') is not supported")
        if dtype is None:
            raise RuntimeError("argument 'dtype' cannot be None")
        if dtype.itemsize > 1 and byte_order is None:
            raise RuntimeError("function missing required argument 'byte_order' (pos 2)")
        if byte_order not in (None, "native", "little", "big"):
            raise ValueError(f"invalid byte_order '{byte_order}' (needed 'big', 'little', or 'native')")
        arr = elements_of_buffer(buffer, dtype, count, offset)
        if byte_order in ("little", "big") and dtype.itemsize > 1:
            arr = arr.view(arr.dtype.newbyteorder("<" if byte_order == "little" else ">"))
        native = np.ascontiguousarray(arr.astype(dtype.np))
        return _window(new_storage(native.view(np.uint8).reshape(-1).copy()), 0, None)

    def __repr__(self):
        info = f"[{self.type()}(device={self.device}) of size {len(self)}]"
        return " " + "\n ".join(str(b) for b in self.tolist()) + "\n" + info

    __str__ = __repr__

    def __sizeof__(self):
        return super().__sizeof__() + self.nbytes()


# ---- construction helpers -----------------------------------------------------------------
def new_storage(host):
    """A Storage owning the flat NumPy array `host` (zero-copy into the creation backend)."""
    where = _backend.creation_backend()
    return Storage(host if where == "host" else arrays.from_numpy(host, where), host)


def _attach(us, st, offset, length):
    us._st, us._offset, us._len = st, offset, length
    if length is None and st.byte_source is None:
        st._untyped = weakref.ref(us)   # the one window over all of `st` (see of_storage)


def _window(st, offset, length):
    us = object.__new__(UntypedStorage)
    _attach(us, st, offset, length)
    return us


def _from_bytes(raw):
    return _window(new_storage(np.frombuffer(bytearray(raw), np.uint8)), 0, None)


def of_storage(st):
    """The UntypedStorage of the memory under Storage `st` (what `Tensor.untyped_storage()` returns)."""
    if st.byte_source is not None:
        return st.byte_source
    ref = st._untyped
    us = ref() if ref is not None else None
    if us is None:
        us = _window(st, 0, None)
        st._untyped = weakref.ref(us)
    return us


def whole_storage(us):
    """The Storage that `us` covers entirely (what torch.save writes for it)."""
    st = us._st
    if us._len is None and st.byte_source is None:
        return st
    raise NotImplementedError("mstorch: saving a slice of an UntypedStorage (or bytes reinterpreted as another "
                              "dtype) on its own is not supported; save the tensor")


def storage_dtype(st):
    return _dt.from_numpy_dtype(st.numpy_flat().dtype)


def typed_storage_over(us, dtype):
    """A Storage of `dtype` elements over the bytes of `us` (as many whole elements as fit): the
    storage itself when `us` is all of a storage of that dtype, else a new one over the same memory."""
    st = us._st
    if us._len is None and st.byte_source is None and storage_dtype(st) is dtype:
        return st
    raw = us._bytes()
    host = raw[:raw.size - raw.size % dtype.itemsize].view(dtype.np)
    where = "host" if type(st.root) is np.ndarray else _backend.target()
    out = Storage(host if where == "host" else arrays.from_numpy(host, where), host)
    out.byte_source = us
    return out


def _bytes_of_sequence(seq):
    try:
        items = list(seq)
    except TypeError:
        raise TypeError(f"UntypedStorage(): argument must be a size or a sequence of ints, not "
                        f"{type(seq).__name__}") from None
    for v in items:
        if isinstance(v, bool) or not isinstance(v, int):
            raise RuntimeError(f"torch.UntypedStorage(): tried to construct a storage from a sequence "
                               f"({type(seq).__name__}), but one of the items was of type {type(v).__name__} "
                               "instead of int")
    return np.array([v & 0xFF for v in items], np.uint8)


def _byte_index(idx, n):
    if isinstance(idx, bool) or not hasattr(idx, "__index__"):
        raise TypeError(f"can't index a torch.UntypedStorage with {type(idx).__name__}")
    i = operator.index(idx)
    j = i + n if i < 0 else i
    if not 0 <= j < n:
        raise IndexError(f"index {j} out of range for storage of size {n}")
    return j


def _slice_bounds(sl, n):
    start, stop, step = sl.indices(n)
    if step != 1:
        raise RuntimeError(f"Trying to slice with a step of {step}, but only a step of 1 is supported")
    return start, max(start, stop)


def _tensors_over(st):
    import gc
    return any(getattr(obj, "_storage", None) is st and hasattr(obj, "_data") for obj in gc.get_referrers(st))


def flat_tensor(st, dtype):
    """A 1-D tensor of `dtype` over every element of Storage `st` (which holds `dtype` elements)."""
    n = st.numpy_flat().size
    root = st.root
    if tuple(root.shape) == (n,):
        data = root
    elif n == 0:
        data = arrays.from_numpy(np.zeros(0, dtype.np), "host" if type(root) is np.ndarray else _backend.target())
    else:
        data = arrays.strided_view(st, (n,), (1,), 0)
    return Tensor._wrap(data, dtype, st)


def bytes_as_tensor(us, dtype):
    """A 1-D tensor of `dtype` over the bytes of UntypedStorage `us` (as many whole elements as fit)."""
    return flat_tensor(typed_storage_over(us, dtype), dtype)

_upcalls.provide(of_storage=of_storage)
