"""Unpickling a checkpoint's main pickle: the persistent-id loader that turns `('storage', ...)` ids into
shared loaded storages, and the full (weights_only=False) unpickler that maps torch's names to mstorch's."""
import pickle

from mstorch.impl.torch import _weights_only_unpickler as _wo
from mstorch.impl.torch.serialization._map_location import _restore_device
from mstorch.impl.torch.serialization._rebuild import (
    TENSOR_REBUILDERS, _get_layout, _make_storage, _rebuild_from_type_v2, loaded_record)
from mstorch.impl.torch.serialization._storage_types import (
    _STORAGE_DTYPES, _StorageType, _UNSERVED_STORAGES, storage_type)

_REBUILDERS_BY_NAME = {f.__name__: f for f in TENSOR_REBUILDERS}


def _persistent_loader(get_array, map_location, loaded, legacy):
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
                    and 0 <= view[1] and 0 <= view[2] and view[1] + view[2] <= loaded_record(entry).array.size):
                raise RuntimeError(f"torch.load: storage view {view!r:.80} reaches outside storage {key} "
                                   f"of {loaded_record(entry).array.size} elements")
            view_key, off, view_numel = view
            vkey = ("view", _ascii(view_key))
            if vkey not in loaded:
                loaded[vkey] = _make_storage(loaded_record(entry).array[off:off + view_numel], dtype,
                                                 loaded_record(entry).device)
            entry = loaded[vkey]
        return entry

    return persistent_load


def _ascii(s):
    return s.decode("ascii") if isinstance(s, bytes) else s


def _full_unpickler_class(pickle_module):
    base = pickle_module.Unpickler

    class _Unpickler(base):
        def find_class(self, module, name):
            if module == "torch._utils" and name in _REBUILDERS_BY_NAME:
                return _REBUILDERS_BY_NAME[name]
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
