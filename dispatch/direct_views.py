"""View ops for backward rules, made straight from the op's geometry.

A backward rule reshapes and expands gradients (the sum rule: reshape -> expand). During
an ordinary backward pass nothing is recorded (grad mode is off, or the gradient does not
require grad), so such a view is only its geometry over the gradient's storage: these
functions make it directly instead of taking the dispatcher's whole path (binder, runner,
the recorder's checks) once more. Whenever the op could do more than that - history to
record (create_graph=True), a meta, sparse or subclass tensor - they call the op's method.
"""
from ops_table.generated import OPS

from dispatch import grad_mode, kernels as _kernels
from dispatch.device import META
from dispatch.operands import make_view
from dispatch.tensor import Tensor

_geometry = {}


def _plain(t):
    """Whether a view of `t` is its geometry alone: a dense Tensor whose view records nothing."""
    return type(t) is Tensor and t._device is not META and not (t._requires_grad and grad_mode.is_enabled())


def _view(op, src, *args):
    geom = _geometry.get(op)
    if geom is None:
        geom = _geometry[op] = _kernels.resolve("fn:" + OPS[op]["view"]).fn
    return make_view(src, *geom(src.shape, src.stride(), src.storage_offset(), *args))


def reshape(t, shape):
    """t.reshape(shape) for a tuple of ints (a view of a contiguous tensor, else the op)."""
    if _plain(t) and t.is_contiguous():
        return _view("view", t, tuple(shape))
    return t.reshape(shape)


def expand(t, shape):
    """t.expand(shape) for a tuple of ints."""
    if _plain(t):
        return _view("expand", t, tuple(shape))
    return t.expand(shape)


def unsqueeze(t, dim):
    """t.unsqueeze(dim) for an int."""
    if _plain(t):
        return _view("unsqueeze", t, dim)
    return t.unsqueeze(dim)
