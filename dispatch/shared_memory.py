"""Storages in shared memory: `Tensor.share_memory_()` and the handles that cross processes.

A shared storage's buffer is a MAP_SHARED mapping of a shared-memory file; its NumPy
alias is that mapping and, on a MindSpore backend, its root is `Tensor.from_numpy` of
the alias (zero-copy, kernels read and primitives with ref inputs write the mapping).
Every in-place write already goes through the NumPy alias (dispatch/writeback.py), so a
write in one process is seen by every process that mapped the same file.

Two ways to name the file, as PyTorch's sharing strategies:

* 'file_descriptor': an anonymous `memfd`; the handle is a file descriptor, which
  `multiprocessing.reduction.DupFd` passes to the receiver (through the child's start-up
  for Process arguments, through a Unix socket for queues).  Nothing to clean up: the
  memory goes when the last descriptor and mapping go.
* 'file_system': a named file under /dev/shm; the handle is its name.  The process that
  created it unlinks it when its storage is freed or at exit; receivers keep their
  mapping, but the name can no longer be opened after that.

A process keeps one Storage per shared file (keyed by the file's identity), so a
tensor and its views sent together or one after another arrive as aliases of one
storage, and a tensor sent back to its creator arrives on its original storage.
"""
import gc
import itertools
import mmap
import os
import secrets
import sys
import weakref

import numpy as np

from dispatch import arrays, backend as _backend
from dispatch.storage import Storage, numpy_view
from dispatch import upcalls as _upcalls
from dispatch.tensor import strides_of
from dispatch.storage import contiguous_strides

STRATEGIES = ("file_descriptor", "file_system")
_SHM_DIR = "/dev/shm"
_strategy = {"name": "file_descriptor"}
_counter = itertools.count()
# file identity -> Storage of this process mapping that file
_by_key = weakref.WeakValueDictionary()


def get_strategy():
    return _strategy["name"]


def set_strategy(name):
    _strategy["name"] = name


class SharedBuffer:
    """One shared-memory file mapped into this process."""
    __slots__ = ("strategy", "fd", "name", "mapping", "nbytes", "key", "__weakref__")

    def __init__(self, strategy, fd, name, nbytes, owner):
        self.strategy, self.fd, self.name, self.nbytes = strategy, fd, name, nbytes
        # mmap cannot map 0 bytes; an empty storage still gets a (1-byte) file of its own.
        self.mapping = mmap.mmap(fd, max(nbytes, 1), mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        st = os.fstat(fd)
        self.key = (strategy, st.st_dev, st.st_ino)
        if strategy == "file_system":
            os.close(fd)
            self.fd = None
            if owner:
                weakref.finalize(self, _unlink, name, os.getpid())
        else:
            weakref.finalize(self, os.close, fd)

    def array(self, dtype):
        """The whole buffer as a flat NumPy array of `dtype` (zero-copy, writable)."""
        n = self.nbytes // np.dtype(dtype).itemsize
        return np.frombuffer(self.mapping, dtype=dtype, count=n)


def _unlink(name, creator_pid):
    # A forked child holds copies of its parent's buffers: only the creator removes the name.
    if os.getpid() != creator_pid:
        return
    try:
        os.unlink(os.path.join(_SHM_DIR, name))
    except FileNotFoundError:
        pass


def _create(nbytes):
    strategy = _strategy["name"]
    if strategy == "file_descriptor":
        fd = os.memfd_create("mstorch-shared-storage", os.MFD_CLOEXEC)
        name = None
    else:
        name = f"mstorch_{os.getpid()}_{next(_counter)}_{secrets.token_hex(4)}"
        fd = os.open(os.path.join(_SHM_DIR, name), os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    os.ftruncate(fd, max(nbytes, 1))
    return SharedBuffer(strategy, fd, name, nbytes, owner=True)


def share_tensors(tensors):
    """Move the storages of `tensors` into shared memory (no-op for those already shared).

    Other tensors over the same storages follow.  Finding them takes a pass over the
    heap (~25 ms with MindSpore loaded), skipped when reference counts show that no
    object but `tensors` holds the storages (a fresh tensor put on a queue, parameters).
    """
    known = {}
    for t in tensors:
        known[id(t._storage)] = known.get(id(t._storage), 0) + 1
    storages, scan = {}, False
    for t in tensors:
        st = t._storage
        if st.shared is None and id(st) not in storages:
            # Held by the local `st`, getrefcount's argument and the tensors over it.
            scan = scan or sys.getrefcount(st) - 2 > known[id(st)]
            storages[id(st)] = st
    _share(storages, None if scan else [t for t in tensors if id(t._storage) in storages])


def share_storages(storages):
    """Move `storages` into shared memory; every tensor over them follows."""
    _share({id(st): st for st in storages if st.shared is None}, None)


def _share(todo, users):
    """Move the storages in `todo` (id -> Storage); `users` lists every tensor over them,
    or None to find them on the heap."""
    if not todo:
        return
    if not _backend.in_forked_child() and any(type(st.root) is not np.ndarray for st in todo.values()) \
            and _backend.target() != "cpu":
        raise NotImplementedError(f"mstorch: share_memory_() of tensors in {_backend.target()} device memory is not "
                                  "supported: only host (CPU) memory can be shared between processes")
    if users is None:
        # Views, the Parameter and the tensor it was made from...: one pass over the heap.
        users = [obj for obj in gc.get_referrers(*todo.values())
                 if hasattr(obj, "_data") and todo.get(id(getattr(obj, "_storage", None))) is obj._storage]
    # Geometry is read before the move, while it still refers to the old buffer.
    geometry = [(t, _geometry(t)) for t in users]
    for st in todo.values():
        _move_to_shared(st)
    for t, (whole_root, size, stride, offset) in geometry:
        t._data = t._storage.root if whole_root else _view(t._storage, size, stride, offset)


def _geometry(t):
    return t._data is t._storage.root, tuple(t._data.shape), strides_of(t), t.storage_offset()


def _move_to_shared(st):
    flat = st.numpy_flat()
    buf = _create(flat.nbytes)
    shared = buf.array(flat.dtype)
    shared[...] = flat
    root_shape = tuple(st.root.shape)
    st._np = shared
    # A forked child must not call MindSpore at all (docs/design-notes.md, "Forked processes"): its new root is a host array.
    host = type(st.root) is np.ndarray or _backend.in_forked_child()
    st.root = _root_over(shared, root_shape, "host" if host else _backend.target())
    st.shared = buf
    _by_key[buf.key] = st


def _root_over(flat, root_shape, backend):
    return arrays.from_numpy(flat.reshape(root_shape), backend)


def _view(st, size, stride, offset):
    if type(st.root) is np.ndarray:
        return numpy_view(st, size, stride, offset)
    return arrays.strided_view(st, size, stride, offset)


# ---- crossing processes ---------------------------------------------------------------
def handle_of(storage):
    """What a receiver needs to map `storage` (already shared): picklable by multiprocessing."""
    buf = storage.shared
    if buf.strategy == "file_descriptor":
        from multiprocessing import reduction
        ref = reduction.DupFd(buf.fd)
    else:
        ref = buf.name
    return (buf.strategy, ref, buf.nbytes, tuple(storage.root.shape))


def storage_from_handle(handle, np_dtype):
    """This process's Storage of `np_dtype` elements over the shared file named by `handle`
    (mapped once per process)."""
    strategy, ref, nbytes, root_shape = handle
    if strategy == "file_descriptor":
        fd = ref.detach()
    else:
        try:
            fd = os.open(os.path.join(_SHM_DIR, ref), os.O_RDWR)
        except FileNotFoundError:
            raise RuntimeError(f"shared memory file {ref!r} no longer exists: the process that shared the tensor "
                               "freed it or exited (sharing strategy 'file_system')") from None
    st_ = os.fstat(fd)
    known = _by_key.get((strategy, st_.st_dev, st_.st_ino))
    if known is not None:
        # A child started by spawn is handed each descriptor once, under its own number,
        # however many tensors of the storage travel: that number may be the one in use.
        if known.shared.fd != fd:
            os.close(fd)
        return known
    buf = SharedBuffer(strategy, fd, ref if strategy == "file_system" else None, nbytes, owner=False)
    flat = buf.array(np_dtype)
    backend = _backend.creation_backend()
    st = Storage(_root_over(flat, root_shape, backend), flat)
    st.shared = buf
    _by_key[buf.key] = st
    return st


def tensor_over(st, size, stride, offset):
    """The backend array of a tensor with this geometry over shared storage `st`."""
    root = st.root
    if tuple(size) == tuple(root.shape) and offset == 0 and tuple(stride) == _contiguous(size):
        return root
    return _view(st, tuple(size), tuple(stride), offset)


def _contiguous(size):
    return contiguous_strides(tuple(size))

_upcalls.provide(share_storages=share_storages, share_tensors=share_tensors)
