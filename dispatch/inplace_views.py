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
    from dispatch.autograd.record import refresh_view
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
    from dispatch import layout
    from dispatch.storage import contiguous_strides
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
    from dispatch.storage import Storage
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
    from dispatch import layout
    if memory_format is layout.preserve_format:
        memory_format = layout.channels_last if the_template.dim() == 4 and \
            the_template.is_contiguous(memory_format=layout.channels_last) and \
            not the_template.is_contiguous() else None
    return resize_(self, tuple(the_template.shape), memory_format=memory_format)


METHODS = (unsqueeze_, squeeze_, t_, transpose_, swapdims_, swapaxes_, as_strided_, resize_, resize_as_)


def install(cls):
    for fn in METHODS:
        setattr(cls, fn.__name__, fn)
