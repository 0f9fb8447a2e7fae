"""torch.save / torch.load in PyTorch's own file formats.

Files are PyTorch's: a zip archive `<name>/data.pkl` + `<name>/data/<key>` (one
record per storage, stored uncompressed at 64-byte aligned offsets so that they can
be memory-mapped) + `byteorder`, `version`, `.format_version`, `.storage_alignment`,
`.data/serialization_id`; or, for reading and for `_use_new_zipfile_serialization=False`,
the legacy stream (magic number, protocol, sys info, main pickle, storage keys, raw
storages).  Inside the pickle, tensors are `torch._utils._rebuild_tensor_v2(storage,
offset, size, stride, requires_grad, hooks)` calls whose storage is a persistent id
`('storage', torch.<Type>Storage, key, location, numel)`; writing exactly those names
is what lets real PyTorch read our files and us read its files.

Storages are the unit of sharing: every tensor that views one mstorch Storage is
written against one record, and on load every tensor naming one key views one new
Storage, so aliases stay aliases (an in-place write through one is seen through the
other) and views keep their strides and offsets.
"""
import collections
import contextlib
import importlib.util
import io
import mmap as _mmap
import os
import pickle
import re
import secrets
import struct
import sys
import tempfile
import types
import zipfile

import numpy as np

from mstorch.impl.torch import _weights_only_unpickler as _wo

DEFAULT_PROTOCOL = 2
MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001
_ALIGNMENT = 64
_FORMAT_VERSION = b"3\n"

# PyTorch's legacy typed-storage class names, which the pickle uses to say a storage's dtype.
_STORAGE_DTYPES = {
    "BoolStorage": "bool_", "ByteStorage": "uint8", "CharStorage": "int8", "ShortStorage": "int16",
    "IntStorage": "int32", "LongStorage": "int64", "HalfStorage": "float16", "BFloat16Storage": "bfloat16",
    "FloatStorage": "float32", "DoubleStorage": "float64", "ComplexFloatStorage": "complex64",
    "ComplexDoubleStorage": "complex128",
}
STORAGE_TYPE_NAMES = tuple(_STORAGE_DTYPES)
# Storage types PyTorch can write that mstorch has no dtype for; loading them is refused by name.
_UNSERVED_STORAGES = ("QUInt8Storage", "QInt8Storage", "QInt32Storage", "QUInt4x2Storage", "QUInt2x4Storage")

UNSAFE_MESSAGE = (
    "Since PyTorch 2.6 `torch.load` defaults to `weights_only=True`. Re-running `torch.load` with "
    "`weights_only=False` will likely succeed, but it can result in arbitrary code execution: do it only if "
    "you got the file from a trusted source.")


def _dt():
    from dispatch import dtypes
    return dtypes


class _StorageType:
    """What `torch.FloatStorage` & co. mean inside a checkpoint: a storage dtype."""
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    @property
    def dtype(self):
        if self.name == "UntypedStorage":
            return _dt().uint8
        attr = _STORAGE_DTYPES.get(self.name)
        if attr is None:
            raise NotImplementedError(f"mstorch: torch.load of {self.name} tensors is not supported "
                                      "(no such dtype in mstorch)")
        return getattr(_dt(), attr)

    def __repr__(self):
        return f"StorageType(torch.{self.name})"

    def __call__(self, *args, **kwargs):
        raise NotImplementedError(f"mstorch: constructing torch.{self.name} is not supported; "
                                  "use tensors (torch.tensor / torch.empty)")


_STORAGE_TYPES = {}


def storage_type(name):
    st = _STORAGE_TYPES.get(name)
    if st is None:
        st = _STORAGE_TYPES[name] = _StorageType(name)
    return st


def _storage_name_for(dtype):
    for name, attr in _STORAGE_DTYPES.items():
        if getattr(_dt(), attr) is dtype:
            return name
    raise NotImplementedError(f"mstorch: torch.save of {dtype} tensors is not supported")


# ============================================================================ safe globals

def add_safe_globals(safe_globals):
    """Allow these globals in `torch.load(weights_only=True)`; entries are objects or (object, "module.name")."""
    _wo.add(safe_globals)


def get_safe_globals():
    out, seen = [], set()
    for name, obj in _wo.user_globals().items():
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        try:
            plain = name in _wo._public_names(obj)
        except TypeError:
            plain = False
        out.append(obj if plain else (obj, name))
    return out


def clear_safe_globals():
    _wo.user_globals().clear()


class safe_globals:
    """Context manager: globals allowed in `torch.load(weights_only=True)` inside the block only."""

    def __init__(self, safe_globals):
        self.safe_globals = safe_globals

    def __enter__(self):
        self._saved = dict(_wo.user_globals())
        _wo.add(self.safe_globals)

    def __exit__(self, *exc):
        g = _wo.user_globals()
        g.clear()
        g.update(self._saved)


def get_unsafe_globals_in_checkpoint(f):
    """The globals in a checkpoint that `weights_only=True` would refuse."""
    with _open_for_read(f) as fh:
        if _is_zip(fh):
            reader = _ZipReader(fh, None)
            data = reader.read_record("data.pkl")
        else:
            raise ValueError("get_unsafe_globals_in_checkpoint is not supported for the legacy format")
    allowed = set(_wo.allowed_globals()) | set(_wo.user_globals())
    return sorted(g for g in _wo.globals_in_pickle(data) if g not in allowed)


# ============================================================================ rebuild functions
# These are what `torch._utils._rebuild_*` resolve to on load, in both unpicklers.

class _LoadedStorage:
    """A storage record read from a checkpoint, typed by the persistent id that named it."""
    __slots__ = ("storage", "dtype", "array", "device")

    def __init__(self, storage, dtype, array, device):
        self.storage = storage      # dispatch Storage (shared by every tensor built on it)
        self.dtype = dtype
        self.array = array          # the flat NumPy array the storage aliases
        self.device = device

    def untyped(self):
        return self.storage


def _rebuild_tensor(storage, storage_offset, size, stride):
    return _tensor_on(storage, storage_offset, size, stride, storage.dtype if isinstance(storage, _LoadedStorage)
                      else None)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, metadata=None):
    t = _rebuild_tensor(storage, storage_offset, size, stride)
    if requires_grad:
        t.requires_grad_(True)
    _check_hooks(backward_hooks)
    return t


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype, metadata=None):
    t = _tensor_on(storage, storage_offset, size, stride, dtype)
    if requires_grad:
        t.requires_grad_(True)
    _check_hooks(backward_hooks)
    return t


def _rebuild_parameter(data, requires_grad, backward_hooks):
    from mstorch.impl.torch.nn.parameter import Parameter
    _check_hooks(backward_hooks)
    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    p = _rebuild_parameter(data, requires_grad, backward_hooks)
    _set_tensor_state(p, state)
    return p


def _rebuild_from_type_v2(func, new_type, args, state):
    from dispatch import Tensor
    from mstorch.impl.torch.nn.parameter import Parameter
    ret = func(*args)
    if type(ret) is not new_type:
        if new_type is Parameter:
            ret = Parameter(ret, ret.requires_grad)
        elif isinstance(new_type, type) and issubclass(new_type, Tensor):
            if hasattr(new_type, "_from_plain"):
                ret = new_type._from_plain(ret)
            else:
                sub = Tensor._wrap(ret._data, ret._dtype, ret._storage, ret._base)
                object.__setattr__(sub, "__class__", new_type)
                sub._requires_grad = ret._requires_grad
                ret = sub
        else:
            raise NotImplementedError(f"mstorch: torch.load cannot rebuild a tensor as {new_type!r}")
    _set_tensor_state(ret, state)
    return ret


TENSOR_REBUILDERS = (_rebuild_tensor, _rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_parameter,
                     _rebuild_parameter_with_state)


def _get_layout(name):
    from dispatch import layout
    obj = getattr(layout, name.rpartition(".")[2], None)
    if not isinstance(obj, layout.layout):
        raise NotImplementedError(f"mstorch: layout {name} is not supported")
    return obj


def _check_hooks(hooks):
    if hooks:
        raise NotImplementedError("mstorch: torch.load of tensors saved with backward hooks is not supported "
                                  "(PyTorch itself does not serialize them)")


def _set_tensor_state(t, state):
    if not state:
        return
    slots = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slots = state
    for part in (state, slots):
        if not part:
            continue
        if not isinstance(part, dict):
            raise pickle.UnpicklingError("tensor state must be a dict")
        for k, v in part.items():
            _set_tensor_attribute(t, k, v)


def _set_tensor_attribute(t, name, value):
    """One attribute of a checkpoint's tensor state, set as PyTorch's setattr would, except
    that the file never reaches mstorch's own tensor state: a name the engine keeps its
    bookkeeping under (_data, _dtype, _storage, _device, ...) is refused, since setting it
    would make the tensor's metadata lie about its bytes."""
    from dispatch.pickling import is_engine_attribute
    if not isinstance(name, str):
        raise TypeError(f"attribute name must be string, not '{type(name).__name__}'")
    if not is_engine_attribute(type(t), name):
        setattr(t, name, value)
    elif name == "_grad":
        t.grad = value                  # PyTorch's _grad is the gradient itself
    elif name == "_grad_fn":
        if value is not None:
            raise RuntimeError("_grad_fn can be only set to None")
    elif name in ("_base", "_version"):
        raise AttributeError(f"attribute '{name}' of 'torch._C.TensorBase' objects is not writable")
    else:
        raise NotImplementedError(f"mstorch: torch.load cannot restore the tensor attribute {name!r} saved in this "
                                  "checkpoint: mstorch keeps its own tensor state under that name")


def _tensor_on(storage, offset, size, stride, dtype):
    """A tensor with the given geometry over a loaded storage (no copy)."""
    from dispatch import Tensor, arrays
    from dispatch.storage import contiguous_strides
    if isinstance(storage, _LoadedStorage):
        loaded = storage
    else:
        raise pickle.UnpicklingError(f"tensor storage must come from the checkpoint, got {type(storage).__name__}")
    size, stride, offset = _geometry(size, stride, offset)
    if dtype is not None and dtype is not loaded.dtype:
        from dispatch import dtypes
        if not isinstance(dtype, dtypes.dtype):
            raise pickle.UnpicklingError(f"tensor dtype expected in checkpoint, got {type(dtype).__name__}")
        loaded = _retyped(loaded, dtype)
    arr = loaded.array
    numel = 1
    for n in size:
        numel *= n
    needed = 0 if numel == 0 else offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    if needed > arr.size:
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and "
                           f"itemsize {loaded.dtype.itemsize} requiring a storage size of "
                           f"{needed * loaded.dtype.itemsize} are out of bounds for storage of size "
                           f"{arr.size * loaded.dtype.itemsize}")
    st = loaded.storage
    if numel and offset == 0 and stride == contiguous_strides(size):
        # A C-contiguous prefix: a plain alias of the NumPy buffer, no strided-view op needed.
        data = arrays.from_numpy(arr[:numel].reshape(size), _backend_name(st))
    else:
        # Empty tensors too: PyTorch keeps the file's strides and offset for them.
        try:
            data = arrays.strided_view(st, size, stride, offset)
        except (RuntimeError, ValueError, TypeError, OverflowError) as e:
            raise RuntimeError(f"torch.load: cannot view the storage with sizes {list(size)}, strides "
                               f"{list(stride)} and storage offset {offset} ({type(e).__name__})") from None
    t = Tensor._wrap(data, loaded.dtype, st)
    if loaded.device is not None and loaded.device.type != "cpu":
        from dispatch.devices import place
        t = place(t, loaded.device)
    return t


_INT64_MAX = 2 ** 63 - 1


def _geometry(size, stride, offset):
    """(size, stride, offset) from a checkpoint, as ints PyTorch would accept for set_():
    sequences of int, each within int64, non-negative, one stride per dimension."""
    def ints(seq, what):
        if not isinstance(seq, (tuple, list)) or not all(type(v) is int for v in seq):
            raise RuntimeError(f"torch.load: tensor {what} in checkpoint must be a sequence of ints, got {seq!r:.80}")
        return tuple(seq)
    size, stride = ints(size, "size"), ints(stride, "stride")
    if type(offset) is not int:
        raise RuntimeError(f"torch.load: tensor storage offset in checkpoint must be an int, got {offset!r:.80}")
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape: size {list(size)}, stride {list(stride)}")
    for v in (*size, *stride, offset):
        if not 0 <= v <= _INT64_MAX:
            raise RuntimeError(f"torch.load: invalid tensor geometry size={list(size)} stride={list(stride)} "
                               f"offset={offset} (each must lie in [0, 2**63 - 1])")
    return size, stride, offset


def _backend_name(storage):
    return "host" if type(storage.root) is np.ndarray else "cpu"


def _retyped(loaded, dtype):
    """The same bytes seen as another dtype (a checkpoint whose tensors view one storage as two dtypes)."""
    raw = loaded.array.view(np.uint8)
    usable = raw.size - raw.size % dtype.itemsize
    return _make_storage(raw[:usable].view(dtype.np), dtype, loaded.device)


def _make_storage(arr, dtype, device):
    from dispatch import arrays
    from dispatch import backend as _backend
    from dispatch.storage import Storage
    where = _backend.creation_backend()
    return _LoadedStorage(Storage(arrays.from_numpy(arr, where), arr), dtype, arr, device)


# ============================================================================ map_location

class _StorageHandle:
    """What a callable `map_location(storage, location)` receives: a CPU storage it may move."""
    __slots__ = ("nbytes_", "device")

    def __init__(self, nbytes, device):
        self.nbytes_ = nbytes
        self.device = device

    def nbytes(self):
        return self.nbytes_

    def size(self):
        return self.nbytes_

    def cpu(self):
        return _StorageHandle(self.nbytes_, _device("cpu"))

    def cuda(self, device=None, non_blocking=False):
        d = _device("cuda") if device is None else _device(device if not isinstance(device, int) else f"cuda:{device}")
        if d.type != "cuda":
            raise RuntimeError(f"Invalid device, must be cuda device")
        return _StorageHandle(self.nbytes_, d)

    def to(self, device=None, non_blocking=False):
        return _StorageHandle(self.nbytes_, _device(device))


def _device(d):
    from dispatch.device import as_device
    return as_device(d)


def _restore_device(location, map_location, nbytes):
    """The device a storage saved at `location` is loaded onto (PyTorch's map_location rules)."""
    from dispatch.device import device as device_cls
    if map_location is None:
        target = location
    elif isinstance(map_location, dict):
        target = map_location.get(location, location)
    elif isinstance(map_location, (str, bytes)):
        target = map_location.decode() if isinstance(map_location, bytes) else map_location
    elif isinstance(map_location, device_cls):
        target = str(map_location)
    elif callable(map_location):
        result = map_location(_StorageHandle(nbytes, _device(location) if location == "cpu" else None), location)
        if result is None:
            target = location
        elif isinstance(result, _StorageHandle):
            target = "cpu" if result.device is None else str(result.device)
        else:
            raise NotImplementedError("mstorch: a map_location callable must return the storage it was given, "
                                      f"a moved copy of it (.cpu()/.cuda()/.to()), or None; got {type(result)}")
    else:
        raise TypeError(f"map_location should be a str, torch.device, dict or callable, not {type(map_location)}")
    return _validated_device(target)


def _validated_device(target):
    from dispatch.devices import cuda_to_cpu
    d = _device(target)
    if d.type == "cpu":
        return None
    if d.type == "cuda" and not cuda_to_cpu():
        raise RuntimeError("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
                           "If you are running on a CPU-only machine, please use torch.load with "
                           "map_location=torch.device('cpu') to map your storages to the CPU.")
    if d.type == "meta":
        raise NotImplementedError("mstorch: torch.load with map_location='meta' is not supported")
    if d.type not in ("cuda", "npu"):
        raise RuntimeError(f"don't know how to restore data location of {target}")
    return d


# ============================================================================ saving

class _StorageRef:
    """Stands for a tensor's storage in the pickle; the pickler turns it into a persistent id."""
    __slots__ = ("storage", "dtype", "location", "untyped")

    def __init__(self, storage, dtype, location, untyped=False):
        self.storage, self.dtype, self.location, self.untyped = storage, dtype, location, untyped


_INTERNAL_TENSOR_ATTRS = ("persistent",)


def _tensor_state(t):
    """User attributes set on a tensor (PyTorch saves them); mstorch's own bookkeeping is not state."""
    from dispatch import Tensor
    d = getattr(t, "__dict__", None)
    if not d:
        return None
    state = {k: v for k, v in d.items() if not hasattr(Tensor, k) and k not in _INTERNAL_TENSOR_ATTRS
             and not k.startswith("_mstorch")}
    return state or None


def _location(t):
    d = t.device
    if d.type == "cpu":
        return "cpu"
    return f"{d.type}:{d.index or 0}"


def _reduce_tensor(t):
    from dispatch import Tensor
    from mstorch.impl.torch.nn.parameter import Buffer, Parameter
    ref = _StorageRef(t._storage, t._dtype, _location(t))
    args = (ref, t.storage_offset(), tuple(t.shape), tuple(t.stride()), bool(t.requires_grad),
            collections.OrderedDict())
    state = _tensor_state(t)
    cls = type(t)
    if isinstance(t, Parameter):
        plain = Tensor._wrap(t._data, t._dtype, t._storage)
        if state:
            return (_rebuild_parameter_with_state, (plain, bool(t.requires_grad), collections.OrderedDict(), state))
        return (_rebuild_parameter, (plain, bool(t.requires_grad), collections.OrderedDict()))
    if cls is Tensor or cls is Buffer:
        if state:
            return (_rebuild_from_type_v2, (_rebuild_tensor_v2, Tensor, args, state))
        return (_rebuild_tensor_v2, args)
    return (_rebuild_from_type_v2, (_rebuild_tensor_v2, cls, args, state or {}))


def _public_global(obj):
    """(module, name) under which real PyTorch knows an mstorch object, or None for ordinary objects."""
    from dispatch import Tensor
    from dispatch import dtypes, layout
    from dispatch.device import device
    from dispatch.size import Size
    if obj is Tensor:
        return "torch", "Tensor"
    if obj is device:
        return "torch", "device"
    if obj is Size:
        return "torch", "Size"
    if isinstance(obj, dtypes.dtype):
        return "torch", obj.name if obj is not dtypes.bool_ else "bool"
    if isinstance(obj, layout.memory_format):
        return "torch", obj.name
    if isinstance(obj, _StorageType):
        return ("torch.storage", "UntypedStorage") if obj.name == "UntypedStorage" else ("torch", obj.name)
    if obj in TENSOR_REBUILDERS:
        return "torch._utils", obj.__name__
    if obj is _rebuild_from_type_v2:
        return "torch._tensor", "_rebuild_from_type_v2"
    if obj is _get_layout:
        return "torch.serialization", "_get_layout"
    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__qualname__", None)
    if isinstance(module, str) and module.startswith("mstorch.impl.torch") and isinstance(name, str):
        # Classes and functions implementing a torch API: name them by their torch path
        # when that path serves the same object, so real PyTorch can import them.
        public = module[len("mstorch.impl."):]
        try:
            from mstorch import proxy
            target = proxy.get(public)
            for part in name.split("."):
                target = getattr(target, part)
        except Exception:
            return None
        if target is obj:
            return public, name
    return None


class _Pickler(pickle._Pickler):
    """pickle's Python pickler, because only it lets us choose the name a global is written under."""

    def __init__(self, file, protocol, storages, legacy, stock_dispatch=True):
        super().__init__(file, protocol)
        self._storages = storages          # id(Storage) -> [key, Storage, dtype]
        self._legacy = legacy
        if stock_dispatch:
            # Importing dill (MindSpore does) adds dill's handlers to the Python pickler's
            # shared dispatch table: classes and functions would then be pickled by value
            # under dill's own globals (dill._dill._load_type), which PyTorch's C pickler
            # never writes and weights_only loading refuses.
            self.dispatch = _stock_dispatch()

    def reducer_override(self, obj):
        from dispatch import Tensor
        from dispatch import dtypes, layout
        from dispatch.device import device
        from dispatch.storage import Storage
        if isinstance(obj, Tensor):
            return _reduce_tensor(obj)
        if isinstance(obj, (dtypes.dtype, layout.memory_format, _StorageType, type, types.FunctionType)):
            # Returning a name routes the object to self.save_global, which writes torch's name for it.
            public = _public_global(obj)
            if public is not None:
                return public[1]
            return NotImplemented
        if isinstance(obj, layout.layout):
            return (_get_layout, ("torch." + obj.name,))
        if type(obj) is device:
            return (device, (obj.type,) if obj.index is None else (obj.type, obj.index))
        return NotImplemented

    def persistent_id(self, obj):
        if type(obj) is not _StorageRef:
            from dispatch.storage import Storage
            from dispatch.untyped_storage import UntypedStorage, whole_storage
            if isinstance(obj, UntypedStorage):
                obj = whole_storage(obj)
            if not isinstance(obj, Storage):
                return None
            # A bare storage (t.untyped_storage()) is saved as PyTorch saves an UntypedStorage.
            obj = _StorageRef(obj, _dt().uint8, "cpu", untyped=True)
        entry = self._storages.get(id(obj.storage))
        nbytes = obj.storage.nbytes()
        if entry is None:
            entry = self._storages[id(obj.storage)] = [str(len(self._storages)), obj.storage, obj.dtype]
        elif entry[2] is not obj.dtype and nbytes:
            # A reader types a storage by its first mention; a second dtype would be read wrongly.
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data as different types")
        key = entry[0]
        stype = storage_type("UntypedStorage" if obj.untyped else _storage_name_for(obj.dtype))
        numel = nbytes // obj.dtype.itemsize
        if self._legacy:
            return ("storage", stype, key, obj.location, numel, None)
        return ("storage", stype, key, obj.location, numel)

    def save_global(self, obj, name=None):
        public = _public_global(obj)
        if public is None:
            return super().save_global(obj, name)
        module, qualname = public
        if self.proto >= 4:
            self.save(module)
            self.save(qualname)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + f"{module}\n{qualname}\n".encode("utf-8"))
        self.memoize(obj)


_STOCK_DISPATCH = []


def _stock_dispatch():
    """The Python pickler's own type -> handler table, as the pickle module defines it,
    whatever other libraries (dill) have put into or replaced in the shared table."""
    if not _STOCK_DISPATCH:
        # A private execution of pickle's source gives the pristine pairing of types
        # and handler names; the handlers themselves are taken from the real module.
        spec = importlib.util.find_spec("pickle")
        pristine = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(pristine)
        _STOCK_DISPATCH.append({t: getattr(pickle._Pickler, f.__name__)
                                for t, f in pristine._Pickler.dispatch.items()})
    return _STOCK_DISPATCH[0]


def _storage_bytes(storage):
    flat = storage.numpy_flat()
    if not flat.flags.c_contiguous:
        flat = np.ascontiguousarray(flat)
    return memoryview(flat.view(np.uint8)).cast("B")


def _pickle_obj(obj, protocol, pickle_module, legacy):
    storages = {}
    buf = io.BytesIO()
    if pickle_module is not None and pickle_module is not pickle:
        base = getattr(pickle_module, "Pickler", None)
        if not (isinstance(base, type) and issubclass(base, pickle._Pickler)):
            raise NotImplementedError(f"mstorch: torch.save(pickle_module={getattr(pickle_module, '__name__', pickle_module)}) "
                                      "is not supported: its Pickler does not derive from pickle's Python pickler")
        cls = type("_ModulePickler", (_Pickler, base), {})
        stock = False       # a pickle_module such as dill pickles as that module does
    else:
        cls = _Pickler
        stock = True
    cls(buf, protocol, storages, legacy, stock).dump(obj)
    return buf.getvalue(), storages


def _archive_name(f):
    if _is_path(f):
        base = os.path.basename(os.fspath(f))
        stem = os.path.splitext(base)[0]
        return stem or "archive"
    return "archive"


def _write_zip(fh, archive, pkl, storages, byteorder_record=True):
    zf = zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True)
    with zf:
        def put(name, data):
            full = f"{archive}/{name}"
            info = zipfile.ZipInfo(full, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            size = data.nbytes if isinstance(data, memoryview) else len(data)
            info.file_size = size
            zip64 = size * 1.05 > zipfile.ZIP64_LIMIT
            header = 30 + len(full.encode("utf-8")) + (20 if zip64 else 0)
            start = zf.fp.tell()
            # Pad the local header's extra field so the record's bytes start on a
            # 64-byte boundary, as PyTorch does: that is what makes mmap loading possible.
            pad = (-(start + header + 4)) % _ALIGNMENT
            info.extra = struct.pack("<HH", 0x4246, pad) + b"Z" * pad
            with zf.open(info, "w", force_zip64=zip64) as w:
                w.write(data)

        put("data.pkl", pkl)
        put(".format_version", b"1")
        put(".storage_alignment", str(_ALIGNMENT).encode())
        if byteorder_record:
            put("byteorder", sys.byteorder.encode())
        for key, storage, _dtype in sorted(storages.values(), key=lambda e: int(e[0])):
            put(f"data/{key}", _storage_bytes(storage))
        put("version", _FORMAT_VERSION)
        put(".data/serialization_id", "".join(secrets.choice("0123456789") for _ in range(40)).encode())


def _write_legacy(fh, obj, protocol, pickle_module):
    pkl, storages = _pickle_obj(obj, protocol, pickle_module, legacy=True)
    sys_info = {"protocol_version": PROTOCOL_VERSION, "little_endian": sys.byteorder == "little",
                "type_sizes": {"short": 2, "int": 4, "long": 8}}
    for head in (MAGIC_NUMBER, PROTOCOL_VERSION, sys_info):
        fh.write(pickle.dumps(head, protocol=protocol))
    fh.write(pkl)
    entries = sorted(storages.values(), key=lambda e: e[0])
    fh.write(pickle.dumps([e[0] for e in entries], protocol=protocol))
    for key, storage, dtype in entries:
        data = _storage_bytes(storage)
        fh.write(struct.pack("<q", data.nbytes // dtype.itemsize))
        fh.write(data)


def save(obj, f, pickle_module=pickle, pickle_protocol=DEFAULT_PROTOCOL, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """torch.save: PyTorch's zip checkpoint format; writing to a path is atomic (temp file + rename)."""
    if not isinstance(pickle_protocol, int) or not 2 <= pickle_protocol <= pickle.HIGHEST_PROTOCOL:
        raise NotImplementedError(f"mstorch: torch.save(pickle_protocol={pickle_protocol!r}) is not supported "
                                  f"(2..{pickle.HIGHEST_PROTOCOL})")
    if not _is_path(f) and not hasattr(f, "write"):
        raise AttributeError(f"expected 'f' to be string, path, or a file-like object with a 'write' attribute")

    def write(fh):
        if _use_new_zipfile_serialization:
            pkl, storages = _pickle_obj(obj, pickle_protocol, pickle_module, legacy=False)
            _write_zip(fh, _archive_name(f), pkl, storages, not _disable_byteorder_record)
        else:
            _write_legacy(fh, obj, pickle_protocol, pickle_module)

    if _is_path(f):
        _atomic_write(os.fspath(f), write)
    else:
        write(f)
        if hasattr(f, "flush"):
            f.flush()


def _atomic_write(path, write):
    """Write through a temporary file beside `path`, fsync it, then rename it over `path`:
    a crash at any point leaves either the old file or the complete new one."""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if os.path.islink(path):
        # Replace what the link points at, not the link itself.
        path = os.path.realpath(path)
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise RuntimeError(f"Parent directory {directory} does not exist.")
    if os.path.isdir(path):
        raise IsADirectoryError(f"[Errno 21] Is a directory: '{path}'")
    _remove_stale_temporaries(directory, os.path.basename(path))
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(os.path.basename(path)) + f"{os.getpid()}-", suffix=".tmp",
                               dir=directory)
    try:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            pass
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fd = None
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(directory)
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _temp_prefix(base):
    """The start of our temporary files' names for target `base`: `.<base>.mstorch-<host>-`,
    followed by the writer's pid and a random part.  The host is a hash of the host name,
    so that a pid is only ever judged on the machine that wrote it (shared file systems)."""
    import hashlib
    import socket
    host = hashlib.sha1(socket.gethostname().encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f".{base}.mstorch-{host}-"


def _remove_stale_temporaries(directory, base):
    """Delete temporary files that an earlier save of this same target left behind when its
    process died mid-write (killed, out of memory): only files named by this writer for this
    target, on this host, whose writing process no longer exists."""
    prefix = _temp_prefix(base)
    pattern = re.compile(re.escape(prefix) + r"(\d+)-[A-Za-z0-9_]+\.tmp\Z")
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        m = pattern.match(name)
        if m is None:
            continue
        full = os.path.join(directory, name)
        try:
            st = os.lstat(full)
        except OSError:
            continue
        if not _is_regular_file(st) or not _writer_gone(int(m.group(1)), st.st_mtime):
            continue
        with contextlib.suppress(OSError):
            os.unlink(full)


def _is_regular_file(st):
    import stat
    return stat.S_ISREG(st.st_mode)


def _writer_gone(pid, mtime):
    """Whether process `pid` that wrote a file last modified at `mtime` has ended.  A pid in
    use by a process started after that write is another process that reuses the number."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    started = _process_start_time(pid)
    return started is not None and started > mtime + 1.0


def _process_start_time(pid):
    """Wall-clock start time of `pid` from /proc (None where /proc cannot say)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        ticks = int(fields[19])             # field 22 of stat(5): starttime, in clock ticks since boot
        with open("/proc/stat", "rb") as fh:
            boot = next(int(line.split()[1]) for line in fh if line.startswith(b"btime "))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _fsync_dir(directory):
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


# ============================================================================ loading

def _is_path(f):
    return isinstance(f, (str, os.PathLike, bytes))


@contextlib.contextmanager
def _open_for_read(f):
    if _is_path(f):
        with open(f, "rb") as fh:
            yield fh
        return
    if not hasattr(f, "read"):
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a 'read' attribute")
    seekable = False
    try:
        seekable = f.seekable() if hasattr(f, "seekable") else hasattr(f, "seek")
    except Exception:
        seekable = False
    if not seekable or not hasattr(f, "readline") or not hasattr(f, "tell"):
        yield io.BytesIO(f.read())
    else:
        yield f


def _is_zip(fh):
    pos = fh.tell()
    head = fh.read(4)
    fh.seek(pos)
    return head == b"PK\x03\x04"


def _corrupt(msg, cause=None):
    err = RuntimeError(f"PytorchStreamReader failed reading zip archive: {msg}")
    return err


# The archive format versions PyTorch 2.13's reader accepts.
_MIN_FORMAT_VERSION, _MAX_FORMAT_VERSION = 1, 10


# Zip flags miniz refuses: encrypted (bit 0), patched data (bit 5), strong encryption
# (bit 6), masked local headers (bit 13).
_REFUSED_FLAGS = 0x0001 | 0x0020 | 0x0040 | 0x2000


def _check_directory(fh, size, infos):
    """Refuse a central directory miniz refuses: a multi-disk archive (the end record's disk
    numbers must both be 0, or both 1), or an entry whose name, extra field and comment run
    past the directory's declared size (zipfile silently reads such a comment short).
    0xFFFF/0xFFFFFFFF and a zip64 locator defer to the zip64 record."""
    tail_start = max(0, size - 65557)
    fh.seek(tail_start)
    tail = fh.read(size - tail_start)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return                      # zipfile found the end record by other means; nothing to add
    this_disk, cdir_disk = struct.unpack("<HH", tail[at + 4:at + 8])
    (cd_size,) = struct.unpack("<I", tail[at + 12:at + 16])
    cd_end = at
    z64 = at - 20 - 56
    if z64 >= 0 and tail[at - 20:at - 16] == b"PK\x06\x07" and tail[z64:z64 + 4] == b"PK\x06\x06":
        # The zip64 end record (as PyTorch always writes) right before its locator rules.
        this_disk, cdir_disk = struct.unpack("<II", tail[z64 + 16:z64 + 24])
        (cd_size,) = struct.unpack("<Q", tail[z64 + 40:z64 + 48])
        cd_end = z64
    elif tail[max(0, at - 20):at].startswith(b"PK\x06\x07") or cd_size == 0xFFFFFFFF:
        return                      # a zip64 layout this check does not know; zipfile's own checks stand
    if this_disk not in (0xFFFF, 0xFFFFFFFF) and (this_disk | cdir_disk) != 0 and (this_disk != 1 or cdir_disk != 1):
        raise _corrupt("unsupported multidisk archive")
    if cd_size > tail_start + cd_end:
        raise _corrupt("invalid header or archive is corrupted (central directory larger than the file)")
    if cd_end >= cd_size:
        cd = tail[cd_end - cd_size:cd_end]
    else:
        fh.seek(tail_start + cd_end - cd_size)
        cd = fh.read(cd_size)
    pos = 0
    for _ in infos:
        if len(cd) < pos + 46:
            break
        n, e, c = struct.unpack("<HHH", cd[pos + 28:pos + 34])
        pos += 46 + n + e + c
        if pos > cd_size:
            raise _corrupt("invalid header or archive is corrupted (a central directory entry overruns it)")


def _check_entry(info, archive_size):
    """Refuse a central-directory entry PyTorch's reader (miniz) refuses when it opens the
    archive: an unknown compression method, a stored record whose two sizes disagree, or
    a record reaching past the end of the file."""
    if info.volume not in (0, 1):
        raise _corrupt("unsupported multidisk archive")
    if info.filename.endswith("/") or info.external_attr & 0x10:
        # miniz takes such an entry (DOS directory bit, whatever the source OS) for a
        # directory and hands PyTorch no bytes for it.
        raise _corrupt(f"record {info.filename} is marked as a directory")
    if info.flag_bits & _REFUSED_FLAGS:
        raise RuntimeError(f"PytorchStreamReader failed retrieving file meta-data for {info.filename}: "
                           "unsupported encryption")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise RuntimeError(f"PytorchStreamReader failed retrieving file meta-data for {info.filename}: "
                           "unsupported method")
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise _corrupt(f"invalid header or archive is corrupted (record {info.filename})")
    if info.header_offset + 30 + info.compress_size > archive_size:
        raise _corrupt(f"invalid header or archive is corrupted (record {info.filename} ends past the file)")


def _utf8_name(info):
    if info.flag_bits & 0x800:
        return info.filename
    return info.filename.encode("cp437").decode("utf-8")


class _ZipReader:
    def __init__(self, fh, mmap_path, shared=False):
        self.fh = fh
        self.start = fh.tell()
        try:
            self.zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, struct.error, EOFError,
                UnicodeDecodeError, IndexError, KeyError, OverflowError, NotImplementedError) as e:
            raise _corrupt(f"failed finding central directory ({e})") from None
        names = self.zf.namelist()
        if not names:
            raise _corrupt("the archive is empty")
        # Record names are UTF-8 to PyTorch whatever the zip flags say (zipfile reads names
        # without the UTF-8 flag as cp437): a name that is not UTF-8 fails the load, as there.
        full_names = [_utf8_name(info) for info in self.zf.infolist()]
        if "/" not in full_names[0]:
            raise RuntimeError(f"file in archive is not in a subdirectory: {full_names[0]}")
        self.prefix = full_names[0].split("/", 1)[0] + "/"
        self.infos = {}
        for info, full in zip(self.zf.infolist(), full_names):
            if not full.startswith(self.prefix):
                # PyTorch lists every record on each load and refuses one outside the folder.
                raise RuntimeError(f"file in archive is not in a subdirectory {self.prefix}: {full}")
            name = full[len(self.prefix):]
            if name in self.infos:
                # Two records of one name: which one a reader sees is the reader's accident
                # (zipfile takes the last, PyTorch's miniz a binary-search hit), so neither is trusted.
                raise _corrupt(f"record {name} appears twice")
            self.infos[name] = info
        fh.seek(0, os.SEEK_END)
        self.size = fh.tell()
        _check_directory(fh, self.size, self.zf.infolist())
        for info in self.zf.infolist():
            _check_entry(info, self.size - self.start)
        self._check_version()
        self.mm = None
        if mmap_path is not None:
            with open(mmap_path, "rb" if not shared else "r+b") as mf:
                self.mm = _mmap.mmap(mf.fileno(), 0, access=_mmap.ACCESS_WRITE if shared else _mmap.ACCESS_COPY)

    def has(self, name):
        return name in self.infos

    def _check_version(self):
        """The archive's format version, checked as PyTorch's reader checks it on opening."""
        name = ".data/version" if self.has(".data/version") else "version"
        if not self.has(name):
            raise RuntimeError('Expected hasRecord("version") to be true, but got false.')
        text = self.read_record(name).decode("latin-1")
        m = re.match(r"\s*([-+]?\d+)", text)
        if m is None:
            raise RuntimeError(f"Couldn't parse the version {text} as Long Long.")
        version = int(m.group(1))
        if version < _MIN_FORMAT_VERSION:
            raise RuntimeError(f"Attempted to read a PyTorch file with version {version}, but the minimum supported "
                               f"version for reading is {_MIN_FORMAT_VERSION}.")
        if version > _MAX_FORMAT_VERSION:
            raise RuntimeError(f"Attempted to read a PyTorch file with version {version}, but the maximum supported "
                               f"version for reading is {_MAX_FORMAT_VERSION}.")

    def read_record(self, name):
        info = self.infos.get(name)
        if info is None:
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found")
        if info.file_size > self.size:
            raise _corrupt(f"record {name} claims {info.file_size} bytes, larger than the file")
        try:
            return self.zf.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, struct.error, EOFError, NotImplementedError,
                OverflowError, __import__("zlib").error) as e:
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: {e}") from None

    def _data_offset(self, info, name):
        self.fh.seek(info.header_offset)
        head = self.fh.read(30)
        if len(head) != 30 or head[:4] != b"PK\x03\x04":
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: bad local header")
        n_name, n_extra = struct.unpack("<HH", head[26:30])
        return info.header_offset + 30 + n_name + n_extra

    def storage_array(self, name, dtype, numel):
        """A flat array of `numel` `dtype` elements holding record `name` (mapped, or read into new memory)."""
        info = self.infos.get(name)
        if info is None:
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found")
        nbytes = numel * dtype.itemsize
        if numel < 0 or info.file_size != nbytes:
            # Exactly the declared bytes, as PyTorch checks: a record of another size means the
            # storage type, the element count or the record itself was altered.
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: record size ({info.file_size} "
                               f"bytes) does not match expected size ({nbytes} bytes = {nbytes} elements * 1 "
                               "bytes/element) for dtype Byte")
        if info.compress_type != zipfile.ZIP_STORED:
            raw = self.read_record(name)
            return np.frombuffer(bytearray(raw[:nbytes]), dtype.np)
        off = self._data_offset(info, name)
        if off + nbytes > self.size:
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: file is truncated")
        if self.mm is not None and (self.start + off) % dtype.itemsize == 0:
            return np.frombuffer(self.mm, dtype.np, numel, self.start + off)
        arr = np.empty(numel, dtype.np)
        self.fh.seek(off)
        view = memoryview(arr.view(np.uint8)).cast("B")
        got = 0
        while got < nbytes:
            n = self.fh.readinto(view[got:])
            if not n:
                raise RuntimeError(f"PytorchStreamReader failed reading file {name}: file is truncated")
            got += n
        return arr


def _persistent_loader(get_array, map_location, loaded, legacy):
    dt = _dt()

    def persistent_load(saved_id):
        if not isinstance(saved_id, tuple) or not saved_id:
            raise pickle.UnpicklingError(f"unsupported persistent id {saved_id!r}")
        kind = _ascii(saved_id[0])
        if kind == "module" and legacy:
            return saved_id[1]
        if kind != "storage":
            raise RuntimeError(f"Unknown saved id type: {saved_id[0]!r}")
        if len(saved_id) != (6 if legacy else 5):
            raise pickle.UnpicklingError(f"malformed storage id {saved_id!r}")
        stype, key, location, numel = saved_id[1:5]
        if not isinstance(stype, _StorageType):
            name = getattr(stype, "__name__", None)
            if name in _UNSERVED_STORAGES:
                raise NotImplementedError(f"mstorch: torch.load of {name} tensors is not supported")
            raise pickle.UnpicklingError(f"storage type expected in persistent id, got {stype!r}")
        key = _ascii(key)
        location = _ascii(location)
        if not isinstance(key, str) or not isinstance(location, str) or type(numel) is not int or numel < 0:
            raise pickle.UnpicklingError(f"malformed storage id {saved_id!r}")
        dtype = stype.dtype
        entry = loaded.get(key)
        if entry is None:
            device = _restore_device(location, map_location, numel * dtype.itemsize)
            arr = get_array(key, dtype, numel)
            entry = loaded[key] = _make_storage(arr, dtype, device)
        # A key seen before is that storage, as PyTorch reads it: the type and element count
        # written beside a later mention of the key are not consulted (PyTorch's save refuses
        # to write one storage under two dtypes; a file that does is hand-made).
        if legacy and saved_id[5] is not None:
            view = saved_id[5]
            if not (isinstance(view, tuple) and len(view) == 3 and type(view[1]) is int and type(view[2]) is int
                    and 0 <= view[1] and 0 <= view[2] and view[1] + view[2] <= entry.array.size):
                raise RuntimeError(f"torch.load: storage view {view!r:.80} reaches outside storage {key} "
                                   f"of {entry.array.size} elements")
            view_key, off, view_numel = view
            vkey = ("view", _ascii(view_key))
            if vkey not in loaded:
                loaded[vkey] = _make_storage(entry.array[off:off + view_numel], dtype, entry.device)
            entry = loaded[vkey]
        return entry

    return persistent_load


def _ascii(s):
    return s.decode("ascii") if isinstance(s, bytes) else s


def _full_unpickler_class(pickle_module):
    base = pickle_module.Unpickler

    class _Unpickler(base):
        def find_class(self, module, name):
            if module == "torch._utils" and name in {f.__name__ for f in TENSOR_REBUILDERS}:
                return globals()[name]
            if module == "torch._tensor" and name == "_rebuild_from_type_v2":
                return _rebuild_from_type_v2
            if module == "torch.serialization" and name == "_get_layout":
                return _get_layout
            if module in ("torch", "torch.storage") and name.endswith("Storage"):
                if name in _STORAGE_DTYPES or name == "UntypedStorage":
                    return storage_type(name)
                raise NotImplementedError(f"mstorch: torch.load of {name} tensors is not supported")
            if module.partition(".")[0] in ("torch", "torchvision"):
                from mstorch import proxy
                if name.startswith("_rebuild"):
                    raise NotImplementedError(f"mstorch: torch.load cannot rebuild {module}.{name}")
                target = proxy.get(module)
                try:
                    for part in name.split("."):
                        target = getattr(target, part)
                except AttributeError as e:
                    raise AttributeError(f"mstorch: torch.load needs {module}.{name}, which mstorch does not "
                                         f"provide ({e})") from None
                return target
            return super().find_class(module, name)

    return _Unpickler


def _unpickle(data_file, persistent_load, weights_only, pickle_module, pickle_load_args):
    if weights_only:
        enc = pickle_load_args.get("encoding", "utf-8")
        up = _wo.Unpickler(data_file, encoding=enc, persistent_load=persistent_load)
        return up.load()
    up = _full_unpickler_class(pickle_module)(data_file, **pickle_load_args)
    up.persistent_load = persistent_load
    return up.load()


def _load_zip(fh, f, map_location, weights_only, pickle_module, mmap, pickle_load_args):
    mmap_path = None
    if mmap:
        if not _is_path(f):
            raise ValueError("f must be a file path in order to use the mmap argument")
        mmap_path = os.fspath(f)
    reader = _ZipReader(fh, mmap_path)
    if reader.has("constants.pkl") and not reader.has("data.pkl") or reader.has("code/") or any(
            k.startswith("code/") for k in reader.infos) and reader.has("constants.pkl"):
        raise NotImplementedError("mstorch: TorchScript archives (torch.jit.save) are not supported by torch.load")
    # PyTorch reads these records on every load (a damaged header fails it there); the
    # alignment must be an integer.  Storage offsets here come from the headers themselves.
    if reader.has(".format_version"):
        reader.read_record(".format_version")
    if reader.has(".storage_alignment"):
        int(reader.read_record(".storage_alignment"))
    if reader.has("byteorder"):
        order = reader.read_record("byteorder").decode("ascii", "replace")
        if order not in ("little", "big"):
            raise RuntimeError(f"Unknown endianness type: {order}")
    else:
        order = "little"
    if order != sys.byteorder:
        raise NotImplementedError(f"mstorch: torch.load of a {order}-endian checkpoint on a {sys.byteorder}-endian "
                                  "host is not supported")
    loaded = {}
    pl = _persistent_loader(lambda key, dtype, numel: reader.storage_array(f"data/{key}", dtype, numel),
                            map_location, loaded, legacy=False)
    data = reader.read_record("data.pkl")
    result = _unpickle(io.BytesIO(data), pl, weights_only, pickle_module, pickle_load_args)
    if reader.has(".data/serialization_id"):
        # PyTorch reads the id back as UTF-8 text after unpickling: a damaged id fails the load there.
        reader.read_record(".data/serialization_id").decode("utf-8")
    return result


def _is_tar(fh):
    pos = fh.tell()
    fh.seek(pos + 257)
    magic = fh.read(5)
    fh.seek(pos)
    return magic == b"ustar"


def _load_legacy(fh, map_location, weights_only, pickle_module, pickle_load_args):
    if _is_tar(fh):
        raise NotImplementedError("mstorch: torch.load of the legacy tar checkpoint format (PyTorch < 0.4) is not "
                                  "supported; re-save it with a recent PyTorch")

    def small(what):
        try:
            if weights_only:
                return _wo.Unpickler(fh, encoding=pickle_load_args.get("encoding", "utf-8")).load()
            return pickle_module.Unpickler(fh, **pickle_load_args).load()
        except EOFError:
            raise
        except pickle.UnpicklingError:
            raise
        except Exception as e:
            raise RuntimeError(f"Invalid {what}; corrupt file? ({type(e).__name__}: {e})") from None

    try:
        magic = small("magic number")
    except EOFError:
        raise EOFError("Ran out of input") from None
    except pickle.UnpicklingError as e:
        if weights_only:
            raise
        raise pickle.UnpicklingError(f"invalid load key, {e}") from None
    if magic != MAGIC_NUMBER:
        raise RuntimeError("Invalid magic number; corrupt file?")
    version = small("protocol version")
    if version != PROTOCOL_VERSION:
        raise RuntimeError(f"Invalid protocol version: {version}")
    sys_info = small("sys info")
    if isinstance(sys_info, dict) and sys_info.get("little_endian") is False:
        raise NotImplementedError("mstorch: torch.load of a big-endian legacy checkpoint is not supported")
    loaded = {}
    pos = fh.tell()
    fh.seek(0, os.SEEK_END)
    room = [fh.tell() - pos]      # bytes after the pickle: every storage must fit in them
    fh.seek(pos)

    def allocate(key, dtype, numel):
        nbytes = numel * dtype.itemsize
        if nbytes + 8 > room[0]:
            # Refused before allocating: a hostile element count must not claim the memory.
            raise RuntimeError(f"storage {key} declares {numel} elements ({nbytes} bytes), more than the "
                               f"{max(room[0], 0)} bytes left in the file; the file might be corrupted.")
        room[0] -= nbytes + 8
        return np.empty(numel, dtype.np)

    pl = _persistent_loader(allocate, map_location, loaded, legacy=True)
    result = _unpickle(fh, pl, weights_only, pickle_module, pickle_load_args)
    keys = small("storage key list")
    if not isinstance(keys, list):
        raise RuntimeError("Invalid storage key list; corrupt file?")
    named = {k for k in loaded if isinstance(k, str)}
    listed = {_ascii(k) for k in keys if isinstance(_ascii(k), str)}
    if named - listed:
        # Its storage was allocated but no bytes follow for it: its contents would be whatever
        # the allocation held.
        raise RuntimeError(f"storage key {sorted(named - listed)[0]!r} named in the checkpoint's pickle has no "
                           "data in the file; the file might be corrupted.")
    if len(listed) != len(keys):
        raise RuntimeError("Invalid storage key list; corrupt file?")
    for key in keys:
        entry = loaded.get(_ascii(key))
        if entry is None:
            raise RuntimeError(f"storage key {key!r} not found in the checkpoint's pickle")
        head = fh.read(8)
        if len(head) != 8:
            raise RuntimeError("unexpected EOF, expected more bytes. The file might be corrupted.")
        (numel,) = struct.unpack("<q", head)
        arr = entry.array
        if numel != arr.size:
            raise RuntimeError(f"storage has wrong size: expected {arr.size} got {numel}")
        view = memoryview(arr.view(np.uint8)).cast("B")
        got = 0
        while got < view.nbytes:
            n = fh.readinto(view[got:]) if hasattr(fh, "readinto") else None
            if n is None:
                chunk = fh.read(view.nbytes - got)
                n = len(chunk)
                view[got:got + n] = chunk
            if not n:
                raise RuntimeError("unexpected EOF, expected more bytes. The file might be corrupted.")
            got += n
    return result


def _wo_message(message):
    if "was not an allowed global by default" in message:
        return ("Weights only load failed. This file can still be loaded, to do so you have two options, "
                "\033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
                f"\n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` please check the "
                f"recommended steps in the following error message.\n\tWeightsUnpickler error: {message}")
    return f"Weights only load failed. {UNSAFE_MESSAGE}\n\nWeightsUnpickler error: {message}"


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args):
    """torch.load: reads PyTorch's zip and legacy checkpoint formats; weights_only=True by default."""
    weights_only_not_set = weights_only is None
    if weights_only_not_set:
        weights_only = pickle_module is None
    truthy = ("1", "y", "yes", "true")
    force_wo = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    force_no_wo = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    if force_wo and force_no_wo:
        raise RuntimeError("Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` "
                           "should be set, but both were set.")
    if force_wo:
        weights_only = True
    elif force_no_wo and weights_only_not_set:
        weights_only = False
    if weights_only:
        if pickle_module is not None:
            raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    elif pickle_module is None:
        pickle_module = pickle
    if pickle_load_args and weights_only:
        import warnings
        warnings.warn("pickle_load_args only works if `weights_only=False`.")
    pickle_load_args.setdefault("encoding", "utf-8")
    if mmap is None:
        mmap = False

    if _is_path(f) and os.fsdecode(os.fspath(f)).endswith(".safetensors"):
        return _load_safetensors(os.fsdecode(os.fspath(f)), map_location)

    with _open_for_read(f) as fh:
        try:
            if _is_zip(fh):
                return _load_zip(fh, f, map_location, weights_only, pickle_module, mmap, pickle_load_args)
            if mmap:
                name = f"{f}, " if isinstance(f, str) else ""
                raise RuntimeError("mmap can only be used with files saved with "
                                   f"`torch.save({name}_use_new_zipfile_serialization=True), please torch.save "
                                   "your checkpoint with this option in order to use mmap.")
            return _load_legacy(fh, map_location, weights_only, pickle_module, pickle_load_args)
        except pickle.UnpicklingError as e:
            if weights_only:
                raise pickle.UnpicklingError(_wo_message(str(e))) from None
            raise


def _load_safetensors(path, map_location):
    device = "cpu"
    if map_location is not None:
        if isinstance(map_location, dict) or (callable(map_location) and not isinstance(map_location, str)
                                              and not hasattr(map_location, "type")):
            raise RuntimeError("Loading safetensors file with dict or callable map_location is not supported. "
                               "Use a device string or torch.device instead.")
        device = str(map_location)
    from mstorch.impl import safetensors_shim
    return safetensors_shim.load_file(path, device=device)
