"""Rebuilding tensors on load: what `torch._utils._rebuild_*` (and `torch._tensor._rebuild_from_type_v2`,
`torch.serialization._get_layout`) resolve to, in both unpicklers, and the loaded storage records
(`_LoadedStorage`) they build tensors over, without copying."""
import pickle

import numpy as np


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
    loaded = loaded_record(storage)
    return _tensor_on(storage, storage_offset, size, stride, None if loaded is None else loaded.dtype)


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
    loaded = loaded_record(storage)
    if loaded is None:
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


def _retyped(loaded, dtype):  # -> the record, not its TypedStorage
    """The same bytes seen as another dtype (a checkpoint whose tensors view one storage as two dtypes)."""
    raw = loaded.array.view(np.uint8)
    usable = raw.size - raw.size % dtype.itemsize
    return loaded_record(_make_storage(raw[:usable].view(dtype.np), dtype, loaded.device))


def _make_storage(arr, dtype, device):
    from dispatch import arrays
    from dispatch import backend as _backend
    from dispatch.storage import Storage
    where = _backend.creation_backend()
    return _as_typed_storage(_LoadedStorage(Storage(arrays.from_numpy(arr, where), arr), dtype, arr, device))


def _as_typed_storage(record):
    """What the unpickler hands on for a storage id: a torch.TypedStorage over the loaded bytes (what
    PyTorch's load returns for a storage saved on its own), carrying the record the rebuilders use."""
    from dispatch.typed_storage import TypedStorage
    from dispatch.untyped_storage import of_storage
    typed = TypedStorage._wrapping(of_storage(record.storage), record.dtype)
    typed._loaded = record
    return typed


def loaded_record(storage):
    """The `_LoadedStorage` behind a storage the unpickler produced, or None for anything else."""
    return getattr(storage, "_loaded", None) if type(storage).__name__ == "TypedStorage" else None
