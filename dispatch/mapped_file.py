"""UntypedStorage.from_file: a file's bytes mapped into memory.

shared=True maps the file MAP_SHARED (writes reach the file; the file is created, or
extended, to `nbytes` as PyTorch does).  shared=False maps it MAP_PRIVATE: copy-on-write
private memory, so reading costs nothing until a page is touched and writes stay in this
process.  PyTorch maps the file in both cases as well, and reports such storages shared.
"""
import mmap
import os

import numpy as np


class MappedFile:
    __slots__ = ("name", "shared", "mapping")

    def __init__(self, name, shared, mapping):
        self.name, self.shared, self.mapping = name, shared, mapping


def map_file(filename, shared, nbytes):
    """(flat uint8 NumPy array over the mapping, MappedFile) for `nbytes` bytes of `filename`."""
    name = os.fsdecode(os.fspath(filename))
    if isinstance(nbytes, bool) or not isinstance(nbytes, int):
        raise TypeError(f"from_file(): argument 'nbytes' must be int, not {type(nbytes).__name__}")
    if nbytes < 0:
        raise RuntimeError(f"from_file(): nbytes must be non-negative, but got {nbytes}")
    mode = "read-write" if shared else "read-only"
    try:
        fd = os.open(name, os.O_RDWR | os.O_CREAT if shared else os.O_RDONLY, 0o666)
    except OSError as e:
        raise RuntimeError(f"unable to open file <{name}> in {mode} mode: {e.strerror} ({e.errno})") from None
    try:
        size = os.fstat(fd).st_size
        if size < nbytes:
            if not shared:
                raise RuntimeError(f"file <{name}> size <{size}> is smaller than the required mapping size "
                                   f"<{nbytes}>")
            os.ftruncate(fd, nbytes)
        if nbytes == 0:
            return np.zeros(0, np.uint8), MappedFile(name, bool(shared), None)
        flags = mmap.MAP_SHARED if shared else mmap.MAP_PRIVATE
        mapping = mmap.mmap(fd, nbytes, flags, mmap.PROT_READ | mmap.PROT_WRITE)
    finally:
        os.close(fd)
    return np.frombuffer(mapping, np.uint8, nbytes), MappedFile(name, bool(shared), mapping)
