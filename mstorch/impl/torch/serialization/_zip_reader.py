"""Reading PyTorch's zip checkpoint format, refusing what PyTorch's reader (miniz) refuses: a damaged or
hostile archive fails with PyTorch's error, and storages are read (or memory-mapped) at exactly their
declared size."""
import io
import mmap as _mmap
import os
import re
import struct
import sys
import zipfile

import numpy as np

from mstorch.impl.torch.serialization._files import _is_path
from mstorch.impl.torch.serialization._unpickler import _persistent_loader, _unpickle


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
