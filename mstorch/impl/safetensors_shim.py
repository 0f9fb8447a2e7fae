"""`safetensors.torch`'s file API for mstorch tensors.

The real `safetensors.torch.load_file` goes through `torch.UntypedStorage.from_file`
and `torch.frombuffer`, which mstorch's torch does not serve, so the format (8-byte
little-endian header length, a JSON header of dtype/shape/data_offsets, then raw
little-endian bytes) is read and written here directly with NumPy.  The import hook
can serve this module as `safetensors.torch`.
"""
import json
import mmap
import os
import struct

import numpy as np

_CODES = {"BOOL": "bool_", "U8": "uint8", "I8": "int8", "I16": "int16", "I32": "int32", "I64": "int64",
          "F16": "float16", "BF16": "bfloat16", "F32": "float32", "F64": "float64", "C64": "complex64"}
_NAMES = {v: k for k, v in _CODES.items()}
_MAX_HEADER = 100_000_000


def _dtypes():
    from dispatch import dtypes
    return dtypes


def _header(tensors, metadata):
    from dispatch import Tensor
    header, offset, blobs = {}, 0, []
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise ValueError("metadata must be a dict of str to str")
        header["__metadata__"] = metadata
    for name in sorted(tensors, key=lambda n: (-tensors[n].element_size(), n)):
        t = tensors[name]
        if not isinstance(t, Tensor):
            raise ValueError(f"Key `{name}` is invalid, expected torch.Tensor but received {type(t)}")
        code = _NAMES.get(t.dtype.name if t.dtype is not _dtypes().bool_ else "bool_")
        if code is None:
            raise NotImplementedError(f"mstorch: safetensors of {t.dtype} tensors is not supported")
        data = np.ascontiguousarray(t.detach()._host_view()).view(np.uint8).reshape(-1)
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + data.nbytes]}
        offset += data.nbytes
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    return raw, blobs


def save(tensors, metadata=None):
    raw, blobs = _header(tensors, metadata)
    return struct.pack("<Q", len(raw)) + raw + b"".join(b.tobytes() for b in blobs)


def save_file(tensors, filename, metadata=None):
    from mstorch.impl.torch.serialization._files import _atomic_write
    raw, blobs = _header(tensors, metadata)

    def write(fh):
        fh.write(struct.pack("<Q", len(raw)) + raw)
        for b in blobs:
            fh.write(memoryview(b))

    _atomic_write(os.fspath(filename), write)


def _parse(buf):
    from dispatch.pyapi import host_to_tensor
    if len(buf) < 8:
        raise RuntimeError("Error while deserializing header: HeaderTooSmall")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > _MAX_HEADER or 8 + n > len(buf):
        raise RuntimeError("Error while deserializing header: InvalidHeaderLength")
    try:
        header = json.loads(bytes(buf[8:8 + n]))
    except ValueError as e:
        raise RuntimeError(f"Error while deserializing header: InvalidHeaderDeserialization ({e})") from None
    start, out = 8 + n, {}
    header.pop("__metadata__", None)
    for name, spec in header.items():
        try:
            attr = _CODES[spec["dtype"]]
            shape = tuple(int(s) for s in spec["shape"])
            begin, end = (int(x) for x in spec["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise RuntimeError(f"mstorch: unsupported or malformed safetensors entry {name!r}: {spec!r}") from None
        dtype = getattr(_dtypes(), attr)
        count = int(np.prod(shape, dtype=np.int64))
        if end - begin != count * dtype.itemsize or start + end > len(buf) or begin < 0:
            raise RuntimeError(f"Error while deserializing header: TensorInvalidInfo ({name})")
        arr = np.frombuffer(buf, dtype.np, count, start + begin).copy().reshape(shape)
        out[name] = host_to_tensor(arr, dtype)
    return out


def load(data):
    return _parse(data)


def load_file(filename, device="cpu"):
    from mstorch.impl.torch.serialization._map_location import _validated_device
    dev = _validated_device(str(device) if not isinstance(device, int) else f"cuda:{device}")
    with open(filename, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            raise RuntimeError("Error while deserializing header: HeaderTooSmall")
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            out = _parse(mm)
    if dev is not None:
        out = {k: v.to(dev) for k, v in out.items()}
    return out
