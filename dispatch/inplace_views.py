"""Methods that change a tensor's own geometry in place: unsqueeze_, squeeze_, t_,
transpose_, swapdims_, swapaxes_, as_strided_ (the tensor becomes its own view: same
storage, new size/stride/offset, history extended by the view op), and resize_ /
resize_as_ (new contiguous geometry over the same storage, grown when too small).

As in PyTorch each bumps the version counter shared by every alias, refuses a leaf
that requires grad (or a view of one) while grad mode records, and leaves `_base` as it
was: a tensor that was not a view does not become one.
"""
import sys

import numpy as np

from dispatch import arrays, grad_mode
from dispatch.autograd.record import refresh_view
from dispatch.storage import contiguous_strides
from dispatch.tensor import Tensor
from dispatch.typed_storage import TypedStorage
from dispatch.untyped_storage import UntypedStorage, new_storage, typed_storage_over
from dispatch import layout
from dispatch.storage import Storage


def _check_autograd(self):
    if not grad_mode.is_enabled():
        return
    if self._requires_grad and self._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    base = self._base
    if base is not None and base._requires_grad and base._grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")


def _restride(self, make_view):
    """Give `self` the geometry and history of `make_view(self)`."""
    _check_autograd(self)
    if self._base is not None:
        refresh_view(self)
    # The view op runs on a stand-in with self's identity, so that its recorded input is
    # the tensor as it was, not self after the change.
    alias = type(self)._wrap(self._data, self._dtype, self._storage, self._base)
    alias._device = self._device
    alias._requires_grad, alias._grad_fn, alias._output_nr = self._requires_grad, self._grad_fn, self._output_nr
    view = make_view(alias)
    self._data = view._data
    if view._grad_fn is not None:
        self._grad_fn, self._output_nr, self._requires_grad = view._grad_fn, view._output_nr, True
    self._storage.version += 1
    if self._base is not None and self._grad_fn is not None:
        # the history just given is current: no regeneration from the base for this version
        self._view_version = self._storage.version
    return self


def unsqueeze_(self, dim):
    return _restride(self, lambda a: a.unsqueeze(dim))


def squeeze_(self, *dim, **kwargs):
    # squeeze_(), squeeze_(d), squeeze_((d0, d1)), squeeze_(d0, d1), squeeze_(dim=...)
    args = (tuple(dim),) if len(dim) > 1 else dim
    return _restride(self, lambda a: a.squeeze(*args, **kwargs))


def t_(self):
    if self.dim() > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.dim()}D")
    return _restride(self, lambda a: a.t())


def transpose_(self, dim0, dim1):
    return _restride(self, lambda a: a.transpose(dim0, dim1))


def swapdims_(self, dim0, dim1):
    return _restride(self, lambda a: a.transpose(dim0, dim1))


def swapaxes_(self, axis0, axis1):
    return _restride(self, lambda a: a.transpose(axis0, axis1))


def as_strided_(self, size, stride, storage_offset=None):
    offset = self.storage_offset() if storage_offset is None else storage_offset
    if len(size) == len(stride) and all(n >= 0 for n in size) and 0 not in size:
        needed = (offset + 1 + sum((n - 1) * st for n, st in zip(size, stride))) * self._dtype.itemsize
        if needed > self._storage.nbytes():
            raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and "
                               f"itemsize {self._dtype.itemsize} requiring a storage size of {needed} are out of "
                               f"bounds for storage of size {self._storage.nbytes()}")
    return _restride(self, lambda a: a.as_strided(size, stride, storage_offset))


# ---------------------------------------------------------------------------------- set_

def set_(self, source=None, storage_offset=0, size=None, stride=None):
    """Point `self` at other memory: set_() (an empty storage), set_(tensor) (the tensor's storage
    and geometry), set_(storage[, storage_offset, size, stride]). The geometry goes through
    arrays.strided_view, whose bounds check refuses one reaching outside the storage."""
    _check_autograd(self)
    if source is None:
        st, size, stride, storage_offset = new_storage(np.empty(0, self._dtype.np)), (0,), (1,), 0
    elif isinstance(source, Tensor):
        if source._dtype is not self._dtype:
            raise RuntimeError(f"Could not set tensor of type {source._dtype.scalar_type.lower()} to a tensor of "
                               f"type {self._dtype.scalar_type.lower()}")
        st, size, stride, storage_offset = (source._storage, tuple(source.shape), tuple(source.stride()),
                                            source.storage_offset())
    else:
        if isinstance(source, TypedStorage):
            if source.dtype is not self._dtype:
                raise RuntimeError(f"Expected a Storage of type {self._dtype} or an UntypedStorage, but got "
                                   f"type {source.dtype} for argument 1 'storage'")
            source = source.untyped()
        if not isinstance(source, UntypedStorage):
            raise TypeError(f"set_(): argument 'source' must be Storage or Tensor, not {type(source).__name__}")
        st = typed_storage_over(source, self._dtype)
        if size is None:
            size, storage_offset = (st.root.size,), 0
    size = tuple(int(n) for n in size)
    stride = contiguous_strides(size) if stride is None else tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape")
    storage_offset = int(storage_offset)
    if isinstance(source, UntypedStorage) and storage_offset >= 0 and all(n > 0 for n in size) and all(
            s >= 0 for s in stride):
        needed = storage_offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
        if needed * self._dtype.itemsize > 2 ** 47:
            raise RuntimeError(f"DefaultCPUAllocator: can't allocate memory: you tried to allocate "
                               f"{needed * self._dtype.itemsize} bytes")
        if needed > st.root.size:
            # PyTorch grows a resizable storage here (moving every tensor on it); mstorch's storages
            # are fixed buffers other tensors alias.
            raise NotImplementedError(f"mstorch: set_() with a geometry reaching past the storage's end (needs "
                                      f"{needed} elements, the storage holds {st.root.size}) would grow the "
                                      "storage, which is not supported")
    self._data = arrays.strided_view(st, size, stride, storage_offset)
    self._storage = st
    self._base = None
    st.version += 1
    return self


# ---------------------------------------------------------------------------------- resize_

def _sizes(size):
    if len(size) == 1 and not isinstance(size[0], int) and hasattr(size[0], "__iter__"):
        size = tuple(size[0])
    out = []
    for i, s in enumerate(size):
        if isinstance(s, bool) or not hasattr(s, "__index__"):
            raise TypeError(f"resize_(): argument 'size' failed to unpack the object at pos {i + 1} with error "
                            f"\"type must be tuple of ints,but got {type(s).__name__}\"")
        out.append(s.__index__())
    if any(s < 0 for s in out):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(out)}: {out}")
    return tuple(out)


def _strides_for(size, memory_format):
    if memory_format is None or memory_format is layout.contiguous_format:
        return contiguous_strides(size)
    if memory_format is layout.channels_last or memory_format is layout.channels_last_3d:
        rank = 4 if memory_format is layout.channels_last else 5
        if len(size) != rank:
            raise RuntimeError(f"required rank {rank} tensor to use {memory_format.name} format")
        # channels last: C varies fastest, then the spatial dims, then N
        order = [1] + list(range(rank - 1, 1, -1)) + [0]
        strides, acc = [0] * rank, 1
        for d in order:
            strides[d] = acc
            acc *= max(size[d], 1)
        return tuple(strides)
    raise RuntimeError(f"Unsupported memory format{str(memory_format).replace('torch.', '').split('_')[0].title()}")


def resize_(self, *size, memory_format=None):
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    size = _sizes(size)
    stride = _strides_for(size, memory_format)
    offset = self.storage_offset()
    numel = 1
    for s in size:
        numel *= s
    needed = 0 if numel == 0 else offset + 1 + sum((n - 1) * st for n, st in zip(size, stride))
    if needed * self._dtype.itemsize > self._storage.nbytes():
        # Views and aliases hold the storage too and would keep reading the old buffer;
        # the only references expected are self's and getrefcount's argument.
        if sys.getrefcount(self._storage) > 2:
            raise NotImplementedError("mstorch: resize_ cannot grow a storage that other tensors (views, aliases) "
                                      "share; resize a tensor that owns its storage, or use torch.empty(new_size)")
        _grow(self, needed)
    self._data = arrays.strided_view(self._storage, size, stride, offset)
    self._storage.version += 1
    return self


def _grow(self, elements):
    """Move the sole owner of a too-small storage to a bigger one holding the old bytes first."""
    old = self._storage
    flat = old.numpy_flat()
    if not flat.flags.writeable:
        raise RuntimeError("Trying to resize storage that is not resizable")
    grown = np.zeros(elements, dtype=flat.dtype)
    grown[:flat.size] = flat
    backend = "host" if type(old.root) is np.ndarray else "cpu"
    new = Storage(arrays.from_numpy(grown, backend))
    new.version = old.version
    self._storage = new


def resize_as_(self, the_template, *, memory_format=None):
    if memory_format is layout.preserve_format:
        memory_format = layout.channels_last if the_template.dim() == 4 and \
            the_template.is_contiguous(memory_format=layout.channels_last) and \
            not the_template.is_contiguous() else None
    return resize_(self, tuple(the_template.shape), memory_format=memory_format)


METHODS = (unsqueeze_, squeeze_, t_, transpose_, swapdims_, swapaxes_, as_strided_, resize_, resize_as_, set_)


def install(cls):
    for fn in METHODS:
        setattr(cls, fn.__name__, fn)
