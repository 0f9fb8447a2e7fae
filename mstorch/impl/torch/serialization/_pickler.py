"""The pickler torch.save uses: tensors reduce to `torch._utils._rebuild_tensor_v2` calls, storages become
persistent ids `('storage', torch.<Type>Storage, key, location, numel)`, and mstorch objects are written
under the names real PyTorch knows them by."""
import collections
import importlib.util
import io
import pickle
import types

import numpy as np

from mstorch.impl.torch.serialization._rebuild import (
    TENSOR_REBUILDERS, _get_layout, _rebuild_from_type_v2, _rebuild_parameter, _rebuild_parameter_with_state,
    _rebuild_tensor_v2)
from mstorch.impl.torch.serialization._storage_types import _StorageType, _dt, _storage_name_for, storage_type


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
            from dispatch.typed_storage import TypedStorage
            from dispatch.untyped_storage import UntypedStorage, whole_storage
            if isinstance(obj, TypedStorage):
                # t.storage() saved on its own: PyTorch writes it as a storage id of its dtype.
                return self.persistent_id(_StorageRef(whole_storage(obj._untyped_storage), obj.dtype, "cpu"))
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
            shown = getattr(pickle_module, "__name__", pickle_module)
            raise NotImplementedError(f"mstorch: torch.save(pickle_module={shown}) is not supported: its Pickler does "
                                      "not derive from pickle's Python pickler")
        cls = type("_ModulePickler", (_Pickler, base), {})
        stock = False       # a pickle_module such as dill pickles as that module does
    else:
        cls = _Pickler
        stock = True
    cls(buf, protocol, storages, legacy, stock).dump(obj)
    return buf.getvalue(), storages
