"""Shared MindSpore plumbing for kernels: primitives built once, scalars in a dtype."""
import ctypes
import functools

import numpy as np

_prims = {}


def prim(name, *init):
    """A MindSpore primitive built once per (name, init args): building one per call costs ~20 us.

    On CPU, primitives that take non-tensor inputs through MindSpore's pyboost path (an axis,
    keep_dims, transpose flags) leak native memory: every call keeps ~650 bytes per such input
    (a 512-byte block of MindSpore's memory pool and its bookkeeping, held past the call;
    measured with heaptrack, bench/leak.py; a plain MindSpore loop of ReduceMax leaks the same,
    in blocking and asynchronous launch, whatever form the axis takes). Those that mstorch's
    hot paths use run in NumPy over the arrays' own memory instead (ms_leakfree.py), for the
    dtypes where NumPy computes what PyTorch does; other calls keep the primitive."""
    key = (name, init)
    p = _prims.get(key)
    if p is None:
        from mindspore import ops
        cls = getattr(ops, name, None)
        if cls is None:  # backward primitives (NLLLossGrad) live in _grad_ops only
            from mindspore.ops.operations import _grad_ops
            cls = getattr(_grad_ops, name)
        p = cls(*init)
        from ops_table.common.ms_leakfree import leak_free
        p = _prims[key] = leak_free(name, init, p)
    return p


@functools.lru_cache(maxsize=4096)
def _scalar(value, np_dtype_str):
    from mindspore import Tensor
    return Tensor.from_numpy(np.array(value, dtype=np.dtype(np_dtype_str)))


_MS_TO_NP = {"Float32": "float32", "Float64": "float64", "Float16": "float16", "Int64": "int64", "Int32": "int32",
             "Int16": "int16", "Int8": "int8", "UInt8": "uint8", "UInt16": "uint16", "UInt32": "uint32",
             "UInt64": "uint64", "Bool": "bool", "Complex64": "complex64",
             "Complex128": "complex128", "BFloat16": "float32"}


def np_dtype(arr):
    """The NumPy dtype name for a MindSpore array's values (bfloat16 as float32), without
    reading the array (asnumpy of a view copies it)."""
    return _MS_TO_NP[str(arr.dtype)]


def scalar(value, arr):
    """0-d MindSpore tensor holding `value` in `arr`'s dtype (MindSpore rounds bare
    Python floats to float32 even beside float64 tensors)."""
    return _scalar(value, np_dtype(arr))


def from_host(a):
    """A MindSpore tensor sharing memory with a NumPy result (marked for the dispatcher's
    one-time warm-up before its first strided view; see dispatch/arrays.py)."""
    from mindspore import Tensor
    t = Tensor.from_numpy(np.require(a, requirements="C"))
    t._mstorch_cold = True
    return t


_HOST_DTYPES = {k: np.dtype(v) for k, v in _MS_TO_NP.items() if k != "BFloat16"}


_cpu_target = []


def on_cpu():
    """Whether MindSpore runs on the CPU (its arrays' data_ptr() is then host memory)."""
    if not _cpu_target:
        import mindspore
        _cpu_target.append(mindspore.get_context("device_target") == "CPU")
    return _cpu_target[0]


def host_array(a):
    """A NumPy array over a MindSpore CPU array's own elements, whatever its strides.

    asnumpy() of a strided view copies it through a MindSpore kernel: measured 420 us for
    a transposed 204x51 float64, 43 us for a column view, against ~5 us for this view.
    Kernels that compute in NumPy read their inputs through it. mstorch launches
    MindSpore blocking (dispatch/backend.py), so the memory is final when a kernel runs;
    the NumPy array holds a reference to `a`."""
    dt = _HOST_DTYPES.get(str(a.dtype))
    shape = tuple(a.shape)
    if dt is None or 0 in shape or not on_cpu():  # an accelerator's data_ptr is device memory
        return a.asnumpy()
    strides = tuple(a.stride())
    span = 1 + sum((n - 1) * s for n, s in zip(shape, strides))
    buf = (ctypes.c_char * (span * dt.itemsize)).from_address(a.data_ptr())
    buf._mstorch_owner = a
    return np.ndarray(shape, dt, buf, 0, tuple(s * dt.itemsize for s in strides))


def numpy_matmul_wins(a, b, n=None):
    """Whether NumPy's BLAS beats MindSpore's MatMul for a (.., m, k) x (k, n) product
    (`n` defaults to b's last dimension).
    Measured on the 2-core CPU box (bench/rnn_step.py, loadavg ~8): float64 MatMul runs
    2-50x slower than NumPy on RNN shapes; float32 MatMul of up to a few million
    multiply-adds 1.6-4x slower ((64,64)x(64,256): 526 vs 328 us; (20,200)x(200,800):
    2473 vs 561 us), on par from ~100M ((700,200)x(200,800))."""
    dt = str(a.dtype)
    if dt != str(b.dtype) or dt not in ("Float64", "Float32"):
        return False
    if dt == "Float64":
        return True
    macs = 1
    for d in tuple(a.shape) + (b.shape[-1] if n is None else n,):
        macs *= d
    return macs <= 1 << 22
