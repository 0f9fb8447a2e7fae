"""torch.TypedStorage (deprecated in PyTorch, with its warning) and the legacy torch.FloatStorage
& co.: an UntypedStorage seen as elements of one dtype.  Element reads and writes go through a
1-D tensor over the same bytes, so they reach every tensor over that memory."""
import warnings

from dispatch.warn_site import user_stacklevel

from dispatch import dtypes as _dt
from dispatch.untyped_storage import UntypedStorage, bytes_as_tensor
from dispatch import upcalls as _upcalls
from dispatch.pyapi import tensor

_warned = []


def warn_typed_storage_removal():
    # PyTorch warns once per process.
    if not _warned:
        _warned.append(True)
        warnings.warn("TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the "
                      "only storage class. This should only matter to you if you are using storages directly.  To "
                      "access UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()",
                      UserWarning, stacklevel=user_stacklevel())


class TypedStorage:
    __module__ = "torch.storage"
    is_sparse = False
    _legacy_dtype = None

    def __init__(self, *args, device=None, dtype=None, wrap_storage=None, _internal=False):
        if not _internal:
            warn_typed_storage_removal()
        if self._legacy_dtype is not None:
            if dtype is not None and dtype is not self._legacy_dtype:
                raise RuntimeError(f"{type(self).__name__}.__new__ received an invalid combination of arguments: "
                                   f"dtype={dtype}")
            dtype = self._legacy_dtype
        dtype = dtype or _dt.get_default_dtype()
        if wrap_storage is not None:
            if args:
                raise RuntimeError("TypedStorage(): 'wrap_storage' cannot be given with positional arguments")
            if not isinstance(wrap_storage, UntypedStorage):
                raise TypeError(f"expected a torch.UntypedStorage for 'wrap_storage', but got "
                                f"{type(wrap_storage).__name__}")
            self._untyped_storage, self.dtype = wrap_storage, dtype
            return
        if len(args) > 1:
            raise TypeError(f"TypedStorage() takes at most 1 positional argument ({len(args)} given)")
        if not args or (isinstance(args[0], int) and not isinstance(args[0], bool)):
            n = args[0] if args else 0
            self._untyped_storage, self.dtype = UntypedStorage(n * dtype.itemsize, device=device), dtype
            return
        values = tensor(list(args[0]), dtype=dtype).contiguous()
        self._untyped_storage = UntypedStorage(values.numel() * dtype.itemsize, device=device)
        self.dtype = dtype
        self._tensor().copy_(values)

    @classmethod
    def _wrapping(cls, untyped, dtype):
        """What Tensor.storage() builds: no warning here (the caller warns)."""
        return TypedStorage(wrap_storage=untyped, dtype=dtype, _internal=True)

    def _tensor(self):
        return bytes_as_tensor(self._untyped_storage, self.dtype)

    # ---- sizes and identity -----------------------------------------------------------
    def size(self):
        return self._untyped_storage.nbytes() // self.dtype.itemsize

    __len__ = size

    def _size(self):
        return self.size()

    def nbytes(self):
        return self.size() * self.dtype.itemsize

    def element_size(self):
        return self.dtype.itemsize

    @property
    def device(self):
        return self._untyped_storage.device

    @property
    def is_cuda(self):
        return False

    def get_device(self):
        return -1

    def data_ptr(self):
        return self._untyped_storage.data_ptr()

    def untyped(self):
        warn_typed_storage_removal()
        return self._untyped_storage

    def _new_wrapped_storage(self, untyped):
        return TypedStorage(wrap_storage=untyped, dtype=self.dtype, _internal=True)

    def pickle_storage_type(self):
        return _legacy_name(self.dtype)

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            return "torch." + _legacy_name(self.dtype)
        raise NotImplementedError("mstorch: TypedStorage.type(dtype) is not supported")

    def is_shared(self):
        return self._untyped_storage.is_shared()

    def share_memory_(self):
        self._untyped_storage.share_memory_()
        return self

    def is_pinned(self, device="cuda"):
        return False

    def cpu(self):
        return self

    # ---- elements ---------------------------------------------------------------------
    def __getitem__(self, idx):
        if isinstance(idx, slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        return self._tensor()[self._index(idx)].item()

    def __setitem__(self, idx, value):
        t = self._tensor()
        t[idx if isinstance(idx, slice) else self._index(idx)] = value

    def _index(self, idx):
        if isinstance(idx, bool) or not hasattr(idx, "__index__"):
            raise RuntimeError(f"can't index a {self.type()} with {type(idx).__name__}")
        n = self.size()
        i = idx.__index__()
        j = i + n if i < 0 else i
        if not 0 <= j < n:
            raise IndexError(f"index {i} out of range for storage of size {n}")
        return j

    def tolist(self):
        return self._tensor().tolist()

    def __iter__(self):
        return iter(self.tolist())

    def fill_(self, value):
        self._tensor().fill_(value)
        return self

    def copy_(self, source, non_blocking=None):
        if isinstance(source, TypedStorage):
            source = source._untyped_storage
        self._untyped_storage.copy_(source, non_blocking)
        return self

    def clone(self):
        return TypedStorage(wrap_storage=self._untyped_storage.clone(), dtype=self.dtype, _internal=True)

    def __repr__(self):
        info = f"[torch.storage.TypedStorage(dtype={self.dtype}, device={self.device}) of size {len(self)}]"
        return " " + "\n ".join(str(v) for v in self.tolist()) + "\n" + info

    __str__ = __repr__


_LEGACY_NAMES = {"float32": "FloatStorage", "float64": "DoubleStorage", "float16": "HalfStorage",
                 "bfloat16": "BFloat16Storage", "int64": "LongStorage", "int32": "IntStorage",
                 "int16": "ShortStorage", "int8": "CharStorage", "uint8": "ByteStorage", "bool": "BoolStorage",
                 "complex64": "ComplexFloatStorage", "complex128": "ComplexDoubleStorage"}


def _legacy_name(dtype):
    name = _LEGACY_NAMES.get(dtype.name)
    if name is None:
        raise NotImplementedError(f"mstorch: no legacy storage type for {dtype}")
    return name


class _LegacyStorageMeta(type):
    """torch.FloatStorage & co.: `isinstance(s, torch.FloatStorage)` asks about a TypedStorage's dtype."""

    def __instancecheck__(cls, obj):
        if type(obj) is TypedStorage:
            return obj.dtype is cls._legacy_dtype and obj.device.type == "cpu"
        return type.__instancecheck__(cls, obj)


class _LegacyStorage(TypedStorage, metaclass=_LegacyStorageMeta):
    pass


def _legacy_class(dtype):
    name = _LEGACY_NAMES[dtype.name]
    return _LegacyStorageMeta(name, (_LegacyStorage,), {"_legacy_dtype": dtype, "__module__": "torch",
                                                         "__qualname__": name})


LEGACY_STORAGES = {name: _legacy_class(getattr(_dt, "bool_" if attr == "bool" else attr))
                   for attr, name in _LEGACY_NAMES.items()}


def tensor_typed_storage(t):
    """Tensor.storage(): the tensor's storage as a TypedStorage of its dtype (deprecated in PyTorch)."""
    warn_typed_storage_removal()
    return TypedStorage._wrapping(t.untyped_storage(), t._dtype)


_upcalls.provide(tensor_typed_storage=tensor_typed_storage)
