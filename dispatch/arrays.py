"""Backend array primitives the dispatcher needs beyond table kernels:
casting, scalar arrays, strided views, NumPy crossing and write-back.

Two backends exist: MindSpore tensors (the device target; CPU here) and NumPy arrays
(`host`, used in forked DataLoader workers).  Everything here takes and returns
backend arrays, never mstorch Tensors.
"""
import numpy as np

from dispatch.mslock import LOCK as _LOCK
from dispatch.storage import check_view_bounds, numpy_view

# MindSpore calls below run under the process-wide lock (dispatch/mslock.py); NumPy
# branches need none.
_ms = {}


def _msmod():
    if not _ms:
        import mindspore
        from mindspore import ops
        from mindspore.ops.auto_generate.gen_ops_def import as_strided
        # Filled in one step: another thread must never see a half-filled table.
        _ms.update({"Tensor": mindspore.Tensor, "cast": ops.Cast(), "as_strided": as_strided})
    return _ms


def is_ms_array(x):
    m = _msmod()
    return isinstance(x, m["Tensor"])


def cast(data, dtype):
    if type(data) is np.ndarray:
        return data.astype(dtype.np)
    # MindSpore's CPU Cast costs ~380 us a call whatever the size (measured, tests/bench
    # notes); converting through the zero-copy NumPy alias costs ~6 us for small tensors.
    with _LOCK:
        return from_numpy(data.asnumpy().astype(dtype.np), "cpu")


def owns_memory(data):
    """Whether a MindSpore tensor's NumPy alias is its own memory (not the case for a
    MindSpore view, even a contiguous one: asnumpy() then returns a copy)."""
    if 0 in data.shape:
        return True
    with _LOCK:
        return data.asnumpy().ctypes.data == data.data_ptr()


def fresh_copy(data):
    """A contiguous copy that owns its memory."""
    if type(data) is np.ndarray:
        return np.array(data, copy=True, order="C")
    with _LOCK:
        return from_numpy(np.array(data.asnumpy(), copy=True, order="C"), "cpu")


def from_numpy(arr, backend):
    """A backend array sharing memory with the C-contiguous NumPy array `arr`."""
    if backend == "host":
        return arr
    with _LOCK:
        t = _msmod()["Tensor"].from_numpy(arr)
    t._mstorch_cold = True
    return t


def _warm(root):
    """MindSpore's as_strided on a from_numpy tensor that no kernel has read yet is slow
    (1M floats: ~80-110 us against ~17 us once a kernel has used it; earlier measured up to
    1.5 ms), and the first kernel use keeps the memory shared with NumPy.  A Reshape (a view:
    no copy, any dtype and rank) is that use.  Not Gather or Identity: on a tensor no kernel
    has read, each keeps ~1.2 KB of MindSpore's memory pool per call (a native leak per
    fresh tensor, measured with bench/leak.py)."""
    m = _msmod()
    if "reshape" not in m:
        from mindspore import ops
        m["reshape"] = ops.Reshape()
    if 0 not in root.shape:
        m["reshape"](root, (-1,))


_scalar_cache = {}


def _wrapped_int(value):
    """A Python int beyond int64 as PyTorch takes it beside an integer tensor: one that fits
    uint64 wraps (2**63 is INT64_MIN), a larger one does not convert."""
    if not -2 ** 63 <= value < 2 ** 64:
        raise OverflowError("int too big to convert")
    return value - 2 ** 64 if value >= 2 ** 63 else value


def scalar_array(value, dtype, backend):
    """A 0-d array holding a Python number in `dtype`.

    Python floats must not reach MindSpore kernels as they are: MindSpore rounds them
    to float32 even beside a float64 tensor (docs/mindspore-facts.md, F6).  Small cache because
    programs reuse the same constants (1.0, eps, lr...) on every step.
    """
    key = (type(value), value, dtype.name, backend)
    arr = _scalar_cache.get(key)
    if arr is None:
        if type(value) is int and dtype.np.kind in "iu" and not -2 ** 63 <= value < 2 ** 63:
            value = _wrapped_int(value)
        host = np.array(value, dtype=dtype.np) if type(value) is not int or dtype.np.kind not in "iu" \
            else np.array(value, dtype=np.int64).astype(dtype.np)  # 300 wraps into int8 as in PyTorch, silently
        if backend == "host":
            arr = host
        else:
            with _LOCK:
                arr = _msmod()["Tensor"].from_numpy(host)
        if len(_scalar_cache) > 4096:
            _scalar_cache.clear()
        _scalar_cache[key] = arr
    return arr


def strided_view(storage, size, stride, offset):
    """A backend array viewing `storage` with the given geometry (no copy)."""
    root = storage.root
    check_view_bounds(storage, size, stride, offset)
    if type(root) is np.ndarray:
        return numpy_view(storage, tuple(size), tuple(stride), offset)
    with _LOCK:
        if getattr(root, "_mstorch_cold", False):
            _warm(root)
            root._mstorch_cold = False
        return _msmod()["as_strided"](root, tuple(size), tuple(stride), offset)


def to_host(data):
    """NumPy values of a backend array (zero-copy for contiguous MindSpore CPU arrays)."""
    if type(data) is np.ndarray:
        return data
    with _LOCK:
        return data.asnumpy()
