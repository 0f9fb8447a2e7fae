"""The 'meta' device: tensors with dtype, shape, strides and requires_grad, and no data.

A meta tensor is an ordinary Tensor whose backend array is a `MetaArray` (geometry only)
and whose storage root is a `MetaArray` of the storage's length, so views, strides,
`storage_offset()` and `nbytes` answer as for any tensor while nothing is allocated.
Its `_device` is `dispatch.device.META`.

An op with a meta operand (or a factory asked for device 'meta') never runs a kernel: the
dispatcher hands it to dispatch/meta_calls.py, which works out the result's shapes with the op's shape rule
(dispatch/meta_shapes.py), its dtypes with the op's promotion rule (or, for ops whose
kernel decides the dtype, a one-element stand-in run of the real op: dtype only, the shape
always comes from the rule), and records autograd as for any op.  Composite ops need no
rule: they run on meta tensors through the ops they are made of.  Random ops consume no
random numbers (as PyTorch: torch.randn(..., device='meta') leaves the generator alone).
Reading data raises PyTorch's errors.
"""
import numpy as np

from dispatch import device_context, dtypes as _dt, grad_mode
from dispatch.device import META, as_device
from dispatch.storage import Storage, contiguous_strides
from dispatch.pyapi import host_to_tensor
from dispatch.tensor import Tensor
from dispatch import upcalls as _upcalls

NO_DATA = "Cannot copy out of meta tensor; no data!"


class MetaArray:
    """Stands where a backend array would: shape and strides, no memory."""
    __slots__ = ("shape", "_stride", "_offset", "nbytes")

    def __init__(self, shape, stride, offset=0, nbytes=0):
        self.shape, self._stride, self._offset, self.nbytes = shape, stride, offset, nbytes

    def stride(self):
        return self._stride

    def storage_offset(self):
        return self._offset

    def data_ptr(self):
        return 0

    def asnumpy(self):
        raise NotImplementedError(NO_DATA)


def is_meta(t):
    return t._device is META


def empty(shape, dtype, stride=None):
    """A new meta tensor (its own storage) of `shape`, contiguous unless `stride` is given."""
    shape = tuple(int(n) for n in shape)
    for n in shape:
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {list(shape)}")
    stride = contiguous_strides(shape) if stride is None else tuple(int(s) for s in stride)
    span = 0 if 0 in shape else 1 + sum((n - 1) * s for n, s in zip(shape, stride))
    root = MetaArray((span,), (1,), 0, span * dtype.itemsize)
    t = Tensor._wrap(MetaArray(shape, stride), dtype, Storage(root))
    t._device = META
    return t


def view(src, size, stride, offset):
    """A meta view of `src`'s storage (view ops are pure geometry)."""
    t = Tensor._wrap(MetaArray(tuple(size), tuple(stride), offset), src._dtype, src._storage,
                     src._base if src._base is not None else src)
    t._device = META
    return t


def like(t, dtype=None):
    """A meta tensor with `t`'s shape and, when `t` is dense, its strides (preserve_format)."""
    return empty(t.shape, dtype or t._dtype, dense_strides(tuple(t.shape), t.stride()))


def dense_strides(shape, stride):
    """`stride` when it lays `shape` out densely without overlap, else None (then contiguous)."""
    order = sorted(range(len(shape)), key=lambda d: (stride[d], -d))
    expected = 1
    for d in order:
        if shape[d] != 1 and stride[d] != expected:
            return None
        expected *= max(shape[d], 1)
    return stride


# ---- what the dispatcher asks --------------------------------------------------------

def involved(ov, args, tensors):
    """Whether this call is served on the meta device: a meta operand, or a factory whose
    device (given, or the default device for plain factories) is 'meta'.  Fills a plain
    factory's missing device= from the default device, so every device is honoured."""
    for t in tensors:
        if t._device is META:
            return True
    pos = ov.factory_pos
    if pos:
        p = pos.get("device")
        if p is not None:
            d = args[p]
            if d is None and not ov.tensor_pos and not ov.list_pos:
                d = args[p] = device_context.for_factories()
            if d is not None and (d is META or as_device(d).type == "meta"):
                return True
    return False


# ---- conversions ---------------------------------------------------------------------

def to_meta(t):
    """`t` placed on the meta device: its geometry and dtype, none of its data."""
    if t._device is META:
        return t
    out = like(t)
    if t._requires_grad:
        out.requires_grad_(True)
    return out


def reduce_meta(t):
    """pickle / deepcopy of a meta tensor: its class, geometry, dtype and requires_grad."""
    return (rebuild, (type(t), tuple(t.shape), tuple(t.stride()), t._dtype.name, t._requires_grad))


def rebuild(cls, shape, stride, dtype_name, requires_grad):
    t = empty(shape, getattr(_dt, dtype_name if dtype_name != "bool" else "bool_"), stride)
    if cls is not Tensor:
        t = cls._from_plain(t) if hasattr(cls, "_from_plain") else t
    if requires_grad:
        t.requires_grad_(True)
    return t


def no_item():
    raise RuntimeError("Tensor.item() cannot be called on meta tensors")


def copy_out_of_meta():
    raise NotImplementedError(NO_DATA)


def standin(t):
    """A one-element CPU tensor with `t`'s dtype and number of dimensions (see meta_shapes.Call)."""
    return host_to_tensor(np.ones((1,) * t.dim(), dtype=t._dtype.np), t._dtype)


def probe(fn):
    """Run `fn` (a stand-in call of a real op) without recording and without a default device."""
    was = grad_mode.is_enabled()
    grad_mode.set_enabled(False)
    try:
        with device_context.internal():
            return fn()
    finally:
        grad_mode.set_enabled(was)


_upcalls.provide(no_item=no_item, to_meta=to_meta)
