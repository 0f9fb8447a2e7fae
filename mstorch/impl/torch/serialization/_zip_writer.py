"""Writing PyTorch's zip checkpoint format: `<name>/data.pkl`, one uncompressed record per storage at a
64-byte aligned offset (so it can be memory-mapped), and the `byteorder`, `version`, `.format_version`,
`.storage_alignment` and `.data/serialization_id` records."""
import os
import secrets
import struct
import sys
import zipfile

from mstorch.impl.torch.serialization._files import _is_path
from mstorch.impl.torch.serialization._pickler import _storage_bytes

_ALIGNMENT = 64
_FORMAT_VERSION = b"3\n"


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
