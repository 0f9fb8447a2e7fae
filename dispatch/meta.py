"""The 'meta' device: tensors with dtype, shape, strides and requires_grad, and no data.

A meta tensor is an ordinary Tensor whose backend array is a `MetaArray` (geometry only)
and whose storage root is a `MetaArray` of the storage's length, so views, strides,
`storage_offset()` and `nbytes` answer as for any tensor while nothing is allocated.
Its `_device` is `dispatch.device.META`.

An op with a meta operand (or a factory asked for device 'meta') never runs a kernel: the
dispatcher hands it to `run`, which works out the result's shapes with the op's shape rule
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
from dispatch.tensor import Tensor

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


def run(runner, ov, args, tensors, out, inplace):
    """Serve one op call on the meta device (see the module docstring)."""
    from dispatch import meta_shapes
    name = runner.name
    if not ov.factory_pos and name not in meta_shapes.CROSS_DEVICE:
        _check_one_device(tensors)
    if runner.view is not None:
        return _view_op(runner, ov, args, tensors, inplace, out)
    rule = meta_shapes.rule_for(runner)
    if rule is None:
        composite = _composite(runner)
        if composite is None:
            raise NotImplementedError(f"mstorch: torch op '{name}' has no shape rule for the 'meta' device yet")
        return _composite_op(runner, composite, ov, args, tensors, out, inplace)
    call = meta_shapes.Call(runner, ov, args, tensors, inplace)
    specs = rule(call)
    result = _build(specs, tensors, call.keeps_layout)
    if ov.return_type is not None and isinstance(result, tuple):
        result = ov.return_type(*result)
    if ov.factory_pos:
        result = _factory_args(name, ov, args, result)
    from dispatch.autograd.record import autograd_record
    if inplace:
        return _commit_inplace(runner, ov, args, tensors, result)
    result = autograd_record(runner, ov, args, tensors, result, False, out)
    if out is not None:
        return _write_out(name, out, result)
    return result


def _check_one_device(tensors):
    """PyTorch's rule: operands share one device, except CPU scalars (0-d tensors)."""
    for t in tensors:
        if t._device is not META and t._data.shape:
            raise RuntimeError(f"Tensor on device {t.device} is not on the expected device meta!")


def _build(specs, tensors, keeps_layout):
    if isinstance(specs, list):
        return tuple(_build(s, tensors, keeps_layout) for s in specs)
    shape, dtype = specs[0], specs[1]
    stride = specs[2] if len(specs) > 2 else (_layout_of(shape, tensors) if keeps_layout else None)
    return empty(shape, dtype, stride)


def _layout_of(shape, tensors):
    """Elementwise results keep the memory order of an input of the result's shape (as
    PyTorch's TensorIterator does for dense inputs); otherwise they are contiguous."""
    shape = tuple(shape)
    for t in tensors:
        if tuple(t.shape) == shape:
            st = dense_strides(shape, t.stride())
            if st is None:
                return None
            order = sorted(range(len(shape)), key=lambda d: (-st[d], d))
            out, acc = [0] * len(shape), 1
            for d in reversed(order):
                out[d] = acc
                acc *= max(shape[d], 1)
            return tuple(out)
    return None


def _view_op(runner, ov, args, tensors, inplace, out):
    from dispatch import kernels
    from dispatch.autograd.record import autograd_record
    geom = kernels.resolve("fn:" + runner.view).fn
    src = args[0]
    specs = geom(src.shape, src.stride(), src.storage_offset(), *args[1:])
    if ov.nret == 1 and not isinstance(specs, list):
        result = view(src, *specs)
    else:
        result = tuple(view(src, *g) for g in specs)
    return autograd_record(runner, ov, args, tensors, result, inplace, out)


def _composite(runner):
    from dispatch import kernels
    for spec in runner.entry["kernels"].get("cpu") or ():
        if spec.startswith("composite:"):
            return kernels.resolve(spec)
    return None


def _composite_op(runner, kernel, ov, args, tensors, out, inplace):
    result = runner._run_composite(kernel, args, ov)
    if ov.return_type is not None and type(result) is tuple:
        result = ov.return_type(*result)
    if inplace:
        return _commit_inplace(runner, ov, args, tensors, result, composite=True)
    if out is not None:
        return _write_out(runner.name, out, result)
    return result


def _factory_args(name, ov, args, result):
    pos = ov.factory_pos
    layout = args[pos["layout"]] if "layout" in pos else None
    if layout is not None and getattr(layout, "name", layout) != "strided":
        raise NotImplementedError(f"mstorch: {name}(layout={layout}) is not supported yet")
    if "pin_memory" in pos and args[pos["pin_memory"]]:
        raise RuntimeError("Only dense CPU tensors can be pinned")
    if "requires_grad" in pos and args[pos["requires_grad"]]:
        result.requires_grad_(True)
    return result


def _commit_inplace(runner, ov, args, tensors, result, composite=False):
    """An in-place op on a meta tensor: PyTorch's checks, a version bump, the new history;
    nothing to write."""
    from dispatch.autograd.record import PassThrough, _build_node, check_inplace, gradient_edge
    self = args[0]
    if self._device is not META:
        raise RuntimeError(f"Tensor on device {self.device} is not on the expected device meta!")
    recording = check_inplace(runner, tensors, self, result, composite)
    if recording:
        from dispatch.autograd.inplace import record_inplace
        node = PassThrough(gradient_edge(result)) if composite else _build_node(runner, ov, args, result)
    self._storage.version += 1
    if recording:
        record_inplace(self, node)
    return self


def _write_out(name, out, result):
    if isinstance(result, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(result):
            raise TypeError(f"{name}(): argument 'out' must be tuple of {len(result)} Tensors")
        for o, r in zip(out, result):
            _write_out(name, o, r)
        return tuple(out)
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if out._device is not META:
        raise RuntimeError(f"Expected out tensor to have device meta, but got {out.device} instead")
    if not _dt.can_cast(result._dtype, out._dtype):
        from dispatch.autograd.record import _legacy_name
        raise RuntimeError(f"result type {_legacy_name(result._dtype)} can't be cast to the desired output type "
                           f"{_legacy_name(out._dtype)}")
    if tuple(out.shape) != tuple(result.shape):
        fresh = empty(result.shape, out._dtype)
        out._data, out._storage, out._base = fresh._data, fresh._storage, None
    out._storage.version += 1
    return out


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
    from dispatch.pyapi import host_to_tensor
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
