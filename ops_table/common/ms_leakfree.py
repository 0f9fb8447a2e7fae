"""NumPy stand-ins for the MindSpore CPU primitives that leak native memory per call.

MindSpore 2.10's pyboost path copies each non-tensor input of a primitive (an axis, keep_dims,
transpose flags) into a block of its device memory pool that is never given back: ~650 bytes
of RSS per such input per call (heaptrack: DynamicMemPoolBestFit::AllocTensorMem from
DeviceAddressUtils::CopyNoneTensorDataToDevice; a plain MindSpore loop of ReduceMax grows
1.35 KB a call in blocking and asynchronous launch, with the axis as int, tuple or Tensor).
Primitives without such inputs (Add, Exp, Conv2D, Gather...) and view primitives (Reshape,
Transpose) do not leak. `leak_free` wraps the leaking ones mstorch's kernels call: on CPU,
for the dtypes where NumPy computes what PyTorch does, the call runs in NumPy over the
arrays' own memory (ops_table.common._ms.host_array) and returns a MindSpore array sharing
the result; anything else (other dtypes, MindSpore's own argument errors) calls the primitive."""
import numpy as np
from ops_table.common._ms import on_cpu

_FLOATS = ("Float32", "Float64")


def _axes(axis, ndim):
    if hasattr(axis, "asnumpy"):
        axis = axis.asnumpy().tolist()
    if isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    axis = tuple(int(a) for a in axis)
    if not axis:  # MindSpore's empty axis reduces every dimension
        return tuple(range(ndim))
    if not ndim or any(not -ndim <= a < ndim for a in axis):
        return None  # 0-d or out of range: the primitive answers (or reports) it
    return tuple(a % ndim for a in axis)


def _reduce(np_fn):
    def make(keep_dims=False, skip_mode=False):
        if skip_mode:
            return None

        def call(x, axis=()):
            if str(x.dtype) not in _FLOATS or 0 in x.shape:
                return None
            axes = _axes(axis, len(x.shape))
            if axes is None:
                return None
            return np_fn(_host(x), axis=axes, keepdims=bool(keep_dims))
        return call
    return make


def _matmul(transpose_a=False, transpose_b=False):
    def call(a, b):
        if str(a.dtype) not in _FLOATS or a.dtype != b.dtype or len(a.shape) != 2 or len(b.shape) != 2:
            return None
        ha, hb = _host(a), _host(b)
        ha, hb = ha.T if transpose_a else ha, hb.T if transpose_b else hb
        return None if ha.shape[1] != hb.shape[0] else np.matmul(ha, hb)
    return call


def _batch_matmul(transpose_a=False, transpose_b=False):
    def call(a, b):
        if str(a.dtype) not in _FLOATS or a.dtype != b.dtype or len(a.shape) < 3 or len(b.shape) < 3:
            return None
        ha, hb = _host(a), _host(b)
        ha, hb = ha.swapaxes(-1, -2) if transpose_a else ha, hb.swapaxes(-1, -2) if transpose_b else hb
        try:
            return np.matmul(ha, hb)
        except ValueError:
            return None
    return call


def _softmax(log):
    def make(axis=-1):
        def call(x):
            ax = axis[0] if isinstance(axis, (tuple, list)) and len(axis) == 1 else axis
            if str(x.dtype) not in _FLOATS or not isinstance(ax, int) or not x.shape or 0 in x.shape:
                return None
            if not -len(x.shape) <= ax < len(x.shape):
                return None
            h = _host(x)
            shifted = h - np.max(h, axis=ax, keepdims=True)
            e = np.exp(shifted)
            if log:
                return shifted - np.log(np.sum(e, axis=ax, keepdims=True))
            return e / np.sum(e, axis=ax, keepdims=True)
        return call
    return make


def _concat(axis=0):
    def call(arrays):
        arrays = tuple(arrays)
        if not arrays or any(str(a.dtype) != str(arrays[0].dtype) for a in arrays):
            return None
        hosts = [_host(a) for a in arrays]
        if any(h is None or h.ndim != hosts[0].ndim for h in hosts) or not hosts[0].ndim:
            return None
        try:
            return np.concatenate(hosts, axis=axis)
        except (ValueError, IndexError):  # NumPy's AxisError is both
            return None
    return call


def _tile():
    def call(x, multiples):
        multiples = tuple(int(m) for m in multiples)
        h = _host(x)
        if h is None or len(multiples) < h.ndim or any(m < 0 for m in multiples):
            return None
        return np.tile(h, multiples)
    return call


_MAKERS = {
    "ReduceSum": _reduce(np.sum), "ReduceMean": _reduce(np.mean), "ReduceMax": _reduce(np.max),
    "ReduceMin": _reduce(np.min), "ReduceProd": _reduce(np.prod),
    "MatMul": _matmul, "BatchMatMul": _batch_matmul,
    "Softmax": _softmax(False), "LogSoftmax": _softmax(True),
    "Concat": _concat, "Tile": _tile,
}


def _host(x):
    from ops_table.common._ms import host_array
    if not hasattr(x, "data_ptr") or str(x.dtype) == "BFloat16":
        return None
    return host_array(x)


class _LeakFree:
    """The primitive, with NumPy answering the calls it can (see the module doc)."""
    __slots__ = ("primitive", "host")

    def __init__(self, primitive, host):
        self.primitive, self.host = primitive, host

    def __call__(self, *args):
        out = self.host(*args)
        if out is None:
            return self.primitive(*args)
        from ops_table.common._ms import from_host
        return from_host(np.array(out, copy=True, order="C") if _shares_input(out, args) else np.asarray(out))

    def __getattr__(self, name):
        return getattr(self.primitive, name)


def _shares_input(out, args):
    # np.tile with all-ones multiples and 1-element concatenations can hand back views.
    return isinstance(out, np.ndarray) and out.base is not None


def leak_free(name, init, primitive):
    """`primitive`, or on CPU a wrapper answering its calls in NumPy where it would leak."""
    make = _MAKERS.get(name)
    if make is None or not on_cpu():
        return primitive
    try:
        host = make(*init)
    except TypeError:
        return primitive
    return primitive if host is None else _LeakFree(primitive, host)
