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

The package's modules, one job each: `_storage_types` (the storage class names a pickle uses for
dtypes), `_rebuild` (the `_rebuild_*` functions that build tensors over loaded storages), `_pickler`
(tensors and mstorch objects as PyTorch writes them), `_zip_writer` / `_zip_reader` (the zip format),
`_legacy` (the legacy stream format), `_unpickler` (persistent ids and the full unpickler),
`_map_location` (where loaded storages go), `_files` (opening, atomic writes). The public API is here.
"""
import os
import pickle

from mstorch.impl.torch import _weights_only_unpickler as _wo
from mstorch.impl.torch.serialization._files import _atomic_write, _is_path, _is_zip, _open_for_read
from mstorch.impl.torch.serialization._legacy import _load_legacy, _write_legacy
from mstorch.impl.torch.serialization._pickler import _pickle_obj
from mstorch.impl.torch.serialization._zip_reader import _ZipReader, _load_zip
from mstorch.impl.torch.serialization._zip_writer import _archive_name, _write_zip
# Public names that live in the modules above.
from mstorch.impl.torch.serialization._legacy import MAGIC_NUMBER, PROTOCOL_VERSION  # noqa: F401
from mstorch.impl.torch.serialization._rebuild import TENSOR_REBUILDERS  # noqa: F401
from mstorch.impl.torch.serialization._storage_types import STORAGE_TYPE_NAMES, storage_type  # noqa: F401
# Every other name the single-file serialization.py had, still reachable as torch.serialization.<name>
# (code and tests written against it reach into it: _temp_prefix, _tensor_state, _get_layout, ...).
from mstorch.impl.torch.serialization._files import (  # noqa: F401
    _fsync_dir, _is_regular_file, _process_start_time, _remove_stale_temporaries, _temp_prefix, _writer_gone)
from mstorch.impl.torch.serialization._legacy import _is_tar  # noqa: F401
from mstorch.impl.torch.serialization._map_location import (  # noqa: F401
    _StorageHandle, _device, _restore_device, _validated_device)
from mstorch.impl.torch.serialization._pickler import (  # noqa: F401
    _INTERNAL_TENSOR_ATTRS, _Pickler, _STOCK_DISPATCH, _StorageRef, _location, _public_global, _reduce_tensor,
    _stock_dispatch, _storage_bytes, _tensor_state)
from mstorch.impl.torch.serialization._rebuild import (  # noqa: F401
    _INT64_MAX, _LoadedStorage, _backend_name, _check_hooks, _geometry, _get_layout, _make_storage,
    _rebuild_from_type_v2, _rebuild_parameter, _rebuild_parameter_with_state, _rebuild_tensor, _rebuild_tensor_v2,
    _rebuild_tensor_v3, _retyped, _set_tensor_attribute, _set_tensor_state, _tensor_on)
from mstorch.impl.torch.serialization._storage_types import (  # noqa: F401
    _STORAGE_DTYPES, _STORAGE_TYPES, _StorageType, _UNSERVED_STORAGES, _dt, _storage_name_for)
from mstorch.impl.torch.serialization._unpickler import (  # noqa: F401
    _ascii, _full_unpickler_class, _persistent_loader, _unpickle)
from mstorch.impl.torch.serialization._zip_reader import (  # noqa: F401
    _MAX_FORMAT_VERSION, _MIN_FORMAT_VERSION, _REFUSED_FLAGS, _check_directory, _check_entry, _corrupt, _utf8_name)
from mstorch.impl.torch.serialization._zip_writer import _ALIGNMENT, _FORMAT_VERSION  # noqa: F401

# Served and pickled as torch.serialization.storage_type, as before the split.
storage_type.__module__ = __name__

DEFAULT_PROTOCOL = 2

UNSAFE_MESSAGE = (
    "Since PyTorch 2.6 `torch.load` defaults to `weights_only=True`. Re-running `torch.load` with "
    "`weights_only=False` will likely succeed, but it can result in arbitrary code execution: do it only if "
    "you got the file from a trusted source.")


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


# ============================================================================ save / load

def save(obj, f, pickle_module=pickle, pickle_protocol=DEFAULT_PROTOCOL, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """torch.save: PyTorch's zip checkpoint format; writing to a path is atomic (temp file + rename)."""
    if not isinstance(pickle_protocol, int) or not 2 <= pickle_protocol <= pickle.HIGHEST_PROTOCOL:
        raise NotImplementedError(f"mstorch: torch.save(pickle_protocol={pickle_protocol!r}) is not supported "
                                  f"(2..{pickle.HIGHEST_PROTOCOL})")
    if not _is_path(f) and not hasattr(f, "write"):
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a 'write' attribute")

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
