"""PyTorch's legacy stream format (`_use_new_zipfile_serialization=False`): magic number, protocol
version, sys info, the main pickle, the storage key list, then each storage's element count and raw
bytes. The older tar format (PyTorch < 0.4) is refused by name."""
import os
import pickle
import struct
import sys

import numpy as np

from mstorch.impl.torch import _weights_only_unpickler as _wo
from mstorch.impl.torch.serialization._pickler import _pickle_obj, _storage_bytes
from mstorch.impl.torch.serialization._unpickler import _ascii, _persistent_loader, _unpickle
from mstorch.impl.torch.serialization._rebuild import loaded_record

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001


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
        arr = loaded_record(entry).array
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
